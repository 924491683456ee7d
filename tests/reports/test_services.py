"""Asking for versions, compiling them (idempotent, restartable, retried) and the task."""

import json
from pathlib import Path

import pytest
from django.db import OperationalError

from events.models import EventStatus, Stage
from events.services import transition_event
from harvest.models import Theme
from harvest.services import build_themes, rename_theme
from reports import services
from reports.errors import ReportsError
from reports.models import ReportFile, ReportStatus, ReportVersion
from reports.tasks import compile_report as compile_task
from tests.factories import EventFactory

FORMATS = {"pdf", "docx", "html", "md", "json", "csv"}


@pytest.fixture
def enqueued(monkeypatch):
    """The version ids handed to Celery (nothing runs)."""
    ids = []
    monkeypatch.setattr(compile_task, "delay", ids.append)
    return ids


def files_on_disk(version) -> list[Path]:
    return sorted(p for p in services.version_folder(version).rglob("*") if p.is_file())


def test_each_request_is_a_new_version_queued_after_commit(
    report_event, people, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_report(event=report_event, by=people["facilitator"])
        assert enqueued == []
    with django_capture_on_commit_callbacks(execute=True):
        second = services.request_report(event=report_event, by=None, reason="again")
    assert (first.number, second.number) == (1, 2)
    assert enqueued == [first.pk, second.pk]
    assert first.status == ReportStatus.QUEUED
    assert first.requested_by == people["facilitator"]


def test_only_explore_events_have_reports(db, enqueued):
    connect = EventFactory(stage=Stage.CONNECT)
    with pytest.raises(ReportsError, match="Explore events only"):
        services.request_report(event=connect)
    assert not ReportVersion.objects.exists()


@pytest.mark.parametrize(
    ("stage", "event_versions", "series_versions"),
    [(Stage.CONNECT, 0, 0), (Stage.EXPLORE, 1, 0), (Stage.CREATE, 0, 1)],
)
def test_closing_an_event_queues_its_report_or_the_series_report(
    db, enqueued, django_capture_on_commit_callbacks, stage, event_versions, series_versions
):
    """An Explore event's harvest report; a Create event's proposals go in the series report."""
    event = EventFactory(stage=stage, status=EventStatus.LIVE, title="Closing")
    with django_capture_on_commit_callbacks(execute=True):
        transition_event(event=event, to=EventStatus.CLOSED, by=None)
    of_event = list(ReportVersion.objects.filter(event=event))
    of_series = list(ReportVersion.objects.filter(series=event.series))
    assert (len(of_event), len(of_series)) == (event_versions, series_versions)
    assert enqueued == [v.pk for v in of_event + of_series]
    if of_event:
        assert of_event[0].reason == "The event was closed"
    if of_series:
        assert of_series[0].reason == "Closing was closed"


def test_compiling_records_one_file_per_format_matching_what_is_on_disk(report_event):
    version = services.request_report(event=report_event)
    done = services.compile_report(version=version)
    assert done.status == ReportStatus.DONE
    assert (done.progress, done.attempts) == (100, 1)
    assert done.fingerprint
    assert done.note_count == 284
    files = list(done.files.all())
    assert {f.format for f in files} == FORMATS
    for f in files:
        content = Path(f.file.path).read_bytes()
        assert len(content) == f.size
    assert sorted(Path(f.file.path) for f in files) == files_on_disk(done)


def test_the_first_compile_builds_the_draft_themes_the_workspace_then_shows(report_event):
    """Closing an event compiles v1; the harvester then finds the same themes to curate
    in the workspace instead of an empty board (issue 17)."""
    assert not Theme.objects.filter(event=report_event).exists()
    version = services.request_report(event=report_event)
    done = services.compile_report(version=version)
    assert done.status == ReportStatus.DONE
    stored = list(Theme.objects.filter(event=report_event).order_by("round__number", "position"))
    assert stored
    assert not any(t.is_curated for t in stored)
    doc = json.loads(Path(done.files.get(format="json").file.path).read_bytes())
    assert {t.title for t in stored} <= {t["title"] for t in doc["themes"]}


def test_a_compile_keeps_the_themes_a_harvester_curated(report_event):
    build_themes(event=report_event)
    theme = Theme.objects.filter(event=report_event, kind="notes").first()
    rename_theme(theme=theme, title="Nobody explained anything", user=None)
    done = services.compile_report(version=services.request_report(event=report_event))
    doc = json.loads(Path(done.files.get(format="json").file.path).read_bytes())
    assert "Nobody explained anything" in {t["title"] for t in doc["themes"]}
    assert Theme.objects.get(pk=theme.pk).title == "Nobody explained anything"


def test_running_the_compile_twice_yields_one_set_of_files(report_event):
    version = services.request_report(event=report_event)
    first = services.compile_report(version=version)
    before = {f.format: (f.pk, f.sha256) for f in first.files.all()}
    again = services.compile_report(version=version)
    assert again.attempts == 1
    assert {f.format: (f.pk, f.sha256) for f in again.files.all()} == before
    assert ReportFile.objects.filter(version=version).count() == 6
    assert len(files_on_disk(version)) == 6


def test_a_version_left_running_by_a_dead_worker_restarts_cleanly(report_event):
    version = services.request_report(event=report_event)
    ReportVersion.objects.filter(pk=version.pk).update(
        status=ReportStatus.RUNNING, attempts=1, progress=60, step="Writing the PDF"
    )
    leftover = services.version_folder(version) / "attempt-1" / ".report.pdf.part"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a PDF")
    done = services.compile_report(version=version)
    assert done.status == ReportStatus.DONE
    assert done.attempts == 2
    assert not leftover.exists()
    assert len(files_on_disk(done)) == 6
    assert all("attempt-2" in p.as_posix() for p in files_on_disk(done))


def test_an_attempt_overtaken_by_a_newer_one_leaves_no_files(report_event, monkeypatch):
    """A worker still finishing after its task was handed to another must not record."""
    version = services.request_report(event=report_event)
    real_build = services.build_document

    def overtaken(**kwargs):
        doc = real_build(**kwargs)
        ReportVersion.objects.filter(pk=version.pk).update(attempts=7)
        return doc

    monkeypatch.setattr(services, "build_document", overtaken)
    result = services.compile_report(version=version)
    assert result.attempts == 7
    assert result.status == ReportStatus.RUNNING
    assert not ReportFile.objects.filter(version=version).exists()


def test_the_task_retries_a_transient_database_error(report_event, monkeypatch):
    version = services.request_report(event=report_event)
    real_build = services.build_document
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_build(**kwargs)

    monkeypatch.setattr(services, "build_document", flaky)
    compile_task.apply(args=[version.pk])
    version.refresh_from_db()
    assert len(calls) == 2
    assert version.status == ReportStatus.DONE
    assert version.attempts == 2
    assert version.files.count() == 6


def test_the_task_marks_the_version_failed_on_a_lasting_error(report_event, monkeypatch):
    version = services.request_report(event=report_event)

    def broken(doc):
        raise ValueError("no fonts")

    monkeypatch.setitem(
        services.RENDERERS,
        "pdf",
        services.RENDERERS["pdf"].__class__("pdf", broken, "application/pdf", "pdf"),
    )
    compile_task.apply(args=[version.pk])
    version.refresh_from_db()
    assert version.status == ReportStatus.FAILED
    assert version.error == "ValueError: no fonts"
    assert not version.files.exists()
    assert not services.version_folder(version).exists()


def test_the_task_ignores_a_version_that_no_longer_exists(db):
    compile_task.apply(args=[123456])
    assert not ReportVersion.objects.exists()


def test_build_report_refuses_an_unknown_format(report_event):
    with pytest.raises(ReportsError, match="Unknown format 'rtf'"):
        services.build_report(event=report_event, fmt="rtf")
