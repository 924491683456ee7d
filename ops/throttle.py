"""Rate limits on guessable doors: staff sign-in and joining an event.

A fixed window per ``scope`` and client address (plus a key such as the username or the
event code), counted in Django's cache (Redis in production, so every ASGI process shares
the counts). Limits are in ``settings.RATE_LIMITS`` as ``(attempts, seconds)``.
"""

import functools
import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Throttled(Exception):
    """Too many attempts; ``message`` says what to do."""

    message: str

    def __str__(self) -> str:
        return self.message


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@functools.cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def client_address(request: HttpRequest) -> str:
    """The address the request came from. ``X-Forwarded-For`` is believed only when the
    connection comes from one of ``settings.TRUSTED_PROXIES`` (none by default), and then
    only up to the right-most address that is not a trusted proxy: everything left of it
    was written by the client and can be anything (issue 15: rotating the header got
    around every limit). Servers run with ``--no-proxy-headers`` so this is the one place
    the header is read."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not _trusted(address):
        return address
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop):
            return hop
    return address


def _limit(scope: str) -> tuple[int, int]:
    attempts, seconds = settings.RATE_LIMITS[scope]
    return int(attempts), int(seconds)


def _cache_key(scope: str, address: str, key: str) -> str:
    digest = hashlib.sha256(f"{address}|{key.lower()}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def check_allowed(*, scope: str, address: str, key: str = "") -> None:
    """Raise ``Throttled`` if this address (and key) used up its attempts in the window."""
    attempts, seconds = _limit(scope)
    if cache.get(_cache_key(scope, address, key), 0) >= attempts:
        minutes = max(1, seconds // 60)
        raise Throttled(
            f"Too many attempts from your connection. Please wait {minutes} minutes and "
            "try again, or ask the organiser for help."
        )


def record_attempt(*, scope: str, address: str, key: str = "") -> int:
    """Count one attempt; the count starts its window at the first attempt."""
    _, seconds = _limit(scope)
    cache_key = _cache_key(scope, address, key)
    if cache.add(cache_key, 1, timeout=seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        return 1
