"""Reads of the workspace's list view and answers tab: the event's notes and plenary chat
messages one line each, filtered, searched and paged, and the closing answers by question,
all redacted as the board shows them. Nothing here writes."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import QueryDict

from cafes.models import ChatMessage, Note, NoteKind
from cafes.selectors import rounds_for_event, tables_for_event
from events.models import Event
from harvest.models import Theme, ThemeKind, ThemeNote
from harvest.redaction import Piece, Redacted, pieces
from harvest.selectors import (
    Redactor,
    harvestable_answers,
    harvestable_messages,
    harvestable_notes,
    is_staff_message,
)

PER_PAGE = 100
# Above this many notes the board is a long strip of themes (a 600-note event: 785 KB, 15
# themes a round in a strip 5,936 px wide): the workspace opens on the list, and the board
# shows each theme folded, with its title and count. A typical Explore café (about 30
# people, 150 to 300 notes) keeps its open board.
BIG_EVENT_NOTES = 300
NOT_THEMED = "none"  # the theme filter's value for notes not in any theme yet
CHAT = "chat"  # the kind filter's value for the plenary chat's messages
KINDS = [*NoteKind.choices, (CHAT, "Chat")]
SEARCH_MAX_LENGTH = 200


def _whole(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


@dataclass(frozen=True)
class NoteFilters:
    """What the list shows, read from the page's address so that a filtered view is a link.
    Values that make no sense (a round "x", a kind that does not exist) are ignored."""

    round: int | None = None
    table: int | None = None
    kind: str = ""
    theme: str = ""  # a theme's id, NOT_THEMED, or "" for any
    q: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: QueryDict) -> "NoteFilters":
        theme = query.get("theme", "")
        return cls(
            round=_whole(query.get("round")),
            table=_whole(query.get("table")),
            kind=query.get("kind", "") if query.get("kind") in dict(KINDS) else "",
            theme=theme if theme == NOT_THEMED or _whole(theme) else "",
            q=" ".join(query.get("q", "").split())[:SEARCH_MAX_LENGTH],
            page=_whole(query.get("page")) or 1,
        )

    @property
    def active(self) -> bool:
        return bool(self.round or self.table or self.kind or self.theme or self.q)

    def query(self, **changes) -> str:
        """The address's query string of the list with these filters (and ``changes``)."""
        chosen = replace(self, **changes)
        pairs = [("view", "list")]
        for name in ("round", "table", "kind", "theme", "q"):
            if value := getattr(chosen, name):
                pairs.append((name, str(value)))
        if chosen.page > 1:
            pairs.append(("page", str(chosen.page)))
        return urlencode(pairs)


@dataclass
class NoteLine:
    """One note, or one message of the plenary chat, as the list shows it."""

    item: Note | ChatMessage
    pieces: list[Piece]
    redacted: list[str]
    theme: Theme | None

    @property
    def is_chat(self) -> bool:
        return isinstance(self.item, ChatMessage)

    @property
    def note(self) -> Note | None:
        """The note, which may be selected and moved; None for a chat message."""
        return None if self.is_chat else self.item

    @property
    def by_facilitator(self) -> bool:
        """A chat message of the event's staff: their words, never a participant's."""
        return self.is_chat and is_staff_message(self.item)

    @property
    def key(self) -> str:
        """Its place on the marker review page (``note-12``, ``message-3``)."""
        return f"{'message' if self.is_chat else 'note'}-{self.item.id}"

    @property
    def table(self) -> str:
        return "Plenary chat" if self.is_chat else self.item.table.label

    @property
    def round_number(self) -> int | None:
        return self.item.round.number if self.item.round else None

    @property
    def kind(self) -> str:
        return "Chat" if self.is_chat else self.item.get_kind_display()

    @property
    def has_markers(self) -> bool:
        return any(piece.kind for piece in self.pieces)


@dataclass
class NotePage:
    filters: NoteFilters
    lines: list[NoteLine]
    notes: int  # notes that pass the filters (on every page)
    messages: int  # chat messages that pass them
    page: int
    pages: int
    per_page: int

    @property
    def total(self) -> int:
        return self.notes + self.messages

    @property
    def counted(self) -> str:
        """What the list holds, in words: "600 notes and 14 chat messages"."""
        parts = [f"{self.notes} note{'s' if self.notes != 1 else ''}"] if self.notes else []
        if self.messages:
            parts.append(f"{self.messages} chat message{'s' if self.messages != 1 else ''}")
        return " and ".join(parts)

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)

    @property
    def previous_query(self) -> str:
        return self.filters.query(page=self.page - 1) if self.page > 1 else ""

    @property
    def next_query(self) -> str:
        return self.filters.query(page=self.page + 1) if self.page < self.pages else ""


