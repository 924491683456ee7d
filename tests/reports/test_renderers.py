"""Each renderer, read back the way a review team's tools would read it."""

import csv
import io
import json

import docx
import pytest
from django.utils import timezone
from pypdf import PdfReader

from cafes.models import Note
from reports.document import build_document
from reports.renderers import RENDERERS, render
from tests.reports.test_document import NAMES, SECTION_ORDER


@pytest.fixture
def doc(report_event):
    """The fixture's report, one of whose notes tries markup and a spreadsheet formula."""
    first = Note.objects.filter(event=report_event, round__number=1).order_by("id").first()
    Note.objects.filter(pk=first.pk).update(
        text="=cmd|' /C calc'!A0 <script>alert(1)</script> *not bold* the advocate"
    )
    return build_document(event=report_event, version=3, compiled_at=timezone.now())


def first_quote(doc):
    theme = next(t for t in doc.themes if t.kind == "notes" and t.quotes)
    return theme.quotes[0]


def test_pdf_has_a_cover_contents_page_numbers_and_every_section(doc):
    reader = PdfReader(io.BytesIO(render(doc, "pdf")))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert len(pages) > 5
    assert "Harvest report" in pages[0]
    assert doc.event.title in pages[0]
    assert "Version 3" in pages[0]
    assert "Contents" in pages[1]
    assert f"Page 2 of {len(pages)}" in pages[1]
    for title in SECTION_ORDER:
        assert title in text
    assert " ".join(first_quote(doc).text.split()[:6]) in " ".join(text.split())
    assert not NAMES.search(text)


def test_docx_has_headings_in_order_quotes_styled_and_tables(doc):
    document = docx.Document(io.BytesIO(render(doc, "docx")))
    chapters = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert chapters == SECTION_ORDER
    quotes = [p.text for p in document.paragraphs if p.style.name == "Report Quote"]
    quote = first_quote(doc)
    assert f"“{quote.text}” ({quote.role})" in quotes
    assert len(document.tables) >= 3
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header == ["Role code", "Role", "People"]
    assert document.core_properties.title == doc.title
    assert not NAMES.search("\n".join(p.text for p in document.paragraphs))


def test_markdown_has_the_sections_as_headings_and_escapes_peoples_markup(doc):
    md = render(doc, "md").decode()
    headings = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert headings == SECTION_ORDER
    assert "\\*not bold\\*" in md
    assert "\\<script\\>" in md
    quote = first_quote(doc)
    quoted = [line for line in md.splitlines() if line.startswith("> “")]
    assert any(line.endswith(f"({quote.role})") for line in quoted)


def test_html_is_self_contained_and_escapes_peoples_words(doc):
    html = render(doc, "html").decode()
    assert html.startswith("<!doctype html>")
    assert "<style>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for anchor in ("summary", "findings", "round-1", "priorities", "answers", "thanks"):
        assert f'id="{anchor}"' in html
    assert 'href="#findings"' in html


def test_json_has_every_field_the_issue_names(doc):
    data = json.loads(render(doc, "json"))
    for key in (
        "event",
        "participants",
        "rounds",
        "themes",
        "priorities",
        "questions",
        "chat",
        "conclusions",
    ):
        assert key in data
    theme = data["themes"][0]
    assert {"title", "summary", "kind", "round", "key", "notes", "quotes"} <= set(theme)
    assert set(theme["notes"][0]) == {"id", "text", "role", "table", "round"}
    assert set(data["questions"][0]) >= {"question", "answers"}
    assert set(data["questions"][0]["answers"][0]) == {"id", "text", "role"}
    assert data["report"]["version"] == 3
    assert data["report"]["fingerprint"] == doc.fingerprint
    assert sum(len(t["notes"]) for t in data["themes"] if t["kind"] == "notes") == doc.note_count
    assert data["priorities"][0] == {
        "round": 3,
        "table": "Table 1",
        "text": "An independent advocate for every parent from the first meeting",
        "votes": 5,
    }


def test_csv_lists_every_note_chat_message_answer_and_priority_without_formulas(doc):
    rows = list(csv.DictReader(io.StringIO(render(doc, "csv").decode("utf-8-sig"))))
    kinds = [r["type"] for r in rows]
    assert kinds.count("note") == doc.note_count
    assert kinds.count("chat") == len(doc.chat)
    assert kinds.count("answer") == sum(len(q.answers) for q in doc.questions)
    assert kinds.count("priority") == len(doc.priorities)
    note = next(r for r in rows if r["type"] == "note")
    assert note["round"] == "1"
    assert note["table"].startswith("Table")
    assert note["theme"]
    assert note["role"] in {"BP", "BF", "KC"}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@"))
    assert any(r["text"].startswith("'=cmd|") for r in rows)
    assert any(r["text"].startswith("'=HYPERLINK") for r in rows)


def test_there_is_a_renderer_for_every_format():
    assert set(RENDERERS) == {"pdf", "docx", "html", "md", "json", "csv"}
