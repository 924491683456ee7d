"""The report's data for other tools: JSON with every field; CSV of every note, chat
message, answer and priority."""

import csv
import io
import json
from dataclasses import asdict

from reports.document import ReportDocument

CSV_COLUMNS = [
    "type", "id", "round", "table", "kind", "theme", "question", "role", "votes", "text"
]  # fmt: skip
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _theme(theme) -> dict:
    notes = [
        {"id": n.id, "text": n.text, "role": n.role, "table": n.table, "round": n.round}
        for n in theme.notes
    ]
    return {
        "title": theme.title,
        "summary": theme.summary,
        "kind": theme.kind,
        "round": theme.round,
        "key": theme.key,
        "emerging": theme.emerging,
        "curated": theme.curated,
        "notes": notes,
        "note_kinds": [n.kind for n in theme.notes],
        "quotes": [
            {"id": q.id, "text": q.text, "role": q.role, "table": q.table, "round": q.round}
            for q in theme.quotes
        ],
    }


def as_dict(doc: ReportDocument) -> dict:
    return {
        "title": doc.title,
        "report": {
            "version": doc.version,
            "compiled_at": doc.compiled_at.isoformat(),
            "fingerprint": doc.fingerprint,
            "curated": doc.curated,
        },
        "event": asdict(doc.event),
        "participants": [asdict(r) for r in doc.participants],
        "rounds": [asdict(r) for r in doc.rounds],
        "themes": [_theme(t) for t in doc.themes],
        "priorities": [asdict(p) for p in doc.priorities],
        "questions": [
            {
                "question": q.question,
                "position": q.position,
                "reflection": q.reflection,
                "answers": [{"id": a.id, "text": a.text, "role": a.role} for a in q.answers],
            }
            for q in doc.questions
        ],
        "chat": [asdict(n) for n in doc.chat],
        "conclusions": doc.conclusions,
    }


def render_json(doc: ReportDocument) -> bytes:
    return json.dumps(as_dict(doc), ensure_ascii=False, indent=2).encode()


def safe_cell(value) -> str:
    """The value as text a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(doc: ReportDocument) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for theme in doc.themes:
        kind = "note" if theme.kind == "notes" else "chat"
        for n in theme.notes:
            writer.writerow(
                safe_cell(v)
                for v in (kind, n.id, n.round, n.table, n.kind, theme.title, "", n.role, "", n.text)
            )
    for q in doc.questions:
        for a in q.answers:
            row = ("answer", a.id, "", "", "answer", "", q.question, a.role, "", a.text)
            writer.writerow(safe_cell(v) for v in row)
    for p in doc.priorities:
        row = ("priority", "", p.round, p.table, "priority", "", "", "", p.votes, p.text)
        writer.writerow(safe_cell(v) for v in row)
    # A byte-order mark so Excel opens the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()
