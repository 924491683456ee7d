"""CSV import and export of an event's words, for events run on paper or on another board.

Columns: ``round,table,kind,text,role,question``. ``kind`` is a note kind, ``comment`` (event
chat after that round) or ``answer`` (to the closing question in ``question``). The import
checks every row first and stores nothing if any row is wrong; the errors name the line.
Used by the ``import_notes`` / ``export_notes`` commands, and reusable by a web upload.
"""

import csv
import io
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cafes.checks import check_text
from cafes.errors import CafeError
from cafes.models import ChatMessage, ClosingAnswer, Note, NoteKind, Round, RoundStatus, Table
from cafes.selectors import answers_for_event, chat_for_event, notes_for_event
from events import services as event_services
from events.models import (
    ROLE_CODE_PATTERN,
    AgendaSegment,
    ClosingQuestion,
    Event,
    SegmentKind,
    Series,
    Stage,
)

COLUMNS = ["round", "table", "kind", "text", "role", "question"]
COMMENT = "comment"
ANSWER = "answer"
TABLE_NUMBER = re.compile(r"^(?:table\s*)?(\d{1,4})$", re.IGNORECASE)
IMPORT_SERIES_SLUG = "imported-events"


class CsvImportError(CafeError):
    """The file has mistakes; ``errors`` lists each as "line N: what is wrong"."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("bad_csv", "Nothing was imported. " + " ".join(errors[:20]))


@dataclass(frozen=True)
class CsvRow:
    line: int
    round: int | None
    table: str
    kind: str
    text: str
    role: str
    question: str


@dataclass
class ImportResult:
    event: Event
    notes: int = 0
    chat: int = 0
    answers: int = 0
    created: list[str] = field(default_factory=list)


def _row_errors(line: int, raw: dict) -> tuple[CsvRow | None, list[str]]:
    errors = []
    kind = (raw["kind"] or "").strip().lower()
    is_note = kind in NoteKind.values
    if not is_note and kind not in {COMMENT, ANSWER}:
        errors.append(
            f"line {line}: kind {kind!r} must be one of {', '.join(NoteKind.values)}, "
            f"{COMMENT} or {ANSWER}."
        )
    round_text = (raw["round"] or "").strip()
    number = None
    if round_text:
        if not round_text.isdigit() or int(round_text) < 1:
            errors.append(f"line {line}: round {round_text!r} must be a whole number from 1.")
        else:
            number = int(round_text)
    elif is_note:
        errors.append(f"line {line}: round is needed for a note.")
    table = (raw["table"] or "").strip()
    if is_note and not table:
        errors.append(f"line {line}: table is needed for a note (e.g. 3 or Table 3).")
    if kind in {COMMENT, ANSWER} and table:
        errors.append(f"line {line}: leave table empty for a {kind}.")
    role = (raw["role"] or "").strip().upper()
    if role and not re.match(ROLE_CODE_PATTERN, role):
        errors.append(f"line {line}: role {role!r} must be 1 to 6 letters, e.g. BP.")
    question = (raw["question"] or "").strip()
    if kind == ANSWER and not question:
        errors.append(f"line {line}: an answer needs the question's text in 'question'.")
    if kind != ANSWER and question:
        errors.append(f"line {line}: only answers have a question.")
    text = ""
    try:
        text = check_text(raw["text"] or "", what="text")
    except CafeError as error:
        errors.append(f"line {line}: {error.message}")
    if errors:
        return None, errors
    return CsvRow(line, number, table, kind, text, role, question), []


def read_rows(stream: Iterable[str]) -> list[CsvRow]:
    """Parse and check every row; raise ``CsvImportError`` listing all the bad ones."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvImportError(["line 1: the file is empty; it needs a header row."]) from None
    except csv.Error as error:
        raise CsvImportError([f"line 1: {error}"]) from None
    header = [h.strip().lstrip("\ufeff").lower() for h in header]
    if header != COLUMNS:
        raise CsvImportError([f"line 1: the header must be {','.join(COLUMNS)}."])
    rows, errors, line = [], [], 2
    try:
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(COLUMNS):
                errors.append(
                    f"line {start}: expected {len(COLUMNS)} columns, found {len(values)}."
                )
                continue
            row, row_errors = _row_errors(start, dict(zip(COLUMNS, values, strict=True)))
            errors.extend(row_errors)
            if row:
                rows.append(row)
    except csv.Error as error:
        errors.append(f"line {line}: {error}")
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError(["the file has a header but no rows."])
    return rows


