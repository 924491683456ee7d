"""The report as one self-contained HTML page (styles inline), and the print version the
PDF is made from."""

from django.template.loader import render_to_string

from reports.document import ReportDocument


def report_html(doc: ReportDocument, *, for_print: bool = False) -> str:
    return render_to_string("reports/report.html", {"doc": doc, "for_print": for_print})


def render_html(doc: ReportDocument) -> bytes:
    return report_html(doc).encode()
