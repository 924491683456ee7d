"""The café's services: seating, rounds, notes, chat, priorities and answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cafes import selectors, services
from cafes.errors import CafeError
from cafes.models import (
    Cafe,
    CafePhase,
    ChatMessage,
    LiveUpdate,
    Note,
    NoteStatus,
    Priority,
    Round,
    RoundStatus,
    Seat,
    Table,
)
from events import hooks
from events import services as event_services
from events.models import Event, EventStatus, ParticipantStatus, StaffRole
from tests.cafes.conftest import ROUNDS, cid, make_event, participant_viewer, staff_viewer
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def seat_of(participant, number):
    return Seat.objects.get(
        round__number=number, round__event=participant.event, participant=participant
    )


def test_starting_makes_tables_rounds_and_seats_everyone(event, facilitator, people):
    cafe = services.start_cafe(viewer=facilitator)

    assert cafe.phase == CafePhase.SEATED
    assert [r.prompt for r in Round.objects.filter(event=event)] == [
        "What has helped or hindered you?",
        "What problems, strengths and possibilities?",
        "Which three solutions matter most?",
    ]
    assert Table.objects.filter(event=event).count() == 2
    sizes = sorted(Seat.objects.filter(round__number=1).values_list("table", flat=True))
    assert len(sizes) == 8
    for role in ("BP", "BF"):  # five BP and three BF: each role spread within one
        counts = [
            t.seats.filter(participant__role_code=role).count()
            for t in Table.objects.filter(event=event)
        ]
        assert max(counts) - min(counts) <= 1
    assert services.start_cafe(viewer=facilitator) == cafe  # starting twice is harmless


def test_starting_the_cafe_puts_the_event_live_and_ending_it_closes_the_event(
    event, facilitator, people
):
    closed = []
    hook = hooks.on_event_closed(lambda *, event, closed_by: closed.append((event.pk, closed_by)))
    try:
        services.start_cafe(viewer=facilitator)
        event.refresh_from_db()
        assert event.status == EventStatus.LIVE

        services.set_phase(viewer=facilitator, phase=CafePhase.ENDED)
        event.refresh_from_db()
        assert event.status == EventStatus.CLOSED
        assert closed == [(event.pk, facilitator.user)]
        assert list(
            event.status_changes.order_by("pk").values_list("from_status", "to_status")
        ) == [("scheduled", "live"), ("live", "closed")]
    finally:
        hooks.event_closed.unregister(hook)


def test_ending_closes_the_event_from_a_console_opened_before_it_went_live(event, people):
    """The console's viewer was made when the page opened; another facilitator then put the
    event live from the overview. "End the event" must still close it (issue 17)."""
    console = staff_viewer(event)  # opened while the event was scheduled
    other = staff_viewer(Event.objects.get(pk=event.pk))
    services.start_cafe(viewer=other)
    assert console.event.status == EventStatus.SCHEDULED  # what the console still holds

    services.set_phase(viewer=console, phase=CafePhase.ENDED)

    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED
    assert event.status_changes.filter(to_status=EventStatus.CLOSED).count() == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (EventStatus.DRAFT, "This event is still a draft. Schedule it first"),
        (EventStatus.CLOSED, "This event has closed, so its café cannot start again."),
    ],
)
def test_a_draft_or_closed_event_cannot_start_its_cafe(event, facilitator, people, status, message):
    Event.objects.filter(pk=event.pk).update(status=status)

    with pytest.raises(CafeError, match=message):
        services.start_cafe(viewer=facilitator)

    assert not Cafe.objects.exists()
    assert not Seat.objects.exists()


def test_starting_from_the_console_on_another_day_asks_first_and_stores_nothing(
    event, facilitator, people
):
    """The event is a week away: "Start the café" says so and waits for a confirmation."""
    with pytest.raises(CafeError, match=r"not today.*Start it now anyway") as refused:
        services.start_cafe_on_request(viewer=facilitator)
    assert refused.value.code == "off_day"
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED
    assert not Cafe.objects.exists()
    assert not Seat.objects.exists()

    for not_a_yes in ("true", 1, ["yes"], None):
        with pytest.raises(CafeError, match="not today"):
            services.start_cafe_on_request(viewer=facilitator, confirm_date=not_a_yes)

    services.start_cafe_on_request(viewer=facilitator, confirm_date=True)
    event.refresh_from_db()
    assert event.status == EventStatus.LIVE
    assert Cafe.objects.filter(event=event).exists()


def test_starting_on_the_day_needs_no_confirmation(event, facilitator, people):
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(starts_at=now, ends_at=now + timedelta(hours=3))
    services.start_cafe_on_request(viewer=facilitator)
    event.refresh_from_db()
    assert event.status == EventStatus.LIVE


@pytest.mark.parametrize("phase", [["ended"], {"a": 1}, 3, None])
def test_a_phase_that_is_not_a_word_is_refused(event, facilitator, people, phase):
    services.start_cafe(viewer=facilitator)
    with pytest.raises(CafeError, match="must be plenary, closing or ended"):
        services.set_phase(viewer=facilitator, phase=phase)


def test_only_a_facilitator_starts_the_cafe(event, people):
    host = staff_viewer(event, StaffRole.TABLE_HOST)
    with pytest.raises(CafeError) as error:
        services.start_cafe(viewer=host)
    assert error.value.code == "forbidden"
    with pytest.raises(CafeError):
        services.start_cafe(viewer=participant_viewer(people[0]))
    assert not Cafe.objects.exists()


def test_table_hosts_are_given_tables_and_rotation_moves_everyone_else(event, people):
    facilitator = staff_viewer(event)
    host_a = staff_viewer(event, StaffRole.TABLE_HOST)
    host_b = staff_viewer(event, StaffRole.TABLE_HOST)
    services.start_cafe(viewer=facilitator)
    assert {t.host for t in Table.objects.filter(event=event)} == {host_a.user, host_b.user}

    services.open_round(viewer=facilitator, number=1)
    services.close_round(viewer=facilitator)
    services.open_round(viewer=facilitator, number=2)

    moved = sum(1 for p in people if seat_of(p, 1).table_id != seat_of(p, 2).table_id)
    assert moved == 8 // 2  # two tables of four: half must move, the rest meet only new faces


def test_round_opens_with_a_countdown_and_can_be_extended_and_closed(event, facilitator, people):
    services.start_cafe(viewer=facilitator)
    round_ = services.open_round(viewer=facilitator, number=1, minutes=15)
    assert round_.status == RoundStatus.OPEN
    assert 14 * 60 < (round_.ends_at - timezone.now()).total_seconds() <= 15 * 60

    extended = services.extend_round(viewer=facilitator, minutes=5)
    assert (extended.ends_at - round_.ends_at).total_seconds() == 300

    with pytest.raises(CafeError) as error:
        services.open_round(viewer=facilitator, number=2)
    assert error.value.code == "round_open"

    services.close_round(viewer=facilitator)
    assert Cafe.objects.get(event=event).phase == CafePhase.PLENARY
    with pytest.raises(CafeError) as error:
        services.open_round(viewer=facilitator, number=1)
    assert error.value.code == "round_started"


def test_round_three_can_go_back_to_the_original_tables(event, facilitator, people):
    services.start_cafe(viewer=facilitator)
    for number in (1, 2):
        services.open_round(viewer=facilitator, number=number)
        services.close_round(viewer=facilitator)
    services.open_round(viewer=facilitator, number=3, strategy="original")
    assert all(seat_of(p, 3).table_id == seat_of(p, 1).table_id for p in people)


def test_a_late_arrival_is_seated_at_the_emptiest_table(live_cafe, people):
    newcomer = ParticipantFactory(event=live_cafe, role_code="BF")
    seat = services.seat_newcomer(participant=newcomer)
    assert seat.round.number == 1
    assert services.seat_newcomer(participant=newcomer) == seat  # only once
    sizes = sorted(t.seats.count() for t in Table.objects.filter(event=live_cafe))
    assert sizes == [4, 5] or sizes == [1, 4, 4]


def test_a_full_cafe_opens_a_new_table_for_a_late_arrival(event, facilitator):
    event.table_size = 2
    event.save()
    first = [ParticipantFactory(event=event) for _ in range(4)]
    services.start_cafe(viewer=facilitator)
    newcomer = ParticipantFactory(event=event)
    seat = services.seat_newcomer(participant=newcomer)
    assert seat.table.number == 3
    assert all(seat_of(p, 1).table.number in (1, 2) for p in first)


def test_the_facilitator_moves_someone_by_hand(live_cafe, facilitator, people):
    person = people[0]
    other = Table.objects.filter(event=live_cafe).exclude(pk=seat_of(person, 1).table_id).get()
    services.move_participant(viewer=facilitator, participant_id=person.pk, table_id=other.pk)
    assert seat_of(person, 1).table == other
    with pytest.raises(CafeError):
        services.move_participant(
            viewer=participant_viewer(people[1]), participant_id=person.pk, table_id=other.pk
        )


def test_a_note_is_posted_once_even_when_retried(live_cafe, people):
    viewer = participant_viewer(people[0])
    client_id = cid()
    before = LiveUpdate.objects.count()
    note = services.post_note(
        viewer=viewer, text="  The family worker listened.  ", kind="story", client_id=client_id
    )
    again = services.post_note(
        viewer=viewer, text="The family worker listened.", kind="story", client_id=client_id
    )

    assert again.pk == note.pk
    assert note.text == "The family worker listened."
    assert note.table_id == seat_of(people[0], 1).table_id
    assert note.role_code == "BP"
    assert Note.objects.count() == 1
    assert LiveUpdate.objects.count() == before + 1


def test_a_retry_after_the_round_closed_gets_the_stored_note(live_cafe, people, facilitator):
    viewer = participant_viewer(people[0])
    client_id = cid()
    note = services.post_note(viewer=viewer, text="Said in time", kind="story", client_id=client_id)
    services.close_round(viewer=facilitator)

    again = services.post_note(
        viewer=viewer, text="Said in time", kind="story", client_id=client_id
    )
    assert again.pk == note.pk
    with pytest.raises(CafeError) as error:
        services.post_note(viewer=viewer, text="Too late", kind="story", client_id=cid())
    assert error.value.code == "round_closed"
    assert Note.objects.count() == 1


def test_someone_else_cannot_reuse_a_client_id(live_cafe, people):
    client_id = cid()
    services.post_note(
        viewer=participant_viewer(people[0]), text="Mine", kind="story", client_id=client_id
    )
    with pytest.raises(CafeError) as error:
        services.post_note(
            viewer=participant_viewer(people[1]), text="Theirs", kind="story", client_id=client_id
        )
    assert error.value.code == "duplicate_client_id"


@pytest.mark.parametrize(
    ("text", "kind", "client_id", "code"),
    [
        ("", "story", "uuid", "empty"),
        ("x" * 2001, "story", "uuid", "too_long"),
        ("<script>alert(1)</script>", "story", "uuid", "html_not_allowed"),
        ("Click <a href='x'>here</a>", "story", "uuid", "html_not_allowed"),
        ("javascript:alert(1)", "story", "uuid", "html_not_allowed"),
        ("fine", "rant", "uuid", "bad_kind"),
        ("fine", "story", "not-a-uuid", "bad_client_id"),
        (42, "story", "uuid", "invalid"),
    ],
)
def test_bad_notes_are_refused_with_a_reason(live_cafe, people, text, kind, client_id, code):
    client_id = cid() if client_id == "uuid" else client_id
    with pytest.raises(CafeError) as error:
        services.post_note(
            viewer=participant_viewer(people[0]), text=text, kind=kind, client_id=client_id
        )
    assert error.value.code == code
    assert error.value.message
    assert not Note.objects.exists()


def test_plain_angle_brackets_are_kept_as_typed(live_cafe, people):
    note = services.post_note(
        viewer=participant_viewer(people[0]),
        text="I <3 my kids & a < b",
        kind="story",
        client_id=cid(),
    )
    assert note.text == "I <3 my kids & a < b"


def test_no_notes_while_the_round_is_closed(event, facilitator, people):
    services.start_cafe(viewer=facilitator)
    with pytest.raises(CafeError) as error:
        services.post_note(
            viewer=participant_viewer(people[0]), text="Too early", kind="story", client_id=cid()
        )
    assert error.value.code == "round_closed"


def test_a_participant_writes_only_at_their_own_table(live_cafe, people):
    person = people[0]
    other = Table.objects.filter(event=live_cafe).exclude(pk=seat_of(person, 1).table_id).get()
    with pytest.raises(CafeError) as error:
        services.post_note(
            viewer=participant_viewer(person),
            text="Hi",
            kind="story",
            client_id=cid(),
            table_id=other.pk,
        )
    assert error.value.code == "forbidden"


def test_only_the_author_edits_or_withdraws_and_withdrawn_notes_leave_the_harvest(
    live_cafe, people
):
    author, other = participant_viewer(people[0]), participant_viewer(people[1])
    note = services.post_note(viewer=author, text="First words", kind="story", client_id=cid())
    with pytest.raises(CafeError):
        services.edit_note(viewer=other, note_id=note.pk, text="Hijack")
    edited = services.edit_note(viewer=author, note_id=note.pk, text="Better words", kind="problem")
    assert (edited.text, edited.kind) == ("Better words", "problem")
    assert edited.edited_at is not None
    with pytest.raises(CafeError):
        services.withdraw_note(viewer=other, note_id=note.pk)
    services.withdraw_note(viewer=author, note_id=note.pk)
    assert Note.objects.get().status == NoteStatus.WITHDRAWN
    assert not selectors.notes_for_event(event=live_cafe).exists()


def test_the_table_host_tags_hides_and_merges(event, people):
    facilitator = staff_viewer(event)
    host = staff_viewer(event, StaffRole.TABLE_HOST)
    services.start_cafe(viewer=facilitator)
    services.open_round(viewer=facilitator, number=1)
    table = Table.objects.get(host=host.user)
    at_table = [p for p in people if seat_of(p, 1).table == table]
    other_host_table = Table.objects.exclude(pk=table.pk).get(event=event)
    a = services.post_note(
        viewer=participant_viewer(at_table[0]),
        text="Waiting lists",
        kind="problem",
        client_id=cid(),
    )
    b = services.post_note(
        viewer=participant_viewer(at_table[1]),
        text="Long waiting lists",
        kind="problem",
        client_id=cid(),
    )

    assert services.tag_note(
        viewer=host, note_id=a.pk, tags=["Housing", "housing", "key point"]
    ).tags == ["housing", "key point"]
    services.merge_notes(viewer=host, note_id=b.pk, into_id=a.pk)
    assert Note.objects.get(pk=b.pk).merged_into_id == a.pk
    services.hide_note(viewer=host, note_id=a.pk)
    assert list(selectors.notes_for_event(event=event)) == []
    services.hide_note(viewer=host, note_id=a.pk, hidden=False)
    assert list(selectors.notes_for_event(event=event)) == [a]

    with pytest.raises(CafeError):
        services.tag_note(viewer=participant_viewer(at_table[0]), note_id=a.pk, tags=["x"])
    other_note = services.post_note(
        viewer=facilitator,
        text="Other table",
        kind="idea",
        client_id=cid(),
        table_id=other_host_table.pk,
    )
    with pytest.raises(CafeError):  # a host moderates their own table only
        services.hide_note(viewer=host, note_id=other_note.pk)


def test_newcomers_in_round_two_see_the_read_back_of_round_one(event, people):
    facilitator = staff_viewer(event)
    host = staff_viewer(event, StaffRole.TABLE_HOST)
    services.start_cafe(viewer=facilitator)
    services.open_round(viewer=facilitator, number=1)
    table = Table.objects.get(host=host.user)
    writer = next(p for p in people if seat_of(p, 1).table == table)
    services.post_note(
        viewer=participant_viewer(writer),
        text="Nobody explained the plan",
        kind="story",
        client_id=cid(),
    )
    services.close_round(viewer=facilitator)
    services.save_read_back(
        viewer=host, table_id=table.pk, text="We heard about plans nobody explained."
    )
    services.open_round(viewer=facilitator, number=2)

    newcomer = next(
        p for p in people if seat_of(p, 2).table == table and seat_of(p, 1).table != table
    )
    state = selectors.live_state(viewer=participant_viewer(newcomer))
    assert state["read_back"]["round"] == 1
    assert state["read_back"]["summary"]["text"] == "We heard about plans nobody explained."
    assert [n["text"] for n in state["read_back"]["notes"]] == ["Nobody explained the plan"]
    assert state["notes"] == []


def test_chat_reactions_and_pins(live_cafe, facilitator, people):
    author = participant_viewer(people[0])
    message = services.post_chat(viewer=author, text="Table 2 said the same!", client_id=cid())
    assert message.round.number == 1
    services.react_to_chat(
        viewer=participant_viewer(people[1]), message_id=message.pk, reaction="agree"
    )
    services.react_to_chat(
        viewer=participant_viewer(people[1]), message_id=message.pk, reaction="agree"
    )
    services.react_to_chat(viewer=facilitator, message_id=message.pk, reaction="agree")
    state = selectors.live_state(viewer=author)
    assert state["chat"][0]["reactions"] == {"agree": 2}
    with pytest.raises(CafeError):
        services.moderate_chat(viewer=author, message_id=message.pk, pinned=True)
    services.moderate_chat(viewer=facilitator, message_id=message.pk, pinned=True)
    assert ChatMessage.objects.get().pinned
    reviewer = staff_viewer(live_cafe, StaffRole.REVIEW_TEAM)
    with pytest.raises(CafeError):
        services.post_chat(viewer=reviewer, text="Watching", client_id=cid())


def open_round_three(event, facilitator):
    for number in (1, 2):
        if Round.objects.get(event=event, number=number).status == RoundStatus.PENDING:
            services.open_round(viewer=facilitator, number=number)
        services.close_round(viewer=facilitator)
    services.open_round(viewer=facilitator, number=3)


def test_priorities_at_most_three_per_table_with_one_vote_each(live_cafe, facilitator, people):
    open_round_three(live_cafe, facilitator)
    person = participant_viewer(people[0])
    mates = [p for p in people if seat_of(p, 3).table == seat_of(people[0], 3).table]
    note = services.post_note(
        viewer=person, text="Peer advocates for parents", kind="solution", client_id=cid()
    )
    from_note = services.add_priority(viewer=person, source_note_id=note.pk, client_id=cid())
    assert from_note.text == "Peer advocates for parents"
    services.add_priority(viewer=person, text="One key worker", client_id=cid())
    services.add_priority(viewer=person, text="Plain letters", client_id=cid())
    with pytest.raises(CafeError) as error:
        services.add_priority(viewer=person, text="A fourth", client_id=cid())
    assert error.value.code == "too_many_priorities"

    for mate in mates:
        services.vote(viewer=participant_viewer(mate), priority_id=from_note.pk)
        services.vote(viewer=participant_viewer(mate), priority_id=from_note.pk)
    stranger = next(p for p in people if p not in mates)
    with pytest.raises(CafeError):
        services.vote(viewer=participant_viewer(stranger), priority_id=from_note.pk)
    counts = {p.text: p.vote_count for p in selectors.priorities_for_event(event=live_cafe)}
    assert counts["Peer advocates for parents"] == len(mates)


def test_a_priority_retry_returns_it_but_another_persons_reuse_is_refused(
    live_cafe, facilitator, people
):
    open_round_three(live_cafe, facilitator)
    client_id = cid()
    priority = services.add_priority(
        viewer=participant_viewer(people[0]), text="One key worker", client_id=client_id
    )
    again = services.add_priority(
        viewer=participant_viewer(people[0]), text="One key worker", client_id=client_id
    )
    assert again.pk == priority.pk
    for someone_else in (participant_viewer(people[1]), facilitator):
        with pytest.raises(CafeError) as error:
            services.add_priority(viewer=someone_else, text="Theirs", client_id=client_id)
        assert error.value.code == "duplicate_client_id"
    assert Priority.objects.count() == 1


def test_priorities_only_in_the_last_round(live_cafe, people):
    with pytest.raises(CafeError) as error:
        services.add_priority(
            viewer=participant_viewer(people[0]), text="Too soon", client_id=cid()
        )
    assert error.value.code == "not_priorities_round"


def test_closing_answers_one_each_and_editable(live_cafe, people):
    question = live_cafe.closing_questions.first()
    first = services.answer_question(
        viewer=participant_viewer(people[0]),
        question_id=question.pk,
        text="Listen",
        client_id=cid(),
    )
    second = services.answer_question(
        viewer=participant_viewer(people[0]),
        question_id=question.pk,
        text="Listen more",
        client_id=cid(),
    )
    assert first.pk == second.pk
    assert [a.text for a in selectors.answers_for_event(event=live_cafe)] == ["Listen more"]


def test_withdrawn_people_are_left_out_of_everything_harvested(live_cafe, facilitator, people):
    person = people[0]
    viewer = participant_viewer(person)
    services.post_note(viewer=viewer, text="My story", kind="story", client_id=cid())
    services.post_chat(viewer=viewer, text="My chat", client_id=cid())
    services.answer_question(
        viewer=viewer,
        question_id=live_cafe.closing_questions.first().pk,
        text="Mine",
        client_id=cid(),
    )
    person.status = ParticipantStatus.WITHDRAWN
    person.save()
    assert not selectors.notes_for_event(event=live_cafe).exists()
    assert not selectors.chat_for_event(event=live_cafe).exists()
    assert not selectors.answers_for_event(event=live_cafe).exists()


def log_texts(key: str = "note") -> list[str]:
    return [
        u.payload[key]["text"]
        for u in LiveUpdate.objects.filter(kind__in=["note", "chat"])
        if key in u.payload
    ]


def test_a_hidden_note_leaves_the_live_log_so_a_replay_never_shows_it(
    live_cafe, facilitator, people
):
    host = facilitator
    author = participant_viewer(people[0])
    note = services.post_note(viewer=author, text="My sister Jo", kind="story", client_id=cid())
    assert log_texts() == ["My sister Jo"]

    services.hide_note(viewer=host, note_id=note.pk)

    assert "My sister Jo" not in log_texts()
    replay = selectors.updates_after(viewer=author, after=0, table_id=note.table_id)
    assert "My sister Jo" not in str([selectors.update_frame(u) for u in replay])
    assert Note.objects.get(pk=note.pk).text == "My sister Jo"  # the host can still show it

    services.hide_note(viewer=host, note_id=note.pk, hidden=False)
    assert log_texts()[-1] == "My sister Jo"


def test_withdrawing_from_the_event_takes_words_off_every_screen(live_cafe, people):
    person, mate = people[0], people[1]
    viewer = participant_viewer(person)
    note = services.post_note(viewer=viewer, text="Our house", kind="story", client_id=cid())
    services.post_chat(viewer=viewer, text="Thanks all", client_id=cid())

    event_services.withdraw_participant(participant=person)

    assert Note.objects.get(pk=note.pk).status == NoteStatus.WITHDRAWN
    assert ChatMessage.objects.get(participant=person).hidden
    assert "Our house" not in log_texts("note")
    assert "Thanks all" not in log_texts("message")
    last_note_news = LiveUpdate.objects.filter(kind="note").latest("pk").payload
    assert last_note_news["action"] == "withdrawn"
    assert last_note_news["note"]["id"] == note.pk
    state = selectors.live_state(viewer=participant_viewer(mate))
    assert "Our house" not in str(state)
    assert "Thanks all" not in str(state)


def test_every_change_is_logged_for_resume(live_cafe, facilitator, people):
    note = services.post_note(
        viewer=participant_viewer(people[0]), text="Logged", kind="idea", client_id=cid()
    )
    services.broadcast(viewer=facilitator, text="Two minutes left")
    last_two = list(LiveUpdate.objects.order_by("-pk")[:2])
    assert [u.kind for u in last_two] == ["broadcast", "note"]
    assert last_two[1].table_id == note.table_id
    assert last_two[0].table_id is None
    assert last_two[0].payload["text"] == "Two minutes left"


def _console(event):
    return selectors.live_state(viewer=staff_viewer(event))["tables"]


def test_the_console_shows_each_tables_people_note_counts_and_priorities(db):
    event = make_event(rounds=ROUNDS[-1:])  # one round, so its priorities are chosen now
    people = ParticipantFactory.create_batch(8, event=event)
    host = staff_viewer(event, StaffRole.TABLE_HOST)
    facilitator = staff_viewer(event)
    services.start_cafe(viewer=facilitator)
    services.open_round(viewer=facilitator, number=1)
    hosted = Table.objects.get(event=event, host=host.user)
    writer = next(p for p in people if seat_of(p, 1).table_id == hosted.pk)
    services.mark_present(viewer=participant_viewer(writer), channel_name="writer-tab")
    note = services.post_note(
        viewer=participant_viewer(writer),
        text="Letters we understand",
        kind="idea",
        client_id=cid(),
    )
    hidden = services.post_note(
        viewer=participant_viewer(writer), text="Off topic", kind="idea", client_id=cid()
    )
    services.hide_note(viewer=facilitator, note_id=hidden.pk)
    priority = services.add_priority(
        viewer=participant_viewer(writer), source_note_id=note.pk, client_id=cid()
    )
    services.vote(viewer=participant_viewer(writer), priority_id=priority.pk)

    tables = {t["id"]: t for t in _console(event)}
    assert set(tables) == set(Table.objects.filter(event=event).values_list("pk", flat=True))
    mine = tables[hosted.pk]
    assert mine["host"] == host.user.get_username()
    assert mine["people"][0] == {
        "participant": None,
        "name": host.user.get_username(),
        "role_code": "",
        "host": True,
        "present": False,
    }
    seated = {p["participant"]: p for p in mine["people"][1:]}
    assert set(seated) == {
        s.participant_id for s in Seat.objects.filter(table=hosted, round__number=1)
    }
    assert seated[writer.pk]["present"] is True
    # The console counts the notes a table shows (not the hidden one) and never carries
    # their words: a screen that opens the table reads those.
    assert mine["note_count"] == 1
    assert mine["kinds"] == {"idea": 1}
    assert mine["last_note_id"] == note.pk
    assert "notes" not in mine
    assert "Off topic" not in str(mine)
    assert [(p["text"], p["votes"]) for p in mine["priorities"]] == [("Letters we understand", 1)]
    others = [t for pk, t in tables.items() if pk != hosted.pk]
    assert all(t["note_count"] == 0 and t["last_note_id"] is None for t in others)


def test_the_console_costs_the_same_few_queries_for_many_tables(django_assert_max_num_queries):
    counts = []
    for size in (8, 40):
        event = make_event()
        facilitator = staff_viewer(event)
        ParticipantFactory.create_batch(size, event=event)
        services.start_cafe(viewer=facilitator)
        services.open_round(viewer=facilitator, number=1)
        with django_assert_max_num_queries(40) as queries:
            selectors.live_state(viewer=facilitator)
        counts.append(len(queries))
    assert Table.objects.filter(event=event).count() >= 10
    assert counts[0] == counts[1]


def test_the_consoles_overview_reads_250_tables_in_the_queries_of_10(
    django_assert_max_num_queries,
):
    """Issue 16: the overview every console of a process shares is read at most once a
    second; each read must cost the same few queries at 250 tables as at 10."""
    counts = []
    for size in (40, 1000):
        event = make_event()
        facilitator = staff_viewer(event)
        ParticipantFactory.create_batch(size, event=event)
        services.start_cafe(viewer=facilitator)
        services.open_round(viewer=facilitator, number=1)
        for seat in Seat.objects.filter(round__event=event).order_by("table_id")[:: size // 10]:
            services.post_note(
                viewer=participant_viewer(seat.participant),
                text="The letters made no sense",
                kind="problem",
                client_id=cid(),
            )
        with django_assert_max_num_queries(12) as queries:
            frame = selectors.console_overview(event=event)
        counts.append(len(queries))
        assert sum(t["note_count"] for t in frame["tables"]) == 10
    assert len(frame["tables"]) == 250
    assert counts[0] == counts[1]


def test_a_withdrawn_persons_chat_and_priorities_leave_every_screen_and_the_report(
    live_cafe, facilitator, people
):
    """Issue 15 item 2: the facilitator's state once kept a withdrawn person's chat
    ("hidden": true, with its text) and the priority they typed stayed on the table."""
    open_round_three(live_cafe, facilitator)
    person = people[0]
    viewer = participant_viewer(person)
    mates = [p for p in people if p != person and seat_of(p, 3).table == seat_of(person, 3).table]
    services.post_chat(viewer=viewer, text="WDMARK my chat", client_id=cid())
    typed = services.add_priority(viewer=viewer, text="WDMARK priority typed", client_id=cid())
    assert typed.author == person
    mine = services.post_note(viewer=viewer, text="WDMARK a note", kind="solution", client_id=cid())
    mate = participant_viewer(mates[0])
    from_my_note = services.add_priority(viewer=mate, source_note_id=mine.pk, client_id=cid())
    theirs = services.add_priority(viewer=mate, text="Their own words", client_id=cid())
    services.vote(viewer=mate, priority_id=typed.pk)

    event_services.withdraw_participant(participant=person)

    for seen_by in (facilitator, mate):
        assert "WDMARK" not in str(selectors.live_state(viewer=seen_by))
    remaining = list(selectors.priorities_for_event(event=live_cafe))
    assert [p.pk for p in remaining] == [theirs.pk]
    assert not Priority.objects.filter(pk__in=[typed.pk, from_my_note.pk]).exists()
    assert "WDMARK" not in str([u.payload for u in LiveUpdate.objects.filter(kind="priority")])


def test_closing_the_event_from_its_overview_ends_the_cafe_for_every_screen(
    event, facilitator, people
):
    """One way to end an event: the overview's "Close the event" ends the café as the
    console's "End the event" does (issue 17)."""
    services.start_cafe(viewer=facilitator)
    services.open_round(viewer=facilitator, number=1, minutes=20)
    event_services.transition_event(
        event=Event.objects.get(pk=event.pk), to=EventStatus.CLOSED, by=facilitator.user
    )
    cafe = Cafe.objects.get(event=event)
    assert cafe.phase == CafePhase.ENDED
    assert not Round.objects.filter(event=event, status=RoundStatus.OPEN).exists()
    state = selectors.live_state(viewer=participant_viewer(people[0]))
    assert state["cafe"]["phase"] == "ended"
