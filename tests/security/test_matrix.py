"""The permission matrix of the live event and the harvest: every page, download and
websocket action, for anonymous, participant of another event, participant, table host,
facilitator and review team.

The facilitator's event pages (``/manage/…``) have their own matrix in
``tests/events/test_permissions.py``; what each role may do at a table is also checked
function by function in ``tests/cafes/test_permissions.py``. This file checks the same
decisions end to end, through the URLs and the socket.
"""

import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from cafes import services
from cafes.models import ChatMessage, Note, Seat, Table
from config.asgi import application
from events.identity import remember_participant
from events.models import EventStatus, StaffRole, Stage
from harvest.models import Theme
from tests.cafes.conftest import make_event, staff_viewer
from tests.factories import EventFactory, MembershipFactory, ParticipantFactory

ANONYMOUS = "anonymous"
OTHER_EVENT = "participant of another event"
PARTICIPANT = "participant"
TABLE_HOST = "table host"
FACILITATOR = "facilitator"
REVIEW_TEAM = "review team"
WHO = [ANONYMOUS, OTHER_EVENT, PARTICIPANT, TABLE_HOST, FACILITATOR, REVIEW_TEAM]
STAFF = {TABLE_HOST: StaffRole.TABLE_HOST, FACILITATOR: StaffRole.FACILITATOR}
STAFF[REVIEW_TEAM] = StaffRole.REVIEW_TEAM

LOGIN = "login"  # redirected to sign in
JOIN = "join"  # redirected to the join page


class World:
    """An Explore event with its café running (round 1 open) and one of each visitor, and
    the series' Create event, on whose staff the Explore event's staff are too."""

    def __init__(self) -> None:
        self.event = make_event()
        self.event.status = EventStatus.LIVE
        self.event.save()
        self.facilitator = staff_viewer(self.event)
        self.staff = {FACILITATOR: self.facilitator.user}
        for who in (TABLE_HOST, REVIEW_TEAM):
            self.staff[who] = staff_viewer(self.event, STAFF[who]).user
        self.people = [ParticipantFactory(event=self.event) for _ in range(4)]
        services.start_cafe(viewer=self.facilitator)
        services.open_round(viewer=self.facilitator, number=1)
        self.table = Table.objects.get(event=self.event, host=self.staff[TABLE_HOST])
        self.participant = Seat.objects.filter(table=self.table).first().participant
        self.other = ParticipantFactory(event=EventFactory(status=EventStatus.LIVE))
        self.create = EventFactory(series=self.event.series, stage=Stage.CREATE)
        for who, user in self.staff.items():
            MembershipFactory(user=user, event=self.create, role=STAFF[who])
        self.theme = Theme.objects.create(
            event=self.event, round=self.event.rounds.get(number=1), title="Contact"
        )

    def cookie(self, who: str) -> str | None:
        if who == ANONYMOUS:
            return None
        if who in (PARTICIPANT, OTHER_EVENT):
            session = SessionStore()
            remember_participant(session, self.participant if who == PARTICIPANT else self.other)
            session.save()
            return session.session_key
        client = Client()
        client.force_login(self.staff[who])
        return client.cookies["sessionid"].value

    def client(self, who: str) -> Client:
        client = Client()
        cookie = self.cookie(who)
        if cookie:
            client.cookies["sessionid"] = cookie
        return client


@pytest.fixture
def world(db):
    return World()


def outcome(response) -> object:
    if response.status_code == 302:
        target = response.url
        if target.startswith(reverse("login")):
            return LOGIN
        if "/join/" in target:
            return JOIN
        return target
    return response.status_code


