"""IDOR: someone entitled to one event names another event's objects by id.

Every page and socket action that takes an id looks the object up *within the event in the
address* (or the socket's event), so a facilitator, table host or participant of event A who
sends the id of event B's note, chat message, priority, table, participant, question,
invitation, role code, agenda item, staff role or harvest theme gets "not found" and B is
left exactly as it was. Report downloads are checked the same way in
``tests/reports/test_views.py::test_staff_of_one_event_see_only_that_events_reports``.
"""

import uuid

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from cafes import services as cafe_services
from cafes.models import ChatMessage, ChatReaction, ClosingAnswer, Note, Priority, Seat, Table, Vote
from events import services as event_services
from events.models import (
    AgendaSegment,
    EventStatus,
    Invitation,
    Membership,
    Participant,
    RoleCode,
    StaffRole,
)
from harvest.models import ManualRedaction, Theme, ThemeNote
from harvest.services import build_themes
from tests.cafes.conftest import ROUNDS, cid, make_event, participant_viewer, staff_viewer
from tests.cafes.test_consumers import connect, frames_until, participant_cookie, staff_cookie
from tests.factories import MembershipFactory, ParticipantFactory, RoleCodeFactory, UserFactory


class Cafe:
    """An Explore event in its one (so priorities) round, with words at every table."""

    def __init__(self) -> None:
        self.event = make_event(rounds=ROUNDS[:1])
        RoleCodeFactory(event=self.event, code="BP", label="Birth parent")
        self.facilitator = staff_viewer(self.event)
        self.host = staff_viewer(self.event, StaffRole.TABLE_HOST)
        self.people = [ParticipantFactory(event=self.event, role_code="BP") for _ in range(4)]
        cafe_services.start_cafe(viewer=self.facilitator)
        cafe_services.open_round(viewer=self.facilitator, number=1)
        self.event.refresh_from_db()
        self.tables = list(Table.objects.filter(event=self.event).order_by("number"))
        seat = Seat.objects.filter(table=self.tables[0]).first()
        self.person = participant_viewer(seat.participant)
        self.notes = [
            cafe_services.post_note(
                viewer=self.person,
                text=f"Note {i} of {self.event.slug}",
                kind="idea",
                client_id=cid(),
            )
            for i in range(2)
        ]
        self.message = cafe_services.post_chat(
            viewer=self.person, text=f"Chat of {self.event.slug}", client_id=cid()
        )
        self.priority = cafe_services.add_priority(
            viewer=self.person, text=f"Priority of {self.event.slug}", client_id=cid()
        )
        self.question = self.event.closing_questions.first()
        self.invitation = event_services.invite_people(
            event=self.event, pasted_emails="someone@example.org", invited_by=UserFactory()
        )[0]
        self.series_membership = MembershipFactory(
            user=UserFactory(), series=self.event.series, event=None, role=StaffRole.REVIEW_TEAM
        )

    def state(self) -> dict:
        """Everything an attack on this event could change."""
        event = self.event
        return {
            "notes": sorted(
                Note.objects.filter(event=event).values_list("pk", "text", "status", "tags")
            ),
            "chat": sorted(
                ChatMessage.objects.filter(event=event).values_list(
                    "pk", "text", "hidden", "pinned"
                )
            ),
            "reactions": ChatReaction.objects.filter(message__event=event).count(),
            "priorities": sorted(
                Priority.objects.filter(round__event=event).values_list("pk", "text")
            ),
            "votes": Vote.objects.filter(priority__round__event=event).count(),
            "seats": sorted(
                Seat.objects.filter(round__event=event).values_list("participant_id", "table_id")
            ),
            "answers": ClosingAnswer.objects.filter(question__event=event).count(),
            "questions": sorted(event.closing_questions.values_list("pk", "text", "position")),
            "segments": sorted(
                AgendaSegment.objects.filter(event=event).values_list("pk", "position")
            ),
            "role_codes": sorted(RoleCode.objects.filter(event=event).values_list("pk", "code")),
            "invitations": sorted(
                Invitation.objects.filter(event=event).values_list("pk", "sent_at")
            ),
            "participants": sorted(
                Participant.objects.filter(event=event).values_list("pk", "checked_in_at")
            ),
            "memberships": sorted(
                Membership.objects.filter(event=event).values_list("pk", flat=True)
            )
            + sorted(Membership.objects.filter(series=event.series).values_list("pk", flat=True)),
        }


