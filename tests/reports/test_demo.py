"""The demo's finished café (closed, its report queued, a realistic report to show) and the
demo series' journey from Connect to Create for its series report."""

import io

from django.utils import timezone

from cafes.demo import WITHDRAWS, load_demo_cafe
from events.demo import load_demo
from events.models import EventStatus
from reports.document import build_document
from reports.models import ReportVersion
from reports.renderers import render
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


def test_the_demo_series_report_runs_from_connect_topics_to_a_create_proposal(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from openspace.demo import CONNECT_PEOPLE, CREATE_PEOPLE, PROPOSAL
    from reports.series_document import build_series_document

    queued = []
    monkeypatch.setattr(compile_task, "delay", queued.append)
    load_demo(password="pw-12345678")
    load_demo_cafe()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo_series", stdout=io.StringIO())
        call_command("seed_demo_series", stdout=io.StringIO())
    [version] = ReportVersion.objects.filter(series__slug="bridge-the-gap")
    assert queued[-1:] == [version.pk]
    doc = build_series_document(series=version.series, compiled_at=timezone.now())
    journey = doc.journey
    [connect] = journey.connect
    assert len(connect.topics) == 3
    assert sum(t.sign_ups for t in connect.topics) >= 6
    private = next(t for t in connect.topics if not t.notes_shared)
    assert private.quotes == []
    assert private.key_points
    carers = next(g for g in journey.explore if g.group.startswith("Kinship"))
    assert carers.themes
    [proposal] = [p for c in journey.create for p in c.proposals]
    assert proposal.change == PROPOSAL["change"]
    assert (proposal.endorsements, len(proposal.tensions_to_manage)) == (1, 1)
    [source] = proposal.provenance
    assert source.group == "Kinship, foster and adoptive carers"
    assert source.voices
    markdown = render(doc, "md").decode()
    for name, _code in CONNECT_PEOPLE + CREATE_PEOPLE:
        assert name not in markdown
