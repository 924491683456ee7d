"""Reads of the harvest: what may be themed, redacted texts, the workspace and the report's
content (the series view is ``harvest.series``). Nothing here writes."""

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Q, QuerySet

from cafes import selectors as cafes
from cafes.models import ChatMessage, ClosingAnswer, Note
from cafes.selectors import answers_for_event, chat_for_event, notes_for_event
from events.models import Event, Membership, Series, Stage
from harvest import content
from harvest.content import Harvest, HarvestAnswers, HarvestNote, HarvestTheme
from harvest.models import (
    CurationChange,
    EventHarvest,
    KeptWord,
    ManualRedaction,
    Theme,
    ThemeKind,
    ThemeNote,
)
from harvest.redaction import Redacted, redact
from harvest.theming import (
    OTHER_SUMMARY,
    OTHER_TITLE,
    DraftTheme,
    Item,
    build_draft_themes,
)
from harvest.wording import as_sentence, first_sentence, shorten, split_sentences

# Role codes that staff write chat under in an imported event (docs/import.md): their
# messages are the facilitator's, shown as such and never quoted as a participant's voice.
STAFF_ROLE_CODES = frozenset({"STAFF", "FAC", "HOST"})


def is_staff_message(message: ChatMessage) -> bool:
    if message.author_user_id is not None:
        return True
    return message.participant_id is None and message.role_code.upper() in STAFF_ROLE_CODES


def theming_method() -> str | None:
    """The theming method settings ask for (``HARVEST_THEMING``), or None for the best one
    installed."""
    method = getattr(settings, "HARVEST_THEMING", "auto")
    return None if method == "auto" else method


def harvestable_notes(*, event: Event) -> QuerySet[Note]:
    """The notes that may be themed and reported: the cafés' own list (visible, and not by
    anyone who withdrew), in the order they were written so that themes are stable."""
    return notes_for_event(event=event).order_by("id")


def harvestable_messages(*, event: Event) -> QuerySet[ChatMessage]:
    return chat_for_event(event=event).order_by("id")


def harvestable_answers(*, event: Event) -> QuerySet[ClosingAnswer]:
    return answers_for_event(event=event).order_by("question__position", "id")


def roster_names(*, event: Event) -> list[str]:
    """Everyone's names on the event's roster: pseudonyms (withdrawn people too) and the
    first and last names of staff on the event or its series, and of its table hosts."""
    names = set(event.participants.values_list("pseudonym", flat=True))
    staff = get_user_model().objects.filter(
        Q(memberships__in=Membership.objects.filter(Q(event=event) | Q(series=event.series_id)))
        | Q(hosted_tables__event=event)
    )
    for first, last in staff.values_list("first_name", "last_name").distinct():
        names.update(n for n in (first, last) if n)
    return sorted(names)


class Redactor:
    """Redacts texts of one event with its roster names, manual redactions and the words
    its harvesters said are not personal data."""

    def __init__(self, event: Event) -> None:
        self.names = roster_names(event=event)
        self.kept = list(KeptWord.objects.filter(event=event).values_list("text", flat=True))
        self.everywhere: list[str] = []
        self.by_item: dict[tuple[str, int], list[str]] = defaultdict(list)
        for r in ManualRedaction.objects.filter(event=event):
            if r.note_id:
                self.by_item[("note", r.note_id)].append(r.phrase)
            elif r.message_id:
                self.by_item[("message", r.message_id)].append(r.phrase)
            else:
                self.everywhere.append(r.phrase)

    def text(self, text: str, *, item: tuple[str, int] | None = None) -> Redacted:
        phrases = [*self.everywhere, *(self.by_item.get(item, []) if item else [])]
        return redact(text, names=self.names, phrases=phrases, kept=self.kept)

    def note(self, note: Note) -> Redacted:
        return self.text(note.text, item=("note", note.id))

    def message(self, message: ChatMessage) -> Redacted:
        return self.text(message.text, item=("message", message.id))


