"""Staff roles on a series (and so all its events) or on one event."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from events.errors import EventsError
from events.models import Event, Membership, Series, StaffRole


@transaction.atomic
def grant_role(
    *,
    user: AbstractBaseUser,
    role: StaffRole,
    series: Series | None = None,
    event: Event | None = None,
) -> Membership:
    """Give a staff member a role on a series (and so all its events) or on one event."""
    if (series is None) == (event is None):
        raise EventsError("A role is given on a series or on one event, not both.")
    if role not in StaffRole.values:
        raise EventsError({"role": f"“{role}” is not a staff role."})
    membership, _ = Membership.objects.get_or_create(
        user=user, role=role, series=series, event=event
    )
    return membership


@transaction.atomic
def revoke_role(*, membership: Membership) -> None:
    membership.delete()
