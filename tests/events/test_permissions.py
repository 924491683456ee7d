"""The permission matrix: every facilitator page and action, for every kind of visitor."""

import html

import pytest
from django.urls import reverse

from events import services
from events.identity import remember_participant
from events.models import StaffRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.content.decode())


ANONYMOUS, PARTICIPANT, TABLE_HOST, FACILITATOR, REVIEW_TEAM, OTHER_SERIES = (
    "anonymous",
    "participant",
    "table host",
    "facilitator",
    "review team",
    "staff of another series",
)
VISITORS = [ANONYMOUS, PARTICIPANT, TABLE_HOST, FACILITATOR, REVIEW_TEAM, OTHER_SERIES]

# (url name, method, which kwargs, who may) — "watch" pages are read-only for every staff role.
MANAGE = {FACILITATOR}
WATCH = {FACILITATOR, TABLE_HOST, REVIEW_TEAM}
PAGES = [
    ("series_overview", "get", "series", WATCH),
    ("series_staff", "get", "series", MANAGE),
    ("event_create", "get", "series", MANAGE),
    ("event_overview", "get", "event", WATCH),
    ("event_edit", "get", "event", MANAGE),
    ("event_duplicate", "get", "event", MANAGE),
    ("event_transition", "post", "event", MANAGE),
    ("event_qr", "get", "event", MANAGE),
    ("event_agenda", "get", "event", MANAGE),
    ("segment_edit", "get", "segment", MANAGE),
    ("segment_move", "post", "segment", MANAGE),
    ("segment_delete", "post", "segment", MANAGE),
    ("event_questions", "get", "event", MANAGE),
    ("prompt_edit", "post", "segment", MANAGE),
    ("question_edit", "get", "question", MANAGE),
    ("question_move", "post", "question", MANAGE),
    ("question_delete", "post", "question", MANAGE),
    ("event_role_codes", "get", "event", MANAGE),
    ("role_code_delete", "post", "role_code", MANAGE),
    ("event_invitations", "get", "event", MANAGE),
    ("invitation_resend", "post", "invitation", MANAGE),
    ("event_participants", "get", "event", MANAGE),
    ("participant_check_in", "post", "participant", MANAGE),
    ("event_staff", "get", "event", MANAGE),
    ("event_staff_remove", "post", "event_membership", MANAGE),
]


@pytest.fixture
def world(series, open_event):
    event = open_event
    participant = services.join_event(event=event, pseudonym="Robin", role_code="BF", consent=True)
    invitation = services.invite_people(
        event=event, pasted_emails="a@example.org", invited_by=UserFactory()
    )[0]
    other = services.create_series(title="Other series")
    users = {
        FACILITATOR: (StaffRole.FACILITATOR, series),
        TABLE_HOST: (StaffRole.TABLE_HOST, series),
        REVIEW_TEAM: (StaffRole.REVIEW_TEAM, series),
        OTHER_SERIES: (StaffRole.FACILITATOR, other),
    }
    accounts = {}
    for who, (role, on) in users.items():
        accounts[who] = UserFactory(username=who.replace(" ", "_"), is_staff=True)
        services.grant_role(user=accounts[who], role=role, series=on)
    host_on_event = services.grant_role(
        user=UserFactory(username="extra"), role=StaffRole.TABLE_HOST, event=event
    )
    segment = event.segments.get(kind="cafe_round")
    kwargs = {
        "series": {"slug": series.slug},
        "event": {"slug": event.slug},
        "segment": {"slug": event.slug, "pk": segment.pk},
        "question": {"slug": event.slug, "pk": event.closing_questions.get().pk},
        "role_code": {"slug": event.slug, "pk": event.role_codes.get(code="BP").pk},
        "invitation": {"slug": event.slug, "pk": invitation.pk},
        "participant": {"slug": event.slug, "pk": participant.pk},
        "event_membership": {"slug": event.slug, "pk": host_on_event.pk},
    }
    return {"event": event, "participant": participant, "accounts": accounts, "kwargs": kwargs}


def visit_as(client, world, who):
    if who == PARTICIPANT:
        session = client.session
        remember_participant(session, world["participant"])
        session.save()
    elif who != ANONYMOUS:
        client.force_login(world["accounts"][who])


@pytest.mark.parametrize("who", VISITORS)
@pytest.mark.parametrize(("name", "method", "kind", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_permission_matrix(client, world, who, name, method, kind, allowed):
    visit_as(client, world, who)
    url = reverse(f"events:{name}", kwargs=world["kwargs"][kind])
    prompt_field = f"r{world['kwargs']['segment']['pk']}-prompt"
    # The event is ten days away: going live today needs the facilitator's confirmation.
    data = {"to": "live", "confirm_date": "1", "direction": "up", prompt_field: "Q?"}
    response = client.post(url, data) if method == "post" else client.get(url)
    if who in (ANONYMOUS, PARTICIPANT):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
    elif who in allowed:
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", ["event_overview", "event_edit", "event_agenda"])
def test_an_unknown_event_is_404_for_staff(client, world, name):
    client.force_login(world["accounts"][FACILITATOR])
    assert client.get(reverse(f"events:{name}", kwargs={"slug": "nope"})).status_code == 404


def test_objects_of_another_event_are_404_even_for_its_facilitator(client, world, series, start):
    client.force_login(world["accounts"][FACILITATOR])
    other = services.create_event(
        series=series,
        stage="create",
        title="Create",
        starts_at=start,
        ends_at=start.replace(hour=13),
    )
    segment = world["event"].segments.first()
    url = reverse("events:segment_edit", kwargs={"slug": other.slug, "pk": segment.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [(ANONYMOUS, 302), (TABLE_HOST, 403), (REVIEW_TEAM, 403), (FACILITATOR, 200)],
)
def test_creating_a_series_needs_a_staff_account(client, world, who, status):
    visit_as(client, world, who)
    if who in (TABLE_HOST, REVIEW_TEAM):
        user = world["accounts"][who]
        user.is_staff = False
        user.save()
    assert client.get(reverse("events:series_create")).status_code == status


def test_the_series_list_shows_only_your_series(client, world, series):
    client.force_login(world["accounts"][OTHER_SERIES])
    page = text(client.get(reverse("events:series_list")))
    assert "Other series" in page
    assert series.title not in page


def test_read_only_staff_see_no_facilitator_buttons(client, world):
    client.force_login(world["accounts"][REVIEW_TEAM])
    page = client.get(reverse("events:event_overview", kwargs={"slug": world["event"].slug}))
    assert page.status_code == 200
    assert "Go live" not in text(page)
    assert "Invitations" not in text(page)