@dataclass
class Group:
    """What is themed together: one round's notes, or one round's plenary chat."""

    kind: str
    round_id: int | None
    round_number: int | None
    items: list = field(default_factory=list)  # notes or chat messages


def themable_groups(*, event: Event) -> list[Group]:
    groups: dict[tuple, Group] = {}
    for note in harvestable_notes(event=event):
        key = (ThemeKind.NOTES, note.round_id)
        groups.setdefault(key, Group(ThemeKind.NOTES, note.round_id, note.round.number))
        groups[key].items.append(note)
    for message in harvestable_messages(event=event):
        if is_staff_message(message):
            continue  # the facilitator's words are reported as theirs, not themed
        key = (ThemeKind.CHAT, message.round_id)
        number = message.round.number if message.round else None
        groups.setdefault(key, Group(ThemeKind.CHAT, message.round_id, number))
        groups[key].items.append(message)
    return sorted(
        groups.values(), key=lambda g: (g.round_number or 10**6, g.kind != ThemeKind.NOTES)
    )


def draft_themes(*, group: Group, redactor: Redactor) -> list[DraftTheme]:
    """Automatic themes of one group, computed on redacted texts (nothing stored)."""
    items = []
    for obj in group.items:
        if group.kind == ThemeKind.NOTES:
            items.append(Item(key=obj.id, text=redactor.note(obj).text, table=obj.table.label))
        else:
            items.append(Item(key=obj.id, text=redactor.message(obj).text, table=""))
    return build_draft_themes(items, method=theming_method(), codes=group.kind == ThemeKind.NOTES)


# --- the report's content --------------------------------------------------------------


def _report_note(obj, redactor: Redactor) -> HarvestNote:
    if isinstance(obj, Note):
        return HarvestNote(
            id=obj.id,
            text=redactor.note(obj).text,
            role=obj.role_code,
            table=obj.table.label,
            round=obj.round.number,
            kind=obj.kind,
        )
    staff = is_staff_message(obj)
    return HarvestNote(
        id=obj.id,
        text=redactor.message(obj).text,
        role="" if staff else obj.role_code,
        table="",
        round=obj.round.number if obj.round else None,
        kind="comment",
        staff=staff,
    )


def _stored_report_themes(event: Event, redactor: Redactor) -> list[HarvestTheme]:
    groups = {(g.kind, g.round_id): g for g in themable_groups(event=event)}
    visible = {
        (g.kind, obj.id): obj for g in groups.values() for obj in g.items
    }  # what may still be reported
    placed: set[tuple[str, int]] = set()
    out: list[HarvestTheme] = []
    themes = Theme.objects.filter(event=event).select_related("round")
    members = defaultdict(list)
    for m in ThemeNote.objects.filter(theme__event=event).order_by("position", "id"):
        members[m.theme_id].append(m)
    gone_words = _gone_words(event, members, visible, redactor)
    for theme in themes:
        notes, quotes = [], []
        for m in members[theme.id]:
            key = (ThemeKind.NOTES, m.note_id) if m.note_id else (ThemeKind.CHAT, m.message_id)
            if key not in visible:
                continue
            placed.add(key)
            harvested = _report_note(visible[key], redactor)
            notes.append(harvested)
            if m.is_quote:
                quotes.append(harvested)
        if notes:
            reported = _report_theme(theme, notes, quotes, redactor)
            if not theme.is_curated and any(
                words in theme.summary for words in gone_words[theme.id]
            ):
                # The automatic summary quoted someone who has since withdrawn (or a note
                # now hidden): say it in a reportable note's words instead.
                reported = replace(reported, summary=as_sentence(first_sentence(notes[0].text)))
            out.append(reported)
    for (kind, _round_id), group in groups.items():  # posted after the themes were built
        late = [obj for obj in group.items if (kind, obj.id) not in placed]
        if late:
            out.append(
                HarvestTheme(
                    title=OTHER_TITLE,
                    summary=OTHER_SUMMARY,
                    kind=kind,
                    round=group.round_number,
                    key=False,
                    emerging=False,
                    position=10**6,
                    curated=False,
                    notes=[_report_note(obj, redactor) for obj in late],
                    other=True,
                )
            )
    return out


