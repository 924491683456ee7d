"""Writes of the reports app: asking for a new version (of an Explore event's harvest report
or of a series report), compiling it, recording downloads.

A compile is safe to run twice and safe to kill. Its version row is locked to start and to
finish; each start is a new *attempt* that first removes whatever an earlier, interrupted
attempt left on disk. Files are written under the attempt's own folder and recorded in the
same transaction that marks the version done, and only if no later attempt has taken the
version over, so a version ends with exactly one set of files.
"""

import hashlib
import logging
import os
import shutil
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from events.models import Event, Series, Stage
from harvest.selectors import content_as_of, has_themes
from harvest.services import build_themes
from ops.queue import enqueue_on_commit
from reports.document import build_document
from reports.errors import ReportsError
from reports.models import Download, ReportFile, ReportFormat, ReportStatus, ReportVersion
from reports.renderers import RENDERERS, render
from reports.series_document import AnyDocument, build_series_document

logger = logging.getLogger(__name__)

# The Celery task that compiles a version, sent by name: tasks import services, never the
# reverse (``ReportsConfig.ready`` registers it).
COMPILE_TASK = "reports.tasks.compile_report"


def request_report(
    *, event: Event, by: AbstractBaseUser | None = None, reason: str = ""
) -> ReportVersion:
    """Queue a new version of the event's report; a worker starts on it once this commits.

    Earlier versions stay as they are and remain downloadable.
    """
    if event.stage != Stage.EXPLORE:
        raise ReportsError(
            "Harvest reports are compiled for Explore events only; this is a "
            f"{event.get_stage_display()} event."
        )
    with transaction.atomic():
        # Lock the event so two requests at once get versions n and n + 1, not n twice.
        Event.objects.select_for_update().only("pk").get(pk=event.pk)
        return _queue_version(event=event, by=by, reason=reason)


def request_series_report(
    *, series: Series, by: AbstractBaseUser | None = None, reason: str = ""
) -> ReportVersion:
    """Queue a new version of the series report (Connect topics, Explore themes, Create
    proposals); a worker starts on it once this commits. Earlier versions stay."""
    with transaction.atomic():
        Series.objects.select_for_update().only("pk").get(pk=series.pk)
        return _queue_version(series=series, by=by, reason=reason)


def _queue_version(
    *,
    by: AbstractBaseUser | None,
    reason: str,
    event: Event | None = None,
    series: Series | None = None,
) -> ReportVersion:
    """The next version of the event's or the series' report; the caller holds the lock."""
    top = ReportVersion.objects.filter(event=event, series=series).aggregate(top=Max("number"))
    version = ReportVersion.objects.create(
        event=event,
        series=series,
        number=(top["top"] or 0) + 1,
        requested_by=by if by is not None and by.is_authenticated else None,
        reason=reason[:80],
        step="Waiting for a worker",
    )
    enqueue_on_commit(COMPILE_TASK, version.pk)
    return version


def compile_on_close(*, event: Event, closed_by: AbstractBaseUser | None) -> None:
    """The event-closed hook: closing an Explore event queues its first report; closing a
    Create event, where the proposals are made, queues a new version of the series report."""
    if event.stage == Stage.EXPLORE:
        request_report(event=event, by=closed_by, reason="The event was closed")
    elif event.stage == Stage.CREATE:
        request_series_report(series=event.series, by=closed_by, reason=f"{event.title} was closed")


# --- compiling --------------------------------------------------------------------------


def version_folder(version: ReportVersion) -> Path:
    """Series reports live apart from events' so a slug can never name both."""
    media = Path(settings.MEDIA_ROOT)
    if version.is_series:
        return media / "series-reports" / version.series.slug / f"v{version.number}"
    return media / "reports" / version.event.slug / f"v{version.number}"


def _file_name(version: ReportVersion, extension: str) -> str:
    if version.is_series:
        return f"{version.series.slug}-series-report-v{version.number}.{extension}"
    return f"{version.event.slug}-report-v{version.number}.{extension}"


