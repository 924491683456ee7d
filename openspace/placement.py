"""Placing Open Space topics on the marketplace by interest: a pure function, no database.

The facilitator's "place by interest" button calls ``place``. Its rules, in order:

1. **Fewest clashes.** A clash is a person signed up to two topics in the same time slot
   (they would be double-booked); ``clash_count`` counts one per extra topic per person per
   slot. Topics are spread over the slots to make that as small as possible.
2. **Popular topics get the largest spaces.** Within a slot, the topic with most sign-ups
   goes to the largest free space, the next to the next largest, and so on; this is the
   assignment that leaves the fewest people without room, and anyone left over is reported
   in ``overflow`` rather than hidden.
3. **No two topics in one space at one time,** and topics already placed by hand stay put.

When there are more topics than free places, the least popular ones are left unplaced and
reported. The slot search is exact (branch and bound, starting from a greedy placement)
for small boards, and falls back to the best placement found within ``search_limit`` steps
otherwise, which is never worse than the greedy one.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Cell = tuple[int, int]  # (space id, slot id)


@dataclass(frozen=True)
class SpaceSize:
    id: int
    capacity: int


@dataclass(frozen=True)
class Interest:
    """A topic and the people signed up for it."""

    topic: int
    people: frozenset[int]


@dataclass(frozen=True)
class Overflow:
    topic: int
    space: int
    signed_up: int
    capacity: int


@dataclass
class Placement:
    cells: dict[int, Cell] = field(default_factory=dict)  # topic -> (space, slot)
    unplaced: list[int] = field(default_factory=list)  # no free place left for these
    overflow: list[Overflow] = field(default_factory=list)
    clashes: int = 0
    exact: bool = True  # the slot search finished, so ``clashes`` is the least possible


def clash_count(
    slot_of: Mapping[int, int],
    people: Mapping[int, frozenset[int]],
    *,
    booked: Mapping[int, Mapping[int, int]] | None = None,
) -> int:
    """How many extra bookings people have: for each person and slot, the topics they are
    signed up to in that slot, minus one. ``booked`` counts topics already in each slot
    (placed by hand) per person."""
    seen: dict[tuple[int, int], int] = {
        (person, slot): count
        for slot, counts in (booked or {}).items()
        for person, count in counts.items()
    }
    for topic, slot in slot_of.items():
        for person in people.get(topic, ()):
            seen[(person, slot)] = seen.get((person, slot), 0) + 1
    return sum(count - 1 for count in seen.values() if count > 1)


def _added_clashes(topic_people: frozenset[int], booked: dict[int, int]) -> int:
    """Clashes added by putting a topic in a slot where ``booked`` counts people's topics."""
    return sum(1 for person in topic_people if booked.get(person, 0) > 0)


def place(
    *,
    spaces: Iterable[SpaceSize],
    slots: Iterable[int],
    interests: Iterable[Interest],
    fixed: Mapping[int, Cell] | None = None,
    search_limit: int = 200_000,
) -> Placement:
    """Place every topic in ``interests`` not in ``fixed`` (see the module docstring)."""
    spaces = sorted(spaces, key=lambda s: (-s.capacity, s.id))
    slots = list(slots)
    interests = list(interests)
    fixed = dict(fixed or {})
    people = {i.topic: i.people for i in interests}
    taken = set(fixed.values())
    free = {slot: [s for s in spaces if (s.id, slot) not in taken] for slot in slots}
    room = {slot: len(free[slot]) for slot in slots}

    movable = sorted(
        (i for i in interests if i.topic not in fixed), key=lambda i: (-len(i.people), i.topic)
    )
    places = sum(room.values())
    to_place, unplaced = movable[:places], [i.topic for i in movable[places:]]

    booked: dict[int, dict[int, int]] = {slot: {} for slot in slots}
    for topic, (_space, slot) in fixed.items():
        if slot in booked:
            for person in people.get(topic, ()):
                booked[slot][person] = booked[slot].get(person, 0) + 1

    best, exact = _search_slots(to_place, slots, room, booked, search_limit)
    cells = dict(fixed)
    for slot in slots:
        here = sorted(
            (i for i in to_place if best[i.topic] == slot), key=lambda i: (-len(i.people), i.topic)
        )
        for interest, space in zip(here, free[slot], strict=False):
            cells[interest.topic] = (space.id, slot)
    capacity = {s.id: s.capacity for s in spaces}
    overflow = [
        Overflow(topic, space, len(people.get(topic, ())), capacity[space])
        for topic, (space, _slot) in cells.items()
        if space in capacity and len(people.get(topic, ())) > capacity[space]
    ]
    slot_of = {topic: slot for topic, (_space, slot) in cells.items()}
    return Placement(
        cells=cells,
        unplaced=unplaced,
        overflow=overflow,
        clashes=clash_count(slot_of, people),
        exact=exact,
    )


def _search_slots(to_place, slots, room, booked, limit) -> tuple[dict[int, int], bool]:
    """Choose a slot for each topic with the fewest clashes, respecting each slot's room."""
    # Greedy first: each topic (most popular first) to the slot where it clashes least, then
    # the one with most room left; this is the bound the exact search has to beat.
    left = dict(room)
    counts = {slot: dict(b) for slot, b in booked.items()}
    greedy: dict[int, int] = {}
    greedy_cost = 0
    for interest in to_place:
        slot = min(
            (s for s in slots if left[s] > 0),
            key=lambda s: (_added_clashes(interest.people, counts[s]), -left[s], slots.index(s)),
        )
        greedy_cost += _added_clashes(interest.people, counts[slot])
        greedy[interest.topic] = slot
        left[slot] -= 1
        for person in interest.people:
            counts[slot][person] = counts[slot].get(person, 0) + 1

    # Filling the slots in order is the naive plan; the search starts from the better one,
    # so the answer is never worse than either.
    naive = dict(
        zip(
            [i.topic for i in to_place],
            [slot for slot in slots for _ in range(room[slot])],
            strict=False,
        )
    )
    # Costs count only the clashes the movable topics add to those placed by hand.
    naive_cost = clash_count(
        naive, {i.topic: i.people for i in to_place}, booked=booked
    ) - clash_count({}, {}, booked=booked)
    best = {"cost": greedy_cost, "slots": greedy}
    if naive_cost < greedy_cost:
        best = {"cost": naive_cost, "slots": naive}
    steps = 0
    left = dict(room)
    counts = {slot: dict(b) for slot, b in booked.items()}
    chosen: dict[int, int] = {}

    def descend(index: int, cost: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > limit:
            return False
        if cost >= best["cost"]:
            return True
        if index == len(to_place):
            best["cost"], best["slots"] = cost, dict(chosen)
            return True
        interest = to_place[index]
        tried_empty: set[int] = set()
        for slot in slots:
            if left[slot] == 0:
                continue
            added = _added_clashes(interest.people, counts[slot])
            # Untouched slots with the same room are interchangeable: trying one is enough.
            if left[slot] == room[slot] and not counts[slot]:
                if room[slot] in tried_empty:
                    continue
                tried_empty.add(room[slot])
            chosen[interest.topic] = slot
            left[slot] -= 1
            for person in interest.people:
                counts[slot][person] = counts[slot].get(person, 0) + 1
            finished = descend(index + 1, cost + added)
            for person in interest.people:
                counts[slot][person] -= 1
                if not counts[slot][person]:
                    del counts[slot][person]
            left[slot] += 1
            del chosen[interest.topic]
            if not finished:
                return False
        return True

    exact = best["cost"] == 0 or descend(0, 0)
    return best["slots"], exact
