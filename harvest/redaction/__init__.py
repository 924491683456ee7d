"""Redaction of personal data: replace emails, phones, postcodes, addresses and names by markers.

Pure functions, no database: ``redact(text, names=..., phrases=..., kept=...)`` returns the
redacted text and where each redaction was made in the original, so the harvester can see
what was taken out, and undo a marker that hid no personal data (``kept``). Everything
that leaves the harvest (themes, quotes, answers) goes through here.

Names come from the roster (pseudonyms, staff names) and from the text itself, since in
an imported event the roster is empty: words that introduce a name ("my name is", "my son",
"my SW", "thanks", "speak to", "Mrs"; "said", "from the team" after it; "Jo's"), and a
capitalised word inside a sentence that is no ordinary word ("but Kai was upset"). A name
takes in the surname beside it ("Carla Smith" is one [name]); a roster name that is also
an ordinary word ("Will", "Nan", "May") is redacted only when it is written as a name.
A place beside an address or a postcode is part of the address. The rules, with examples
and what they cost: docs/harvest.md, "Redaction"; the word lists: ``harvest/data/``.

The package: ``words`` (what is an ordinary word), ``contact`` (emails, phones, postcodes,
addresses and their towns), ``names`` (names), ``spans`` (the types); this module chooses
among what they find and writes the markers.
"""

import re
from collections.abc import Iterable

from harvest.redaction.contact import contact_spans
from harvest.redaction.names import name_spans
from harvest.redaction.spans import MARKERS, PRIORITY, Piece, Redacted, RedactionSpan
from harvest.redaction.words import ordinary_words, place_words

__all__ = [
    "MARKERS",
    "PRIORITY",
    "Piece",
    "Redacted",
    "RedactionSpan",
    "find_spans",
    "folded",
    "ordinary_words",
    "pieces",
    "place_words",
    "redact",
    "segments",
]


def _phrases(text: str, phrases: Iterable[str]) -> Iterable[RedactionSpan]:
    for phrase in phrases:
        phrase = phrase.strip()
        if not phrase:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            yield RedactionSpan(match.start(), match.end(), "manual")


def folded(words: str) -> str:
    """``words`` as a keep decision compares them: spaces collapsed, case folded ("Hope",
    "HOPE" and "hope" are the same words)."""
    return " ".join(words.split()).casefold()


def _without_overlaps(candidates: Iterable[RedactionSpan]) -> list[RedactionSpan]:
    """The spans to use when some overlap: by ``PRIORITY``, then the earlier, then the
    longer; in text order."""
    ranked = sorted(candidates, key=lambda s: (PRIORITY.index(s.kind), s.start, s.start - s.end))
    chosen: list[RedactionSpan] = []
    for span in ranked:
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def _spans_and_kept(
    text: str, names: Iterable[str], phrases: Iterable[str], kept: Iterable[str]
) -> tuple[list[RedactionSpan], list[RedactionSpan]]:
    candidates = [
        *_phrases(text, phrases),
        *contact_spans(text),
        *(RedactionSpan(a, b, "name") for a, b in name_spans(text, tuple(names))),
    ]
    keep = {folded(words) for words in kept} - {""}
    held: list[RedactionSpan] = []
    let_go: list[RedactionSpan] = []
    for span in candidates:
        # A manual redaction is never let go: the harvester chose it by hand.
        if span.kind != "manual" and folded(text[span.start : span.end]) in keep:
            let_go.append(span)
        else:
            held.append(span)
    spans = _without_overlaps(held)
    # A smaller detection inside kept words still holds ("12 Hope Street" kept, "Hope"
    # found as a name in it): the harvester then sees that marker and decides on it too.
    shown = [
        span
        for span in _without_overlaps(let_go)
        if all(span.end <= c.start or span.start >= c.end for c in spans)
    ]
    return spans, shown


def find_spans(
    text: str,
    *,
    names: Iterable[str] = (),
    phrases: Iterable[str] = (),
    kept: Iterable[str] = (),
) -> list[RedactionSpan]:
    """Every redaction to make in ``text``, without overlaps, in text order."""
    return _spans_and_kept(text, names, phrases, kept)[0]


def redact(
    text: str,
    *,
    names: Iterable[str] = (),
    phrases: Iterable[str] = (),
    kept: Iterable[str] = (),
) -> Redacted:
    """Replace personal data in ``text`` by markers such as ``[phone]`` and ``[name]``.

    ``names`` are the roster's names (pseudonyms, staff first and last names); ``phrases``
    are what a harvester chose to redact by hand; ``kept`` are words a harvester said are
    not personal data: a detection whose words are exactly one of them (case and spacing
    aside) is left as written and listed in ``Redacted.kept``. ``phrases`` win over
    ``kept``.
    """
    spans, shown = _spans_and_kept(text, names, phrases, kept)
    parts, cursor = [], 0
    for span in spans:
        parts.append(text[cursor : span.start])
        parts.append(span.marker)
        cursor = span.end
    parts.append(text[cursor:])
    return Redacted(text="".join(parts), spans=tuple(spans), kept=tuple(shown))


def segments(text: str, spans: Iterable[RedactionSpan]) -> list[tuple[str, str]]:
    """The redacted text as (piece, kind) pairs, kind "" for words left as written, for
    display."""
    out, cursor = [], 0
    for span in spans:
        if span.start > cursor:
            out.append((text[cursor : span.start], ""))
        out.append((span.marker, span.kind))
        cursor = span.end
    if cursor < len(text):
        out.append((text[cursor:], ""))
    return out


def pieces(text: str, redacted: Redacted) -> list[Piece]:
    """``text`` as its redaction shows it: markers, kept words and the words in between."""
    out, cursor = [], 0
    for span in sorted([*redacted.spans, *redacted.kept], key=lambda s: s.start):
        if span.start > cursor:
            out.append(Piece(text[cursor : span.start]))
        words = text[span.start : span.end]
        if span in redacted.kept:
            out.append(Piece(words, span.kind, kept=True))
        else:
            out.append(Piece(span.marker, span.kind, hidden=words))
        cursor = span.end
    if cursor < len(text):
        out.append(Piece(text[cursor:]))
    return out
