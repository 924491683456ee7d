"""The event's facts in an imported CSV: ``meta`` rows, and what they do to the event.

A ``meta`` row names a fact in ``question`` and gives its value in ``text``; ``round`` says
which round a prompt is for and ``role`` which role code a label or an attendance count is
for (docs/import.md). Rows are checked as they are read (:meth:`EventMeta.add`), then
against the database before anything is written (:func:`check_event`), so a bad fact
stores nothing, like any other bad row. ``cafes.services.imports`` then stores them.

An import that creates its event takes every fact from the file. An import into an event
that exists only fills in what the event lacks (a prompt, a role code, attendance): a fact
the event already has must agree with the file, and is never replaced by it.
"""

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cafes.checks import check_text
from cafes.errors import CafeError, CsvImportError
from cafes.selectors import rounds_for_event
from events import services as event_services
from events.errors import EventsError
from events.models import (
    ROLE_CODE_PATTERN,
    Event,
    ParticipantStatus,
)
from events.selectors import local_time, participants_by_role, round_prompts

META = "meta"
DATE, START, END, TIMEZONE = "date", "start", "end", "timezone"
SERIES, GROUP, PROMPT, ROLE, ATTENDANCE = "series", "group", "prompt", "role", "attendance"
KEYS = (DATE, START, END, TIMEZONE, SERIES, GROUP, PROMPT, ROLE, ATTENDANCE)
NAMES = {TIMEZONE: "time zone", GROUP: "stakeholder group"}
DEFAULT_TIMEZONE = "Europe/London"
DEFAULT_START = time(10, 0)
DEFAULT_LENGTH = timedelta(hours=3)
MAX_PEOPLE = 100_000
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WORDY_DATES = ("%d %B %Y", "%d %b %Y")  # 14 March 2024, 14 Mar 2024
CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
# The longest each fact may be: its model field's max_length (a prompt: any note's).
MAX_LENGTHS = {SERIES: 200, GROUP: 120, ROLE: 80}


def count_from(text: str, *, line: int, what: str) -> tuple[int | None, list[str]]:
    """A number of people or votes as typed in the file: a whole number from 0."""
    text = text.strip()
    if text.isascii() and text.isdigit() and int(text) <= MAX_PEOPLE:
        return int(text), []
    return None, [
        f"line {line}: {what} {text!r} must be a whole number from 0 to {MAX_PEOPLE:,}, e.g. 12."
    ]


def placeholder_prompt(number: int) -> str:
    """What a round is called when nobody said what its prompt was."""
    return f"Round {number}"


def _date(text: str) -> date | None:
    if ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    for pattern in WORDY_DATES:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _clock(text: str) -> time | None:
    match = CLOCK.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def _shown(key: str, value) -> str:
    if value is None:
        return "not set"
    if key == DATE:
        return value.isoformat()
    if key in (START, END):
        return f"{value:%H:%M}"
    if key in (SERIES, GROUP):
        return repr(value)
    return str(value)


@dataclass(frozen=True)
class Fact:
    line: int
    value: object


@dataclass
class EventMeta:
    """The facts given by a file's ``meta`` rows, each with the line it came from."""

    facts: dict[str, Fact] = field(default_factory=dict)
    prompts: dict[int, Fact] = field(default_factory=dict)
    labels: dict[str, Fact] = field(default_factory=dict)
    attendance: dict[str, Fact] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.facts or self.prompts or self.labels or self.attendance)

    def value(self, key: str, default=None):
        fact = self.facts.get(key)
        return fact.value if fact else default

    def prompt(self, number: int) -> str | None:
        fact = self.prompts.get(number)
        return fact.value if fact else None

    def add(self, line: int, raw: dict[str, str]) -> list[str]:
        """Check one ``meta`` row and keep its fact; the errors name the line."""
        key = (raw["question"] or "").strip().lower()
        if key not in KEYS:
            named = f"{key!r} is not a fact we know" if key else "the fact's name is missing"
            return [
                f"line {line}: in a meta row {named}; put one of {', '.join(KEYS)} in the "
                "question column."
            ]
        errors = _placement_errors(line, key, raw)
        value, value_errors = _value(line, key, raw["text"] or "")
        errors += value_errors
        if errors:
            return errors
        role = (raw["role"] or "").strip().upper()
        if key == PROMPT:
            number = int(raw["round"])
            return _keep(self.prompts, number, Fact(line, value), f"round {number}'s prompt")
        if key == ROLE:
            return _keep(self.labels, role, Fact(line, value), f"the label of {role}")
        if key == ATTENDANCE:
            who = role or "people who preferred not to say"
            return _keep(self.attendance, role, Fact(line, value), f"the attendance of {who}")
        return _keep(self.facts, key, Fact(line, value), f"the {NAMES.get(key, key)}")

    def finish(self) -> list[str]:
        """Checks across facts, once every row is read."""
        end = self.facts.get(END)
        start = self.value(START)
        if end and end.value <= (start or DEFAULT_START):
            begins = f"{start:%H:%M}" if start else f"{DEFAULT_START:%H:%M} (no start is given)"
            return [
                f"line {end.line}: the end, {end.value:%H:%M}, must be after the start, {begins}."
            ]
        return []


