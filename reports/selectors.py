"""Reads of the reports app: what a person may see on a series' reports page (the series
report, then each event's)."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from events.models import Event, Series
from events.permissions import can_manage_event
from reports.models import Download, ReportFile, ReportFormat, ReportStatus, ReportVersion
from reports.permissions import (
    can_compile_series_report,
    can_download_reports,
    can_download_series_reports,
)

DOWNLOADS_SHOWN = 50


@dataclass(kw_only=True)
class Reports:
    """The versions of one report, newest first."""

    versions: list[ReportVersion]
    can_compile: bool  # a facilitator of its event or series: may compile, sees the downloads
    downloads: list[Download] = field(default_factory=list)

    @property
    def in_progress(self) -> bool:
        return any(v.status in {ReportStatus.QUEUED, ReportStatus.RUNNING} for v in self.versions)


@dataclass(kw_only=True)
class EventReports(Reports):
    event: Event


@dataclass(kw_only=True)
class SeriesReports(Reports):
    series: Series


def _files_in_order(version: ReportVersion) -> list[ReportFile]:
    """The formats people read first (PDF, Word) first; the data last."""
    order = list(ReportFormat.values)
    return sorted(version.files.all(), key=lambda f: order.index(f.format))


def versions_of(
    *, event: Event | None = None, series: Series | None = None
) -> QuerySet[ReportVersion]:
    """The versions of the event's report, or (with ``series``) of the series report."""
    return (
        ReportVersion.objects.filter(event=event, series=series)
        .select_related("requested_by")
        .prefetch_related(Prefetch("files", ReportFile.objects.order_by("id")))
        .order_by("-number")
    )


def downloads_of(*, event: Event | None = None, series: Series | None = None) -> QuerySet[Download]:
    return Download.objects.filter(
        report_file__version__event=event, report_file__version__series=series
    ).select_related("report_file__version")


def _with_files(versions: QuerySet[ReportVersion]) -> list[ReportVersion]:
    out = list(versions)
    for version in out:
        version.ordered_files = _files_in_order(version)
    return out


def series_report_for(*, series: Series, user: AbstractBaseUser) -> SeriesReports | None:
    """The series report's versions if ``user`` may download them, with the download trail
    for the series' facilitators; ``None`` for anyone else."""
    if not can_download_series_reports(user, series):
        return None
    manage = can_compile_series_report(user, series)
    downloads = list(downloads_of(series=series)[:DOWNLOADS_SHOWN]) if manage else []
    return SeriesReports(
        series=series,
        versions=_with_files(versions_of(series=series)),
        can_compile=manage,
        downloads=downloads,
    )


def reports_for_series(*, series: Series, user: AbstractBaseUser) -> list[EventReports]:
    """Every event of the series whose reports ``user`` may download, newest version first,
    with the download trail for the events ``user`` facilitates."""
    out = []
    for event in series.events.select_related("stakeholder_group").order_by("starts_at", "id"):
        if not can_download_reports(user, event):
            continue
        versions = _with_files(versions_of(event=event))
        manage = can_manage_event(user, event)
        downloads = list(downloads_of(event=event)[:DOWNLOADS_SHOWN]) if manage else []
        out.append(
            EventReports(event=event, versions=versions, can_compile=manage, downloads=downloads)
        )
    return out


def reports_for_event(
    *, event: Event, user: AbstractBaseUser, newest: int = 3
) -> EventReports | None:
    """The event's newest report versions for the harvest workspace; ``None`` if ``user``
    may not download them."""
    if not can_download_reports(user, event):
        return None
    versions = _with_files(versions_of(event=event)[:newest])
    return EventReports(event=event, versions=versions, can_compile=can_manage_event(user, event))


def report_file(*, pk: int) -> ReportFile | None:
    return (
        ReportFile.objects.select_related("version__event__series", "version__series")
        .filter(pk=pk, version__status=ReportStatus.DONE)
        .first()
    )
