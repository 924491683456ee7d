"""How the report sits on the page, as the review team found it: in Word, a contents field,
the title and version in the header, "Page X of Y" in the footer and document properties of
the report's own; in the PDF, no near-empty page and no heading left at the foot of a page."""

import io
import zipfile
from datetime import UTC, datetime

import docx
import pytest
from pypdf import PdfReader

from reports.document import build_document
from reports.renderers import render
from reports.series_document import build_series_document
from tests.reports.test_series_report import make_series_report

COMPILED_AT = datetime(2026, 3, 14, 16, 30, 45, tzinfo=UTC)
MM = 72 / 25.4
# The body of an A4 page between report_print.css's margins, in PDF points from the foot.
BODY_TOP = 297 * MM - 22 * MM
BODY_BOTTOM = 24 * MM


@pytest.fixture
def doc(report_event):
    """The fixture café's report: three rounds, each with several themes and their quotes."""
    return build_document(event=report_event, version=3, compiled_at=COMPILED_AT)


def walk(sections):
    for section in sections:
        yield section
        yield from walk(section.subsections)


def parts(content: bytes) -> dict[str, str]:
    """The package's XML parts by name."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        names = [name for name in package.namelist() if name.endswith(".xml")]
        return {name: package.read(name).decode() for name in names}


# --- Word ---------------------------------------------------------------------------------


def test_docx_has_a_contents_field_that_word_fills_in_on_opening(doc):
    content = render(doc, "docx")
    xml = parts(content)
    assert 'TOC \\o "1-3" \\h \\z \\u' in xml["word/document.xml"]
    assert '<w:updateFields w:val="true"/>' in xml["word/settings.xml"]
    document = docx.Document(io.BytesIO(content))
    names = [(p.style.name, p.text) for p in document.paragraphs]
    contents = names.index(("TOC Heading", "Contents"))
    # until Word fills it in (it asks on opening), the field shows the sections and rounds
    shown = [text for _, text in names[contents + 1 : contents + 12]]
    assert shown[:2] == ["Executive summary", "About the process"]
    assert "Findings by round" in shown
    assert "Round 1" in shown
    assert names.index(("Heading 1", "Executive summary")) > contents
    for level in (1, 2, 3):
        assert document.styles[f"Heading {level}"].paragraph_format.keep_with_next


def test_docx_footer_counts_pages_and_header_names_the_report(doc):
    content = render(doc, "docx")
    footers = [text for name, text in parts(content).items() if name.startswith("word/footer")]
    assert any(
        "<w:instrText" in f and " PAGE " in f and " NUMPAGES " in f and "Page " in f
        for f in footers
    )
    section = docx.Document(io.BytesIO(content)).sections[0]
    assert section.header.paragraphs[0].text == f"{doc.title}\t{doc.version_label}"
    assert section.different_first_page_header_footer  # the cover has neither
    assert round(section.page_width.mm) == 210  # A4, like the PDF


def test_docx_properties_are_the_reports_dated_when_it_was_compiled(doc):
    content = render(doc, "docx")
    props = docx.Document(io.BytesIO(content)).core_properties
    assert props.title == "Harvest report: Explore: birth parents"
    assert props.subject == doc.event.title  # the fixture's event has no stakeholder group
    assert props.author == props.last_modified_by == "Bridgework"
    assert props.created == props.modified == COMPILED_AT
    assert props.comments == ""
    assert props.keywords == "harvest report"
    assert props.category == "Harvest report"
    assert "python-docx" not in parts(content)["docProps/core.xml"]


def test_docx_leads_a_themes_summary_into_its_first_quote(doc):
    paragraphs = docx.Document(io.BytesIO(render(doc, "docx"))).paragraphs
    raised = [i for i, p in enumerate(paragraphs) if p.text.startswith("Raised in ")]
    assert raised
    for i in raised:
        summary, line, after = paragraphs[i - 1], paragraphs[i], paragraphs[i + 1]
        assert summary.paragraph_format.keep_with_next
        assert line.paragraph_format.keep_with_next
        # then its quotes, or (a theme too small to quote apart from its summary) the line
        # that leads into its notes, kept with them
        if after.style.name != "Report Quote":
            assert after.text in {"What was said:", "Also said in this theme:"}
            assert after.paragraph_format.keep_with_next


def test_series_docx_has_the_same_contents_header_footer_and_properties(db):
    setup = make_series_report()[0]
    doc = build_series_document(series=setup.series, version=2, compiled_at=COMPILED_AT)
    content = render(doc, "docx")
    xml = parts(content)
    assert 'TOC \\o "1-3"' in xml["word/document.xml"]
    assert any(" NUMPAGES " in text for name, text in xml.items() if "footer" in name)
    document = docx.Document(io.BytesIO(content))
    assert (
        document.sections[0]
        .header.paragraphs[0]
        .text.startswith("Series report: Bridge the Gap\tVersion 2")
    )
    props = document.core_properties
    assert (props.title, props.category, props.created) == (
        "Series report: Bridge the Gap",
        "Series report",
        COMPILED_AT,
    )
    assert props.subject == doc.cover.subtitle


# --- PDF ----------------------------------------------------------------------------------


def body_lines(page) -> list[str]:
    """The page's lines of text top to bottom, without the running header and footer."""
    runs: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and BODY_BOTTOM < y < BODY_TOP:
            runs.append((round(y), x, text))

    page.extract_text(visitor_text=visit)
    lines: dict[int, list[tuple[float, str]]] = {}
    for y, x, text in runs:
        lines.setdefault(y, []).append((x, text))
    return [
        " ".join(" ".join(t for _, t in sorted(lines[y])).split())
        for y in sorted(lines, reverse=True)
    ]


