"""Proposing topics, arranging the marketplace, signing up, moving between spaces and
merging duplicates (the services, which every page and test go through)."""

import pytest

from cafes.errors import CafeError
from cafes.models import Seat
from events.models import ParticipantStatus
from openspace import selectors, services
from openspace.models import SignUp, Topic
from tests.factories import EventFactory, ParticipantFactory
from tests.openspace.conftest import cid, person, propose

pytestmark = pytest.mark.django_db


def test_a_participant_proposes_a_topic_they_then_host(connect):
    ana = connect.viewers[0]
    topic = propose(ana, "Keeping siblings together", "Because it matters to my kids")
    assert topic.proposer == connect.people[0]
    assert topic.table.event == connect.event
    assert topic.table.label == "Keeping siblings together"
    assert SignUp.objects.filter(topic=topic, participant=connect.people[0]).exists()
    board = selectors.marketplace(viewer=connect.viewers[1])
    assert [c.topic.title for c in board.unplaced] == ["Keeping siblings together"]
    assert board.unplaced[0].host == connect.people[0].pseudonym


@pytest.mark.parametrize(
    ("title", "why", "code"),
    [
        ("", "", "empty"),
        ("   ", "", "empty"),
        ("x" * 121, "", "too_long"),
        ("A fine title", "y" * 501, "too_long"),
        ("<b>Shout</b>", "", "html_not_allowed"),
        ("Fine", "<script>alert(1)</script>", "html_not_allowed"),
        ("See javascript:alert(1)", "", "html_not_allowed"),
        (None, "", "invalid"),
    ],
)
def test_bad_topics_are_refused_with_a_reason_and_nothing_is_stored(connect, title, why, code):
    with pytest.raises(CafeError) as error:
        services.propose_topic(viewer=connect.viewers[0], title=title, why=why, client_id=cid())
    assert error.value.code == code
    assert error.value.message
    assert not Topic.objects.exists()
    assert not connect.event.tables.exists()


def test_a_lone_less_than_sign_is_plain_words(connect):
    topic = propose(connect.viewers[0], "I <3 my foster carers")
    assert topic.title == "I <3 my foster carers"


def test_a_retried_proposal_with_the_same_client_id_is_stored_once(connect):
    client_id = cid()
    first = services.propose_topic(viewer=connect.viewers[0], title="Housing", client_id=client_id)
    again = services.propose_topic(viewer=connect.viewers[0], title="Housing", client_id=client_id)
    assert first.pk == again.pk
    assert Topic.objects.count() == 1
    with pytest.raises(CafeError) as error:
        services.propose_topic(viewer=connect.viewers[1], title="Other", client_id=client_id)
    assert error.value.code == "duplicate_client_id"
    assert Topic.objects.count() == 1


def test_a_bad_client_id_is_refused(connect):
    with pytest.raises(CafeError) as error:
        services.propose_topic(viewer=connect.viewers[0], title="Housing", client_id="nope")
    assert error.value.code == "bad_client_id"
    assert not Topic.objects.exists()


def test_topics_belong_to_their_event(connect):
    other_event = EventFactory(series=connect.event.series, stage="connect")
    stranger = person(ParticipantFactory(event=other_event))
    topic = propose(connect.viewers[0], "Housing")
    with pytest.raises(CafeError) as error:
        services.sign_up(viewer=stranger, topic_id=topic.pk)
    assert error.value.code == "not_found"
    assert not SignUp.objects.filter(participant=stranger.participant).exists()


def test_the_review_team_and_explore_events_cannot_propose(connect):
    with pytest.raises(CafeError):
        propose(connect.reviewer, "Watching")
    explore_person = person(ParticipantFactory(event=EventFactory()))
    with pytest.raises(CafeError):
        propose(explore_person, "Not here")
    assert not Topic.objects.exists()


def test_only_a_facilitator_arranges_the_board(connect):
    for viewer in (connect.viewers[0], connect.table_host, connect.reviewer):
        with pytest.raises(CafeError) as error:
            services.add_space(viewer=viewer, name="Room A", capacity=8)
        assert error.value.code == "forbidden"
    space = services.add_space(viewer=connect.facilitator, name="Room A", capacity=8)
    assert space.capacity == 8
    with pytest.raises(CafeError):
        services.add_space(viewer=connect.facilitator, name="room a", capacity=8)
    with pytest.raises(CafeError):
        services.add_space(viewer=connect.facilitator, name="Room B", capacity=0)


def test_placing_by_hand_refuses_a_taken_place(connect):
    f = connect.facilitator
    room = services.add_space(viewer=f, name="Room A", capacity=8)
    slot = services.add_time_slot(viewer=f, label="11:00")
    housing = propose(connect.viewers[0], "Housing")
    school = propose(connect.viewers[1], "School")
    services.place_topic(viewer=f, topic_id=housing.pk, space_id=room.pk, slot_id=slot.pk)
    with pytest.raises(CafeError) as error:
        services.place_topic(viewer=f, topic_id=school.pk, space_id=room.pk, slot_id=slot.pk)
    assert error.value.code == "place_taken"
    school.refresh_from_db()
    assert school.space is None
    board = selectors.marketplace(viewer=connect.viewers[2])
    assert board.columns[0].cells[0].card.topic == housing
    assert [c.topic for c in board.unplaced] == [school]


