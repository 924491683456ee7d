"""Regression tests for probes that once got through (issue 15): each failed before its fix."""

import pytest

from ops.spreadsheet import safe_cell
from tests.cafes.test_consumers import frames_until, join, room  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

NESTED = "[" * 1000 + "]" * 1000  # about 2 KB: past json's recursion limit


@pytest.mark.parametrize(
    "raw",
    [NESTED, '{"type": "note.post", "text": ' + NESTED + "}", "{" + '"a":{' * 1200 + "}" * 1201],
)
async def test_deeply_nested_json_is_malformed_and_the_socket_stays_open(room, raw):  # noqa: F811
    communicator = await join(room, room.at(0)[0])
    await communicator.send_to(text_data=raw)
    error = (await frames_until(communicator, "error"))[-1]
    assert error["code"] in {"malformed", "too_large"}
    await communicator.send_json_to({"type": "ping"})
    assert (await frames_until(communicator, "pong"))[-1]["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.parametrize(
    "cell",
    [
        '\ufeff=HYPERLINK("http://x")',
        "\u200b+1+1",
        " -2+3",
        "\u00a0@SUM(A1)",
        "=1+1",
        "\tcmd",
    ],
)
def test_a_csv_cell_whose_first_visible_character_starts_a_formula_is_prefixed(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["I <3 my kids", "SW said no", "", "a = b", "£5 - not enough"])
def test_ordinary_cells_are_left_as_they_are(cell):
    assert safe_cell(cell) == cell


def test_an_upload_of_many_bad_rows_lists_the_first_hundred_and_counts_the_rest(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from cafes.models import Note
    from tests.cafes.test_import_metadata import make_event, staff_viewer

    event = make_event()
    client.force_login(staff_viewer(event).user)
    rows = "".join(f"1,3,gossip,bad row {i},BP,\n" for i in range(5000))
    text = "round,table,kind,text,role,question\n1,3,story,a good one,BP,\n" + rows
    response = client.post(
        reverse("cafes:import_notes", args=[event.slug]),
        {"file": SimpleUploadedFile("big.csv", text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 400
    assert response.text.count("<li>line ") == 100
    assert "and 4900 more mistakes not listed" in response.text
    assert len(response.content) < 100_000
    assert not Note.objects.filter(event=event).exists()  # all or nothing


def scope(origin: str | None, host: str | None = "127.0.0.1:8000", scheme: str = "ws") -> dict:
    headers = [(b"host", host.encode())] if host else []
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("http://127.0.0.1:8000", True),  # the page the socket belongs to
        ("http://127.0.0.1:9999", False),  # another port on the same host
        ("http://localhost:1234", False),
        ("https://127.0.0.1", False),  # another scheme
        ("https://evil.example", False),
        ("null", False),
        (None, False),
    ],
)
def test_a_websocket_origin_must_match_scheme_host_and_port(settings, origin, accepted):
    from ops.origins import is_own_origin

    settings.SITE_URL = "http://127.0.0.1:8000"
    assert is_own_origin(scope(origin)) is accepted


def test_behind_a_tls_proxy_the_public_address_and_trusted_origins_count(settings):
    from ops.origins import is_own_origin

    settings.SITE_URL = "https://bridgework.example.org"
    settings.ALLOWED_HOSTS = ["bridgework.example.org", "app"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.partner.example.org"]
    assert is_own_origin(scope("https://bridgework.example.org", host="app:8000"))
    assert is_own_origin(scope("https://review.partner.example.org", host="app:8000"))
    assert not is_own_origin(scope("https://review.partner.example.org:444", host="app:8000"))
    assert not is_own_origin(scope("http://bridgework.example.org", host="app:8000"))
    # a Host outside ALLOWED_HOSTS gives nothing
    assert not is_own_origin(scope("http://evil.example:8000", host="evil.example:8000"))


@pytest.mark.parametrize(
    ("origin", "accepted"), [(b"http://127.0.0.1:8000", True), (b"http://127.0.0.1:9999", False)]
)
async def test_a_participant_cookie_from_another_port_opens_no_socket(settings, origin, accepted):
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from tests.security.test_matrix import PARTICIPANT, World

    settings.SITE_URL = "http://127.0.0.1:8000"
    world = await database_sync_to_async(World)()
    cookie = await database_sync_to_async(world.cookie)(PARTICIPANT)
    communicator = WebsocketCommunicator(
        application,
        f"/ws/events/{world.event.slug}/live/",
        headers=[
            (b"host", b"127.0.0.1:8000"),
            (b"origin", origin),
            (b"cookie", f"sessionid={cookie}".encode()),
        ],
    )
    connected, _ = await communicator.connect()
    assert connected is accepted
    if connected:
        await communicator.disconnect()


def test_the_admin_sign_in_is_the_throttled_one(client, settings):
    """30 wrong passwords at /admin/login/ used to answer 200 each, then the right one
    signed in; now the admin's door leads to /login/, whose limit counts every attempt."""
    from django.urls import reverse

    from tests.factories import UserFactory

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (3, 600)}
    UserFactory(username="facilitator", password="right-password-123", is_staff=True)
    for _ in range(5):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "facilitator", "password": "nope", "next": "/admin/"},
            REMOTE_ADDR="10.9.9.9",
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    for _ in range(3):
        client.post(
            reverse("login"), {"username": "facilitator", "password": "no"}, REMOTE_ADDR="10.9.9.9"
        )
    refused = client.post(
        reverse("login"),
        {"username": "facilitator", "password": "right-password-123"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert refused.status_code == 429
    assert client.get("/admin/login/?next=//evil.example/")["Location"] == (
        "/login/?next=%2Fadmin%2F"
    )


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "seen"),
    [
        ("203.0.113.5", "1.2.3.4", [], "203.0.113.5"),  # no proxy trusted: header ignored
        ("127.0.0.1", "1.2.3.4", [], "127.0.0.1"),  # make run: header ignored
        ("10.0.0.2", "1.2.3.4, 198.51.100.7", ["10.0.0.0/8"], "198.51.100.7"),  # right-most
        ("10.0.0.2", "198.51.100.7, 10.0.0.9", ["10.0.0.0/8"], "198.51.100.7"),
        ("10.0.0.2", "", ["10.0.0.0/8"], "10.0.0.2"),
        ("10.0.0.2", "not-an-ip", ["10.0.0.0/8"], "not-an-ip"),
    ],
)
def test_forwarded_addresses_are_believed_only_from_trusted_proxies(
    rf, settings, remote, forwarded, trusted, seen
):
    from ops.throttle import client_address

    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == seen


def test_a_rotating_forwarded_header_does_not_reset_the_sign_in_limit(client, settings):
    from django.urls import reverse

    from tests.factories import UserFactory

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (3, 600)}
    UserFactory(username="sam", password="right-password-123")
    for i in range(3):
        client.post(
            reverse("login"),
            {"username": "sam", "password": "nope"},
            REMOTE_ADDR="198.51.100.20",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{i}",
        )
    refused = client.post(
        reverse("login"),
        {"username": "sam", "password": "right-password-123"},
        REMOTE_ADDR="198.51.100.20",
        HTTP_X_FORWARDED_FOR="1.1.1.200",
    )
    assert refused.status_code == 429