def _keep(facts: dict, key, fact: Fact, what: str) -> list[str]:
    if key in facts:
        return [f"line {fact.line}: {what} is already given on line {facts[key].line}."]
    facts[key] = fact
    return []


def _placement_errors(line: int, key: str, raw: dict[str, str]) -> list[str]:
    """Which columns a fact may use: round for a prompt, role for a label or attendance."""
    errors = []
    if (raw["table"] or "").strip():
        errors.append(f"line {line}: leave table empty for a meta row.")
    if (raw.get("votes") or "").strip():
        errors.append(f"line {line}: only priorities have votes.")
    number = (raw["round"] or "").strip()
    if key == PROMPT and not (number.isascii() and number.isdigit() and int(number) >= 1):
        errors.append(
            f"line {line}: a prompt needs its round's number in the round column, e.g. 1."
        )
    elif key != PROMPT and number:
        errors.append(f"line {line}: only a prompt has a round; leave it empty for the {key}.")
    role = (raw["role"] or "").strip().upper()
    if key == ROLE and not role:
        errors.append(f"line {line}: a role row needs the role code in the role column, e.g. BP.")
    elif key not in (ROLE, ATTENDANCE) and role:
        errors.append(f"line {line}: only role and attendance rows have a role.")
    elif role and not re.match(ROLE_CODE_PATTERN, role):
        errors.append(f"line {line}: role {role!r} must be 1 to 6 letters, e.g. BP.")
    return errors


def _value(line: int, key: str, text: str) -> tuple[object, list[str]]:
    """The fact's value from the text column, or why it cannot be one."""
    try:
        text = check_text(text, what=NAMES.get(key, key), max_length=MAX_LENGTHS.get(key, 2000))
    except CafeError as error:
        return None, [f"line {line}: {error.message}"]
    if key == DATE:
        if (day := _date(text)) is None:
            return None, [
                f"line {line}: date {text!r} is not a date we can read; write it as "
                "2024-03-14 (year-month-day) or 14 March 2024."
            ]
        return day, []
    if key in (START, END):
        if (clock := _clock(text)) is None:
            return None, [
                f"line {line}: {key} {text!r} must be a time on the 24-hour clock, e.g. 13:30."
            ]
        return clock, []
    if key == TIMEZONE:
        try:
            event_services.check_time_zone(text)
        except EventsError:
            return None, [
                f"line {line}: time zone {text!r} is not one we know; use a name such as "
                "Europe/London."
            ]
    if key == ATTENDANCE:
        return count_from(text, line=line, what="attendance")
    return text, []


# --- an import that creates its event -------------------------------------------------------


def event_times(meta: EventMeta) -> tuple[datetime, datetime, str]:
    """Start and end on the event's clock: the file's date (else today) at its start (else
    10:00), until its end (else three hours later); a file with no time at all, from now."""
    zone_name = meta.value(TIMEZONE, DEFAULT_TIMEZONE)
    zone = zoneinfo.ZoneInfo(zone_name)
    if meta.facts.keys() & {DATE, START, END}:
        day = meta.value(DATE) or timezone.localdate(timezone=zone)
        starts_at = datetime.combine(day, meta.value(START, DEFAULT_START), tzinfo=zone)
    else:
        starts_at = timezone.now()
    if END in meta.facts:
        ends_at = datetime.combine(starts_at.astimezone(zone).date(), meta.value(END), tzinfo=zone)
    else:
        ends_at = starts_at + DEFAULT_LENGTH
    return starts_at, ends_at, zone_name


# --- an import into an event that exists ----------------------------------------------------


def _disagree(fact: Fact, what: str, have: str, given: str) -> str:
    return (
        f"line {fact.line}: the event's {what} is {have}, not {given}. An import does not "
        "change an event that exists: correct or remove this row, or change the event first."
    )


