"""Who may download a report version's files: the event's rules for an event's report, the
series' for the series report (the decisions themselves live in ``events.permissions``)."""

from events.permissions import User, can_download_reports, can_download_series_reports
from reports.models import ReportVersion


def can_download_version(user: User, version: ReportVersion) -> bool:
    if version.is_series:
        return can_download_series_reports(user, version.series)
    return can_download_reports(user, version.event)
