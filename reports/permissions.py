"""Who may read and compile reports: any staff role on an event downloads its report; the
series report is read by whoever sees the series' journey and compiled by a facilitator of
the series or of one of its events. Decided from the staff roles ``events.permissions``
reads; views, selectors and downloads ask here."""

from django.db.models import Q

from events.models import Event, Membership, Series, StaffRole
from events.permissions import User, can_view_series, staff_roles
from reports.models import ReportVersion


def can_download_reports(user: User, event: Event) -> bool:
    return bool(staff_roles(user, event))


def can_compile_series_report(user: User, series: Series) -> bool:
    """Ask for a new version of the series report: a facilitator of the series or of one of
    its events (whoever may ask for an Explore event's report; closing a Create event asks
    for one too)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        Membership.objects.filter(user=user, role=StaffRole.FACILITATOR)
        .filter(Q(series=series) | Q(event__series=series))
        .exists()
    )


def can_download_series_reports(user: User, series: Series) -> bool:
    """The series report shows what the series' journey page shows, so the same staff read
    it: any staff role on the series or on one of its events."""
    return can_view_series(user, series)


def can_download_version(user: User, version: ReportVersion) -> bool:
    if version.is_series:
        return can_download_series_reports(user, version.series)
    return can_download_reports(user, version.event)