def _fact_errors(meta: EventMeta, event: Event) -> list[str]:
    starts, ends = local_time(event, event.starts_at), local_time(event, event.ends_at)
    have = {
        DATE: starts.date(),
        START: starts.time().replace(second=0, microsecond=0),
        END: ends.time().replace(second=0, microsecond=0),
        TIMEZONE: event.timezone,
        SERIES: event.series.title,
        GROUP: event.stakeholder_group.name if event.stakeholder_group else None,
    }
    errors = []
    for key, fact in meta.facts.items():
        ours = have[key]
        same = (
            ours is not None and ours.casefold() == fact.value.casefold()
            if key in (SERIES, GROUP)
            else ours == fact.value
        )
        if not same:
            what = NAMES.get(key, key)
            errors.append(_disagree(fact, what, _shown(key, ours), _shown(key, fact.value)))
    return errors


def _prompt_errors(meta: EventMeta, event: Event) -> list[str]:
    """A round that has a prompt, or an agenda that plans one, keeps it."""
    rounds = dict(event.rounds.values_list("number", "prompt"))
    agenda = round_prompts(event)
    planned = {n: s.prompt or s.title for n, s in enumerate(agenda, start=1)}
    errors = []
    for number, fact in meta.prompts.items():
        have = rounds.get(number) or planned.get(number)
        if have and have not in (placeholder_prompt(number), fact.value):
            what = f"prompt for round {number}"
            errors.append(_disagree(fact, what, repr(have), repr(fact.value)))
    return errors


def _role_errors(meta: EventMeta, event: Event) -> list[str]:
    labels = dict(event.role_codes.values_list("code", "label"))
    return [
        _disagree(fact, f"label for {code}", repr(labels[code]), repr(fact.value))
        for code, fact in meta.labels.items()
        if code in labels and labels[code] != fact.value
    ]


def _attendance_errors(meta: EventMeta, event: Event) -> list[str]:
    """People who joined here are counted, not recorded: a file can only agree with them."""
    joined = list(
        event.participants.filter(status=ParticipantStatus.JOINED).values_list(
            "role_code", flat=True
        )
    )
    recorded = dict(event.recorded_attendance.values_list("role_code", "count"))
    errors = []
    for code, fact in meta.attendance.items():
        who = code or "people who preferred not to say"
        if joined and joined.count(code) != fact.value:
            n = joined.count(code)
            errors.append(
                f"line {fact.line}: {n} {'person' if n == 1 else 'people'} joined this event "
                f"here as {who}, and the report counts them, not the {fact.value} of the file; "
                "correct or remove this row."
            )
        elif not joined and recorded.get(code, fact.value) != fact.value:
            what = f"recorded attendance of {who}"
            errors.append(_disagree(fact, what, str(recorded[code]), str(fact.value)))
    return errors


def check_event(*, meta: EventMeta, event: Event) -> None:
    """Refuse, with every reason, a file whose facts contradict the event it goes into."""
    errors = (
        _fact_errors(meta, event)
        + _prompt_errors(meta, event)
        + _role_errors(meta, event)
        + _attendance_errors(meta, event)
    )
    if errors:
        raise CsvImportError(errors)


# --- export -----------------------------------------------------------------------------


def meta_rows(*, event: Event) -> list[list[str]]:
    """The event's facts as ``meta`` rows (six columns), for the export: what an import
    needs to make the same event again, and agrees with when it goes into this one."""
    starts, ends = local_time(event, event.starts_at), local_time(event, event.ends_at)

    def fact(key: str, text: str, *, round_: str = "", role: str = "") -> list[str]:
        return [round_, "", META, text, role, key]

    rows = [fact(DATE, starts.date().isoformat()), fact(START, f"{starts:%H:%M}")]
    # An end past midnight cannot be written as a time of the same day: the length is lost.
    if ends.date() == starts.date():
        rows.append(fact(END, f"{ends:%H:%M}"))
    rows += [fact(TIMEZONE, event.timezone), fact(SERIES, event.series.title)]
    if event.stakeholder_group:
        rows.append(fact(GROUP, event.stakeholder_group.name))
    rows += [fact(ROLE, r.label, role=r.code) for r in event.role_codes.all()]
    rows += [
        fact(ATTENDANCE, str(g.count), role="" if g.code == "—" else g.code)
        for g in participants_by_role(event)
        if g.count
    ]
    rows += [
        fact(PROMPT, r.prompt, round_=str(r.number))
        for r in rounds_for_event(event=event)
        if r.prompt != placeholder_prompt(r.number)
    ]
    return rows
