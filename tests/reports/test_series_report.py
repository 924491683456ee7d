"""The series report: its content (Connect topics, each stakeholder group's themes, the Create
proposals with the voices behind them), every format read back, no names anywhere, and the
versions compiled through the same service and task as an event's report."""

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest
from django.utils import timezone
from pypdf import PdfReader

from cafes import services as cafe_services
from events.models import Participant
from events.services import withdraw_participant
from openspace.models import Proposal
from reports import services
from reports.errors import ReportsError
from reports.models import ReportFile, ReportStatus, ReportVersion
from reports.renderers import RENDERERS, render
from reports.series_document import build_series_document
from reports.tasks import compile_report as compile_task
from tests.openspace.conftest import SECRET, build_journey, cid, make_series

SERIES_SECTIONS = [
    "Executive summary",
    "About the process",
    "Connect: the topics people brought",
    "Explore: themes by stakeholder group",
    "Create: proposals for change",
    "Acknowledgements",
]
EMAIL = "cai.private@example.org"
FORMATS = set(RENDERERS)


def make_series_report():
    """The openspace journey series, with an email typed into a Connect note, contact emails
    on every participant, and the author of a note the proposal quotes withdrawn."""
    setup, source = build_journey(make_series())
    cai = setup.connect.viewers[2]
    cafe_services.post_note(
        viewer=cai, text=f"Email me at {EMAIL} about housing", kind="idea", client_id=cid()
    )
    for participant in Participant.objects.filter(event__series=setup.series):
        participant.contact_email = f"{participant.pseudonym.lower()}@example.org"
        participant.save(update_fields=["contact_email"])
    notes = {n.pk: n for n in setup.bp_notes}
    withdrawn = notes[source.note_ids[0]]
    withdraw_participant(participant=withdrawn.participant)
    kept = [notes[i] for i in source.note_ids[1:]]
    return setup, source, withdrawn, kept


@pytest.fixture
def series_report(db):
    return make_series_report()


@pytest.fixture
def doc(series_report):
    setup = series_report[0]
    return build_series_document(series=setup.series, version=2, compiled_at=timezone.now())


def walk(sections):
    for section in sections:
        yield section
        yield from walk(section.subsections)


def section(doc, title: str):
    return next(s for s in walk(doc.sections) if s.title == title)


def texts(section) -> list[str]:
    out = []
    for block in section.blocks:
        if block.kind == "paragraph":
            out.append(f"{block.lead}. {block.text}" if block.lead else block.text)
        elif block.kind == "bullets":
            out += block.items
        elif block.kind == "quotes":
            out += [f"“{q.text}” ({q.role})" if q.role else f"“{q.text}”" for q in block.quotes]
        else:
            out += [block.caption, *(" | ".join(row) for row in block.rows)]
    return out


def leaks(text: str) -> list[str]:
    """Any pseudonym or email of the series' participants found in ``text``."""
    found = []
    for name, email in Participant.objects.values_list("pseudonym", "contact_email"):
        if re.search(rf"\b{re.escape(name)}\b", text):
            found.append(name)
        if email and email in text:
            found.append(email)
    return found + ([EMAIL] if EMAIL in text else [])


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def every_format_as_text(doc) -> dict[str, str]:
    out = {}
    for fmt in RENDERERS:
        content = render(doc, fmt)
        if fmt == "pdf":
            out[fmt] = pdf_text(content)
        elif fmt == "docx":
            out[fmt] = docx_text(content)
        else:
            out[fmt] = content.decode("utf-8-sig")
    return out


# --- content -------------------------------------------------------------------------------


def test_sections_run_from_connect_through_explore_to_create(doc):
    assert [s.title for s in doc.sections] == SERIES_SECTIONS
    assert doc.title == "Series report: Bridge the Gap"
    assert doc.cover.kind == "Series report"
    assert doc.cover.facts == "2 Connect topics · 2 stakeholder groups · 2 themes · 1 proposal"
    assert doc.cover.subtitle == "Birth parents and families · Care-experienced young people"
    explore = doc.sections[3]
    assert [s.title for s in explore.subsections] == [
        "Birth parents and families",
        "Care-experienced young people",
    ]
    assert all(s.subsections for s in explore.subsections)


