"""Who may do what at the café: the one place live permissions are decided.

A ``Viewer`` is whoever is on the other end of a page or socket: a participant (known from
the session) or a staff member (known from their login and memberships). Services ask these
functions before writing; views and the consumer ask them before showing anything.
"""

from dataclasses import dataclass, field

from cafes.models import Priority, Table
from events.models import Event, Participant, StaffRole, Stage

RUNNING_ROLES = frozenset({StaffRole.FACILITATOR, StaffRole.TABLE_HOST})


@dataclass(frozen=True)
class Viewer:
    event: Event
    participant: Participant | None = None
    user: object | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.participant is None and bool(self.roles)

    @property
    def name(self) -> str:
        if self.participant is not None:
            return self.participant.pseudonym
        return self.user.get_username() if self.user is not None else ""

    @property
    def key(self) -> str:
        """Stable label for presence and logs: ``p<id>`` or ``u<id>``."""
        return f"p{self.participant.pk}" if self.participant else f"u{self.user.pk}"


def can_watch(viewer: Viewer) -> bool:
    """See every table live: any staff role, the review team included (read-only)."""
    return viewer.is_staff


def can_run(viewer: Viewer) -> bool:
    """Start the café, seat, move, open/extend/close rounds, broadcast, pin chat."""
    return viewer.is_staff and StaffRole.FACILITATOR in viewer.roles


def chooses_own_table(event: Event) -> bool:
    """Open Space ("law of two feet"): at Connect and Create events people pick their own
    table and move whenever they like; at Explore events the facilitator seats them."""
    return event.stage != Stage.EXPLORE


def can_read_table(viewer: Viewer, table: Table) -> bool:
    """Staff read every table except a staff-free one whose group has not shared yet;
    participants read the table they sit at (checked by the caller)."""
    if viewer.participant is not None:
        return True
    return can_watch(viewer) and not table.closed_to_staff


def can_moderate(viewer: Viewer, table: Table, hosting_table_id: int | None = None) -> bool:
    """Tag, merge, hide notes and write the read-back: the table's host or a facilitator.

    A table with no staff host is kept by one of its participants (their seat has a
    ``SeatHosting``); the page calls them its host, so they tidy that table, and only that
    one, while their seat in the current round keeps it: ``hosting_table_id`` is that table
    (``selectors.hosted_table_id``). Staff-free tables are closed to staff only: a
    participant keeping one tidies it like any other.
    """
    if viewer.participant is not None:
        return hosting_table_id is not None and hosting_table_id == table.pk
    if table.closed_to_staff:
        return False
    if can_run(viewer):
        return True
    return (
        viewer.is_staff
        and StaffRole.TABLE_HOST in viewer.roles
        and table.host_id is not None
        and table.host_id == viewer.user.pk
    )


def can_write_at(viewer: Viewer, table: Table, seated_table_id: int | None) -> bool:
    """Post notes and priorities: the participants seated at the table, or its moderators."""
    if viewer.participant is not None:
        return seated_table_id == table.pk
    return can_moderate(viewer, table)


def can_chat(viewer: Viewer) -> bool:
    """Participants and the people running the event; the review team only watches."""
    return viewer.participant is not None or bool(viewer.roles & RUNNING_ROLES)


def can_remove_priority(
    viewer: Viewer, priority: Priority, hosting_table_id: int | None = None
) -> bool:
    """Take a priority off the table's board: whoever put it forward, or the table's moderators
    (a staff host's or facilitator's priority has no participant author)."""
    if viewer.participant is not None and priority.author_id == viewer.participant.pk:
        return True
    return can_moderate(viewer, priority.table, hosting_table_id)


def can_vote(viewer: Viewer, seated_table_id: int | None, table: Table) -> bool:
    return viewer.participant is not None and seated_table_id == table.pk


def can_answer(viewer: Viewer) -> bool:
    return viewer.participant is not None
