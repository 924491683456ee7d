"""Reads of the workspace's board of themes: every card of a small event, and for a big one
each theme folded to its title and count, its cards read only when a harvester opens it.
Nothing here writes."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from cafes.models import ChatMessage, Note
from events.models import Event
from harvest.models import Theme, ThemeKind, ThemeNote
from harvest.redaction import Piece, pieces
from harvest.selectors import Redactor, harvestable_messages, harvestable_notes


@dataclass
class Card:
    member: ThemeNote
    obj: object  # the note or chat message
    pieces: list[Piece]  # its text with markers, and words kept as not personal data
    redacted: list[str]  # kinds of personal data taken out
    role: str
    table: str
    key: str  # "note-12", its place on the marker review page

    @property
    def has_markers(self) -> bool:
        return any(piece.kind for piece in self.pieces)


@dataclass
class Column:
    theme: Theme
    cards: list[Card]
    count: int  # notes (or messages) in the theme, its cards read or not
    loaded: bool = True  # False: folded, its cards not read

    @property
    def table_count(self) -> int:
        return len({c.table for c in self.cards if c.table})


@dataclass
class Row:
    kind: str
    round_number: int | None
    prompt: str
    columns: list[Column]

    @property
    def label(self) -> str:
        where = f"Round {self.round_number}" if self.round_number else "Whole event"
        what = "notes from the tables" if self.kind == ThemeKind.NOTES else "plenary chat"
        return f"{where}: {what}"

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.round_number or 0}"


def _card(member: ThemeNote, obj: Note | ChatMessage, redactor: Redactor) -> Card:
    is_note = member.note_id is not None
    redacted = redactor.note(obj) if is_note else redactor.message(obj)
    return Card(
        member=member,
        obj=obj,
        pieces=pieces(obj.text, redacted),
        redacted=redacted.kinds,
        role=obj.role_code,
        table=obj.table.label if is_note else "",
        key=f"note-{obj.id}" if is_note else f"message-{obj.id}",
    )


def workspace_rows(
    *, event: Event, folded: bool = False, opened: Collection[int] = ()
) -> list[Row]:
    """The themes of an event as the workspace shows them: a row per round and kind, a
    column per theme, a card per note, with redactions marked.

    ``folded`` (a big event): only the themes in ``opened`` have their cards, the others
    their count alone, so that the page stays small and only what is shown is redacted."""
    note_ids = set(harvestable_notes(event=event).values_list("id", flat=True))
    message_ids = set(harvestable_messages(event=event).values_list("id", flat=True))
    members = defaultdict(list)  # a theme's notes and messages still in the harvest
    for m in ThemeNote.objects.filter(theme__event=event).order_by("position", "id"):
        if m.note_id in note_ids or m.message_id in message_ids:
            members[m.theme_id].append(m)
    carded = [m for t, ms in members.items() if not folded or t in opened for m in ms]
    notes = harvestable_notes(event=event).in_bulk([m.note_id for m in carded if m.note_id])
    messages = harvestable_messages(event=event).in_bulk(
        [m.message_id for m in carded if m.message_id]
    )
    redactor = Redactor(event) if carded else None
    rows: dict[tuple, Row] = {}
    themes = Theme.objects.filter(event=event).select_related("round")
    for theme in themes.order_by("round__number", "kind", "is_other", "position", "id"):
        key = (theme.kind, theme.round_id)
        if key not in rows:
            rows[key] = Row(
                kind=theme.kind,
                round_number=theme.round.number if theme.round else None,
                prompt=theme.round.prompt if theme.round and theme.kind == ThemeKind.NOTES else "",
                columns=[],
            )
        loaded = not folded or theme.id in opened
        cards = [
            _card(m, notes[m.note_id] if m.note_id else messages[m.message_id], redactor)
            for m in (members[theme.id] if loaded else [])
        ]
        rows[key].columns.append(Column(theme, cards, len(members[theme.id]), loaded))
    return sorted(rows.values(), key=lambda r: (r.round_number or 10**6, r.kind != ThemeKind.NOTES))


@dataclass
class OpenedTheme:
    """One theme of a folded board, opened: what its part of the board needs."""

    row: Row
    column: Column
    number: int  # its place in its row, from 1

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def is_last(self) -> bool:
        return self.number == len(self.row.columns)


def opened_theme(*, theme: Theme) -> OpenedTheme:
    """``theme`` with its cards, among its row's other themes (folded) and their counts."""
    for row in workspace_rows(event=theme.event, folded=True, opened={theme.id}):
        for number, column in enumerate(row.columns, start=1):
            if column.theme.id == theme.id:
                return OpenedTheme(row=row, column=column, number=number)
    raise Theme.DoesNotExist(theme.id)  # deleted in the meantime
