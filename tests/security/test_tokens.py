"""Tokens: invitation links, questionnaire links and participants' session cookies.

Wrong, expired, tampered and other events' invitation links are refused in
``tests/events/test_join.py`` (``test_an_expired_link_says_so_and_stores_nothing``,
``test_a_tampered_link_says_so_and_stores_nothing``, ``test_another_events_link_is_refused``,
``test_a_deleted_invitation_no_longer_works``); a guessed questionnaire key in
``tests/security/test_matrix.py::test_the_questionnaire_link_is_its_participants_alone``.
This file adds what a tester would try next: using a link twice, a withdrawn person's
links and cookies, near-miss keys, and a session planted before joining.
"""

import pytest
from channels.db import database_sync_to_async
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from cafes.models import ClosingAnswer
from events import services
from events.identity import participant_for, remember_participant
from events.join_links import make_join_token
from events.models import EventStatus, Participant
from tests.cafes.test_consumers import Room
from tests.factories import ClosingQuestionFactory, EventFactory, ParticipantFactory, UserFactory

GOOD = {"pseudonym": "Robin", "role_code": "", "consent": "on"}


@pytest.fixture
def event(db):
    event = EventFactory(status=EventStatus.SCHEDULED)
    ClosingQuestionFactory(event=event)
    return event


def invite_path(invitation) -> str:
    return reverse(
        "events:join_invited",
        kwargs={"code": invitation.event.code, "token": make_join_token(invitation)},
    )


def test_an_invitation_link_used_again_signs_nobody_in_as_the_first_person(event):
    """The link only opens the join form (as the public event code does); it is never a
    way back in as the person who used it first."""
    invitation = services.invite_people(
        event=event, pasted_emails="robin@example.org", invited_by=UserFactory()
    )[0]
    first = Client()
    assert first.post(invite_path(invitation), GOOD).status_code == 302
    robin = Participant.objects.get(pseudonym="Robin")

    second = Client()
    page = second.get(invite_path(invitation))
    assert page.status_code == 200
    assert "Robin" not in page.content.decode()
    assert participant_for(second.session, event) is None
    welcome = second.get(reverse("events:welcome", args=[event.code]))
    assert welcome.status_code == 302  # to the join form, not Robin's welcome page
    reused = second.post(invite_path(invitation), GOOD)  # Robin's pseudonym again
    assert reused.status_code == 200
    assert "already called" in reused.content.decode()
    assert participant_for(second.session, event) is None
    assert list(Participant.objects.filter(event=event)) == [robin]


@pytest.mark.django_db
def test_a_questionnaire_key_is_long_random_and_matched_exactly():
    people = ParticipantFactory.create_batch(50)
    keys = [p.key for p in people]
    assert len(set(keys)) == len(keys)
    assert all(len(key) >= 32 for key in keys)  # 24 random bytes, URL-safe
    key = keys[0]
    client = Client()
    assert client.get(reverse("cafes:questionnaire", args=[key])).status_code == 200
    for near in (key[:-1], key + "A", key.upper(), key.lower(), key[1:], " " + key):
        if near != key:
            response = client.get(reverse("cafes:questionnaire", args=[near]))
            assert response.status_code == 404, near


def test_a_withdrawn_persons_questionnaire_link_stops_working(event):
    person = ParticipantFactory(event=event)
    url = reverse("cafes:questionnaire", args=[person.key])
    question = event.closing_questions.get()
    assert Client().get(url).status_code == 200
    services.withdraw_participant(participant=person)
    client = Client()
    page = client.get(url)
    assert page.status_code == 404
    assert "does not work any more" in page.content.decode()
    posted = client.post(url, {f"q-answer_{question.pk}": "Still here", "q-client_id": ""})
    assert posted.status_code == 404
    assert not ClosingAnswer.objects.filter(participant=person).exists()


def test_joining_replaces_a_session_planted_beforehand(event):
    """Session fixation: an attacker who set a victim's session cookie before they joined
    does not share their session afterwards."""
    planted = SessionStore()
    planted["planted"] = True
    planted.save()
    client = Client()
    client.cookies["sessionid"] = planted.session_key
    assert client.post(reverse("events:join", args=[event.code]), GOOD).status_code == 302
    assert client.cookies["sessionid"].value != planted.session_key
    attacker = Client()
    attacker.cookies["sessionid"] = planted.session_key
    assert attacker.get(reverse("events:welcome", args=[event.code])).status_code == 302


@pytest.mark.django_db(transaction=True)
async def test_a_withdrawn_persons_old_cookie_opens_no_page_and_no_socket():
    """A copy of the cookie taken before someone withdrew (another device, a shared
    computer) gets nothing afterwards, whichever way they withdrew."""
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    room = await database_sync_to_async(Room)()
    person = room.at(0)[0]

    def cookie() -> str:
        session = SessionStore()
        remember_participant(session, person)
        session.save()
        return session.session_key

    key = await database_sync_to_async(cookie)()
    await database_sync_to_async(services.withdraw_participant)(participant=person)

    def page_status() -> int:
        client = Client()
        client.cookies["sessionid"] = key
        return client.get(reverse("events:welcome", args=[room.event.code])).status_code

    assert await database_sync_to_async(page_status)() == 302
    communicator = WebsocketCommunicator(
        application,
        f"/ws/events/{room.event.slug}/live/",
        headers=[(b"origin", b"http://localhost"), (b"cookie", f"sessionid={key}".encode())],
    )
    connected, _ = await communicator.connect()
    assert not connected
