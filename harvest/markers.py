"""Reads for the marker review: every marker in an event's notes, chat and answers with the
words it hides, and the words its harvesters said are not personal data.

The workspace shows markers only; this page shows what they hide so that a harvester can
tell a false one ("we went to [name]" hiding the village of Hope). Only people who may
curate the harvest see it. Nothing here writes.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from cafes.models import ChatMessage, ClosingAnswer, Note
from events.models import Event
from harvest.models import KeptWord
from harvest.redaction import MARKERS, Piece, Redacted, folded, pieces
from harvest.selectors import (
    Redactor,
    harvestable_answers,
    harvestable_messages,
    harvestable_notes,
)

# What each detection found, in the words the page uses.
FOUND_AS = {
    "name": "a name",
    "address": "an address or a place",
    "postcode": "a postcode",
    "phone": "a phone number",
    "email": "an email address",
    "manual": "redacted by hand",
}


@dataclass
class Marker:
    kind: str
    words: str  # what the marker hides (or, kept, shows)
    kept: KeptWord | None  # the decision that shows these words, if any
    on_roster: bool  # holds the name of someone on the event's roster

    @property
    def marker(self) -> str:
        return MARKERS[self.kind]

    @property
    def automatic(self) -> bool:
        return self.kind != "manual"

    @property
    def found_as(self) -> str:
        return FOUND_AS[self.kind]


@dataclass
class MarkedText:
    key: str  # "note-12": the page's anchor, and what its forms send back
    label: str
    pieces: list[Piece]
    markers: list[Marker]


def kept_words(*, event: Event) -> QuerySet[KeptWord]:
    """The words the event's harvesters said are not personal data, alphabetically."""
    return KeptWord.objects.filter(event=event).select_related("kept_by")


def _marked(
    key: str,
    label: str,
    text: str,
    redacted: Redacted,
    kept: dict[str, KeptWord],
    roster: set[str],
) -> MarkedText:
    markers, seen = [], set()
    for span in sorted([*redacted.spans, *redacted.kept], key=lambda s: s.start):
        words = text[span.start : span.end]
        decision = kept.get(folded(words)) if span in redacted.kept else None
        if (folded(words), span.kind, decision) in seen:
            continue  # one control for words a text repeats
        seen.add((folded(words), span.kind, decision))
        padded = f" {folded(words)} "
        markers.append(
            Marker(
                kind=span.kind,
                words=words,
                kept=decision,
                on_roster=any(f" {name} " in padded for name in roster),
            )
        )
    return MarkedText(key=key, label=label, pieces=pieces(text, redacted), markers=markers)


def marked_texts(*, event: Event) -> list[MarkedText]:
    """Every note, chat message and answer a report may show that holds a marker or words
    kept as not personal data, in report order, each with its markers."""
    redactor = Redactor(event)
    kept = {folded(k.text): k for k in kept_words(event=event)}
    roster = {folded(name) for name in redactor.names} - {""}
    texts: list[MarkedText] = []
    for note in harvestable_notes(event=event).order_by("round__number", "table__number", "id"):
        label = f"Round {note.round.number}, {note.table.label}: note"
        texts.append(
            _marked(f"note-{note.id}", label, note.text, redactor.note(note), kept, roster)
        )
    for message in harvestable_messages(event=event):
        label = f"Round {message.round.number} chat" if message.round else "Event chat"
        redacted = redactor.message(message)
        texts.append(_marked(f"message-{message.id}", label, message.text, redacted, kept, roster))
    for answer in harvestable_answers(event=event):
        label = f"Answer to “{answer.question.text}”"
        redacted = redactor.text(answer.text)
        texts.append(_marked(f"answer-{answer.id}", label, answer.text, redacted, kept, roster))
    return [text for text in texts if text.markers]


def seen_in(*, event: Event, key: str) -> Note | ChatMessage | ClosingAnswer | None:
    """The note, chat message or answer a review page's form names ("note-12"), if it is
    one a report of ``event`` may show."""
    kind, _, number = key.partition("-")
    if not number.isdigit():
        return None
    sources = {
        "note": harvestable_notes,
        "message": harvestable_messages,
        "answer": harvestable_answers,
    }
    if kind not in sources:
        return None
    return sources[kind](event=event).filter(pk=int(number)).first()
