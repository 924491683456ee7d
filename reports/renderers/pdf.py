"""The report as PDF: the print version of the HTML page through WeasyPrint (cover,
contents with page numbers, running footer)."""

from reports.renderers.html import report_html
from reports.series_document import AnyDocument


def render_pdf(doc: AnyDocument) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only this renderer needs.
    from weasyprint import HTML

    return HTML(string=report_html(doc, for_print=True)).write_pdf()
