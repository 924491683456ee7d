"""The demo's finished café: closed, its report queued, and a realistic report to show."""

from django.utils import timezone

from cafes.demo import WITHDRAWS, load_demo_cafe
from events.demo import load_demo
from events.models import EventStatus
from reports.document import build_document
from reports.models import ReportVersion
from reports.tasks import compile_report as compile_task


def test_the_demo_cafe_is_closed_with_its_report_queued_and_no_withdrawn_words(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(compile_task, "delay", queued.append)
    load_demo(password="pw-12345678")
    with django_capture_on_commit_callbacks(execute=True):
        event = load_demo_cafe()
    assert load_demo_cafe() == event
    assert event.status == EventStatus.CLOSED
    assert queued == [ReportVersion.objects.get(event=event).pk]
    doc = build_document(event=event, compiled_at=timezone.now())
    withdrawn = event.participants.get(pseudonym=WITHDRAWS)
    assert withdrawn.notes.exists()
    reported = {n.id for t in doc.themes for n in t.notes if t.kind == "notes"}
    assert not reported & set(withdrawn.notes.values_list("id", flat=True))
    assert doc.note_count == event.notes.count() - withdrawn.notes.count()
    assert len(doc.priorities) == 6
    assert doc.participant_count == 11
    texts = [n.text for t in doc.themes for n in t.notes]
    assert any("[phone]" in t for t in texts)
    assert any("[address]" in t for t in texts)
