"""Open Space over the live café socket: moving between spaces (``seat.choose``) and the
privacy of staff-free spaces, through the real ASGI application and channel layer."""

import uuid

import pytest
from channels.db import database_sync_to_async

from openspace import services
from tests.cafes.test_consumers import (
    connect as open_socket,
)
from tests.cafes.test_consumers import (
    frames_until,
    hello,
    participant_cookie,
    quiet,
    staff_cookie,
)
from tests.openspace.conftest import make_connect, propose

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "Only for the people in this room"


def setup_spaces():
    room = make_connect()
    services.open_space(viewer=room.facilitator)
    ana, ben, cai, _dee = room.viewers
    private = propose(ana, "Just us")
    services.set_staff_free(viewer=ana, topic_id=private.pk, staff_free=True)
    public = propose(cai, "Housing")
    for viewer, topic in ((ana, private), (ben, private), (cai, public)):
        services.go_to_topic(viewer=viewer, topic_id=topic.pk)
    return room, private, public


async def socket_for(room, cookie):
    communicator = await open_socket(cookie, room.event.slug)
    frames = await hello(communicator)
    return communicator, frames[0]


def note(text: str) -> dict:
    return {"type": "note.post", "client_id": str(uuid.uuid4()), "text": text, "kind": "story"}


async def test_staff_never_receive_a_staff_free_spaces_notes_until_shared():
    room, private, _public = await database_sync_to_async(setup_spaces)()
    cookie = database_sync_to_async(participant_cookie)
    staff = database_sync_to_async(staff_cookie)
    ana, ana_state = await socket_for(room, await cookie(room.people[0]))
    ben, _ = await socket_for(room, await cookie(room.people[1]))
    cai, _ = await socket_for(room, await cookie(room.people[2]))
    facilitator, console = await socket_for(room, await staff(room.facilitator.user))
    reviewer, _ = await socket_for(room, await staff(room.reviewer.user))
    assert ana_state["table"]["label"] == "Just us"
    assert ana_state["free_seating"] is True
    tables = {t["label"]: t for t in console["tables"]}
    assert tables["Just us"]["staff_free"] is True

    await ben.send_json_to(note(SECRET))
    acked = await frames_until(ben, "ack")
    assert acked[-1]["id"]
    got = await frames_until(ana, "update")
    assert got[-1]["payload"]["note"]["text"] == SECRET
    await cai.send_json_to(note("Housing is the first thing"))
    await frames_until(cai, "ack")
    for watcher in (facilitator, reviewer):
        # Consoles see how busy each space is: the shared one's note counted, the
        # staff-free one's not, and no words of either.
        frames = await quiet(watcher, 1.5)
        assert [f for f in frames if f["type"] == "update"] == []
        seen = {t["label"]: t for f in frames if f["type"] == "overview" for t in f["tables"]}
        assert seen["Housing"]["note_count"] == 1
        assert "Just us" not in seen or seen["Just us"]["note_count"] == 0
        assert SECRET not in str(frames)
    # Asking for the space's own view gives staff nothing of it.
    state = (await hello(facilitator, None, table_id=private.table_id))[0]
    assert state["table"] is None
    assert SECRET not in str(state)
    # Staff cannot post into it either.
    await facilitator.send_json_to(note("Hello from staff") | {"table_id": private.table_id})
    error = await frames_until(facilitator, "error")
    assert error[-1]["code"] == "forbidden"

    # The group shares at the end: staff get a fresh view with the notes in it.
    await database_sync_to_async(services.share_key_points)(
        viewer=room.viewers[0], topic_id=private.pk, text="Trust takes time", share_notes=True
    )
    fresh = await frames_until(facilitator, "state")
    assert [n["text"] for n in fresh[-1]["notes"]] == [SECRET]
    for communicator in (ana, ben, cai, facilitator, reviewer):
        await communicator.disconnect()


async def test_a_participant_moves_between_spaces_and_both_tables_see_it():
    room, private, public = await database_sync_to_async(setup_spaces)()
    cookie = database_sync_to_async(participant_cookie)
    dee, state = await socket_for(room, await cookie(room.people[3]))
    assert state["table"] is None  # Open Space: nobody is dealt a table
    cai, _ = await socket_for(room, await cookie(room.people[2]))

    await dee.send_json_to(
        {"type": "seat.choose", "client_id": str(uuid.uuid4()), "table_id": public.table_id}
    )
    frames = await frames_until(dee, "state")
    assert [f["type"] for f in frames] == ["ack", "state"]
    assert frames[-1]["table"]["label"] == "Housing"
    await dee.send_json_to(note("Glad to be here"))
    await frames_until(dee, "ack")
    seen = await frames_until(cai, "update")
    assert seen[-1]["payload"]["note"]["text"] == "Glad to be here"

    # Law of two feet: Dee walks to the other space; Housing's notes stop reaching them.
    await dee.send_json_to(
        {"type": "seat.choose", "client_id": str(uuid.uuid4()), "table_id": private.table_id}
    )
    frames = await frames_until(dee, "state")
    assert frames[-1]["table"]["label"] == "Just us"
    assert [n["text"] for n in frames[-1]["notes"]] == []
    await cai.send_json_to(note("After Dee left"))
    await frames_until(cai, "ack")
    assert "After Dee left" not in str(await quiet(dee))
    for communicator in (dee, cai):
        await communicator.disconnect()
