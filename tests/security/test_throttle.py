"""Sign-in and joining are rate-limited per client address (``ops/throttle.py``)."""

import uuid

import pytest
from django.urls import reverse

from events.models import EventStatus, Participant
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def address() -> str:
    """A fresh client address per test, so counts never leak between tests."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_failed_sign_ins_are_limited_then_refused_even_with_the_right_password(
    client, settings, address
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (3, 600)}
    UserFactory(username="sam", password="right-password-123")
    url = reverse("login")
    for _ in range(3):
        wrong = client.post(url, {"username": "sam", "password": "nope"}, REMOTE_ADDR=address)
        assert wrong.status_code == 200
    refused = client.post(
        url, {"username": "sam", "password": "right-password-123"}, REMOTE_ADDR=address
    )
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address (someone else at the same time) is not affected.
    other = client.post(
        url, {"username": "sam", "password": "right-password-123"}, REMOTE_ADDR=address + "9"
    )
    assert other.status_code == 302


def test_guessing_event_codes_is_limited(client, settings, address):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join_code": (2, 600)}
    event = EventFactory(status=EventStatus.SCHEDULED)
    for code in ("ZZZZZ1", "ZZZZZ2"):
        page = client.get(reverse("events:join_start"), {"code": code}, REMOTE_ADDR=address)
        assert page.status_code == 200
    blocked = client.get(reverse("events:join_start"), {"code": event.code}, REMOTE_ADDR=address)
    assert blocked.status_code == 429
    assert "Please wait 10 minutes" in blocked.content.decode()
    guessed_link = client.get(reverse("events:join", args=["ZZZZZ3"]), REMOTE_ADDR=address)
    assert guessed_link.status_code == 429


def test_join_attempts_are_limited_per_event_and_nothing_is_stored_past_the_limit(
    client, settings, address
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join": (2, 600)}
    event = EventFactory(status=EventStatus.SCHEDULED)
    url = reverse("events:join", args=[event.code])
    for _ in range(2):
        client.post(url, {"pseudonym": "", "consent": ""}, REMOTE_ADDR=address)
    refused = client.post(
        url, {"pseudonym": "Robin", "role_code": "", "consent": "on"}, REMOTE_ADDR=address
    )
    assert refused.status_code == 429
    assert not Participant.objects.filter(event=event).exists()
