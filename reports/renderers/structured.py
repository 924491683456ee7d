"""The report's data for other tools. An event's report: JSON with every field, CSV of every
note, chat message, answer and priority. The series report: JSON of the whole journey, CSV
of the proposals with their concerns and the voices they came from."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict

from ops.spreadsheet import safe_cell
from reports.document import ReportDocument
from reports.series_document import AnyDocument, SeriesDocument

CSV_COLUMNS = [
    "type", "id", "round", "table", "kind", "theme", "question", "role", "votes", "text"
]  # fmt: skip
# One "proposal" row with every field, then its "concern" and "source" rows (the quoted
# notes of the Explore themes it came from), all carrying the proposal's number.
SERIES_CSV_COLUMNS = [
    "type", "proposal", "create_event", "conversation", "problem", "change", "who_acts",
    "first_step", "impact", "open_questions", "endorsements", "concerns", "kind", "theme",
    "group", "role", "text",
]  # fmt: skip
# The columns of a "proposal" row that hold the proposal's field of the same name.
PROPOSAL_FIELDS = (
    "conversation", "problem", "change", "who_acts", "first_step", "impact", "open_questions",
    "endorsements",
)  # fmt: skip


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


def _header(doc: AnyDocument) -> dict:
    """The title and which version of the report this is, first in every JSON file."""
    return {
        "title": doc.title,
        "report": {
            "version": doc.version,
            "compiled_at": doc.compiled_at.isoformat(),
            "fingerprint": doc.fingerprint,
            "curated": doc.curated,
        },
    }


def as_dict(doc: ReportDocument) -> dict:
    return {
        **_header(doc),
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


def series_as_dict(doc: SeriesDocument) -> dict:
    return {**_header(doc), "journey": asdict(doc.journey)}


def render_json(doc: AnyDocument) -> bytes:
    data = series_as_dict(doc) if isinstance(doc, SeriesDocument) else as_dict(doc)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _series_rows(doc: SeriesDocument) -> Iterator[list[str]]:
    for n in doc.proposals:
        p = n.proposal
        yield _series_row(
            type="proposal",
            proposal=n.number,
            create_event=n.event,
            **{name: getattr(p, name) for name in PROPOSAL_FIELDS},
            concerns=len(p.problems_to_solve) + len(p.tensions_to_manage),
            theme="; ".join(s.theme for s in p.provenance),
            group="; ".join(s.group for s in p.provenance),
        )
        for kind, quotes in (("problem", p.problems_to_solve), ("tension", p.tensions_to_manage)):
            for q in quotes:
                yield _series_row(
                    type="concern", proposal=n.number, kind=kind, role=q.role, text=q.text
                )
        for source in p.provenance:
            for q in source.voices:
                yield _series_row(
                    type="source",
                    proposal=n.number,
                    theme=source.theme,
                    group=source.group,
                    role=q.role,
                    text=q.text,
                )


def _series_row(**cells) -> list[str]:
    return [safe_cell(cells.get(column, "")) for column in SERIES_CSV_COLUMNS]


def _event_rows(doc: ReportDocument) -> Iterator[list[str]]:
    for theme in doc.themes:
        kind = "note" if theme.kind == "notes" else "chat"
        for n in theme.notes:
            yield [
                safe_cell(v)
                for v in (kind, n.id, n.round, n.table, n.kind, theme.title, "", n.role, "", n.text)
            ]
    for q in doc.questions:
        for a in q.answers:
            row = ("answer", a.id, "", "", "answer", "", q.question, a.role, "", a.text)
            yield [safe_cell(v) for v in row]
    for p in doc.priorities:
        row = ("priority", "", p.round, p.table, "priority", "", "", "", p.votes, p.text)
        yield [safe_cell(v) for v in row]


def render_csv(doc: AnyDocument) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if isinstance(doc, SeriesDocument):
        writer.writerow(SERIES_CSV_COLUMNS)
        writer.writerows(_series_rows(doc))
    else:
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_event_rows(doc))
    # A byte-order mark so Excel opens the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()
