"""Websockets from the site's own pages only (cross-site websocket hijacking).

A browser sends the page's origin with every websocket it opens. Channels'
``AllowedHostsOriginValidator`` compares only the origin's host with ``ALLOWED_HOSTS``, so a
page at ``http://127.0.0.1:9999`` or ``https://127.0.0.1`` could open a participant's socket
with their cookie. Here the whole origin — scheme, host and port — must be one of the
site's own:

- the address the socket itself was opened at (its ``Host`` header, a host in
  ``ALLOWED_HOSTS``, with the scheme the server saw): what every same-origin page sends;
- ``SITE_URL``, the public address (behind a TLS proxy the server sees ``ws://`` while the
  browser's page is ``https://``);
- each of ``CSRF_TRUSTED_ORIGINS`` (``https://*.example.org`` allows its subdomains).
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin or URL, or None when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or port is None:
        return None
    return parts.scheme, parts.hostname.lower(), port


def _matches(origin: tuple[str, str, int], allowed: str) -> bool:
    scheme, _, rest = allowed.partition("://")
    if rest.startswith("*."):  # a CSRF_TRUSTED_ORIGINS wildcard: https://*.example.org
        wanted = _origin(f"{scheme}://{rest[2:]}")
        return (
            wanted is not None
            and origin[0] == wanted[0]
            and origin[2] == wanted[2]
            and origin[1].endswith("." + wanted[1])
        )
    return origin == _origin(allowed)


def own_origins(scope) -> list[str]:
    """The origins a page of this site can have, for the socket described by ``scope``."""
    origins = [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]
    headers = dict(scope.get("headers") or [])
    host = headers.get(b"host", b"").decode("latin-1")
    domain, _port = split_domain_port(host)
    if domain and validate_host(domain, settings.ALLOWED_HOSTS):
        scheme = "https" if scope.get("scheme") == "wss" else "http"
        origins.append(f"{scheme}://{host}")
    return origins


def is_own_origin(scope) -> bool:
    headers = dict(scope.get("headers") or [])
    origin = _origin(headers.get(b"origin", b"").decode("latin-1"))
    if origin is None:
        return False
    return any(_matches(origin, allowed) for allowed in own_origins(scope))


class SiteOriginValidator:
    """ASGI middleware: a websocket whose Origin is not one of the site's own is refused."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not is_own_origin(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
