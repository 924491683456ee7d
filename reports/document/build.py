"""Building an event's report: the reads (the harvest and the café through
``harvest.selectors``, the event and its roster through ``events``) and their assembly
into a ``ReportDocument``, fingerprinted, with its sections."""

import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict
from datetime import datetime

from events.models import Event
from events.selectors import local_time, participants_by_role
from harvest.content import Harvest, HarvestCafe, HarvestTheme
from harvest.selectors import cafe_for_report, harvest_for_report
from reports.document.content import (
    AnswerRow,
    EventFacts,
    QuestionRow,
    ReportDocument,
    RoleRow,
    RoundRow,
)
from reports.document.sections import sections

# A closing question about the event itself: its answers are the reflections on the process.
REFLECTION_QUESTION = re.compile(
    r"\b(taking part|take part|took part|this event|the event|the process|the session|"
    r"today's session|how did you find|how was (?:it|today|the day))\b",
    re.IGNORECASE,
)
# What a stored theme carries that is not the report's content: its place among its
# siblings (the list's order says it) and its row id (new when themes are rebuilt).
THEME_BOOKKEEPING = ("position", "theme_id")


def _event_facts(event: Event, cafe: HarvestCafe) -> EventFacts:
    starts, ends = local_time(event, event.starts_at), local_time(event, event.ends_at)
    return EventFacts(
        title=event.title,
        slug=event.slug,
        series=event.series.title,
        series_description=event.series.description,
        stage=event.get_stage_display(),
        stakeholder_group=event.stakeholder_group.name if event.stakeholder_group else "",
        starts_at=starts.isoformat(),
        ends_at=ends.isoformat(),
        date=f"{starts:%A} {starts.day} {starts:%B %Y}",
        timezone=event.timezone,
        context=event.context,
        description=event.description,
        tables=cafe.tables,
        table_hosts=cafe.table_hosts,
    )


def _participants(event: Event) -> list[RoleRow]:
    """How many took part, by role code; people who withdrew are not counted."""
    return [
        RoleRow(code=g.code, label=g.label, count=g.count)
        for g in participants_by_role(event)
        if g.count
    ]


def _rounds(cafe: HarvestCafe, themes: list[HarvestTheme]) -> list[RoundRow]:
    notes = [n for t in themes if t.kind == "notes" for n in t.notes]
    per_round = Counter(n.round for n in notes)
    tables = {r: {n.table for n in notes if n.round == r} for r in per_round}
    return [
        RoundRow(
            number=r.number,
            prompt=r.prompt,
            notes=per_round.get(r.number, 0),
            tables=len(tables.get(r.number, ())),
        )
        for r in cafe.rounds
    ]


def _questions(harvest: Harvest) -> list[QuestionRow]:
    return [
        QuestionRow(
            question=group.question,
            position=group.position,
            reflection=bool(REFLECTION_QUESTION.search(group.question)),
            answers=tuple(AnswerRow(id=a.id, text=a.text, role=a.role) for a in group.answers),
        )
        for group in harvest.answers
    ]


def build_document(
    *, event: Event, version: int | None = None, compiled_at: datetime
) -> ReportDocument:
    """The whole report of ``event``: its data, then its sections in reading order."""
    harvest = harvest_for_report(event=event)
    cafe = cafe_for_report(event=event)
    document = ReportDocument(
        event=_event_facts(event, cafe),
        participants=_participants(event),
        rounds=_rounds(cafe, harvest.themes),
        themes=harvest.themes,
        priorities=cafe.priorities,
        questions=_questions(harvest),
        chat=list(harvest.chat),
        contributors=harvest.contributors,
        conclusions=harvest.conclusions,
        curated=harvest.curated,
        fingerprint="",
        version=version,
        compiled_at=compiled_at,
    )
    document.chat.sort(key=lambda n: (n.round or 10**6, n.id))
    document.fingerprint = fingerprint(document)
    document.sections = sections(document)
    return document


def fingerprint(document: ReportDocument) -> str:
    """A hash of the report's content, leaving out when and as which version it was made."""
    content = asdict(document)
    for volatile in ("fingerprint", "version", "compiled_at", "sections", "contributors"):
        content.pop(volatile)
    for theme in content["themes"]:
        for bookkeeping in THEME_BOOKKEEPING:
            theme.pop(bookkeeping)
    body = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()
