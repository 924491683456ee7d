"""Reports for real: an event closes on PostgreSQL + Redis and a Celery worker subprocess
compiles its report; a worker killed mid-compile hands the version on to the next one."""

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from events.models import EventStatus, StaffRole
from events.services import transition_event
from reports.models import ReportFile, ReportStatus, ReportVersion
from reports.services import version_folder
from tests.factories import MembershipFactory
from tests.reports.conftest import load_report_event
from tests.reports.test_document import NAMES, SECTION_ORDER
from tests.support.servers import celery_worker, wait_until
from tests.support.services import require_postgres_and_redis

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# A killed worker's task is handed on after a few seconds instead of four hours.
QUICK_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "5",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}


@pytest.fixture(autouse=True)
def _real_services():
    require_postgres_and_redis()


@pytest.fixture
def live_event():
    event = load_report_event()
    event.status = EventStatus.LIVE
    event.save()
    return event


def close(event) -> ReportVersion:
    facilitator = event.memberships.get().user
    transition_event(event=event, to=EventStatus.CLOSED, by=facilitator)
    return ReportVersion.objects.get(event=event)


def state(version: ReportVersion) -> ReportVersion:
    version.refresh_from_db()
    return version


def files_on_disk(version: ReportVersion) -> list[Path]:
    return sorted(p for p in version_folder(version).rglob("*") if p.is_file())


def test_closing_an_event_has_a_worker_compile_every_format_for_download(live_event, tmp_path):
    with celery_worker(tmp_path) as worker:
        version = close(live_event)
        wait_until(
            lambda: state(version).is_finished,
            timeout=50,
            message=f"the report was not compiled:\n{worker.output()[-3000:]}",
        )
    assert version.status == ReportStatus.DONE, version.error
    assert "reports.tasks.compile_report" in worker.output()

    reviewer = Client()
    reviewer.force_login(
        MembershipFactory(series=live_event.series, event=None, role=StaffRole.REVIEW_TEAM).user
    )
    page = reviewer.get(reverse("reports:series", args=[live_event.series.slug])).content.decode()
    links = re.findall(r'href="(/reports/files/\d+/)"', page)
    assert len(links) == 6
    downloads = {}
    for link in links:
        response = reviewer.get(link)
        assert response.status_code == 200
        name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
        downloads[name.rsplit(".", 1)[1]] = b"".join(response.streaming_content)

    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(downloads["pdf"])).pages)
    for title in SECTION_ORDER:
        assert title in pdf
    assert "Version 1" in pdf
    assert not NAMES.search(pdf)

    word = docx.Document(io.BytesIO(downloads["docx"]))
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == SECTION_ORDER

    data = json.loads(downloads["json"])
    assert {
        "event",
        "participants",
        "rounds",
        "themes",
        "priorities",
        "questions",
        "chat",
        "conclusions",
    } <= set(data)
    assert sum(len(t["notes"]) for t in data["themes"] if t["kind"] == "notes") == 284

    rows = list(csv.DictReader(io.StringIO(downloads["csv"].decode("utf-8-sig"))))
    assert [r["type"] for r in rows].count("note") == 284
    assert "Findings by round" in downloads["md"].decode()
    assert "Findings by round" in downloads["html"].decode()
    assert version.files.filter(downloads__user__isnull=False).count() == 6


def test_a_worker_killed_mid_compile_hands_the_version_to_the_next_worker(live_event, tmp_path):
    with celery_worker(
        tmp_path,
        name="doomed",
        app="tests.support.paused_worker",
        REPORTS_TEST_PAUSE_AT_STEP="pdf",
        REPORTS_TEST_PAUSE_SECONDS="300",
        **QUICK_REDELIVERY,
    ) as doomed:
        version = close(live_event)
        wait_until(
            lambda: state(version).step == "Writing the PDF",
            timeout=40,
            message=f"the compile never reached the PDF:\n{doomed.output()[-3000:]}",
        )
        assert (version.status, version.attempts) == (ReportStatus.RUNNING, 1)
        doomed.kill()
    assert state(version).status == ReportStatus.RUNNING
    assert not ReportFile.objects.filter(version=version).exists()

    with celery_worker(tmp_path, name="rescuer", **QUICK_REDELIVERY) as rescuer:
        wait_until(
            lambda: state(version).is_finished,
            timeout=45,
            message=f"no worker finished the version:\n{rescuer.output()[-3000:]}",
        )
    assert version.status == ReportStatus.DONE, version.error
    assert version.attempts == 2
    files = list(ReportFile.objects.filter(version=version))
    assert sorted(f.format for f in files) == ["csv", "docx", "html", "json", "md", "pdf"]
    on_disk = files_on_disk(version)
    assert on_disk == sorted(Path(f.file.path) for f in files)
    assert all("attempt-2" in p.as_posix() for p in on_disk)
