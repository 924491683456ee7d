"""The series report for real: closing a Create event on PostgreSQL + Redis has a Celery
worker subprocess compile a new version of the series report, which staff of the series
download in every format."""

import csv
import io
import json
import re

import docx
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from events.models import EventStatus, StaffRole
from events.services import transition_event
from reports.models import ReportStatus, ReportVersion
from tests.factories import MembershipFactory
from tests.reports.test_series_report import SERIES_SECTIONS, leaks, make_series_report
from tests.support.servers import celery_worker, wait_until
from tests.support.services import require_postgres_and_redis

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _real_services():
    require_postgres_and_redis()


def state(version: ReportVersion) -> ReportVersion:
    version.refresh_from_db()
    return version


def test_closing_a_create_event_has_a_worker_compile_the_series_report(tmp_path):
    setup, source, withdrawn, kept = make_series_report()
    create = setup.create
    create.status = EventStatus.LIVE
    create.save()
    with celery_worker(tmp_path) as worker:
        transition_event(event=create, to=EventStatus.CLOSED, by=setup.facilitator.user)
        version = ReportVersion.objects.get(series=setup.series)
        wait_until(
            lambda: state(version).is_finished,
            timeout=60,
            message=f"the series report was not compiled:\n{worker.output()[-3000:]}",
        )
    assert version.status == ReportStatus.DONE, version.error
    assert (version.number, version.event, version.reason) == (1, None, "Create was closed")
    assert version.requested_by == setup.facilitator.user
    assert "reports.tasks.compile_report" in worker.output()
    assert not ReportVersion.objects.filter(event__isnull=False).exists()

    reviewer = Client()
    reviewer.force_login(
        MembershipFactory(series=setup.series, event=None, role=StaffRole.REVIEW_TEAM).user
    )
    page = reviewer.get(reverse("reports:series", args=[setup.series.slug])).content.decode()
    series_part = page.split('id="series-report"')[1].split("</section>")[0]
    links = re.findall(r'href="(/reports/files/\d+/)"', series_part)
    assert len(links) == 6
    downloads = {}
    for link in links:
        response = reviewer.get(link)
        assert response.status_code == 200
        name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
        assert name.startswith(f"{setup.series.slug}-series-report-v1.")
        downloads[name.rsplit(".", 1)[1]] = b"".join(response.streaming_content)
    assert version.files.filter(downloads__user__isnull=False).count() == 6

    pdf = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(downloads["pdf"])).pages).split()
    )
    for title in SERIES_SECTIONS:
        assert title in pdf
    assert "Proposal 1: A housing worker for every family" in pdf
    assert "Version 1" in pdf
    word = docx.Document(io.BytesIO(downloads["docx"]))
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == SERIES_SECTIONS
    quotes = [p.text for p in word.paragraphs if p.style.name == "Report Quote"]
    assert f"“{kept[0].text}” ({kept[0].role_code})" in quotes
    journey = json.loads(downloads["json"])["journey"]
    assert journey["create"][0]["proposals"][0]["provenance"][0]["theme"] == source.theme_title
    rows = list(csv.DictReader(io.StringIO(downloads["csv"].decode("utf-8-sig"))))
    assert [r["text"] for r in rows if r["type"] == "source"] == [n.text for n in kept]
    for fmt, content in downloads.items():
        text = pdf if fmt == "pdf" else content.decode("utf-8-sig", errors="ignore")
        if fmt == "docx":
            text = "\n".join(p.text for p in word.paragraphs)
        assert leaks(text) == [], fmt
        assert withdrawn.text not in text, fmt
