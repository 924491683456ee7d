"""A participant who keeps a table with no staff host does what the "Host" label promises
there, and only there, while they host it; and who may take a priority off the board."""

import pytest

from cafes import selectors, services
from cafes.errors import CafeError
from cafes.models import (
    LiveUpdate,
    Note,
    NoteStatus,
    Priority,
    ReadBack,
    Seat,
    SeatHosting,
    Table,
)
from cafes.permissions import can_moderate, can_remove_priority
from events import services as event_services
from events.models import StaffRole
from tests.cafes.conftest import cid, participant_viewer, staff_viewer

pytestmark = pytest.mark.django_db


def hosts(event, number: int = 1) -> dict[int, object]:
    """Who keeps each table in a round, by table id (tables without a staff host)."""
    return {
        h.seat.table_id: h.seat.participant
        for h in SeatHosting.objects.filter(
            seat__round__event=event, seat__round__number=number
        ).select_related("seat__participant")
    }


def seated_at(event, table_id: int, number: int = 1) -> list:
    return [
        s.participant
        for s in Seat.objects.filter(round__event=event, round__number=number, table_id=table_id)
        .select_related("participant")
        .order_by("pk")
    ]


@pytest.fixture
def two_tables(live_cafe):
    """Round 1 open at two tables without staff hosts: (table A, its host, a seatmate at A,
    table B, B's host)."""
    kept = hosts(live_cafe)
    a, b = sorted(kept)
    mate = next(p for p in seated_at(live_cafe, a) if p != kept[a])
    return a, kept[a], mate, b, kept[b]


def note_at(person, text="Nobody explained the plan") -> Note:
    return services.post_note(
        viewer=participant_viewer(person), text=text, kind="story", client_id=cid()
    )


def test_the_participant_host_writes_the_read_back_and_round_two_newcomers_get_it(
    live_cafe, facilitator, two_tables
):
    a, host, mate, _, _ = two_tables
    note_at(mate)
    services.close_round(viewer=facilitator)

    saved = services.save_read_back(
        viewer=participant_viewer(host), table_id=a, text="Plans nobody explained."
    )
    assert saved.round.number == 1
    assert saved.author_user is None
    services.open_round(viewer=facilitator, number=2)

    assert hosts(live_cafe, 2)[a] == host  # the host stays on rotation, and still hosts
    newcomer = next(p for p in seated_at(live_cafe, a, 2) if p not in seated_at(live_cafe, a, 1))
    state = selectors.live_state(viewer=participant_viewer(newcomer))
    assert state["read_back"]["round"] == 1
    assert state["read_back"]["summary"]["text"] == "Plans nobody explained."
    assert [n["text"] for n in state["read_back"]["notes"]] == ["Nobody explained the plan"]
    assert state["me"]["can_moderate"] is False
    assert state["me"]["hosts_table"] is False

    # ... and the host edits it in round 2: the same read-back, new words.
    services.save_read_back(viewer=participant_viewer(host), table_id=a, text="Plans unclear.")
    assert list(ReadBack.objects.values_list("text", flat=True)) == ["Plans unclear."]


def test_the_host_sees_the_read_back_box_and_the_tidy_controls(live_cafe, two_tables):
    a, host, mate, _, _ = two_tables
    state = selectors.live_state(viewer=participant_viewer(host))
    assert state["table"]["id"] == a
    assert state["me"]["can_moderate"] is True
    assert state["me"]["hosts_table"] is True
    assert {p["participant"]: p["host"] for p in state["table"]["people"]}[host.pk] is True

    mates = selectors.live_state(viewer=participant_viewer(mate))
    assert mates["me"]["can_moderate"] is False
    assert mates["me"]["hosts_table"] is False


def test_the_participant_host_tags_merges_and_hides_notes_at_their_table(live_cafe, two_tables):
    _, host, mate, _, _ = two_tables
    viewer = participant_viewer(host)
    first = note_at(mate, "Long waiting lists")
    second = note_at(mate, "Waiting lists, again")

    assert services.tag_note(viewer=viewer, note_id=first.pk, tags=["waiting"]).tags == ["waiting"]
    services.merge_notes(viewer=viewer, note_id=second.pk, into_id=first.pk)
    services.hide_note(viewer=viewer, note_id=first.pk)

    assert Note.objects.get(pk=second.pk).status == NoteStatus.MERGED
    assert Note.objects.get(pk=first.pk).status == NoteStatus.HIDDEN
    # The host keeps the hidden note (to show it again); the table no longer sees it.
    assert [n["id"] for n in selectors.live_state(viewer=viewer)["notes"]] == [first.pk]
    assert selectors.live_state(viewer=participant_viewer(mate))["notes"] == []
    services.hide_note(viewer=viewer, note_id=first.pk, hidden=False)
    assert Note.objects.get(pk=first.pk).status == NoteStatus.VISIBLE