def _start(version_id: int) -> tuple[ReportVersion, int] | None:
    """Claim the version for a new attempt; ``None`` if it is already done or failed."""
    with transaction.atomic():
        # Only the version's row is locked: PostgreSQL can't lock the nullable side of the
        # outer joins to its event or series.
        version = (
            ReportVersion.objects.select_for_update(of=("self",))
            .select_related("event", "series")
            .get(pk=version_id)
        )
        if version.is_finished:
            return None
        if version.status == ReportStatus.RUNNING:
            logger.warning("Report %s restarts after an interrupted attempt", version)
        version.files.all().delete()
        version.attempts += 1
        version.status = ReportStatus.RUNNING
        version.progress = 0
        version.step = "Starting"
        version.started_at = timezone.now()
        version.error = ""
        version.save()
    # Whatever an interrupted attempt left behind goes; nothing of it was ever recorded.
    shutil.rmtree(version_folder(version), ignore_errors=True)
    return version, version.attempts


def _progress(version: ReportVersion, attempt: int, percent: int, step: str) -> None:
    """Saved at once (not in a transaction) so the downloads page shows it live."""
    ReportVersion.objects.filter(
        pk=version.pk, attempts=attempt, status=ReportStatus.RUNNING
    ).update(progress=percent, step=step)


