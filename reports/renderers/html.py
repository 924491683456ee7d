"""The report as one self-contained HTML page (styles inline), and the print version the
PDF is made from."""

from django.template.loader import render_to_string

from reports.series_document import AnyDocument


def report_html(doc: AnyDocument, *, for_print: bool = False) -> str:
    return render_to_string("reports/report.html", {"doc": doc, "for_print": for_print})


def render_html(doc: AnyDocument) -> bytes:
    return report_html(doc).encode()
