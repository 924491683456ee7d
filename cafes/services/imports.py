"""The CSV import's writes: an event's words (and facts) from a checked file, all or none.

``cafes.csv_io`` reads and checks the file (``read_file``) and ``cafes.csv_meta`` its facts;
this stores them. Imported words have no participant, only the role code from the file; an
import into a new event creates it (and its series and stakeholder group) through
``events.services``.
"""

import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cafes import csv_meta
from cafes.csv_io import ANSWER, COMMENT, PRIORITY, TABLE_NUMBER, ImportResult, read_file
from cafes.csv_meta import (
    GROUP,
    SERIES,
    EventMeta,
    placeholder_prompt,
)
from cafes.errors import CsvImportError
from cafes.models import ChatMessage, ClosingAnswer, Note, Priority, Round, RoundStatus, Table
from events import services as event_services
from events.errors import EventsError
from events.models import (
    AgendaSegment,
    ClosingQuestion,
    Event,
    ParticipantStatus,
    RoleCode,
    SegmentKind,
    Series,
    StaffRole,
    Stage,
    StakeholderGroup,
)


def _series(meta: EventMeta, created: list[str], chosen: Series | None = None) -> Series:
    """The series chosen for the import, which the file's series row (if any) must name; else
    the series the file names, by title, made if there is none."""
    fact = meta.facts.get(SERIES)
    if chosen is not None:
        if fact is not None and fact.value.casefold() != chosen.title.casefold():
            raise CsvImportError(
                [
                    f"line {fact.line}: the file names the series {fact.value!r}, but the "
                    f"import was asked to go into {chosen.title!r} ({chosen.slug})."
                ]
            )
        return chosen
    if fact is None:
        raise CsvImportError(
            [
                "the new event needs a series: choose one (--series SLUG) or name it in a "
                "series row of the file (docs/import.md)."
            ]
        )
    matches = list(Series.objects.filter(title__iexact=fact.value)[:2])
    if len(matches) > 1:
        raise CsvImportError(
            [
                f"line {fact.line}: more than one series is called {fact.value!r}; rename all "
                "but one, so that the file names one series."
            ]
        )
    if matches:
        return matches[0]
    created.append(f"series {fact.value!r}")
    return event_services.create_series(title=fact.value)


def _group(meta: EventMeta, series: Series, created: list[str]) -> StakeholderGroup | None:
    """The stakeholder group the file names, in the series; made (with the file's role
    labels as its default role codes) if the series has none of that name."""
    fact = meta.facts.get(GROUP)
    if fact is None:
        return None
    group = series.stakeholder_groups.filter(name__iexact=fact.value).first()
    if group is None:
        labels = [(code, label.value) for code, label in meta.labels.items()]
        group = event_services.add_stakeholder_group(
            series=series, name=fact.value, role_codes=labels
        )
        created.append(f"stakeholder group {fact.value!r}")
    return group


def _create_event(
    *,
    meta: EventMeta,
    title: str,
    slug: str,
    created: list[str],
    series: Series | None,
    facilitator: AbstractBaseUser | None,
) -> Event:
    """A new Explore event with the file's date, times, series and stakeholder group, given
    to its facilitator (so someone can open its harvest)."""
    starts_at, ends_at, zone_name = csv_meta.event_times(meta)
    series = _series(meta, created, series)
    event = event_services.create_event(
        series=series,
        stage=Stage.EXPLORE,
        title=title,
        slug=slug,
        starts_at=starts_at,
        ends_at=ends_at,
        stakeholder_group=_group(meta, series, created),
        timezone_name=zone_name,
    )
    if facilitator is not None:
        event_services.grant_role(user=facilitator, role=StaffRole.FACILITATOR, event=event)
        created.append(f"facilitator {facilitator.get_username()!r}")
    return event


def _record_roles(*, meta: EventMeta, event: Event, created: list[str]) -> None:
    """Put the file's role codes in the event's set (for a new event, a label the file gives
    wins over the one it took from its group; a code with no label is labelled with itself)
    and record the file's attendance, unless people joined the event here."""
    existing = {r.code: r for r in RoleCode.objects.filter(event=event)}
    unlabelled = [c for c in meta.attendance if c and c not in meta.labels]
    for code in [*meta.labels, *unlabelled]:
        label = meta.labels[code].value if code in meta.labels else code
        if code not in existing:
            event_services.add_role_code(event=event, code=code, label=label)
            created.append(f"role code {code}")
        elif code in meta.labels and existing[code].label != label:
            event_services.relabel_role_code(role_code=existing[code], label=label)
    if event.participants.filter(status=ParticipantStatus.JOINED).exists():
        return
    for code, fact in meta.attendance.items():
        event_services.record_attendance(event=event, role_code=code, count=fact.value)


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


def _round(event: Event, number: int, cache: dict, result: ImportResult, meta: EventMeta) -> Round:
    """The event's round ``number``, made if need be, with the file's prompt, else the
    agenda's, else a placeholder (which a prompt from a later file replaces)."""
    if number not in cache:
        prompt = meta.prompt(number)
        if prompt is None:
            segments = list(AgendaSegment.objects.filter(event=event, kind=SegmentKind.CAFE_ROUND))
            segment = segments[number - 1] if number <= len(segments) else None
            prompt = (segment.prompt or segment.title) if segment else placeholder_prompt(number)
        round_, created = Round.objects.get_or_create(
            event=event,
            number=number,
            defaults={"prompt": prompt, "status": RoundStatus.CLOSED, "closed_at": timezone.now()},
        )
        if created:
            result.created.append(f"round {number}")
        elif round_.prompt == placeholder_prompt(number) and meta.prompt(number):
            round_.prompt = prompt
            round_.save(update_fields=["prompt"])
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


@transaction.atomic
def import_notes(
    *,
    stream: Iterable[str],
    event: Event | None = None,
    create_title: str = "",
    create_slug: str = "",
    create_in: Series | None = None,
    facilitator: AbstractBaseUser | None = None,
) -> ImportResult:
    """Import notes, priorities, chat, answers and the event's facts from CSV into ``event``
    (or a new event, in ``create_in`` or the file's series, given to ``facilitator``): all
    rows or none. Imported words have no participant, only the role code from the file;
    imported votes are a number on their priority."""
    checked = read_file(stream)
    meta, created = checked.meta, []
    try:
        if event is None:
            if Event.objects.filter(slug=create_slug).exists():
                raise CsvImportError([f"an event with the slug {create_slug!r} already exists."])
            event = _create_event(
                meta=meta,
                title=create_title,
                slug=create_slug,
                created=created,
                series=create_in,
                facilitator=facilitator,
            )
        else:
            csv_meta.check_event(meta=meta, event=event)
        _record_roles(meta=meta, event=event, created=created)
    except EventsError as error:
        raise CsvImportError(error.messages) from None
    result = ImportResult(event=event, created=created)
    tables, rounds, questions = {}, {}, {}
    for number in sorted(meta.prompts):
        _round(event, number, rounds, result, meta)
    for row in checked.rows:
        round_ = _round(event, row.round, rounds, result, meta) if row.round else None
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
        elif row.kind == PRIORITY:
            Priority.objects.create(
                round=round_,
                table=_table(event, row.table, tables, result),
                text=row.text,
                recorded_votes=row.votes,
                client_id=uuid.uuid4(),
            )
            result.priorities += 1
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