def test_auto_place_puts_the_most_popular_topic_in_the_largest_space(connect):
    f = connect.facilitator
    small = services.add_space(viewer=f, name="Small", capacity=2)
    large = services.add_space(viewer=f, name="Large", capacity=20)
    services.add_time_slot(viewer=f, label="11:00")
    quiet = propose(connect.viewers[0], "Quiet topic")
    popular = propose(connect.viewers[1], "Popular topic")
    for viewer in connect.viewers[2:]:
        services.sign_up(viewer=viewer, topic_id=popular.pk)
    result = services.auto_place(viewer=f)
    popular.refresh_from_db()
    quiet.refresh_from_db()
    assert popular.space == large
    assert quiet.space == small
    assert result.clashes == 0
    assert result.unplaced == []


def test_signing_up_and_moving_between_spaces(connect):
    services.open_space(viewer=connect.facilitator)
    housing = propose(connect.viewers[0], "Housing")
    school = propose(connect.viewers[0], "School")
    robin = connect.viewers[1]
    seat = services.go_to_topic(viewer=robin, topic_id=housing.pk)
    assert seat.table == housing.table
    moved = services.go_to_topic(viewer=robin, topic_id=school.pk)
    assert moved.pk == seat.pk
    assert Seat.objects.get(participant=robin.participant).table == school.table
    assert set(
        SignUp.objects.filter(participant=robin.participant).values_list("topic", flat=True)
    ) == {housing.pk, school.pk}
    board = selectors.marketplace(viewer=robin)
    assert board.my_topic == school
    here = {c.topic.title: c.here for c in board.cards}
    assert here == {"Housing": 0, "School": 1}
    services.sign_up(viewer=robin, topic_id=housing.pk, on=False)
    assert not SignUp.objects.filter(participant=robin.participant, topic=housing).exists()


def test_moving_before_the_spaces_open_is_refused(connect):
    housing = propose(connect.viewers[0], "Housing")
    with pytest.raises(CafeError) as error:
        services.go_to_topic(viewer=connect.viewers[1], topic_id=housing.pk)
    assert error.value.code == "not_started"
    assert not Seat.objects.exists()


def test_staff_do_not_move_into_spaces(connect):
    services.open_space(viewer=connect.facilitator)
    housing = propose(connect.viewers[0], "Housing")
    with pytest.raises(CafeError):
        services.go_to_topic(viewer=connect.table_host, topic_id=housing.pk)


def test_merging_moves_sign_ups_to_the_kept_topic_once(connect):
    f = connect.facilitator
    room = services.add_space(viewer=f, name="Room", capacity=8)
    slot = services.add_time_slot(viewer=f, label="11:00")
    kept = propose(connect.viewers[0], "Foster carers' pay")
    duplicate = propose(connect.viewers[1], "Paying foster carers")
    services.place_topic(viewer=f, topic_id=duplicate.pk, space_id=room.pk, slot_id=slot.pk)
    services.sign_up(viewer=connect.viewers[2], topic_id=duplicate.pk)
    services.sign_up(viewer=connect.viewers[0], topic_id=duplicate.pk)  # signed up to both
    result = services.merge_topics(viewer=f, topic_id=duplicate.pk, into_id=kept.pk)
    assert result == kept
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert duplicate.space is None
    people = sorted(
        SignUp.objects.filter(topic=kept).values_list("participant__pseudonym", flat=True)
    )
    assert people == sorted(p.pseudonym for p in connect.people[:3])
    assert not SignUp.objects.filter(topic=duplicate).exists()
    # Signing up to, or going to, the merged topic lands on the kept one.
    services.sign_up(viewer=connect.viewers[3], topic_id=duplicate.pk)
    assert SignUp.objects.filter(topic=kept, participant=connect.people[3]).exists()
    board = selectors.marketplace(viewer=connect.viewers[0])
    assert [c.topic for c in board.cards] == [kept]
    with pytest.raises(CafeError) as error:
        services.merge_topics(viewer=f, topic_id=kept.pk, into_id=kept.pk)
    assert error.value.code == "bad_merge"
    with pytest.raises(CafeError):
        services.merge_topics(viewer=connect.viewers[0], topic_id=kept.pk, into_id=duplicate.pk)


def test_sign_ups_of_withdrawn_people_are_not_counted(connect):
    topic = propose(connect.viewers[0], "Housing")
    services.sign_up(viewer=connect.viewers[1], topic_id=topic.pk)
    connect.people[1].status = ParticipantStatus.WITHDRAWN
    connect.people[1].save()
    board = selectors.marketplace(viewer=connect.viewers[0])
    assert board.cards[0].signed_up == 1


def test_opening_the_spaces_twice_is_harmless(connect):
    first = services.open_space(viewer=connect.facilitator)
    second = services.open_space(viewer=connect.facilitator)
    assert first.pk == second.pk
    assert second.current_round.status == "open"
    assert not Seat.objects.exists()  # nobody is dealt a table in Open Space
