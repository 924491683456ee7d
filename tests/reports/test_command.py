"""``manage.py build_report``: the same compilation, synchronously, for scripts."""

import io
import json

import docx
import pytest
from django.core.management import CommandError, call_command

from reports.models import ReportVersion


def test_writes_the_json_report_of_an_event(report_event, tmp_path):
    out = tmp_path / "report.json"
    stdout = io.StringIO()
    call_command(
        "build_report", report_event.slug, "--format", "json", "-o", str(out), stdout=stdout
    )
    data = json.loads(out.read_text())
    assert data["event"]["slug"] == report_event.slug
    assert data["report"]["version"] is None
    assert sum(len(t["notes"]) for t in data["themes"] if t["kind"] == "notes") == 284
    assert f"to {out}" in stdout.getvalue()
    assert not ReportVersion.objects.exists()


def test_writes_a_docx_that_word_can_open(report_event, tmp_path):
    out = tmp_path / "report.docx"
    call_command(
        "build_report", report_event.slug, "-f", "docx", "-o", str(out), stdout=io.StringIO()
    )
    assert docx.Document(str(out)).paragraphs[0].text == "Harvest report: Explore: birth parents"


def test_an_unknown_event_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No event has the slug 'nope'"):
        call_command("build_report", "nope", "--format", "json", "-o", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_an_unknown_format_is_a_clear_error(report_event, tmp_path):
    with pytest.raises(CommandError, match="Unknown format 'rtf'; choose one of: json, csv"):
        call_command(
            "build_report", report_event.slug, "--format", "rtf", "-o", str(tmp_path / "x")
        )
    assert not (tmp_path / "x").exists()


def test_builds_a_series_report_with_series(report_event, tmp_path):
    out = tmp_path / "series.docx"
    stdout = io.StringIO()
    series = report_event.series
    call_command(
        "build_report", series.slug, "--series", "-f", "docx", "-o", str(out), stdout=stdout
    )
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == f"Series report: {series.title}"
    groups = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert groups == ["Explore: birth parents"]  # the Explore event's themes; no group set
    assert f"series report of {series.title}" in stdout.getvalue()
    assert not ReportVersion.objects.exists()


def test_an_unknown_series_is_a_clear_error(report_event, tmp_path):
    with pytest.raises(CommandError, match="No series has the slug 'nope'"):
        call_command("build_report", "nope", "--series", "-f", "json", "-o", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()
