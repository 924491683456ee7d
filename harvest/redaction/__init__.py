"""Redaction of personal data: replace emails, phones, postcodes, addresses and names by markers.

Pure functions, no database: ``redact(text, names=..., phrases=...)`` returns the redacted
text and where each redaction was made in the original, so the harvester can see what was
taken out. Everything that leaves the harvest (themes, quotes, answers) goes through here.

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
from harvest.redaction.spans import MARKERS, PRIORITY, Redacted, RedactionSpan
from harvest.redaction.words import ordinary_words, place_words

__all__ = [
    "MARKERS",
    "PRIORITY",
    "Redacted",
    "RedactionSpan",
    "find_spans",
    "ordinary_words",
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


def find_spans(
    text: str, *, names: Iterable[str] = (), phrases: Iterable[str] = ()
) -> list[RedactionSpan]:
    """Every redaction to make in ``text``, without overlaps, in text order."""
    candidates = [
        *_phrases(text, phrases),
        *contact_spans(text),
        *(RedactionSpan(a, b, "name") for a, b in name_spans(text, tuple(names))),
    ]
    candidates.sort(key=lambda s: (PRIORITY.index(s.kind), s.start, -(s.end - s.start)))
    chosen: list[RedactionSpan] = []
    for span in candidates:
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def redact(text: str, *, names: Iterable[str] = (), phrases: Iterable[str] = ()) -> Redacted:
    """Replace personal data in ``text`` by markers such as ``[phone]`` and ``[name]``.

    ``names`` are the roster's names (pseudonyms, staff first and last names); ``phrases``
    are what a harvester chose to redact by hand.
    """
    spans = find_spans(text, names=names, phrases=phrases)
    parts, cursor = [], 0
    for span in spans:
        parts.append(text[cursor : span.start])
        parts.append(span.marker)
        cursor = span.end
    parts.append(text[cursor:])
    return Redacted(text="".join(parts), spans=tuple(spans))


def segments(text: str, spans: Iterable[RedactionSpan]) -> list[tuple[str, str]]:
    """The redacted text as (piece, kind) pairs, kind "" for kept words, for display."""
    out, cursor = [], 0
    for span in spans:
        if span.start > cursor:
            out.append((text[cursor : span.start], ""))
        out.append((span.marker, span.kind))
        cursor = span.end
    if cursor < len(text):
        out.append((text[cursor:], ""))
    return out
