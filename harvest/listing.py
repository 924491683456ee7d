"""Reads of the workspace's list view and answers tab: the event's notes one line each,
filtered, searched and paged, and the closing answers by question, all redacted as the
board shows them. Nothing here writes."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict

from cafes.models import Note, NoteKind
from cafes.selectors import rounds_for_event, tables_for_event
from events.models import Event
from harvest.models import Theme, ThemeKind, ThemeNote
from harvest.redaction import Piece, pieces
from harvest.selectors import Redactor, harvestable_answers, harvestable_notes

PER_PAGE = 100
# Above this many notes the board is a long strip of themes (a 600-note event: 785 KB, 15
# themes a round in a strip 5,936 px wide): the workspace opens on the list, and the board
# shows each theme folded, with its title and count. A typical Explore café (about 30
# people, 150 to 300 notes) keeps its open board.
BIG_EVENT_NOTES = 300
NOT_THEMED = "none"  # the theme filter's value for notes not in any theme yet
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
            kind=query.get("kind", "") if query.get("kind") in NoteKind.values else "",
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
    """One note as the list shows it."""

    note: Note
    pieces: list[Piece]
    redacted: list[str]
    theme: Theme | None

    @property
    def has_markers(self) -> bool:
        return any(piece.kind for piece in self.pieces)


@dataclass
class NotePage:
    filters: NoteFilters
    lines: list[NoteLine]
    total: int
    page: int
    pages: int
    per_page: int

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


def _filtered(event: Event, filters: NoteFilters) -> QuerySet[Note]:
    notes = harvestable_notes(event=event).order_by("round__number", "table__number", "id")
    if filters.round:
        notes = notes.filter(round__number=filters.round)
    if filters.table:
        notes = notes.filter(table_id=filters.table)
    if filters.kind:
        notes = notes.filter(kind=filters.kind)
    if filters.theme == NOT_THEMED:
        placed = ThemeNote.objects.filter(theme__event=event, note__isnull=False)
        notes = notes.exclude(id__in=placed.values("note_id"))
    elif filters.theme:
        notes = notes.filter(theme_memberships__theme_id=int(filters.theme))
    return notes


def note_page(*, event: Event, filters: NoteFilters, per_page: int = PER_PAGE) -> NotePage:
    """One page of the event's notes that pass ``filters``, each with its redacted text and
    its theme.

    The search matches the text as shown, after redaction (case aside), so that searching a
    redacted name finds nothing: the database narrows to notes whose own text holds the
    words (``icontains``, the same on PostgreSQL and SQLite), then only those whose
    redacted text still holds them are kept. Without a search, only the page is redacted."""
    redactor = Redactor(event)
    notes = _filtered(event, filters)
    if filters.q:
        wanted = filters.q.casefold()
        shown = []
        for note in notes.filter(text__icontains=filters.q):
            redacted = redactor.note(note)
            if wanted in redacted.text.casefold():
                shown.append((note, redacted))
        total = len(shown)
    else:
        total = notes.count()
    pages = max(1, -(-total // per_page))
    page = min(filters.page, pages)
    start = (page - 1) * per_page
    if filters.q:
        chosen = shown[start : start + per_page]
    else:
        chosen = [(note, redactor.note(note)) for note in notes[start : start + per_page]]
    themes = {
        m.note_id: m.theme
        for m in ThemeNote.objects.filter(note_id__in=[n.id for n, _ in chosen]).select_related(
            "theme"
        )
    }
    lines = [
        NoteLine(
            note=note,
            pieces=pieces(note.text, redacted),
            redacted=redacted.kinds,
            theme=themes.get(note.id),
        )
        for note, redacted in chosen
    ]
    return NotePage(
        filters=replace(filters, page=page),
        lines=lines,
        total=total,
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
class ListChoices:
    """What the list's filters and its "Move to theme" field offer."""

    rounds: list[RoundChoice]
    tables: list[tuple[int, str]]
    kinds: list[tuple[str, str]]

    def themes_of(self, number: int | None) -> list[RoundChoice]:
        """The rounds whose themes notes may move to: only ``number``'s when filtered."""
        return [r for r in self.rounds if number in (None, r.number)]


def list_choices(*, event: Event) -> ListChoices:
    rounds = {r.number: RoundChoice(r.number, r.prompt) for r in rounds_for_event(event=event)}
    counts: dict[int, int] = defaultdict(int)
    for theme_id in ThemeNote.objects.filter(
        theme__event=event, note_id__in=harvestable_notes(event=event).values("id")
    ).values_list("theme_id", flat=True):
        counts[theme_id] += 1
    themes = Theme.objects.filter(event=event, kind=ThemeKind.NOTES, round__isnull=False)
    for theme in themes.select_related("round").order_by(
        "round__number", "is_other", "position", "id"
    ):
        rounds.setdefault(theme.round.number, RoundChoice(theme.round.number, ""))
        rounds[theme.round.number].themes.append(ThemeChoice(theme, counts[theme.id]))
    return ListChoices(
        rounds=[rounds[n] for n in sorted(rounds)],
        tables=[(t.id, t.label) for t in tables_for_event(event=event)],
        kinds=list(NoteKind.choices),
    )


def note_total(*, event: Event) -> int:
    return harvestable_notes(event=event).count()


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