# --- the staff pages ------------------------------------------------------------------------


def manage_routes(mine: Cafe, theirs: Cafe) -> list[tuple[str, str, dict]]:
    """(url name, method, kwargs): my event's address with their object's id."""
    slug = mine.event.slug
    segment = theirs.event.segments.filter(kind="cafe_round").first()
    return [
        ("segment_edit", "get", {"slug": slug, "pk": segment.pk}),
        ("segment_edit", "post", {"slug": slug, "pk": segment.pk}),
        ("segment_move", "post", {"slug": slug, "pk": segment.pk}),
        ("segment_delete", "post", {"slug": slug, "pk": segment.pk}),
        ("prompt_edit", "post", {"slug": slug, "pk": segment.pk}),
        ("question_edit", "post", {"slug": slug, "pk": theirs.question.pk}),
        ("question_move", "post", {"slug": slug, "pk": theirs.question.pk}),
        ("question_delete", "post", {"slug": slug, "pk": theirs.question.pk}),
        ("role_code_delete", "post", {"slug": slug, "pk": theirs.event.role_codes.first().pk}),
        ("invitation_resend", "post", {"slug": slug, "pk": theirs.invitation.pk}),
        ("participant_check_in", "post", {"slug": slug, "pk": theirs.people[0].pk}),
        (
            "event_staff_remove",
            "post",
            {"slug": slug, "pk": theirs.event.memberships.get(role=StaffRole.TABLE_HOST).pk},
        ),
        (
            "series_staff_remove",
            "post",
            {"slug": mine.event.series.slug, "pk": theirs.series_membership.pk},
        ),
    ]


@pytest.mark.django_db
def test_a_facilitator_cannot_reach_another_events_objects_through_their_own_pages():
    mine, theirs = Cafe(), Cafe()
    MembershipFactory(
        user=mine.facilitator.user, series=mine.event.series, event=None, role=StaffRole.FACILITATOR
    )
    client = Client()
    client.force_login(mine.facilitator.user)
    before = theirs.state()
    data = {"direction": "up", "text": "Taken over", "title": "Taken over", "prompt": "x"}
    for name, method, kwargs in manage_routes(mine, theirs):
        url = reverse(f"events:{name}", kwargs=kwargs)
        response = client.post(url, data) if method == "post" else client.get(url)
        assert response.status_code == 404, (name, method, response.status_code)
    assert theirs.state() == before
    # The control: the same door with my own object's id works.
    own = mine.event.closing_questions.first()
    url = reverse("events:question_move", kwargs={"slug": mine.event.slug, "pk": own.pk})
    assert client.post(url, {"direction": "down"}).status_code == 302


def their_harvest(cafe: Cafe) -> dict:
    event = cafe.event
    return {
        "themes": sorted(
            Theme.objects.filter(event=event).values_list("pk", "title", "summary", "is_key")
        ),
        "members": sorted(
            ThemeNote.objects.filter(theme__event=event).values_list("pk", "theme_id", "is_quote")
        ),
        "redactions": ManualRedaction.objects.filter(event=event).count(),
    }


@pytest.mark.django_db
def test_a_harvester_cannot_curate_another_events_themes_through_their_own_workspace():
    mine, theirs = Cafe(), Cafe()
    build_themes(event=mine.event, user=None)
    build_themes(event=theirs.event, user=None)
    their_theme = Theme.objects.filter(event=theirs.event).first()
    my_theme = Theme.objects.filter(event=mine.event).first()
    member = their_theme.members.first()
    before = their_harvest(theirs)
    client = Client()
    client.force_login(mine.facilitator.user)
    attempts = [
        ("rename", {"theme": their_theme.pk, "title": "Taken over"}),
        ("summary", {"theme": their_theme.pk, "summary": "Taken over"}),
        ("merge", {"theme": their_theme.pk, "target": my_theme.pk}),
        ("merge", {"theme": my_theme.pk, "target": their_theme.pk}),
        ("move", {"member": member.pk, "target": my_theme.pk}),
        ("quote", {"member": member.pk, "on": "1"}),
        ("mark", {"theme": their_theme.pk, "is_key": "1"}),
        ("redact", {"member": member.pk, "phrase": "Note"}),
    ]
    for action, data in attempts:
        response = client.post(reverse("harvest:act", args=[mine.event.slug, action]), data)
        assert response.status_code == 400, (action, response.status_code)
        assert "no%20longer" in response["X-Harvest-Error"], action
    assert their_harvest(theirs) == before


