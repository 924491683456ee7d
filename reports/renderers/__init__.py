"""Renderers: each turns one document (an event's ``ReportDocument`` or a ``SeriesDocument``)
into the bytes of one file format."""

from collections.abc import Callable
from dataclasses import dataclass

from reports.models import ReportFormat
from reports.renderers.html import render_html
from reports.renderers.markdown import render_markdown
from reports.renderers.pdf import render_pdf
from reports.renderers.structured import render_csv, render_json
from reports.renderers.word import render_docx
from reports.series_document import AnyDocument


@dataclass(frozen=True)
class Renderer:
    format: str
    render: Callable[[AnyDocument], bytes]
    content_type: str
    extension: str


# In the order a compile makes them: the quick ones first, the PDF last.
RENDERERS: dict[str, Renderer] = {
    r.format: r
    for r in [
        Renderer(ReportFormat.JSON, render_json, "application/json", "json"),
        Renderer(ReportFormat.CSV, render_csv, "text/csv; charset=utf-8", "csv"),
        Renderer(ReportFormat.MD, render_markdown, "text/markdown; charset=utf-8", "md"),
        Renderer(ReportFormat.HTML, render_html, "text/html; charset=utf-8", "html"),
        Renderer(
            ReportFormat.DOCX,
            render_docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        Renderer(ReportFormat.PDF, render_pdf, "application/pdf", "pdf"),
    ]
}


def render(doc: AnyDocument, fmt: str) -> bytes:
    return RENDERERS[fmt].render(doc)
