"""Property tests of placing topics by interest (``openspace.placement``, a pure function).

Checked for any board and sign-ups: every topic is placed once or reported unplaced, no two
topics share a space at one time, hand-placed topics stay put, anyone with more sign-ups
than their space holds is reported, within a slot the more popular topic never gets the
smaller space, and the clashes (people double-booked) are never more than a naive
placement's and, on small boards, exactly the least possible (found by brute force).
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from openspace.placement import Interest, SpaceSize, clash_count, place

PEOPLE = st.frozensets(st.integers(min_value=1, max_value=8), max_size=6)


@st.composite
def boards(draw, max_topics=7, max_spaces=3, max_slots=3):
    spaces = [
        SpaceSize(id=100 + i, capacity=draw(st.integers(min_value=1, max_value=6)))
        for i in range(draw(st.integers(min_value=1, max_value=max_spaces)))
    ]
    slots = [200 + i for i in range(draw(st.integers(min_value=1, max_value=max_slots)))]
    topics = draw(st.integers(min_value=0, max_value=max_topics))
    interests = [Interest(topic=i + 1, people=draw(PEOPLE)) for i in range(topics)]
    return spaces, slots, interests


def naive_clashes(spaces, slots, interests) -> int:
    """Topics in the order given, filling each slot's spaces before the next slot."""
    cells = itertools.product(slots, spaces)
    slot_of = {i.topic: slot for i, (slot, _space) in zip(interests, cells, strict=False)}
    placed = [i for i in interests if i.topic in slot_of]
    return clash_count(slot_of, {i.topic: i.people for i in placed}), {i.topic for i in placed}


def least_clashes(spaces, slots, interests) -> int:
    """Brute force: the fewest clashes over every way of putting these topics in slots
    (each slot holding at most one topic per space)."""
    people = {i.topic: i.people for i in interests}
    best = None
    for choice in itertools.product(slots, repeat=len(interests)):
        if any(choice.count(slot) > len(spaces) for slot in slots):
            continue
        cost = clash_count(dict(zip([i.topic for i in interests], choice, strict=True)), people)
        best = cost if best is None else min(best, cost)
    return best or 0


def check_basic_rules(spaces, slots, interests, result, fixed=None):
    fixed = fixed or {}
    capacity = {s.id: s.capacity for s in spaces}
    signed = {i.topic: len(i.people) for i in interests}
    cells = list(result.cells.values())
    assert len(cells) == len(set(cells)), "two topics share a space at one time"
    assert set(result.cells) | set(result.unplaced) == {i.topic for i in interests}
    assert not set(result.cells) & set(result.unplaced)
    for topic, cell in fixed.items():
        assert result.cells[topic] == cell
    for topic, (space, slot) in result.cells.items():
        assert space in capacity
        assert slot in slots
        overflowing = signed[topic] > capacity[space]
        reported = any(o.topic == topic for o in result.overflow)
        assert overflowing == reported, "capacity: overflow must be reported, and only then"
    # Unplaced only when every place is taken, and never a more popular topic than a placed one.
    if result.unplaced:
        assert len(result.cells) == len(spaces) * len(slots)
        auto = [signed[t] for t in result.cells if t not in fixed]
        assert all(signed[t] <= min(auto) for t in result.unplaced) if auto else True
    # Within a slot, a more popular topic never has a smaller space than a less popular one.
    for slot in slots:
        here = [
            (signed[t], capacity[s])
            for t, (s, sl) in result.cells.items()
            if sl == slot and t not in fixed
        ]
        for (a_signed, a_cap), (b_signed, b_cap) in itertools.combinations(here, 2):
            if a_signed > b_signed:
                assert a_cap >= b_cap
            elif b_signed > a_signed:
                assert b_cap >= a_cap


@settings(max_examples=300, deadline=None)
@given(boards())
def test_small_boards_are_placed_with_the_fewest_clashes_possible(board):
    spaces, slots, interests = board
    result = place(spaces=spaces, slots=slots, interests=interests)
    check_basic_rules(spaces, slots, interests, result)
    placed = [i for i in interests if i.topic in result.cells]
    assert result.exact
    assert result.clashes == least_clashes(spaces, slots, placed)
    assert result.clashes == clash_count(
        {t: slot for t, (_s, slot) in result.cells.items()}, {i.topic: i.people for i in interests}
    )


@settings(max_examples=200, deadline=None)
@given(boards())
def test_nobody_is_double_booked_when_that_can_be_avoided(board):
    spaces, slots, interests = board
    result = place(spaces=spaces, slots=slots, interests=interests)
    placed = [i for i in interests if i.topic in result.cells]
    if least_clashes(spaces, slots, placed) == 0:
        assert result.clashes == 0


@settings(max_examples=100, deadline=None)
@given(boards(max_topics=14, max_spaces=4, max_slots=4))
def test_larger_boards_are_never_worse_than_naive(board):
    spaces, slots, interests = board
    result = place(spaces=spaces, slots=slots, interests=interests, search_limit=5_000)
    check_basic_rules(spaces, slots, interests, result)
    by_popularity = sorted(interests, key=lambda i: (-len(i.people), i.topic))
    naive, naive_placed = naive_clashes(spaces, slots, by_popularity)
    assert set(result.cells) == naive_placed
    assert result.clashes <= naive


@settings(max_examples=150, deadline=None)
@given(boards(), st.data())
def test_topics_placed_by_hand_stay_put(board, data):
    spaces, slots, interests = board
    free = [(s.id, slot) for s in spaces for slot in slots]
    chosen = (
        data.draw(st.lists(st.sampled_from(interests), unique=True, max_size=3))
        if interests
        else []
    )
    cells = data.draw(st.permutations(free))[: len(chosen)]
    fixed = {i.topic: cell for i, cell in zip(chosen, cells, strict=False)}
    result = place(spaces=spaces, slots=slots, interests=interests, fixed=fixed)
    check_basic_rules(spaces, slots, interests, result, fixed)


def test_two_topics_sharing_people_go_to_different_slots():
    spaces = [SpaceSize(1, 10), SpaceSize(2, 10)]
    interests = [
        Interest(1, frozenset({1, 2, 3})),
        Interest(2, frozenset({1, 2})),
        Interest(3, frozenset({7})),
        Interest(4, frozenset({8})),
    ]
    result = place(spaces=spaces, slots=[10, 20], interests=interests)
    assert result.clashes == 0
    assert result.cells[1][1] != result.cells[2][1]


def test_too_many_topics_leaves_the_least_popular_unplaced_and_reports_overflow():
    spaces = [SpaceSize(1, 2)]
    interests = [Interest(1, frozenset({1, 2, 3})), Interest(2, frozenset({4}))]
    result = place(spaces=spaces, slots=[10], interests=interests)
    assert result.cells == {1: (1, 10)}
    assert result.unplaced == [2]
    assert [(o.topic, o.signed_up, o.capacity) for o in result.overflow] == [(1, 3, 2)]
