"""Starting the café: the event goes live, its rounds and tables are made, and (at an
Explore event) everyone is seated for round 1 with a host at each table."""

from django.db import transaction
from django.db.models import Q

from cafes import hooks, news, seating
from cafes.errors import CafeError
from cafes.models import Cafe, CafePhase, Round, Seat, SeatHosting, Table
from cafes.permissions import Viewer, chooses_own_table
from cafes.services._common import _joined, _require_run
from cafes.services._locks import _lock_event_row
from events import services as event_services
from events.models import Event, EventStatus, Membership, StaffRole
from events.selectors import round_prompts

DEFAULT_ROUNDS = [
    ("What has helped or hindered your experience?", 30),
    ("What problems, strengths and possibilities do you hear across the stories?", 30),
    ("Which three solutions matter most to your table?", 25),
]


def _table_hosts(event: Event) -> list:
    memberships = (
        Membership.objects.filter(role=StaffRole.TABLE_HOST)
        .filter(Q(event=event) | Q(series_id=event.series_id))
        .select_related("user")
        .order_by("pk")
    )
    users, seen = [], set()
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            users.append(membership.user)
    return users


def ensure_rounds(*, event: Event) -> list[Round]:
    """The event's rounds, created from its café-round agenda segments the first time."""
    existing = {r.number: r for r in Round.objects.filter(event=event)}
    own_table_round = hooks.own_table_round(event) if chooses_own_table(event) else None
    if own_table_round is not None:
        plan = [own_table_round]
    else:
        segments = round_prompts(event)
        plan = [(s.prompt or s.title, s.planned_minutes) for s in segments] or DEFAULT_ROUNDS
    for number, (prompt, minutes) in enumerate(plan, start=1):
        if number not in existing:
            existing[number] = Round.objects.create(
                event=event, number=number, prompt=prompt, planned_minutes=minutes
            )
    return [existing[n] for n in sorted(existing)]


def ensure_table(*, event: Event, number: int, name: str = "") -> Table:
    table, _ = Table.objects.get_or_create(event=event, number=number, defaults={"name": name})
    return table


@transaction.atomic
def start_cafe(*, viewer: Viewer, ask_if_off_day: bool = False) -> Cafe:
    """Open the café: tables of the event's size, rounds from its agenda, everyone seated for
    round 1 with role codes spread across tables, a host at each table. Starting twice is
    harmless: the second call returns the running café.

    With ``ask_if_off_day`` (a facilitator pressed the button and has not confirmed), a
    scheduled event whose date is not today is refused (``off_day``) and nothing is stored."""
    _require_run(viewer)
    event = _lock_event_row(viewer.event)
    cafe = Cafe.objects.filter(event=event).first()
    if cafe is not None:
        return cafe
    _go_live(event, viewer, ask_if_off_day=ask_if_off_day)
    rounds = ensure_rounds(event=event)
    if chooses_own_table(event):
        # Open Space: nobody is dealt a table; people choose one (``choose_table``).
        cafe = Cafe.objects.create(event=event, phase=CafePhase.SEATED, current_round=rounds[0])
        news.record(event=event, kind="cafe.started", payload={"round": 1})
        return cafe
    people = list(_joined(event))
    count = max(seating.table_count(len(people), event.table_size), event.tables.count())
    tables = [ensure_table(event=event, number=n) for n in range(1, count + 1)]
    hosts = _table_hosts(event)
    for table, host in zip(tables, hosts, strict=False):
        if table.host_id is None:
            table.host = host
            table.save(update_fields=["host"])
    plan = seating.first_seating([seating.Newcomer(p.pk, p.role_code) for p in people], len(tables))
    _create_seats(rounds[0], tables, plan, anchors=_first_anchors(tables, plan))
    cafe = Cafe.objects.create(event=event, phase=CafePhase.SEATED, current_round=rounds[0])
    news.record(event=event, kind="cafe.started", payload={"round": 1})
    return cafe


def start_cafe_on_request(
    *, viewer: Viewer, client_id: str | None = None, confirm_date: object = False
) -> Cafe:
    """The console's "Start the café": on a day that is not the event's own, it asks first
    (issue 17); the facilitator's confirmation comes back as ``confirm_date``."""
    return start_cafe(viewer=viewer, ask_if_off_day=confirm_date is not True)


def _go_live(event: Event, viewer: Viewer, *, ask_if_off_day: bool = False) -> None:
    """Starting the café is the moment the event goes live on the series overview."""
    if event.status == EventStatus.SCHEDULED:
        try:
            event_services.transition_event(
                event=event, to=EventStatus.LIVE, by=viewer.user, ask_if_off_day=ask_if_off_day
            )
        except event_services.StartDateNotToday as refusal:
            raise CafeError("off_day", f"{refusal.messages[0]} Start it now anyway?") from None
    elif event.status == EventStatus.DRAFT:
        raise CafeError(
            "not_scheduled",
            "This event is still a draft. Schedule it first, so that people can join.",
        )
    elif event.status != EventStatus.LIVE:
        raise CafeError("ended", "This event has closed, so its café cannot start again.")


def _first_anchors(tables: list[Table], plan: seating.Plan) -> set[int]:
    """At a table with no staff host, the first person seated keeps it on rotation."""
    return {
        people[0]
        for table, people in zip(tables, plan, strict=True)
        if people and not table.host_id
    }


def _create_seats(round_: Round, tables: list[Table], plan: seating.Plan, *, anchors) -> None:
    for table, people in zip(tables, plan, strict=True):
        for participant_id in people:
            seat = Seat.objects.create(round=round_, table=table, participant_id=participant_id)
            if participant_id in anchors:
                SeatHosting.objects.create(seat=seat)