def _filtered_notes(event: Event, filters: NoteFilters) -> QuerySet[Note]:
    notes = harvestable_notes(event=event).order_by("round__number", "table__number", "id")
    if filters.kind == CHAT:
        return notes.none()
    if filters.round:
        notes = notes.filter(round__number=filters.round)
    if filters.table:
        notes = notes.filter(table_id=filters.table)
    if filters.kind:
        notes = notes.filter(kind=filters.kind)
    return _by_theme(notes, event, filters, "note")


def _by_theme(items: QuerySet, event: Event, filters: NoteFilters, field: str) -> QuerySet:
    """Notes (``field`` "note") or chat messages ("message") in the chosen theme, or in
    none yet."""
    if filters.theme == NOT_THEMED:
        placed = ThemeNote.objects.filter(theme__event=event, **{f"{field}__isnull": False})
        return items.exclude(id__in=placed.values(f"{field}_id"))
    if filters.theme:
        return items.filter(theme_memberships__theme_id=int(filters.theme))
    return items


def _filtered_messages(event: Event, filters: NoteFilters) -> list[ChatMessage]:
    """The plenary chat's messages that pass ``filters``, round by round (the whole event's
    last). A chat is short beside the notes: it is read whole and filtered here, so that the
    staff's messages are told apart by the one rule of ``is_staff_message``."""
    if filters.table or filters.kind not in ("", CHAT):
        return []  # the chat is no table's, and of no kind of note
    messages = harvestable_messages(event=event)
    if filters.round:
        messages = messages.filter(round__number=filters.round)
    messages = _by_theme(messages, event, filters, "message")
    chosen = [
        m
        for m in messages
        # The staff's messages are never themed, so they are not waiting for a theme.
        if not (filters.theme == NOT_THEMED and is_staff_message(m))
    ]
    return sorted(chosen, key=lambda m: (m.round.number if m.round else 10**6, m.id))


def _searched(items, wanted: str, redact) -> list[tuple[object, Redacted]]:
    """The items whose redacted text holds ``wanted`` (case aside), with that text."""
    found = []
    for item in items:
        redacted = redact(item)
        if wanted in redacted.text.casefold():
            found.append((item, redacted))
    return found