def pages(world: World) -> list[tuple[str, str, str, dict]]:
    """(name, method, url, expected outcome per visitor)."""
    slug, code, series = world.event.slug, world.event.code, world.event.series.slug
    staff_only = {ANONYMOUS: LOGIN, OTHER_EVENT: LOGIN, PARTICIPANT: LOGIN}
    curate = {**staff_only, TABLE_HOST: 403, FACILITATOR: 200, REVIEW_TEAM: 403}
    return [
        (
            "café table page",
            "get",
            reverse("cafes:table", args=[slug]) + f"?table={world.table.pk}",
            {ANONYMOUS: 403, OTHER_EVENT: 403, PARTICIPANT: 200} | dict.fromkeys(STAFF, 200),
        ),
        (
            "facilitator console",
            "get",
            reverse("cafes:console", args=[slug]),
            staff_only | dict.fromkeys(STAFF, 200),
        ),
        ("harvest workspace", "get", reverse("harvest:workspace", args=[slug]), curate),
        ("harvest board", "get", reverse("harvest:board", args=[slug]), curate),
        (
            "harvest theme opened on a folded board",
            "get",
            reverse("harvest:theme_cards", args=[slug, world.theme.pk]),
            curate,
        ),
        ("harvest markers", "get", reverse("harvest:markers", args=[slug]), curate),
        ("harvest list of notes", "get", reverse("harvest:notes", args=[slug]), curate),
        (
            "harvest closing answers",
            "get",
            reverse("harvest:workspace", args=[slug]) + "?view=answers",
            curate,
        ),
        (  # the facilitator may: refused (400) only because there is nothing to undo
            "harvest list action",
            "post",
            reverse("harvest:notes_act", args=[slug, "undo"]),
            {**staff_only, TABLE_HOST: 403, FACILITATOR: 400, REVIEW_TEAM: 403},
        ),
        (
            "harvest action",
            "post",
            reverse("harvest:act", args=[slug, "rebuild"]),
            curate,
        ),
        (
            # Refused while the event is live (the facilitator is told so on the overview).
            "questionnaire reminder",
            "post",
            reverse("cafes:questionnaire_reminder", args=[slug]),
            {**curate, FACILITATOR: reverse("events:event_overview", args=[slug])},
        ),
        (
            "series harvest",
            "get",
            reverse("harvest:series", args=[series]),
            staff_only | dict.fromkeys(STAFF, 200),
        ),
        (
            "add a theme to the Create agenda",  # no theme sent: refused, back to the page
            "post",
            reverse("openspace:add_theme", args=[world.create.slug]),
            staff_only
            | {TABLE_HOST: 403, REVIEW_TEAM: 403}
            | {FACILITATOR: reverse("harvest:series", args=[series])},
        ),
        (
            "participant welcome",
            "get",
            reverse("events:welcome", args=[code]),
            dict.fromkeys(WHO, JOIN) | {PARTICIPANT: 200},
        ),
        (
            "withdraw page",
            "get",
            reverse("events:withdraw", args=[code]),
            dict.fromkeys(WHO, JOIN) | {PARTICIPANT: 200},
        ),
    ]


@pytest.mark.parametrize("who", WHO)
def test_every_page_answers_each_visitor_as_the_matrix_says(world, who):
    client = world.client(who)
    seen, expected = {}, {}
    for name, method, url, allowed in pages(world):
        response = client.post(url) if method == "post" else client.get(url)
        seen[name] = outcome(response)
        expected[name] = allowed[who]
    assert seen == expected


def test_the_questionnaire_link_is_its_participants_alone(world):
    client = Client()
    own = client.get(reverse("cafes:questionnaire", args=[world.participant.key]))
    guessed = client.get(reverse("cafes:questionnaire", args=[uuid.uuid4().hex]))
    assert own.status_code == 200
    assert guessed.status_code == 404


# --- the websocket --------------------------------------------------------------------------

# action -> the frame (filled in per world) and who may do it
ACTIONS = {
    "connect": {PARTICIPANT, TABLE_HOST, FACILITATOR, REVIEW_TEAM},
    "note.post": {PARTICIPANT, TABLE_HOST, FACILITATOR},
    "note.hide": {TABLE_HOST, FACILITATOR},
    "chat.post": {PARTICIPANT, TABLE_HOST, FACILITATOR},
    "broadcast": {FACILITATOR},
    "round.close": {FACILITATOR},
}


def _frame(world: World, action: str, note_id: int) -> dict:
    client_id = str(uuid.uuid4())
    frames = {
        "note.post": {"text": "A note", "kind": "idea", "table_id": world.table.pk},
        "note.hide": {"note_id": note_id},
        "chat.post": {"text": "Hello"},
        "broadcast": {"text": "Two minutes left"},
        "round.close": {},
    }
    return {"type": action, "client_id": client_id, **frames[action]}


async def _answer(communicator, client_id: str) -> dict:
    while True:
        frame = await communicator.receive_json_from(timeout=5)
        if frame["type"] in ("ack", "error") and frame.get("client_id") == client_id:
            return frame


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", WHO)
async def test_every_websocket_action_answers_each_visitor_as_the_matrix_says(who):
    world = await database_sync_to_async(World)()
    cookie = await database_sync_to_async(world.cookie)(who)
    headers = [(b"origin", b"http://localhost")]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(
        application, f"/ws/events/{world.event.slug}/live/", headers=headers
    )
    connected, _ = await communicator.connect()
    seen = {"connect": connected}
    if connected:
        await communicator.send_json_to({"type": "hello", "last_update_id": None})
        note = await database_sync_to_async(
            lambda: services.post_note(
                viewer=staff_viewer(world.event),
                text="x",
                kind="idea",
                client_id=str(uuid.uuid4()),
                table_id=world.table.pk,
            )
        )()
        for action in ("note.post", "note.hide", "chat.post", "broadcast", "round.close"):
            frame = _frame(world, action, note.pk)
            await communicator.send_json_to(frame)
            answer = await _answer(communicator, frame["client_id"])
            seen[action] = answer["type"] == "ack"
            if answer["type"] == "error":
                assert answer["code"] == "forbidden", answer
        await communicator.disconnect()
    expected = {action: who in allowed for action, allowed in ACTIONS.items()}
    if not connected:
        expected = {"connect": False}
    assert seen == expected
    if who in (ANONYMOUS, OTHER_EVENT, REVIEW_TEAM):
        count = await database_sync_to_async(
            lambda: (
                Note.objects.filter(event=world.event).count(),
                ChatMessage.objects.filter(event=world.event).count(),
            )
        )()
        assert count == (int(connected), 0)  # only the note the test itself posted
