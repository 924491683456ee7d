"""Words taken back reach finished reports (issue 15 item 1): a participant who withdraws,
or a harvester who redacts, makes every version holding the words undownloadable (files
removed, the version marked withdrawn with the reason, the removal in the download audit)
and a new version compiles on its own."""

import pytest
from django.urls import reverse

from cafes.models import Note
from events.services import withdraw_participant
from harvest.services import redact_phrase
from reports.models import Download, ReportStatus, ReportVersion
from reports.services import compile_report, request_report
from reports.tasks import compile_report as compile_task
from tests.factories import ParticipantFactory
from tests.reports.conftest import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enqueued(monkeypatch):
    ids = []
    monkeypatch.setattr(compile_task, "delay", ids.append)
    return ids


def compiled(event) -> ReportVersion:
    version = request_report(event=event, reason="test")
    return compile_report(version=version)


def test_a_withdrawal_removes_every_version_holding_their_words_and_compiles_anew(
    report_event, people, django_capture_on_commit_callbacks, enqueued
):
    v1 = compiled(report_event)
    assert v1.status == ReportStatus.DONE
    author = Note.objects.filter(event=report_event).exclude(participant=None).first().participant
    assert author.pk in v1.contributors
    paths = [f.file.path for f in v1.files.all()]
    reviewer = client_as("review_team", report_event, people)
    before = reviewer.get(reverse("reports:download", args=[v1.files.first().pk]))
    assert before.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_participant(participant=author)

    v1.refresh_from_db()
    assert v1.is_withdrawn
    assert "withdrew" in v1.withdrawn_reason
    assert all(not f.file for f in v1.files.all())
    assert not any(__import__("os").path.exists(p) for p in paths)
    assert Download.objects.filter(report_file__version=v1, action="removed").count() == len(paths)
    gone = reviewer.get(reverse("reports:download", args=[v1.files.first().pk]))
    assert gone.status_code == 410
    assert "withdrawn" in gone.content.decode()
    v2 = ReportVersion.objects.get(event=report_event, number=2)
    assert v2.status == ReportStatus.QUEUED
    assert enqueued[-1] == v2.pk
    v2 = compile_report(version=v2)
    assert author.pk not in v2.contributors
    page = reviewer.get(reverse("reports:series", args=[report_event.series.slug])).content
    assert b"Withdrawn" in page


def test_someone_whose_words_are_in_no_version_withdraws_and_nothing_changes(
    report_event, django_capture_on_commit_callbacks
):
    v1 = compiled(report_event)
    silent = ParticipantFactory(event=report_event, pseudonym="Quiet")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_participant(participant=silent)
    v1.refresh_from_db()
    assert not v1.is_withdrawn
    assert not ReportVersion.objects.filter(event=report_event, number=2).exists()


def test_a_later_redaction_withdraws_the_finished_versions_too(
    report_event, people, django_capture_on_commit_callbacks
):
    v1 = compiled(report_event)
    note = Note.objects.filter(event=report_event).first()
    phrase = note.text.split()[0] + " " + note.text.split()[1]
    with django_capture_on_commit_callbacks(execute=True):
        redact_phrase(event=report_event, phrase=phrase, note=note, user=people["facilitator"])
    v1.refresh_from_db()
    assert v1.is_withdrawn
    assert "redacted" in v1.withdrawn_reason
    assert ReportVersion.objects.filter(event=report_event, number=2).exists()