def test_connect_topics_show_sign_ups_key_points_and_only_shared_notes(doc):
    housing = section(doc, "Housing first")
    lines = texts(housing)
    assert "Why it matters. Nobody can heal without a home" in lines
    assert "1 person signed up (SW 1)." in lines
    assert "Key points the group shared. Housing is the foundation" in lines
    assert "“[name] said housing is everything” (SW)" in lines
    assert "“Email me at [email] about housing” (SW)" in lines
    private = section(doc, "Just us")
    assert texts(private)[-1] == "This group met without staff and kept its notes to itself."
    table = doc.sections[2].subsections[0].blocks[1]
    assert {row[0] for row in table.rows} == {"Housing first", "Just us"}


def test_each_groups_themes_carry_their_quotes_with_role_codes_only(doc, series_report):
    setup = series_report[0]
    young = section(doc, "Care-experienced young people")
    blocks = [b for theme in young.subsections for b in theme.blocks if b.kind == "quotes"]
    quotes = [q for b in blocks for q in b.quotes]
    ce_texts = {n.text for n in setup.ce_notes}
    assert quotes
    assert all(q.text in ce_texts and q.role == "CE" for q in quotes)


def test_a_proposal_shows_every_field_its_backing_and_the_voices_it_came_from(doc, series_report):
    _setup, source, withdrawn, kept = series_report
    proposal = Proposal.objects.get()
    [heading] = doc.sections[4].subsections
    assert heading.title == "Proposal 1: A housing worker for every family, as [name] said"
    lines = texts(heading)
    for expected in (
        f"From the conversation “{proposal.topic.title}” at Create,",
        "The problem. Families lose their home while the court case runs",
        "The proposed change. A housing worker for every family, as [name] said",
        "Who should act. Local authorities with housing teams",
        "The first step. Pilot in two councils next year",
        "How impact will be measured. Fewer moves for families during proceedings",
        "Open questions. Who pays for the housing worker?",
        "Endorsements and concerns. Endorsed by 1 person; 2 concerns raised: 1 problem to "
        "solve and 1 tension to manage.",
        "“Housing teams have no spare staff” (FC)",
        "“Speed versus stability” (SW)",
    ):
        assert any(line.startswith(expected) for line in lines), expected
    [sources] = heading.subsections
    assert sources.title == "Where it came from"
    assert texts(sources)[0] == (f"The theme “{source.theme_title}” of Birth parents and families:")
    assert texts(sources)[1:] == [f"“{n.text}” ({n.role_code})" for n in kept]
    assert withdrawn.text not in "\n".join(texts(sources))
    table = doc.sections[4].blocks[1]
    assert table.rows[0][2:] == (f"{source.theme_title} (Birth parents and families)", "1", "2")


def test_no_names_emails_withdrawn_words_or_unshared_notes_in_any_format(doc, series_report):
    withdrawn = series_report[2]
    for fmt, text in every_format_as_text(doc).items():
        assert leaks(text) == [], fmt
        assert withdrawn.text not in text, fmt
        assert SECRET not in text, fmt
        assert re.search(r"\\?\[name\\?\]", text), fmt  # the names were there, redacted


def test_pdf_and_docx_read_back_with_the_chapters_and_the_proposal(doc, series_report):
    kept = series_report[3]
    pdf = PdfReader(io.BytesIO(render(doc, "pdf")))
    pages = [p.extract_text() for p in pdf.pages]
    assert "Series report" in pages[0]
    assert "Version 2" in pages[0]
    assert "Contents" in pages[1]
    flat = " ".join(" ".join(pages).split())
    for title in SERIES_SECTIONS:
        assert title in flat
    assert "Proposal 1: A housing worker for every family" in flat
    assert " ".join(kept[0].text.split()[:6]) in flat

    word = docx.Document(io.BytesIO(render(doc, "docx")))
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == SERIES_SECTIONS
    assert "Proposal 1: A housing worker for every family, as [name] said" in [
        p.text for p in word.paragraphs if p.style.name == "Heading 2"
    ]
    quotes = [p.text for p in word.paragraphs if p.style.name == "Report Quote"]
    assert f"“{kept[0].text}” ({kept[0].role_code})" in quotes
    assert word.core_properties.title == "Series report: Bridge the Gap"


def test_json_carries_the_whole_journey(doc, series_report):
    source = series_report[1]
    data = json.loads(render(doc, "json"))
    assert data["title"] == "Series report: Bridge the Gap"
    assert data["report"]["version"] == 2
    assert data["report"]["fingerprint"] == doc.journey.fingerprint
    journey = data["journey"]
    assert [g["group"] for g in journey["explore"]] == [
        "Birth parents and families",
        "Care-experienced young people",
    ]
    proposal = journey["create"][0]["proposals"][0]
    assert proposal["endorsements"] == 1
    assert proposal["provenance"][0]["theme"] == source.theme_title


