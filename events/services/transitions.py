"""An event's status: the moves it may make, and the one function that makes them."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import dateformat

from events import hooks, selectors
from events.errors import EventsError
from events.models import Event, EventStatus, StatusChange

# The only moves an event's status may make; anything else is refused by transition_event.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    EventStatus.DRAFT: (EventStatus.SCHEDULED,),
    EventStatus.SCHEDULED: (EventStatus.LIVE, EventStatus.DRAFT),
    EventStatus.LIVE: (EventStatus.CLOSED,),
    EventStatus.CLOSED: (EventStatus.ARCHIVED,),
    EventStatus.ARCHIVED: (),
}


class StartDateNotToday(EventsError):
    """Going live on a day that is not the event's: refused until the facilitator confirms."""

    def __init__(self, *, event: Event, scheduled: date) -> None:
        self.scheduled = scheduled
        super().__init__(
            f"“{event.title}” is scheduled for {dateformat.format(scheduled, 'l j F Y')} "
            f"({event.timezone}), not today. Participants who join now will find it running."
        )


@transaction.atomic
def transition_event(
    *, event: Event, to: str, by: AbstractBaseUser | None, ask_if_off_day: bool = False
) -> Event:
    """Move an event to another status, or refuse if that move is not allowed.

    With ``ask_if_off_day`` (a person pressed "Go live" and has not yet confirmed), going
    live on a day other than the event's own date, on its clock, is refused with
    :class:`StartDateNotToday` and nothing is stored. Scripts and demos that start an event
    on purpose leave it off.

    Closing an event runs the registered event-closed hooks (reports start compiling) in
    the same transaction."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    allowed = TRANSITIONS.get(locked.status, ())
    if to not in allowed:
        current = locked.get_status_display().lower()
        target = EventStatus(to).label.lower() if to in EventStatus.values else repr(to)
        options = ", ".join(EventStatus(s).label.lower() for s in allowed) or "nothing else"
        raise EventsError(f"A {current} event can't become {target}. It can become: {options}.")
    if to == EventStatus.LIVE and ask_if_off_day:
        scheduled = selectors.starts_on_another_day(locked)
        if scheduled is not None:
            raise StartDateNotToday(event=locked, scheduled=scheduled)
    StatusChange.objects.create(
        event=locked, from_status=locked.status, to_status=to, changed_by=by
    )
    locked.status = to
    locked.save(update_fields=["status"])
    event.status = to
    if to == EventStatus.CLOSED:
        hooks.run_event_closed_hooks(event=locked, closed_by=by)
    return locked