def _gone_words(event: Event, members, visible, redactor: Redactor) -> dict[int, set[str]]:
    """Per theme, the sentences of its notes and messages that may no longer be reported
    (an automatic summary quotes some of these)."""
    gone = defaultdict(set)
    note_ids, message_ids = defaultdict(list), defaultdict(list)
    for theme_id, ms in members.items():
        for m in ms:
            if m.note_id and (ThemeKind.NOTES, m.note_id) not in visible:
                note_ids[m.note_id].append(theme_id)
            elif m.message_id and (ThemeKind.CHAT, m.message_id) not in visible:
                message_ids[m.message_id].append(theme_id)
    for model, ids, item in ((Note, note_ids, "note"), (ChatMessage, message_ids, "message")):
        for pk, text in model.objects.filter(event=event, pk__in=list(ids)).values_list(
            "pk", "text"
        ):
            redacted = redactor.text(text, item=(item, pk)).text
            sentences = {
                as_sentence(shorten(sentence))
                for version in (text, redacted)
                for sentence in split_sentences(version)
            }
            for theme_id in ids[pk]:
                gone[theme_id].update(s for s in sentences if len(s) > 3)
    return gone


def _report_theme(theme: Theme, notes, quotes, redactor: Redactor) -> HarvestTheme:
    return HarvestTheme(
        title=redactor.text(theme.title).text,
        summary=redactor.text(theme.summary).text,
        kind=theme.kind,
        round=theme.round.number if theme.round else None,
        key=theme.is_key,
        emerging=theme.is_emerging,
        position=theme.position,
        curated=theme.is_curated,
        notes=notes,
        quotes=quotes,
        theme_id=theme.id,
    )


def _draft_report_themes(event: Event, redactor: Redactor) -> list[HarvestTheme]:
    out = []
    for group in themable_groups(event=event):
        by_id = {obj.id: obj for obj in group.items}
        for position, draft in enumerate(draft_themes(group=group, redactor=redactor)):
            notes = [_report_note(by_id[k], redactor) for k in draft.keys]
            quoted = set(draft.quotes)
            out.append(
                HarvestTheme(
                    title=draft.title,
                    summary=draft.summary,
                    kind=group.kind,
                    round=group.round_number,
                    key=False,
                    emerging=False,
                    position=position,
                    curated=False,
                    notes=notes,
                    quotes=[n for n in notes if n.id in quoted],
                )
            )
    return out


def has_themes(*, event: Event) -> bool:
    """Whether the event's notes were grouped into stored themes (drafts or curated)."""
    return Theme.objects.filter(event=event).exists()


def content_as_of(*, event: Event) -> datetime:
    """When anything a report of ``event`` shows last changed: its end, a note written or
    edited, a chat message, an answer, a withdrawal or a curation change. A report compiled
    outside a stored version is dated by it, so the same harvest gives the same file."""
    moments = [event.ends_at]
    for queryset, fields in (
        (Note.objects.filter(event=event), ("created_at", "edited_at")),
        (ChatMessage.objects.filter(event=event), ("created_at",)),
        (ClosingAnswer.objects.filter(question__event=event), ("updated_at",)),
        (event.participants.all(), ("withdrawn_at",)),
        (CurationChange.objects.filter(event=event), ("created_at", "undone_at")),
        (ManualRedaction.objects.filter(event=event), ("created_at",)),
    ):
        found = queryset.aggregate(**{f: Max(f) for f in fields})
        moments.extend(value for value in found.values() if value)
    return max(moments)


