"""Reads of the reports app: what a person may see on a series' reports page."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from events.models import Event, Series
from events.permissions import can_download_reports, can_manage_event
from reports.models import Download, ReportFile, ReportFormat, ReportStatus, ReportVersion

DOWNLOADS_SHOWN = 50


@dataclass
class EventReports:
    event: Event
    versions: list[ReportVersion]
    can_compile: bool  # a facilitator of the event: may compile, sees the downloads
    downloads: list[Download] = field(default_factory=list)

    @property
    def in_progress(self) -> bool:
        return any(v.status in {ReportStatus.QUEUED, ReportStatus.RUNNING} for v in self.versions)


def _files_in_order(version: ReportVersion) -> list[ReportFile]:
    """The formats people read first (PDF, Word) first; the data last."""
    order = list(ReportFormat.values)
    return sorted(version.files.all(), key=lambda f: order.index(f.format))


def versions_of(*, event: Event) -> QuerySet[ReportVersion]:
    return (
        ReportVersion.objects.filter(event=event)
        .select_related("requested_by")
        .prefetch_related(Prefetch("files", ReportFile.objects.order_by("id")))
        .order_by("-number")
    )


def downloads_of(*, event: Event) -> QuerySet[Download]:
    return Download.objects.filter(report_file__version__event=event).select_related(
        "report_file__version"
    )


def reports_for_series(*, series: Series, user: AbstractBaseUser) -> list[EventReports]:
    """Every event of the series whose reports ``user`` may download, newest version first,
    with the download trail for the events ``user`` facilitates."""
    out = []
    for event in series.events.select_related("stakeholder_group").order_by("starts_at", "id"):
        if not can_download_reports(user, event):
            continue
        versions = list(versions_of(event=event))
        for version in versions:
            version.ordered_files = _files_in_order(version)
        manage = can_manage_event(user, event)
        downloads = list(downloads_of(event=event)[:DOWNLOADS_SHOWN]) if manage else []
        out.append(EventReports(event, versions, manage, downloads))
    return out


def report_file(*, pk: int) -> ReportFile | None:
    return (
        ReportFile.objects.select_related("version__event__series")
        .filter(pk=pk, version__status=ReportStatus.DONE)
        .first()
    )
