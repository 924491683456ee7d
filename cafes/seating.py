"""Who sits where: pure seating and rotation plans, with no database, so they can be
property-tested. ``cafes.services`` turns a plan into ``Seat`` rows.

A plan is a list of tables, each a list of person ids. People are dealt so that tables are
balanced within one seat; rotation keeps anchors (participants hosting a table) in place and
sends everyone else to a table where they meet as few people they have already sat with as
possible.
"""

import itertools
import random
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

Person = Hashable
Plan = list[list[Person]]

# Cost of one repeated pair against one person who did not move to a new table: meeting new
# people matters most, staying put when told to move is the next worst thing.
REPEAT_COST = 10
STAY_COST = 4


@dataclass(frozen=True)
class Newcomer:
    person: Person
    group: str = ""


def table_count(people: int, table_size: int) -> int:
    """How many tables seat ``people`` at no more than ``table_size`` each (at least one)."""
    return max(1, -(-people // max(1, table_size)))


def balanced_sizes(people: int, tables: int) -> list[int]:
    base, extra = divmod(people, tables)
    return [base + (1 if i < extra else 0) for i in range(tables)]


def first_seating(people: Sequence[Newcomer], tables: int) -> Plan:
    """Deal people to ``tables`` so each group (role code) is spread as evenly as possible.

    People are sorted by group, largest group first, and dealt round the tables in turn, so
    tables differ by at most one seat and a role never crowds one table.
    """
    by_group: dict[str, list[Person]] = defaultdict(list)
    for newcomer in people:
        by_group[newcomer.group].append(newcomer.person)
    order = sorted(by_group.values(), key=len, reverse=True)
    plan: Plan = [[] for _ in range(tables)]
    for index, person in enumerate(itertools.chain.from_iterable(order)):
        plan[index % tables].append(person)
    return plan


def pairs_met(plans: Iterable[Plan]) -> set[frozenset]:
    met: set[frozenset] = set()
    for plan in plans:
        for table in plan:
            met.update(frozenset(pair) for pair in itertools.combinations(table, 2))
    return met


def repeated_pairs(plan: Plan, met: set[frozenset]) -> int:
    return sum(
        1 for table in plan for pair in itertools.combinations(table, 2) if frozenset(pair) in met
    )


def rotate(
    previous: Plan,
    *,
    anchors: Iterable[Person] = (),
    met: set[frozenset] | None = None,
    seed: int = 0,
    effort: int = 4000,
) -> Plan:
    """A new plan for the same people and tables: anchors stay, the others move.

    ``met`` holds the pairs who have already sat together (by default those of ``previous``).
    The result keeps table sizes within one of each other and minimises repeated pairs, then
    people left at their old table, by a rotation à la World Café (person *j* of table *i*
    goes to table *i + j*) improved by a local search of swaps.
    """
    rng = random.Random(seed)
    anchors = set(anchors)
    met = pairs_met([previous]) if met is None else met
    tables = len(previous)
    home = {person: index for index, table in enumerate(previous) for person in table}
    if tables <= 1:
        return [list(table) for table in previous]

    sizes = balanced_sizes(len(home), tables)
    plan: Plan = [[p for p in table if p in anchors] for table in previous]
    movers: list[tuple[Person, int]] = []
    for index, table in enumerate(previous):
        position = 0
        for person in table:
            if person not in anchors:
                position += 1
                movers.append((person, (index + position) % tables))
    # Tables with more anchors than seats keep them all; the others share what remains.
    capacity = [max(0, sizes[i] - len(plan[i])) for i in range(tables)]
    overflow: list[Person] = []
    for person, wanted in movers:
        if capacity[wanted] > 0:
            plan[wanted].append(person)
            capacity[wanted] -= 1
        else:
            overflow.append(person)
    for person in overflow:
        target = max(range(tables), key=lambda i: (capacity[i], -len(plan[i])))
        plan[target].append(person)
        capacity[target] -= 1

    return _improve(plan, anchors=anchors, met=met, home=home, rng=rng, effort=effort)


def _cost_at(table: list[Person], index: int, met: set[frozenset], home: dict, anchors) -> int:
    repeats = sum(1 for pair in itertools.combinations(table, 2) if frozenset(pair) in met)
    stays = sum(1 for p in table if p not in anchors and home.get(p) == index)
    return repeats * REPEAT_COST + stays * STAY_COST


def plan_cost(plan: Plan, *, met: set[frozenset], home: dict, anchors=()) -> int:
    anchors = set(anchors)
    return sum(_cost_at(table, i, met, home, anchors) for i, table in enumerate(plan))


def _improve(plan: Plan, *, anchors, met, home, rng, effort: int) -> Plan:
    """Lower the cost by swapping two movers between tables, or by moving one mover from a
    fuller table to an emptier one (sizes stay within one of each other)."""
    costs = [_cost_at(t, i, met, home, anchors) for i, t in enumerate(plan)]
    movable = [(i, p) for i, t in enumerate(plan) for p in t if p not in anchors]
    if sum(costs) == 0 or not movable:
        return plan
    for _ in range(effort):
        a, b = rng.sample(range(len(plan)), 2)
        left = [p for p in plan[a] if p not in anchors]
        if not left:
            continue
        x = rng.choice(left)
        if len(plan[a]) > len(plan[b]):
            new_a = [p for p in plan[a] if p != x]
            new_b = [*plan[b], x]
        else:
            right = [p for p in plan[b] if p not in anchors]
            if not right:
                continue
            y = rng.choice(right)
            new_a = [y if p == x else p for p in plan[a]]
            new_b = [x if p == y else p for p in plan[b]]
        cost_a = _cost_at(new_a, a, met, home, anchors)
        cost_b = _cost_at(new_b, b, met, home, anchors)
        if cost_a + cost_b <= costs[a] + costs[b]:
            plan[a], plan[b], costs[a], costs[b] = new_a, new_b, cost_a, cost_b
            if sum(costs) == 0:
                break
    return plan


def place_newcomer(sizes: Sequence[int], table_size: int) -> int | None:
    """The table a late arrival joins: the emptiest one, or ``None`` if all are full."""
    if not sizes:
        return None
    index = min(range(len(sizes)), key=lambda i: (sizes[i], i))
    return index if sizes[index] < table_size else None