def harvest_for_report(*, event: Event) -> Harvest:
    """Everything a report shows of the harvest, redacted, without withdrawn people's words.

    Stored themes (curated or not) when there are any, otherwise draft themes computed on
    the fly; notes posted after the themes were built are listed under "Other".
    """
    redactor = Redactor(event)
    if has_themes(event=event):
        themes = _stored_report_themes(event, redactor)
    else:
        themes = _draft_report_themes(event, redactor)
    themes.sort(
        key=lambda t: (
            t.round or 10**6,
            t.kind != ThemeKind.NOTES,
            t.other,
            t.position,
        )
    )
    answers_by_question = defaultdict(list)
    for answer in harvestable_answers(event=event):
        answers_by_question[answer.question_id].append(
            HarvestNote(
                id=answer.id,
                text=redactor.text(answer.text).text,
                role=answer.role_code,
                table="",
                round=None,
                kind="answer",
            )
        )
    answers = [
        HarvestAnswers(
            question=q.text, position=q.position, answers=answers_by_question.get(q.id, [])
        )
        for q in event.closing_questions.order_by("position", "id")
    ]
    state = EventHarvest.objects.filter(event=event).first()
    conclusions = redactor.text(state.conclusions).text if state else ""
    curated = any(t.curated for t in themes)
    messages = list(harvestable_messages(event=event))
    chat = [_report_note(m, redactor) for m in messages]
    contributors = sorted(
        (
            {n.participant_id for n in harvestable_notes(event=event)}
            | {m.participant_id for m in messages}
            | {a.participant_id for a in harvestable_answers(event=event)}
        )
        - {None}
    )
    body = {
        "event_id": event.id,
        "themes": [asdict(t) for t in themes],
        "answers": [asdict(a) for a in answers],
        "chat": [asdict(n) for n in chat],
        "conclusions": conclusions,
        "curated": curated,
    }
    fingerprint = hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return Harvest(
        event_id=event.id,
        themes=themes,
        answers=answers,
        chat=chat,
        conclusions=conclusions,
        curated=curated,
        fingerprint=fingerprint,
        contributors=tuple(contributors),
    )


def cafe_for_report(*, event: Event) -> content.HarvestCafe:
    """The rounds, tables and redacted priorities of the café a report of ``event`` shows."""
    tables = list(cafes.tables_for_event(event=event))
    redactor = Redactor(event)
    return content.HarvestCafe(
        rounds=[
            content.HarvestRound(r.number, r.prompt) for r in cafes.rounds_for_event(event=event)
        ],
        tables=len(tables),
        table_hosts=len({t.host_id for t in tables if t.host_id}),
        priorities=[
            content.HarvestPriority(
                p.round.number, p.table.label, redactor.text(p.text).text, p.vote_count
            )
            for p in cafes.priorities_for_event(event=event)
        ],
    )


def explore_events(*, series: Series) -> QuerySet[Event]:
    return (
        series.events.filter(stage=Stage.EXPLORE)
        .select_related("stakeholder_group")
        .order_by("stakeholder_group__name", "starts_at", "id")
    )


# --- the curation workspace -------------------------------------------------------------


def unthemed_count(*, event: Event) -> int:
    """Notes and messages posted since the themes were built (not in any theme yet)."""
    placed_notes = ThemeNote.objects.filter(theme__event=event, note__isnull=False)
    placed_messages = set(
        ThemeNote.objects.filter(theme__event=event, message__isnull=False).values_list(
            "message_id", flat=True
        )
    )
    return harvestable_notes(event=event).exclude(
        id__in=placed_notes.values("note_id")
    ).count() + sum(  # the facilitator's messages are never themed: not waiting for a theme
        1
        for m in harvestable_messages(event=event)
        if m.id not in placed_messages and not is_staff_message(m)
    )


def last_change(*, event: Event) -> CurationChange | None:
    return (
        CurationChange.objects.filter(event=event, undone_at__isnull=True).order_by("-id").first()
    )


def harvest_version(*, event: Event) -> int:
    return EventHarvest.objects.filter(event=event).values_list("version", flat=True).first() or 0