def _table(event: Event, label: str, cache: dict, result: ImportResult) -> Table:
    if label in cache:
        return cache[label]
    match = TABLE_NUMBER.match(label)
    if match:
        table, created = Table.objects.get_or_create(event=event, number=int(match.group(1)))
    else:
        table = Table.objects.filter(event=event, name__iexact=label).first()
        created = table is None
        if created:
            last = Table.objects.filter(event=event).order_by("-number").first()
            table = Table.objects.create(
                event=event, name=label[:60], number=last.number + 1 if last else 1
            )
    if created:
        result.created.append(f"table {table.label}")
    cache[label] = table
    return table


def _round(event: Event, number: int, cache: dict, result: ImportResult) -> Round:
    if number not in cache:
        segments = list(AgendaSegment.objects.filter(event=event, kind=SegmentKind.CAFE_ROUND))
        segment = segments[number - 1] if number <= len(segments) else None
        round_, created = Round.objects.get_or_create(
            event=event,
            number=number,
            defaults={
                "prompt": (segment.prompt or segment.title) if segment else f"Round {number}",
                "status": RoundStatus.CLOSED,
                "closed_at": timezone.now(),
            },
        )
        if created:
            result.created.append(f"round {number}")
        cache[number] = round_
    return cache[number]


def _question(event: Event, text: str, cache: dict, result: ImportResult) -> ClosingQuestion:
    if text not in cache:
        question = ClosingQuestion.objects.filter(event=event, text=text).first()
        if question is None:
            question = event_services.add_closing_question(event=event, text=text)
            result.created.append(f"question {text!r}")
        cache[text] = question
    return cache[text]


def create_import_event(*, title: str, slug: str) -> Event:
    """An Explore event to hold words brought in from a file (in an 'Imported' series)."""
    series = Series.objects.filter(slug=IMPORT_SERIES_SLUG).first()
    if series is None:
        series = event_services.create_series(title="Imported events", slug=IMPORT_SERIES_SLUG)
    now = timezone.now()
    return event_services.create_event(
        series=series,
        stage=Stage.EXPLORE,
        title=title,
        slug=slug,
        starts_at=now,
        ends_at=now + timedelta(hours=3),
    )


@transaction.atomic
def import_notes(
    *,
    stream: Iterable[str],
    event: Event | None = None,
    create_title: str = "",
    create_slug: str = "",
) -> ImportResult:
    """Import notes, chat and answers from CSV into ``event`` (or a new event): all rows or
    none. Imported words have no participant, only the role code from the file."""
    rows = read_rows(stream)
    if event is None:
        if Event.objects.filter(slug=create_slug).exists():
            raise CsvImportError([f"an event with the slug {create_slug!r} already exists."])
        event = create_import_event(title=create_title, slug=create_slug)
    result = ImportResult(event=event)
    tables, rounds, questions = {}, {}, {}
    for row in rows:
        round_ = _round(event, row.round, rounds, result) if row.round else None
        if row.kind == ANSWER:
            question = _question(event, row.question, questions, result)
            ClosingAnswer.objects.create(
                question=question, role_code=row.role, text=row.text, client_id=uuid.uuid4()
            )
            result.answers += 1
        elif row.kind == COMMENT:
            ChatMessage.objects.create(
                event=event, round=round_, role_code=row.role, text=row.text, client_id=uuid.uuid4()
            )
            result.chat += 1
        else:
            Note.objects.create(
                event=event,
                round=round_,
                table=_table(event, row.table, tables, result),
                kind=row.kind,
                text=row.text,
                role_code=row.role,
                client_id=uuid.uuid4(),
            )
            result.notes += 1
    return result


def export_rows(*, event: Event) -> list[list[str]]:
    """The event's words in the import format: each round's notes (by table), then its chat,
    then the answers by question. Hidden or withdrawn words are left out."""
    rows: list[list[str]] = [COLUMNS]
    notes = list(notes_for_event(event=event))
    chat = list(chat_for_event(event=event))
    numbers = sorted({n.round.number for n in notes} | {c.round.number for c in chat if c.round})
    for number in numbers:
        for note in (n for n in notes if n.round.number == number):
            table = note.table.name or str(note.table.number)
            rows.append([str(number), table, note.kind, note.text, note.role_code, ""])
        for message in (c for c in chat if c.round and c.round.number == number):
            rows.append([str(number), "", COMMENT, message.text, message.role_code, ""])
    for message in (c for c in chat if not c.round):
        rows.append(["", "", COMMENT, message.text, message.role_code, ""])
    for answer in answers_for_event(event=event):
        rows.append(["", "", ANSWER, answer.text, answer.role_code, answer.question.text])
    return rows


def export_csv(*, event: Event) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(export_rows(event=event))
    return buffer.getvalue()
