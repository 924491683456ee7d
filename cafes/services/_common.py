"""Helpers the café's services share: refusals, saving with validation, the open round, the
table a viewer writes at, authorship of a retried write, who is joined, and who hosts."""

from django.core.exceptions import ValidationError

from cafes import selectors
from cafes.checks import check_found
from cafes.errors import CafeError
from cafes.models import Cafe, Round, RoundStatus, Seat, Table
from cafes.permissions import Viewer, can_run, can_write_at
from events.models import Event
from events.selectors import active_participants


def _forbidden(message: str = "You cannot do that here.") -> CafeError:
    return CafeError("forbidden", message)


def _save(obj) -> None:
    # Foreign keys whose object the service already holds need no existence query each.
    loaded = [f.name for f in obj._meta.concrete_fields if f.is_relation and f.is_cached(obj)]
    try:
        obj.full_clean(exclude=loaded, validate_constraints=False)
    except ValidationError as error:
        messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        raise CafeError("invalid", messages) from None
    obj.save()


def _current_round(cafe: Cafe) -> Round:
    if cafe.current_round_id is None:
        raise CafeError("not_started", "The café has not started yet.")
    return cafe.current_round


def _open_round(cafe: Cafe) -> Round:
    return _check_open(_current_round(cafe))


def _check_open(round_: Round) -> Round:
    if round_.status != RoundStatus.OPEN:
        raise CafeError(
            "round_closed",
            f"Round {round_.number} is not open, so nothing can be added to the tables now.",
        )
    return round_


def _table_of_event(event: Event, table_id) -> Table:
    missing = CafeError("not_found", "There is no such table at this event.")
    return check_found(Table.objects.filter(event=event), table_id, what="table", missing=missing)


def _writable_table(viewer: Viewer, round_: Round, table_id=None) -> Table:
    """The table this viewer writes to: a participant's seat, or the table staff named."""
    if viewer.participant is not None:
        seat = (
            Seat.objects.select_related("table")
            .filter(round=round_, participant=viewer.participant)
            .first()
        )
        if seat is None:
            raise _forbidden("You do not have a seat at a table in this round.")
        table = seat.table
        if table_id is not None and table_id != table.pk:
            raise _forbidden("You can only write at your own table.")
        return table
    if table_id is None:
        raise CafeError("invalid", "Say which table: the frame needs a table id.")
    table = _table_of_event(viewer.event, table_id)
    if not can_write_at(viewer, table, None):
        raise _forbidden("Only the table's host or a facilitator can write at this table.")
    return table


def _require_run(viewer: Viewer) -> None:
    if not can_run(viewer):
        raise _forbidden("Only a facilitator can do that.")


def _author_fields(viewer: Viewer) -> dict:
    if viewer.participant is not None:
        return {"participant": viewer.participant, "role_code": viewer.participant.role_code}
    return {"author_user": viewer.user, "role_code": ""}


def _is_author(viewer: Viewer, obj) -> bool:
    if viewer.participant is not None:
        return obj.participant_id == viewer.participant.pk
    return obj.participant_id is None and obj.author_user_id == getattr(viewer.user, "pk", None)


def _same_author_or_refuse(viewer: Viewer, existing, *, is_author=_is_author):
    """A retry returns what the first attempt stored; another author's id is refused."""
    if not is_author(viewer, existing):
        raise CafeError("duplicate_client_id", "This client_id was already used by someone else.")
    return existing


def _joined(event: Event):
    return active_participants(event).order_by("created_at", "pk")


def _hosting(viewer: Viewer, cafe: Cafe) -> int | None:
    """The table a participant keeps in the current round (``None`` for staff: no query)."""
    return selectors.hosted_table_id(viewer=viewer, round_id=cafe.current_round_id)
