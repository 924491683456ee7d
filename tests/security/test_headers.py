"""Headers and browser-side defences: CSP without inline script on the main pages, CSRF on
every POST form, HSTS and secure cookies in production, websocket origins checked."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from config.asgi import application
from events.models import Participant
from tests.security.test_matrix import FACILITATOR, PARTICIPANT, World

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture
def world(db):
    return World()


def main_pages(world: World) -> list[tuple[str, str]]:
    slug = world.event.slug
    return [
        (None, "/"),
        (None, reverse("login")),
        (None, reverse("events:join", args=[world.event.code])),
        (PARTICIPANT, reverse("cafes:table", args=[slug])),
        (PARTICIPANT, reverse("events:welcome", args=[world.event.code])),
        (None, reverse("cafes:questionnaire", args=[world.participant.key])),
        (FACILITATOR, reverse("cafes:console", args=[slug])),
        (FACILITATOR, reverse("events:event_overview", args=[slug])),
        (FACILITATOR, reverse("harvest:workspace", args=[slug])),
    ]


def test_main_pages_carry_a_csp_and_contain_no_inline_script(world):
    for who, url in main_pages(world):
        client = world.client(who) if who else Client()
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"):
            assert directive in csp, (url, directive)
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_post_form_in_the_templates_has_a_csrf_token():
    forms = 0
    for template in (ROOT / "templates").rglob("*.html"):
        for form in re.findall(r"<form\b[^>]*>.*?</form>", template.read_text(), re.S | re.I):
            if re.search(r'method="post"', form, re.I):
                forms += 1
                assert "{% csrf_token %}" in form, template
    assert forms >= 10


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(world):
    client = Client(enforce_csrf_checks=True)
    url = reverse("events:join", args=[world.event.code])
    response = client.post(url, {"pseudonym": "Mallory", "role_code": "", "consent": "on"})
    assert response.status_code == 403
    assert not Participant.objects.filter(pseudonym="Mallory").exists()


def every_route(patterns=None, prefix: str = ""):
    """Every URL pattern of the site (the admin's own, behind its sign-in, aside)."""
    from django.urls import URLResolver, get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if "admin" not in str(pattern.pattern):
                yield from every_route(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_no_route_takes_a_post_without_the_csrf_token(world):
    """Not one view is exempt: a signed-in facilitator's browser tricked into posting to any
    address of the site, without the token, is refused before the view runs."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.facilitator.user)
    values = {
        "<str:code>": world.event.code,
        "<str:token>": "token",
        "<str:key>": world.participant.key,
        "<str:action>": "rebuild",
        "<int:pk>": str(world.table.pk),
    }
    before = (Participant.objects.count(), world.event.status)
    routes = [*every_route(), "admin/", "admin/auth/user/add/"]
    assert len(routes) > 50
    for route in routes:
        slug = world.event.series.slug if route.startswith(("series/", "manage/series/")) else None
        path = "/" + route.replace("<slug:slug>", slug or world.event.slug)
        for placeholder, value in values.items():
            path = path.replace(placeholder, value)
        response = client.post(path, {"to": "live", "text": "x", "pseudonym": "Mallory"})
        assert response.status_code == 403, path
        assert b"CSRF verification failed" in response.content, path
    world.event.refresh_from_db()
    assert (Participant.objects.count(), world.event.status) == before


def test_production_settings_send_hsts_and_mark_cookies_secure():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-real-secret-" + "k3y!x9Qz" * 8,
        "ALLOWED_HOSTS": "bridgework.example.org",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_HTTPONLY', 'DEBUG')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["DEBUG"] is False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("origin", "accepted"),
    [(b"http://localhost", True), (b"https://evil.example", False), (None, False)],
)
async def test_websockets_from_other_origins_are_refused(origin, accepted):
    from channels.db import database_sync_to_async

    world = await database_sync_to_async(World)()
    cookie = await database_sync_to_async(world.cookie)(PARTICIPANT)
    headers = [(b"cookie", f"sessionid={cookie}".encode())]
    if origin:
        headers.append((b"origin", origin))
    communicator = WebsocketCommunicator(
        application, f"/ws/events/{world.event.slug}/live/", headers=headers
    )
    connected, _ = await communicator.connect()
    assert connected is accepted
    if connected:
        await communicator.disconnect()