def fill(page) -> float:
    """How far down the page's body its text reaches, from 0 (empty) to 1 (full)."""
    ys: list[float] = []
    page.extract_text(
        visitor_text=lambda text, cm, tm, *_: (
            ys.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5]) if text.strip() else None
        )
    )
    lowest = min(y for y in ys if BODY_BOTTOM < y < BODY_TOP)
    return (BODY_TOP - lowest) / (BODY_TOP - BODY_BOTTOM)


@pytest.fixture
def pdf_pages(doc):
    return PdfReader(io.BytesIO(render(doc, "pdf"))).pages


def test_pdf_has_no_near_empty_page(pdf_pages):
    assert len(pdf_pages) > 10
    # The cover stands alone and the contents end their page; every page after runs on.
    for number, page in enumerate(pdf_pages[1:-1], start=2):
        assert len("".join(body_lines(page))) > 200, f"page {number} is nearly empty"
    for number, page in enumerate(pdf_pages[2:-1], start=3):
        assert fill(page) > 0.5, f"page {number} is more than half empty"


def test_pdf_never_leaves_a_heading_at_the_foot_of_a_page(doc, pdf_pages):
    """Neither a heading alone nor a heading and a single line under it end a page."""
    titles = {s.title for s in walk(doc.sections)}
    for number, page in enumerate(pdf_pages, start=1):
        last = body_lines(page)[-3:]
        candidates = [*last[-2:], " ".join(last[-2:]), " ".join(last[:2])]
        stranded = [line for line in candidates if line in titles]
        assert not stranded, f"page {number} ends on the heading {stranded[0]!r}"


def test_pdf_keeps_each_themes_title_summary_and_first_quote_on_one_page(doc, pdf_pages):
    pages = [body_lines(page) for page in pdf_pages]
    findings = next(s for s in doc.sections if s.anchor == "findings")
    themes = [t for r in findings.subsections for t in r.subsections]
    assert len(themes) > 10
    page = 2  # after the cover and the contents, which lists no theme
    for theme in themes:
        while theme.title not in pages[page]:
            page += 1
        quote = next(b for b in theme.blocks if b.kind == "quotes").quotes[0]
        same_page = " ".join(" ".join(pages[page]).split())
        # The opening mark tells the quote from the summary, often the same words.
        assert "“" + " ".join(quote.text.split()[:5]) in same_page, theme.title
