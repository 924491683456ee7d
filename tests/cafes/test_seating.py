"""Property tests of seating and rotation (pure functions, no database).

Measured with ``python manage.py seating_report`` (numbers in docs/protocol.md).
"""

import itertools
from math import comb

from hypothesis import given, settings
from hypothesis import strategies as st

from cafes.seating import (
    Newcomer,
    balanced_sizes,
    first_seating,
    pairs_met,
    place_newcomer,
    repeated_pairs,
    rotate,
    table_count,
)

ROLES = ["BP", "BF", "CEYP", "SW"]


def least_repeats(previous, tables: int) -> int:
    """Pigeonhole bound: ``s`` people of one old table spread over ``tables`` tables
    cannot do better than splitting as evenly as possible."""
    total = 0
    for table in previous:
        q, r = divmod(len(table), tables)
        total += r * comb(q + 1, 2) + (tables - r) * comb(q, 2)
    return total


def everyone_once(plan, people) -> bool:
    seated = [p for table in plan for p in table]
    return sorted(seated) == sorted(people)


def balanced(plan) -> bool:
    sizes = [len(t) for t in plan]
    return max(sizes) - min(sizes) <= 1


people_and_sizes = st.tuples(st.integers(min_value=2, max_value=48), st.integers(2, 8))


@given(people_and_sizes, st.lists(st.sampled_from(ROLES), min_size=48, max_size=48))
def test_first_seating_seats_everyone_once_balanced_and_spreads_roles(case, roles):
    count, size = case
    people = [Newcomer(i, roles[i]) for i in range(count)]
    tables = table_count(count, size)
    plan = first_seating(people, tables)

    assert len(plan) == tables
    assert everyone_once(plan, range(count))
    assert balanced(plan)
    assert max(len(t) for t in plan) <= size
    for role in set(roles[:count]):
        per_table = [sum(1 for p in t if roles[p] == role) for t in plan]
        assert max(per_table) - min(per_table) <= 1


@settings(max_examples=150, deadline=None)
@given(people_and_sizes, st.integers(0, 3), st.integers(0, 1000))
def test_rotation_keeps_anchors_balances_tables_and_repeats_as_few_pairs_as_possible(
    case, anchor_tables, seed
):
    count, size = case
    tables = table_count(count, size)
    round_1 = first_seating([Newcomer(i) for i in range(count)], tables)
    anchors = {t[0] for t in round_1[:anchor_tables] if t}

    round_2 = rotate(round_1, anchors=anchors, seed=seed)

    assert everyone_once(round_2, range(count))
    assert balanced(round_2)
    for index, table in enumerate(round_1):
        for person in table:
            if person in anchors:
                assert person in round_2[index]
    repeats = repeated_pairs(round_2, pairs_met([round_1]))
    assert repeats == least_repeats(round_1, tables)
    if tables >= size:
        assert repeats == 0


@settings(max_examples=60, deadline=None)
@given(st.integers(12, 40), st.integers(3, 5))
def test_a_third_round_new_mix_still_seats_everyone_once_and_balanced(count, size):
    tables = table_count(count, size)
    round_1 = first_seating([Newcomer(i) for i in range(count)], tables)
    round_2 = rotate(round_1, seed=2)
    round_3 = rotate(round_2, met=pairs_met([round_1, round_2]), seed=3)
    assert everyone_once(round_3, range(count))
    assert balanced(round_3)


def test_twenty_people_at_tables_of_four_meet_only_new_people_in_round_two():
    round_1 = first_seating([Newcomer(i) for i in range(20)], 5)
    round_2 = rotate(round_1)
    met = pairs_met([round_1])
    assert all(
        frozenset(pair) not in met for table in round_2 for pair in itertools.combinations(table, 2)
    )


def test_a_late_arrival_goes_to_the_emptiest_table_unless_all_are_full():
    assert place_newcomer([4, 3, 4], 4) == 1
    assert place_newcomer([4, 4], 4) is None
    assert place_newcomer([], 4) is None
    assert balanced_sizes(10, 3) == [4, 3, 3]