def test_csv_lists_each_proposal_then_its_concerns_and_sources(doc, series_report):
    kept = series_report[3]
    rows = list(csv.DictReader(io.StringIO(render(doc, "csv").decode("utf-8-sig"))))
    assert [r["type"] for r in rows] == ["proposal", "concern", "concern"] + ["source"] * len(kept)
    proposal = rows[0]
    assert proposal["who_acts"] == "Local authorities with housing teams"
    assert (proposal["endorsements"], proposal["concerns"]) == ("1", "2")
    assert proposal["group"] == "Birth parents and families"
    assert {(r["kind"], r["text"], r["role"]) for r in rows[1:3]} == {
        ("problem", "Housing teams have no spare staff", "FC"),
        ("tension", "Speed versus stability", "SW"),
    }
    assert [(r["text"], r["role"]) for r in rows[3:]] == [(n.text, n.role_code) for n in kept]
    assert {r["proposal"] for r in rows} == {"1"}


def test_a_series_with_nothing_yet_still_makes_a_report(db):
    from tests.factories import SeriesFactory

    empty = build_series_document(series=SeriesFactory(), compiled_at=timezone.now())
    assert [s.title for s in empty.sections] == SERIES_SECTIONS
    assert "No proposals have been made yet." in texts(empty.sections[4])
    assert render(empty, "md").startswith(b"# Series report:")


# --- versions, compiled by the same service and task --------------------------------------


@pytest.fixture
def enqueued(monkeypatch):
    ids = []
    monkeypatch.setattr(compile_task, "delay", ids.append)
    return ids


def test_asking_twice_queues_two_versions_after_commit_like_an_events_report(
    series_report, enqueued, django_capture_on_commit_callbacks
):
    series = series_report[0].series
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_series_report(series=series, reason="first")
        assert enqueued == []
    second = services.request_series_report(series=series)
    assert (first.number, second.number) == (1, 2)
    assert (first.event, first.series, first.status) == (None, series, ReportStatus.QUEUED)
    assert enqueued == [first.pk]


def test_series_and_event_versions_are_numbered_apart(series_report, enqueued):
    setup = series_report[0]
    services.request_report(event=setup.explore_bp)
    assert services.request_series_report(series=setup.series).number == 1
    assert services.request_report(event=setup.explore_bp).number == 2


def test_a_version_is_of_an_event_or_a_series_never_both_nor_neither(series_report):
    from django.db import IntegrityError, transaction

    setup = series_report[0]
    for owner in ({}, {"event": setup.explore_bp, "series": setup.series}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReportVersion.objects.create(number=1, **owner)


def test_the_task_compiles_every_format_of_a_series_version_once(series_report):
    setup, _source, _withdrawn, kept = series_report
    version = services.request_series_report(series=setup.series)
    compile_task.apply(args=[version.pk])
    compile_task.apply(args=[version.pk])
    version.refresh_from_db()
    assert version.status == ReportStatus.DONE, version.error
    assert (version.attempts, version.progress) == (1, 100)
    assert (
        version.fingerprint
        == build_series_document(series=setup.series, compiled_at=timezone.now()).fingerprint
    )
    assert version.note_count > len(kept)
    files = list(version.files.all())
    assert {f.format for f in files} == FORMATS
    folder = services.version_folder(version)
    assert folder.parts[-3:] == ("series-reports", setup.series.slug, "v1")
    on_disk = sorted(p for p in folder.rglob("*") if p.is_file())
    assert on_disk == sorted(Path(f.file.path) for f in files)
    assert {p.name for p in on_disk} == {
        f"{setup.series.slug}-series-report-v1.{RENDERERS[f].extension}" for f in FORMATS
    }
    assert "Proposal 1:" in Path(version.files.get(format="md").file.path).read_text()
    assert ReportFile.objects.filter(version__series=setup.series).count() == 6


def test_build_series_report_refuses_an_unknown_format(series_report):
    with pytest.raises(ReportsError, match="Unknown format 'rtf'"):
        services.build_series_report(series=series_report[0].series, fmt="rtf")


def test_a_series_version_that_cannot_compile_is_marked_failed(series_report, monkeypatch):
    version = services.request_series_report(series=series_report[0].series)

    def broken(**kwargs):
        raise ValueError("no journey")

    monkeypatch.setattr(services, "build_series_document", broken)
    compile_task.apply(args=[version.pk])
    version.refresh_from_db()
    assert (version.status, version.error) == (ReportStatus.FAILED, "ValueError: no journey")
    assert not version.files.exists()