def note_page(*, event: Event, filters: NoteFilters, per_page: int = PER_PAGE) -> NotePage:
    """One page of the event's notes, then its plenary chat's messages, that pass
    ``filters``, each with its redacted text and its theme.

    The search matches the text as shown, after redaction (case aside), so that searching a
    redacted name finds nothing: the database narrows to notes whose own text holds the
    words (``icontains``; SQLite, under ``make run``, ignores case for ASCII letters only,
    so "émilie" does not find "Émilie" there), then only those whose redacted text still
    holds them are kept. Without a search, only the page is redacted."""
    redactor = Redactor(event)
    notes = _filtered_notes(event, filters)
    messages = _filtered_messages(event, filters)
    if filters.q:
        wanted = filters.q.casefold()
        found = _searched(notes.filter(text__icontains=filters.q), wanted, redactor.note)
        said = _searched(messages, wanted, redactor.message)
        note_count, message_count = len(found), len(said)
    else:
        note_count, message_count = notes.count(), len(messages)
    pages = max(1, -(-(note_count + message_count) // per_page))
    page = min(filters.page, pages)
    start, end = (page - 1) * per_page, page * per_page
    # Notes first, then the chat: the page takes what falls in [start, end) of each.
    chat_start, chat_end = max(0, start - note_count), max(0, end - note_count)
    if filters.q:
        chosen = found[start:end] + said[chat_start:chat_end]
    else:
        chosen = [(n, redactor.note(n)) for n in notes[start:end]]
        chosen += [(m, redactor.message(m)) for m in messages[chat_start:chat_end]]
    themes = {}
    for m in ThemeNote.objects.filter(
        Q(note_id__in=[i.id for i, _ in chosen if isinstance(i, Note)])
        | Q(message_id__in=[i.id for i, _ in chosen if isinstance(i, ChatMessage)])
    ).select_related("theme"):
        themes[("note", m.note_id) if m.note_id else ("message", m.message_id)] = m.theme
    lines = []
    for item, redacted in chosen:
        key = ("note" if isinstance(item, Note) else "message", item.id)
        lines.append(NoteLine(item, pieces(item.text, redacted), redacted.kinds, themes.get(key)))
    return NotePage(
        filters=replace(filters, page=page),
        lines=lines,
        notes=note_count,
        messages=message_count,
        page=page,
        pages=pages,
        per_page=per_page,
    )


@dataclass
class ThemeChoice:
    theme: Theme
    count: int


@dataclass
class RoundChoice:
    number: int
    prompt: str
    themes: list[ThemeChoice] = field(default_factory=list)


@dataclass
class ChatChoice:
    """The plenary chat's themes of one round (``number``), or of the whole event (None)."""

    number: int | None
    themes: list[ThemeChoice] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Round {self.number}: plenary chat" if self.number else "Plenary chat"


@dataclass
class ListChoices:
    """What the list's filters and its "Move to theme" field offer."""

    rounds: list[RoundChoice]
    chat: list[ChatChoice]
    tables: list[tuple[int, str]]
    kinds: list[tuple[str, str]]

    def themes_of(self, number: int | None) -> list[RoundChoice]:
        """The rounds whose themes notes may move to: only ``number``'s when filtered."""
        return [r for r in self.rounds if number in (None, r.number)]

    def chat_of(self, number: int | None) -> list[ChatChoice]:
        """The chat's themes the theme filter offers (never a place notes move to)."""
        return [c for c in self.chat if number in (None, c.number)]


def list_choices(*, event: Event) -> ListChoices:
    rounds = {r.number: RoundChoice(r.number, r.prompt) for r in rounds_for_event(event=event)}
    chat: dict[int | None, ChatChoice] = {}
    counts: dict[int, int] = defaultdict(int)
    members = ThemeNote.objects.filter(theme__event=event).filter(
        Q(note_id__in=harvestable_notes(event=event).values("id"))
        | Q(message_id__in=harvestable_messages(event=event).values("id"))
    )
    for theme_id in members.values_list("theme_id", flat=True):
        counts[theme_id] += 1
    themes = Theme.objects.filter(event=event).select_related("round")
    for theme in themes.order_by("round__number", "is_other", "position", "id"):
        number = theme.round.number if theme.round else None
        if theme.kind == ThemeKind.CHAT:
            chat.setdefault(number, ChatChoice(number)).themes.append(
                ThemeChoice(theme, counts[theme.id])
            )
        elif number is not None:
            rounds.setdefault(number, RoundChoice(number, ""))
            rounds[number].themes.append(ThemeChoice(theme, counts[theme.id]))
    return ListChoices(
        rounds=[rounds[n] for n in sorted(rounds)],
        chat=sorted(chat.values(), key=lambda c: c.number or 10**6),
        tables=[(t.id, t.label) for t in tables_for_event(event=event)],
        kinds=KINDS,
    )


def note_total(*, event: Event) -> int:
    return harvestable_notes(event=event).count()


def list_total(*, event: Event) -> int:
    """Every line of the unfiltered list: the notes and the plenary chat's messages."""
    return note_total(event=event) + harvestable_messages(event=event).count()


# --- the answers tab ----------------------------------------------------------------------


@dataclass
class AnswerLine:
    pieces: list[Piece]
    role: str


@dataclass
class AnswerGroup:
    question: str
    answers: list[AnswerLine]


def answer_groups(*, event: Event) -> list[AnswerGroup]:
    """The closing questions in order, each with its answers redacted as notes are (markers
    where personal data was), without withdrawn people's answers."""
    redactor = Redactor(event)
    by_question: dict[int, list[AnswerLine]] = defaultdict(list)
    for answer in harvestable_answers(event=event):
        by_question[answer.question_id].append(
            AnswerLine(pieces(answer.text, redactor.text(answer.text)), answer.role_code)
        )
    return [
        AnswerGroup(question=q.text, answers=by_question.get(q.id, []))
        for q in event.closing_questions.order_by("position", "id")
    ]