# --- the live socket --------------------------------------------------------------------------


def socket_attempts(mine: Cafe, theirs: Cafe) -> dict[str, list[dict]]:
    """Frames naming their objects, by who sends them (each is allowed to do the action at
    their own event, so the id is the only thing wrong)."""
    note, other_note = theirs.notes
    return {
        "facilitator": [
            {"type": "note.edit", "note_id": note.pk, "text": "Taken over"},
            {"type": "note.withdraw", "note_id": note.pk},
            {"type": "note.tag", "note_id": note.pk, "tags": ["taken"]},
            {"type": "note.hide", "note_id": note.pk},
            {"type": "note.merge", "note_id": note.pk, "into_id": other_note.pk},
            {"type": "note.merge", "note_id": mine.notes[0].pk, "into_id": note.pk},
            {"type": "chat.react", "message_id": theirs.message.pk, "reaction": "agree"},
            {"type": "chat.moderate", "message_id": theirs.message.pk, "hidden": True},
            {"type": "priority.remove", "priority_id": theirs.priority.pk},
            {
                "type": "seat.move",
                "participant_id": theirs.people[0].pk,
                "table_id": mine.tables[0].pk,
            },
            {
                "type": "seat.move",
                "participant_id": mine.people[0].pk,
                "table_id": theirs.tables[0].pk,
            },
            {
                "type": "note.post",
                "text": "Planted",
                "kind": "idea",
                "table_id": theirs.tables[0].pk,
            },
            {"type": "read_back.save", "table_id": theirs.tables[0].pk, "text": "Planted"},
            {
                "type": "priority.add",
                "source_note_id": note.pk,
                "table_id": mine.tables[0].pk,
            },
        ],
        "participant": [
            {"type": "vote", "priority_id": theirs.priority.pk},
            {"type": "answer", "question_id": theirs.question.pk, "text": "Planted"},
            {"type": "note.edit", "note_id": note.pk, "text": "Taken over"},
            {"type": "chat.react", "message_id": theirs.message.pk, "reaction": "heart"},
        ],
    }


@pytest.mark.django_db(transaction=True)
async def test_the_socket_of_one_event_cannot_touch_another_events_objects():
    mine, theirs = await database_sync_to_async(Cafe)(), await database_sync_to_async(Cafe)()
    before = await database_sync_to_async(theirs.state)()
    attempts = await database_sync_to_async(socket_attempts)(mine, theirs)
    cookies = {
        "facilitator": await database_sync_to_async(staff_cookie)(mine.facilitator.user),
        "participant": await database_sync_to_async(participant_cookie)(mine.person.participant),
    }
    leaked = []
    for who, frames in attempts.items():
        communicator = await connect(cookies[who], mine.event.slug)
        await communicator.send_json_to({"type": "hello", "last_update_id": None})
        await frames_until(communicator, "synced")
        for frame in frames:
            frame = {**frame, "client_id": str(uuid.uuid4())}
            await communicator.send_json_to(frame)
            while True:
                answer = await communicator.receive_json_from(timeout=5)
                if answer.get("client_id") == frame["client_id"]:
                    break
                leaked.append(answer)
            assert answer["type"] == "error", (who, frame)
            assert answer["code"] == "not_found", (who, frame, answer)
        await communicator.disconnect()
    assert await database_sync_to_async(theirs.state)() == before
    assert not [frame for frame in leaked if theirs.event.slug in str(frame)]


@pytest.mark.django_db(transaction=True)
async def test_staff_of_one_event_open_no_socket_on_another():
    mine, theirs = await database_sync_to_async(Cafe)(), await database_sync_to_async(Cafe)()
    for user in (mine.facilitator.user, mine.host.user):
        cookie = await database_sync_to_async(staff_cookie)(user)
        with pytest.raises(AssertionError):
            await connect(cookie, theirs.event.slug)
    assert theirs.event.status in (EventStatus.SCHEDULED, EventStatus.LIVE)