def _write(folder: Path, name: str, content: bytes) -> Path:
    """Write via a temporary file and a rename, so a file is either whole or absent."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / name
    partial_path = folder / f".{name}.part"
    partial_path.write_bytes(content)
    os.replace(partial_path, final)
    return final


def _finish(
    version: ReportVersion, attempt: int, doc: AnyDocument, rendered: dict[str, bytes]
) -> ReportVersion:
    folder = version_folder(version) / f"attempt-{attempt}"
    media = Path(settings.MEDIA_ROOT)
    with transaction.atomic():
        current = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if current.attempts != attempt or current.status != ReportStatus.RUNNING:
            # A later attempt took the version over: its result is the one that counts.
            transaction.on_commit(partial(shutil.rmtree, folder, ignore_errors=True))
            return current
        for fmt, content in rendered.items():
            path = _write(folder, _file_name(version, RENDERERS[fmt].extension), content)
            ReportFile.objects.create(
                version=current,
                format=fmt,
                file=str(path.relative_to(media)),
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
        current.status = ReportStatus.DONE
        current.progress = 100
        current.step = "Ready"
        current.finished_at = timezone.now()
        current.fingerprint = doc.fingerprint
        current.curated = doc.curated
        current.note_count = doc.note_count
        current.contributors = list(getattr(doc, "contributors", ()))
        current.save()
    return current


def compile_report(*, version: ReportVersion) -> ReportVersion:
    """Compile every format of ``version`` (run by the Celery task; safe to run again).

    A version already done or failed is returned unchanged; one left running by a worker
    that died starts again from scratch.
    """
    claimed = _start(version.pk)
    if claimed is None:
        return ReportVersion.objects.get(pk=version.pk)
    version, attempt = claimed
    if version.is_series:
        _progress(version, attempt, 5, "Reading the series")
        doc = build_series_document(
            series=version.series, version=version.number, compiled_at=timezone.now()
        )
    else:
        if not has_themes(event=version.event):
            # The harvest workspace starts from these drafts; the report shows the same ones.
            _progress(version, attempt, 2, "Building draft themes")
            build_themes(event=version.event)
        _progress(version, attempt, 5, "Reading the harvest")
        doc = build_document(
            event=version.event, version=version.number, compiled_at=timezone.now()
        )
    rendered: dict[str, bytes] = {}
    for i, (fmt, renderer) in enumerate(RENDERERS.items()):
        percent = 30 + i * 60 // len(RENDERERS)
        _progress(version, attempt, percent, f"Writing the {ReportFormat(fmt).label}")
        rendered[fmt] = renderer.render(doc)
    _progress(version, attempt, 95, "Saving the files")
    return _finish(version, attempt, doc, rendered)


def mark_failed(*, version_id: int, error: str) -> ReportVersion | None:
    """Record that a compile gave up (after its retries); the page offers to try again."""
    with transaction.atomic():
        version = (
            ReportVersion.objects.select_for_update(of=("self",)).filter(pk=version_id).first()
        )
        if version is None or version.status == ReportStatus.DONE:
            return version
        version.status = ReportStatus.FAILED
        version.step = "Failed"
        version.error = error[:2000]
        version.finished_at = timezone.now()
        version.save()
        version.files.all().delete()
    shutil.rmtree(version_folder(version), ignore_errors=True)
    return version


def _check_format(fmt: str) -> None:
    if fmt not in RENDERERS:
        raise ReportsError(f"Unknown format {fmt!r}; choose one of {', '.join(RENDERERS)}.")


def build_report(*, event: Event, fmt: str) -> bytes:
    """One format of the event's report, compiled now (for ``manage.py build_report``),
    dated by the last change to what it reports: the same harvest gives the same bytes
    (JSON, Markdown, CSV)."""
    _check_format(fmt)
    return render(build_document(event=event, compiled_at=content_as_of(event=event)), fmt)


def build_series_report(*, series: Series, fmt: str) -> bytes:
    """One format of the series report, compiled now (``manage.py build_report --series``)."""
    _check_format(fmt)
    return render(build_series_document(series=series, compiled_at=timezone.now()), fmt)


# --- downloads --------------------------------------------------------------------------


def record_download(*, report_file: ReportFile, user: AbstractBaseUser) -> Download:
    """Note who downloaded what; facilitators see the list on the reports page."""
    return Download.objects.create(report_file=report_file, user=user, username=user.get_username())


# --- taking words back ----------------------------------------------------------------


def _withdraw(versions: list[ReportVersion], reason: str) -> None:
    """Mark ``versions`` withdrawn now; once committed, remove their files (the rows stay,
    with a "removed" entry in the download audit for each)."""
    if not versions:
        return
    now = timezone.now()
    for version in versions:
        version.withdrawn_at = now
        version.withdrawn_reason = reason[:200]
        version.save(update_fields=["withdrawn_at", "withdrawn_reason"])

    def remove_files() -> None:
        for report_file in ReportFile.objects.filter(version__in=versions):
            if report_file.file:
                report_file.file.delete(save=False)
                report_file.save(update_fields=["file"])
            Download.objects.create(
                report_file=report_file,
                user=None,
                username="Bridgework",
                action="removed",
                detail=reason[:200],
            )

    transaction.on_commit(remove_files)


def _holding(event: Event, participant_id: int | None) -> list[ReportVersion]:
    # order_by("pk"): the default ordering joins the nullable event, and PostgreSQL will not
    # lock the nullable side of an outer join.
    versions = (
        ReportVersion.objects.select_for_update()
        .filter(event=event, status=ReportStatus.DONE, withdrawn_at__isnull=True)
        .order_by("pk")
    )
    return [
        v
        for v in versions
        if participant_id is None or v.contributors is None or participant_id in v.contributors
    ]


def take_back_reports(*, event: Event, reason: str, participant_id: int | None = None) -> None:
    """Words in ``event`` were taken back (a participant withdrew, a harvester redacted):
    every finished version of its report that holds them — all of them when
    ``participant_id`` is None or a version did not record whose words it holds — and
    every finished version of its series report stop being downloadable, and new versions
    compile on their own."""
    event_versions = _holding(event, participant_id)
    series_versions = list(
        ReportVersion.objects.select_for_update()
        .filter(series_id=event.series_id, status=ReportStatus.DONE, withdrawn_at__isnull=True)
        .order_by("pk")
    )
    _withdraw(event_versions + series_versions, reason)
    if event_versions and event.stage == Stage.EXPLORE:
        _queue_version(event=event, by=None, reason="Words were taken back")
    if series_versions:
        _queue_version(series=event.series, by=None, reason="Words were taken back")


def on_participant_withdrawn(*, participant) -> None:
    """The events hook: their words leave every report version that holds them."""
    take_back_reports(
        event=participant.event,
        participant_id=participant.pk,
        reason="A participant withdrew; their words were in it.",
    )


def on_words_redacted(*, event: Event, reason: str) -> None:
    """The harvest hook: a harvester redacted words the report versions may hold."""
    take_back_reports(event=event, reason=reason)
