"""Joining without an account: invitation links, event codes, consent, the waitlist, leaving."""

import html
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from events import services
from events.identity import participant_for
from events.join_links import TOKEN_SALT, invitation_url, make_join_token
from events.models import Participant, ParticipantStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.content.decode())


GOOD = {"pseudonym": "Robin", "role_code": "BP", "consent": "on"}


@pytest.fixture
def invitation(open_event):
    return services.invite_people(
        event=open_event, pasted_emails="robin@example.org", invited_by=UserFactory()
    )[0]


def invite_path(invitation, token=None):
    return reverse(
        "events:join_invited",
        kwargs={"code": invitation.event.code, "token": token or make_join_token(invitation)},
    )


def test_good_invitation_link_joins_and_lands_on_the_welcome_page(client, invitation):
    page = client.get(invite_path(invitation))
    assert page.status_code == 200
    shown = text(page)
    assert "You have been invited to" in shown
    assert "word for word" in shown
    assert "withdraw at any time" in shown
    # The questionnaire email is the participant's to give, not taken from the invitation.
    assert "robin@example.org" not in shown

    response = client.post(invite_path(invitation), {**GOOD, "contact_email": "r@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("events:welcome", kwargs={"code": invitation.event.code})
    participant = Participant.objects.get()
    assert participant.invitation == invitation
    assert participant_for(client.session, invitation.event) == participant

    welcome = text(client.get(response.url))
    assert "You have joined" in welcome
    assert "Round 1: stories" in welcome
    assert "10:10" in welcome
    assert "Before you start: a quick check" in welcome
    page = client.get(response.url).content.decode()
    table = reverse("cafes:table", kwargs={"slug": invitation.event.slug})
    assert f'<a class="button" href="{table}">Go to your café table</a>' in page


def test_an_expired_link_says_so_and_stores_nothing(client, invitation):
    with mock.patch("events.join_links.TOKEN_MAX_AGE", -1):
        response = client.post(invite_path(invitation), GOOD)
    assert response.status_code == 400
    assert "This invitation link has expired" in text(response)
    assert not Participant.objects.exists()


def test_a_tampered_link_says_so_and_stores_nothing(client, invitation):
    token = make_join_token(invitation)
    response = client.post(invite_path(invitation, token[:-3] + "abc"), GOOD)
    assert response.status_code == 400
    assert "This invitation link is not valid" in text(response)
    forged = signing.dumps({"e": invitation.event_id, "i": invitation.pk}, salt="other-salt")
    assert client.get(invite_path(invitation, forged)).status_code == 400
    assert not Participant.objects.exists()


def test_another_events_link_is_refused(client, invitation, series, open_event):
    other = services.duplicate_event(
        event=open_event, stakeholder_group=None, title="Other", starts_at=open_event.starts_at
    )
    services.transition_event(event=other, to="scheduled", by=None)
    url = reverse(
        "events:join_invited", kwargs={"code": other.code, "token": make_join_token(invitation)}
    )
    response = client.post(url, GOOD)
    assert response.status_code == 400
    assert "for a different event" in text(response)
    assert not Participant.objects.exists()


def test_a_deleted_invitation_no_longer_works(client, invitation):
    url = invite_path(invitation)
    invitation.delete()
    assert "withdrawn by the organisers" in text(client.get(url))


def test_joining_by_code_from_the_landing_page(client, open_event):
    home = text(client.get(reverse("home")))
    assert 'action="/join/"' in home
    assert "Event code" in home
    response = client.get(reverse("events:join_start"), {"code": f" {open_event.code.lower()} "})
    assert response.url == reverse("events:join", kwargs={"code": open_event.code})
    assert client.post(response.url, GOOD).status_code == 302
    assert Participant.objects.get().invitation is None


def test_a_bad_code_is_explained_next_to_the_field(client, open_event):
    response = client.get(reverse("events:join_start"), {"code": "ZZZZZZ"})
    assert response.status_code == 200
    assert "We couldn't find an event with the code “ZZZZZZ”" in text(response)
    assert client.get(reverse("events:join", kwargs={"code": "ZZZZZZ"})).status_code == 404


def test_missing_consent_keeps_people_on_the_form(client, open_event):
    url = reverse("events:join", kwargs={"code": open_event.code})
    response = client.post(url, {"pseudonym": "Robin", "role_code": "BP"})
    assert response.status_code == 200
    assert "Please tick the box to say you agree" in text(response)
    assert not Participant.objects.exists()


def test_role_choices_are_the_events_codes_or_prefer_not_to_say(client, open_event):
    url = reverse("events:join", kwargs={"code": open_event.code})
    shown = text(client.get(url))
    assert "Birth parent (BP)" in shown
    assert "Wider birth family (BF)" in shown
    assert "Prefer not to say" in shown
    client.post(url, {"pseudonym": "Sam", "consent": "on"})
    assert Participant.objects.get().role_code == ""


def test_a_full_event_puts_people_on_the_waitlist_with_a_message(client, open_event):
    for name in ("Ann", "Bea", "Cy"):
        services.join_event(event=open_event, pseudonym=name, role_code="BP", consent=True)
    url = reverse("events:join", kwargs={"code": open_event.code})
    assert "This event is full" in text(client.get(url))
    welcome = text(client.get(client.post(url, GOOD).url))
    assert "You are on the waitlist" in welcome
    assert Participant.objects.get(pseudonym="Robin").status == ParticipantStatus.WAITLISTED


def test_a_draft_event_cannot_be_joined_yet(client, explore):
    response = client.get(reverse("events:join", kwargs={"code": explore.code}))
    assert "not open for joining yet" in text(response)


def test_withdrawing_forgets_the_participant(client, open_event):
    client.post(reverse("events:join", kwargs={"code": open_event.code}), GOOD)
    withdraw = reverse("events:withdraw", kwargs={"code": open_event.code})
    assert "what you wrote is left out" in text(client.get(withdraw))
    assert "You have withdrawn" in text(client.post(withdraw))
    participant = Participant.objects.get()
    assert participant.status == ParticipantStatus.WITHDRAWN
    assert participant_for(client.session, open_event) is None
    welcome = client.get(reverse("events:welcome", kwargs={"code": open_event.code}))
    assert welcome.status_code == 302


def test_the_welcome_page_needs_to_have_joined(client, open_event):
    response = client.get(reverse("events:welcome", kwargs={"code": open_event.code}))
    assert response.url == reverse("events:join", kwargs={"code": open_event.code})


def test_signed_token_names_its_event_and_invitation(invitation):
    url = invitation_url(invitation, base_url="https://bridgework.example.org/")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert url.startswith(f"https://bridgework.example.org/join/{invitation.event.code}/invite/")
    assert signing.loads(token, salt=TOKEN_SALT) == {
        "e": invitation.event_id,
        "i": invitation.pk,
    }


def test_joining_from_an_invitation_stores_no_email_unless_the_person_gives_one(client, invitation):
    response = client.post(invite_path(invitation), GOOD)
    assert response.status_code == 302
    assert Participant.objects.get().contact_email == ""


def test_the_welcome_page_after_the_event_closed_says_it_ended(client, invitation):
    client.post(invite_path(invitation), GOOD)
    event = invitation.event
    event.status = "closed"
    event.save(update_fields=["status"])
    welcome = text(client.get(reverse("events:welcome", kwargs={"code": event.code})))
    assert "This event has ended. Thank you for taking part." in welcome
    assert "The café opens when the event starts" not in welcome
    assert "Go to your café table" not in welcome


def test_a_connect_welcome_page_describes_open_space_not_cafe_rounds(client, open_event):
    open_event.stage = "connect"
    open_event.save(update_fields=["stage"])
    client.post(reverse("events:join", kwargs={"code": open_event.code}), GOOD)
    welcome = text(client.get(reverse("events:welcome", kwargs={"code": open_event.code})))
    assert "propose a topic" in welcome
    assert "table host" not in welcome
    assert "Each round has a question" not in welcome
