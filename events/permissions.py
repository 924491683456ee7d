"""Who may do what to a series or an event: the one place staff permissions on them are
decided (``harvest.permissions`` and ``reports.permissions`` decide their own apps' actions
from these roles).

Views, consumers and downloads ask these functions; a matrix test covers every role.
A role held on a series holds on all its events. Superusers may do everything.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from events.models import Event, Membership, Series, StaffRole

User = AbstractBaseUser | AnonymousUser


def staff_roles(user: User, event: Event) -> set[str]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(StaffRole.values)
    return set(
        Membership.objects.filter(user=user)
        .filter(Q(event=event) | Q(series_id=event.series_id))
        .values_list("role", flat=True)
    )


def series_roles(user: User, series: Series) -> set[str]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(StaffRole.values)
    return set(Membership.objects.filter(user=user, series=series).values_list("role", flat=True))


def can_create_series(user: User) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def can_manage_series(user: User, series: Series) -> bool:
    return StaffRole.FACILITATOR in series_roles(user, series)


def can_manage_event(user: User, event: Event) -> bool:
    """Edit, schedule, invite, run rounds, move people, close: the facilitator's powers."""
    return StaffRole.FACILITATOR in staff_roles(user, event)


def can_host_tables(user: User, event: Event) -> bool:
    """Tidy, tag, merge and hide notes, read back: table hosts (and facilitators)."""
    return bool(staff_roles(user, event) & {StaffRole.FACILITATOR, StaffRole.TABLE_HOST})


def can_watch_event(user: User, event: Event) -> bool:
    """See every table live, read-only: any staff role on the event, review team included."""
    return bool(staff_roles(user, event))


def can_view_series(user: User, series: Series) -> bool:
    """See the series overview: any staff role on the series or on one of its events."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        Membership.objects.filter(user=user)
        .filter(Q(series=series) | Q(event__series=series))
        .exists()
    )