def test_a_hosts_read_back_leaves_every_screen_when_they_withdraw(
    live_cafe, facilitator, two_tables
):
    """Their words, like their notes: the withdrawal rule (docs/security.md)."""
    a, host, _, _, _ = two_tables
    services.close_round(viewer=facilitator)
    services.save_read_back(viewer=participant_viewer(host), table_id=a, text="RBMARK summary")
    services.open_round(viewer=facilitator, number=2)

    event_services.withdraw_participant(participant=host)

    assert not ReadBack.objects.exists()
    seatmate = participant_viewer(next(p for p in seated_at(live_cafe, a, 2) if p != host))
    state = selectors.live_state(viewer=seatmate)
    assert state["read_back"]["round"] == 1
    assert state["read_back"]["summary"] is None
    assert "RBMARK" not in str([u.payload for u in LiveUpdate.objects.all()])
    removed = LiveUpdate.objects.filter(kind="read_back").last().payload["read_back"]
    assert removed["removed"] is True
    assert removed["text"] == ""


def test_a_staff_hosts_rewrite_is_theirs_and_stays(live_cafe, facilitator, two_tables):
    a, host, _, _, _ = two_tables
    services.close_round(viewer=facilitator)
    services.save_read_back(viewer=participant_viewer(host), table_id=a, text="The host's")
    services.save_read_back(viewer=facilitator, table_id=a, text="The facilitator's")
    event_services.withdraw_participant(participant=host)
    assert list(ReadBack.objects.values_list("text", flat=True)) == ["The facilitator's"]


def test_a_seatmate_who_does_not_host_is_refused_and_nothing_is_stored(
    live_cafe, facilitator, two_tables
):
    a, _, mate, _, _ = two_tables
    note = note_at(mate)
    services.close_round(viewer=facilitator)
    updates = LiveUpdate.objects.count()

    with pytest.raises(CafeError) as error:
        services.save_read_back(viewer=participant_viewer(mate), table_id=a, text="Mine")
    assert error.value.code == "forbidden"
    for tidy in (
        lambda: services.tag_note(viewer=participant_viewer(mate), note_id=note.pk, tags=["x"]),
        lambda: services.hide_note(viewer=participant_viewer(mate), note_id=note.pk),
    ):
        with pytest.raises(CafeError) as error:
            tidy()
        assert error.value.code == "forbidden"

    assert not ReadBack.objects.exists()
    assert Note.objects.get(pk=note.pk).status == NoteStatus.VISIBLE
    assert Note.objects.get(pk=note.pk).tags == []
    assert LiveUpdate.objects.count() == updates


def test_the_host_of_table_a_cannot_write_or_tidy_at_table_b(live_cafe, facilitator, two_tables):
    _, host, _, b, other_host = two_tables
    theirs = note_at(other_host, "At table B")
    services.close_round(viewer=facilitator)

    with pytest.raises(CafeError) as error:
        services.save_read_back(viewer=participant_viewer(host), table_id=b, text="Planted")
    assert error.value.code == "forbidden"
    with pytest.raises(CafeError) as error:
        services.hide_note(viewer=participant_viewer(host), note_id=theirs.pk)
    assert error.value.code == "forbidden"
    assert not ReadBack.objects.exists()
    assert Note.objects.get(pk=theirs.pk).status == NoteStatus.VISIBLE


def test_a_former_host_is_refused_once_their_seat_no_longer_hosts(
    live_cafe, facilitator, two_tables
):
    a, host, _, b, _ = two_tables
    services.close_round(viewer=facilitator)
    services.open_round(viewer=facilitator, number=2)
    # The facilitator moves the round-1 host to the other table: they no longer host.
    services.move_participant(viewer=facilitator, participant_id=host.pk, table_id=b)
    assert a not in hosts(live_cafe, 2)
    newcomer_note = note_at(next(p for p in seated_at(live_cafe, a, 2) if p != host))

    for table_id in (a, b):
        with pytest.raises(CafeError) as error:
            services.save_read_back(viewer=participant_viewer(host), table_id=table_id, text="x")
        assert error.value.code == "forbidden"
    with pytest.raises(CafeError) as error:
        services.hide_note(viewer=participant_viewer(host), note_id=newcomer_note.pk)
    assert error.value.code == "forbidden"
    assert not ReadBack.objects.exists()
    state = selectors.live_state(viewer=participant_viewer(host))
    assert state["me"]["can_moderate"] is False
    assert state["me"]["hosts_table"] is False


