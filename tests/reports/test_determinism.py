"""The same harvest gives the same report, byte for byte (issue: "deterministic")."""

import json

import pytest

from harvest.selectors import harvestable_notes
from reports.services import build_report


@pytest.mark.parametrize("fmt", ["json", "md", "csv"])
def test_compiling_the_same_harvest_twice_gives_identical_files(report_event, fmt):
    first = build_report(event=report_event, fmt=fmt)
    second = build_report(event=report_event, fmt=fmt)
    assert first == second


def test_a_compile_is_dated_by_the_last_change_to_what_it_reports(report_event):
    data = json.loads(build_report(event=report_event, fmt="json"))
    note = report_event.notes.order_by("-created_at").first()
    assert data["report"]["compiled_at"] == max(report_event.ends_at, note.created_at).isoformat()
    # every note that may be reported is in exactly one theme
    ids = [n["id"] for t in data["themes"] if t["kind"] == "notes" for n in t["notes"]]
    assert sorted(ids) == sorted(harvestable_notes(event=report_event).values_list("id", flat=True))
