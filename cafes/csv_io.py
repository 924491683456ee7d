"""CSV import and export of an event's words, for events run on paper or on another board.

Columns: ``round,table,kind,text,role,question``, and optionally ``votes`` after them.
``kind`` is a note kind, ``comment`` (event chat after that round), ``answer`` (to the
closing question in ``question``), ``priority`` (a table's chosen solution, with its
``votes``) or ``meta`` (a fact about the event: its date, series, stakeholder group, round
prompts, role labels and attendance; see ``cafes.csv_meta`` and docs/import.md). The import
checks every row first and stores nothing if any row is wrong; the errors name the line.
This module reads, checks and writes files; ``cafes.services.imports`` stores a checked
file. Used by the ``import_notes`` / ``export_notes`` commands and the facilitator's upload
page.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cafes import csv_meta
from cafes.checks import check_text
from cafes.csv_meta import META, EventMeta, count_from
from cafes.errors import CafeError, CsvImportError
from cafes.models import (
    NoteKind,
    Table,
)
from cafes.selectors import (
    answers_for_event,
    chat_for_event,
    notes_for_event,
    priorities_for_event,
)
from events.models import (
    ROLE_CODE_PATTERN,
    Event,
)
from ops.spreadsheet import safe_cell, unsafe_cell

COLUMNS = ["round", "table", "kind", "text", "role", "question"]
VOTES = "votes"
COMMENT = "comment"
ANSWER = "answer"
PRIORITY = "priority"
AT_A_TABLE = (*NoteKind.values, PRIORITY)
KINDS = (*NoteKind.values, PRIORITY, COMMENT, ANSWER, META)
TABLE_NUMBER = re.compile(r"^(?:table\s*)?(\d{1,4})$", re.IGNORECASE)


@dataclass(frozen=True)
class CsvRow:
    line: int
    round: int | None
    table: str
    kind: str
    text: str
    role: str
    question: str
    votes: int = 0


@dataclass
class ImportFile:
    """A checked file: its words, and the facts about its event."""

    rows: list[CsvRow]
    meta: EventMeta


@dataclass
class ImportResult:
    event: Event
    notes: int = 0
    chat: int = 0
    answers: int = 0
    priorities: int = 0
    created: list[str] = field(default_factory=list)


def _row_errors(line: int, raw: dict) -> tuple[CsvRow | None, list[str]]:
    errors = []
    kind = (raw["kind"] or "").strip().lower()
    at_table = kind in AT_A_TABLE
    if kind not in KINDS:
        errors.append(
            f"line {line}: kind {kind!r} must be one of {', '.join(NoteKind.values)}, "
            f"{PRIORITY}, {COMMENT}, {ANSWER} or {META}."
        )
    round_text = (raw["round"] or "").strip()
    number = None
    if round_text:
        if not round_text.isdigit() or int(round_text) < 1:
            errors.append(f"line {line}: round {round_text!r} must be a whole number from 1.")
        else:
            number = int(round_text)
    elif at_table:
        errors.append(f"line {line}: round is needed for a {_noun(kind)}.")
    table = (raw["table"] or "").strip()
    if at_table and not table:
        errors.append(f"line {line}: table is needed for a {_noun(kind)} (e.g. 3 or Table 3).")
    if kind in {COMMENT, ANSWER} and table:
        errors.append(f"line {line}: leave table empty for a {kind}.")
    role = (raw["role"] or "").strip().upper()
    if role and not re.match(ROLE_CODE_PATTERN, role):
        errors.append(f"line {line}: role {role!r} must be 1 to 6 letters, e.g. BP.")
    if kind == PRIORITY and role:
        errors.append(f"line {line}: a priority is the table's; leave role empty.")
    question = (raw["question"] or "").strip()
    if kind == ANSWER and not question:
        errors.append(f"line {line}: an answer needs the question's text in 'question'.")
    if kind != ANSWER and question:
        errors.append(f"line {line}: only answers have a question.")
    votes_text = (raw.get(VOTES) or "").strip()
    votes = 0
    if votes_text and kind != PRIORITY:
        errors.append(f"line {line}: only priorities have votes.")
    elif votes_text:
        votes, vote_errors = count_from(votes_text, line=line, what="votes")
        errors += vote_errors
    text = ""
    try:
        text = check_text(raw["text"] or "", what="text")
    except CafeError as error:
        errors.append(f"line {line}: {error.message}")
    if errors:
        return None, errors
    return CsvRow(line, number, table, kind, text, role, question, votes or 0), []


def _noun(kind: str) -> str:
    return PRIORITY if kind == PRIORITY else "note"


def _header(reader) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise CsvImportError(["line 1: the file is empty; it needs a header row."]) from None
    except csv.Error as error:
        raise CsvImportError([f"line 1: {error}"]) from None
    header = [h.strip().lstrip("\ufeff").lower() for h in header]
    if header not in (COLUMNS, [*COLUMNS, VOTES]):
        raise CsvImportError(
            [f"line 1: the header must be {','.join(COLUMNS)} (then {VOTES}, if you need it)."]
        )
    return header


def read_file(stream: Iterable[str]) -> ImportFile:
    """Parse and check every row; raise ``CsvImportError`` listing all the bad ones."""
    reader = csv.reader(stream)
    header = _header(reader)
    rows, meta, errors, line = [], EventMeta(), [], 2
    try:
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                errors.append(f"line {start}: expected {len(header)} columns, found {len(values)}.")
                continue
            raw = dict(zip(header, (unsafe_cell(v) for v in values), strict=True))
            if (raw["kind"] or "").strip().lower() == META:
                errors.extend(meta.add(start, raw))
                continue
            row, row_errors = _row_errors(start, raw)
            errors.extend(row_errors)
            if row:
                rows.append(row)
    except csv.Error as error:
        errors.append(f"line {line}: {error}")
    errors.extend(meta.finish())
    if errors:
        raise CsvImportError(errors)
    if not rows and meta.empty:
        raise CsvImportError(["the file has a header but no rows."])
    return ImportFile(rows=rows, meta=meta)


def export_rows(*, event: Event) -> list[list[str]]:
    """The event in the import format: its facts, then each round's notes (by table), its
    priorities with their votes and its chat, then the answers by question. Hidden or
    withdrawn words are left out. The ``votes`` column is there only if there are
    priorities, so a file without any reads as it always did."""
    notes = list(notes_for_event(event=event))
    chat = list(chat_for_event(event=event))
    priorities = list(priorities_for_event(event=event))
    numbers = sorted(
        {n.round.number for n in notes}
        | {c.round.number for c in chat if c.round}
        | {p.round.number for p in priorities}
    )
    rows: list[list[str]] = csv_meta.meta_rows(event=event)
    for number in numbers:
        for note in (n for n in notes if n.round.number == number):
            rows.append(
                [str(number), _table_label(note.table), note.kind, note.text, note.role_code, ""]
            )
        for priority in (p for p in priorities if p.round.number == number):
            table = _table_label(priority.table)
            rows.append(
                [str(number), table, PRIORITY, priority.text, "", "", str(priority.vote_count)]
            )
        for message in (c for c in chat if c.round and c.round.number == number):
            rows.append([str(number), "", COMMENT, message.text, message.role_code, ""])
    for message in (c for c in chat if not c.round):
        rows.append(["", "", COMMENT, message.text, message.role_code, ""])
    for answer in answers_for_event(event=event):
        rows.append(["", "", ANSWER, answer.text, answer.role_code, answer.question.text])
    if not priorities:
        return [list(COLUMNS), *rows]
    return [[*COLUMNS, VOTES], *(row + [""] * (len(COLUMNS) + 1 - len(row)) for row in rows)]


def _table_label(table: Table) -> str:
    return table.name or str(table.number)


def export_csv(*, event: Event) -> str:
    """The export as CSV text. A cell a spreadsheet would run as a formula (a note typed as
    "=HYPERLINK(…)") starts with a quote; ``read_file`` takes it off again."""
    buffer = io.StringIO()
    rows = ([safe_cell(cell) for cell in row] for row in export_rows(event=event))
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