def test_a_participant_host_tidies_a_staff_free_table_that_staff_cannot_read(
    live_cafe, facilitator, two_tables
):
    """Closed to staff is about staff: the participant keeping the table still tidies it."""
    a, host, mate, _, _ = two_tables
    table = Table.objects.get(pk=a)
    table.staff_free = True  # set directly: the service refuses once notes exist
    table.save(update_fields=["staff_free"])
    viewer = participant_viewer(host)

    assert can_moderate(viewer, table, hosting_table_id=a)
    assert not can_moderate(viewer, table, hosting_table_id=None)
    assert not can_moderate(participant_viewer(mate), table, hosting_table_id=None)
    assert not can_moderate(facilitator, table)
    note = note_at(mate)
    services.hide_note(viewer=viewer, note_id=note.pk)
    assert Note.objects.get(pk=note.pk).status == NoteStatus.HIDDEN


# --- removing a priority ------------------------------------------------------------------


@pytest.fixture
def priorities_round(live_cafe, facilitator):
    for number in (1, 2):
        if number > 1:
            services.open_round(viewer=facilitator, number=number)
        services.close_round(viewer=facilitator)
    services.open_round(viewer=facilitator, number=3)
    kept = hosts(live_cafe, 3)
    a = sorted(kept)[0]
    others = [p for p in seated_at(live_cafe, a, 3) if p != kept[a]]
    assert len(others) >= 2
    return a, kept[a], others[0], others[1]


def test_only_the_author_and_the_tables_moderators_may_remove_a_priority(
    live_cafe, facilitator, priorities_round
):
    a, host, author, neighbour = priorities_round
    mine = services.add_priority(
        viewer=participant_viewer(author), text="One key worker", client_id=cid()
    )
    removed = LiveUpdate.objects.filter(kind="priority", payload__action="removed")

    with pytest.raises(CafeError) as error:
        services.remove_priority(viewer=participant_viewer(neighbour), priority_id=mine.pk)
    assert error.value.code == "forbidden"
    stranger = next(
        p for p in live_cafe.participants.all() if p.seats.get(round__number=3).table_id != a
    )
    with pytest.raises(CafeError) as error:
        services.remove_priority(viewer=participant_viewer(stranger), priority_id=mine.pk)
    assert error.value.code == "forbidden"
    reviewer = staff_viewer(live_cafe, StaffRole.REVIEW_TEAM)
    with pytest.raises(CafeError) as error:
        services.remove_priority(viewer=reviewer, priority_id=mine.pk)
    assert error.value.code == "forbidden"
    assert Priority.objects.filter(pk=mine.pk).exists()
    assert not removed.exists()

    services.remove_priority(viewer=participant_viewer(author), priority_id=mine.pk)
    assert not Priority.objects.filter(pk=mine.pk).exists()
    assert removed.count() == 1

    for remover in (participant_viewer(host), facilitator):
        theirs = services.add_priority(
            viewer=participant_viewer(neighbour), text="Plain letters", client_id=cid()
        )
        services.remove_priority(viewer=remover, priority_id=theirs.pk)
        assert not Priority.objects.filter(pk=theirs.pk).exists()


def test_the_state_says_who_may_see_remove_on_each_priority(live_cafe, priorities_round):
    """The page shows "Remove" where ``priority.author`` is the viewer or ``me.can_moderate``
    (static/js/cafes/table.js ``canRemove``)."""
    a, host, author, neighbour = priorities_round
    priority = services.add_priority(
        viewer=participant_viewer(author), text="One key worker", client_id=cid()
    )

    def may_remove(person) -> bool:
        state = selectors.live_state(viewer=participant_viewer(person))
        [shown] = state["priorities"]
        return state["me"]["can_moderate"] or shown["author"] == state["me"]["participant"]

    assert may_remove(author)
    assert may_remove(host)
    assert not may_remove(neighbour)
    assert selectors.live_state(viewer=participant_viewer(author))["priorities"][0]["author"] == (
        author.pk
    )
    assert can_remove_priority(participant_viewer(author), priority)
    assert not can_remove_priority(participant_viewer(neighbour), priority)
    assert can_remove_priority(participant_viewer(host), priority, hosting_table_id=a)
