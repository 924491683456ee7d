"""Redaction of personal data: replace emails, phones, postcodes, addresses and names by markers.

Pure functions, no database: ``redact(text, names=..., phrases=...)`` returns the redacted
text and where each redaction was made in the original, so the harvester can see what was
taken out. Everything that leaves the harvest (themes, quotes, answers) goes through here.

The rule for names that are also ordinary English words ("Will", "Hope", "Grace", "May"):
they are redacted only when written with a capital letter *and* not at the start of a
sentence, where a capital letter tells us nothing. So "I will call" and "Will you come?"
keep their words, while "my worker Will said" loses the name. Every other roster name is
redacted in any case ("robin", "ROBIN"), as a whole word only ("Robinson" is not "Robin").
"""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

MARKERS = {
    "email": "[email]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "address": "[address]",
    "name": "[name]",
    "manual": "[redacted]",
}
# When two detections overlap, the earlier one in this list wins (an email holds a name).
PRIORITY = ["manual", "email", "address", "postcode", "phone", "name"]

EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# A run of 7-15 digits, possibly grouped by spaces, dots or hyphens, optionally preceded
# by a country code (+44, +1, +33, with an optional "(0)") or an area code in brackets.
PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?|\(0\d{2,5}\)[ .-]?)?"
    r"\d(?:[ .-]?\d){5,14}"
    r"(?!\w)"
)

POSTCODE = re.compile(
    r"(?<!\w)(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?!\w)",
    re.IGNORECASE,
)

STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Cres|Court|Ct|"
    "Place|Pl|Gardens|Gdns|Terrace|Grove|Hill|Park|Square|Sq|Row|Mews|Walk|Green|"
    "Parade|View|Rise|Estate|Boulevard|Gate"
)
# Street names in capitals, e.g. "12 Acacia Avenue", "Flat 3, 5 High St".
ADDRESS_TITLED = re.compile(
    r"(?<!\w)(?:(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+)?"
    r"\d{1,4}[A-Za-z]?,?\s+"
    r"(?:(?:[A-Z][\w'\u2019-]*|St\.?)\s+){1,3}"
    rf"(?:{STREET_TYPES})\b"
)
# Street names typed in lower case, e.g. "12 acacia avenue": only the unambiguous street
# words, and the words before them must not be ordinary ones ("2 hour drive").
ADDRESS_LOWER = re.compile(
    r"(?<!\w)\d{1,4}[a-z]?,?\s+((?:[a-z][\w'\u2019-]*\s+){1,2})"
    r"(?:street|road|avenue|lane|crescent|terrace|gardens|close)\b",
)
FLAT = re.compile(r"(?<!\w)(?:Flat|Apartment|Apt)\s+\d+[A-Za-z]?\b", re.IGNORECASE)
NOT_STREET_WORDS = frozenset(ENGLISH_STOP_WORDS) | {
    "hour",
    "hours",
    "minute",
    "minutes",
    "mile",
    "miles",
    "day",
    "days",
    "week",
    "weeks",
    "year",
    "years",
    "mins",
    "kids",
    "children",
    "times",
}

# Names that are ordinary English words too; see the module docstring.
COMMON_WORD_NAMES = frozenset(
    [
        "will",
        "hope",
        "grace",
        "joy",
        "faith",
        "mark",
        "rose",
        "may",
        "june",
        "april",
        "august",
        "summer",
        "autumn",
        "bill",
        "pat",
        "sue",
        "sky",
        "dawn",
        "amber",
        "ruby",
        "jack",
        "frank",
        "art",
        "rich",
        "ray",
        "max",
        "guy",
        "don",
        "rob",
        "bob",
        "jay",
        "kit",
        "ash",
        "holly",
        "ivy",
        "lily",
        "iris",
        "daisy",
        "poppy",
        "heather",
        "hazel",
        "olive",
        "pearl",
        "crystal",
        "storm",
        "rain",
        "river",
        "sunny",
        "sonny",
        "honey",
        "bunny",
        "angel",
        "star",
        "chance",
        "chase",
        "hunter",
        "carter",
        "mason",
        "fisher",
        "baker",
        "cook",
        "page",
        "young",
        "long",
        "hall",
        "wood",
        "green",
        "brown",
        "black",
        "white",
        "gray",
        "grey",
        "king",
        "bell",
        "price",
        "reed",
        "rock",
        "stone",
        "penny",
        "sandy",
        "rusty",
        "dusty",
        "drew",
        "gene",
        "ken",
        "lee",
    ]
)

SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|\n\s*|[\"“(]\s*)$")


@dataclass(frozen=True)
class RedactionSpan:
    start: int  # in the original text
    end: int
    kind: str  # a key of MARKERS

    @property
    def marker(self) -> str:
        return MARKERS[self.kind]


@dataclass(frozen=True)
class Redacted:
    text: str
    spans: tuple[RedactionSpan, ...] = ()

    @property
    def kinds(self) -> list[str]:
        return sorted({span.kind for span in self.spans})


def _phones(text: str) -> Iterable[RedactionSpan]:
    for match in PHONE.finditer(text):
        raw = match.group()
        digits = sum(ch.isdigit() for ch in raw)
        # A phone number starts with a country code or a trunk 0; plain counts and years
        # ("2019 2020", "1 000 000") do not.
        if 9 <= digits <= 15 and raw[0] in "+0(":
            yield RedactionSpan(match.start(), match.end(), "phone")


def _addresses(text: str) -> Iterable[RedactionSpan]:
    for match in ADDRESS_TITLED.finditer(text):
        yield RedactionSpan(match.start(), match.end(), "address")
    for match in ADDRESS_LOWER.finditer(text):
        words = match.group(1).split()
        if not any(word in NOT_STREET_WORDS for word in words):
            yield RedactionSpan(match.start(), match.end(), "address")
    for match in FLAT.finditer(text):
        yield RedactionSpan(match.start(), match.end(), "address")


def name_words(names: Iterable[str]) -> set[str]:
    """The words of roster names worth matching: each whole token ("Robin3") and each run of
    letters in it ("Robin"), at least two characters long."""
    words = set()
    for name in names:
        for token in (name or "").split():
            token = token.strip(".,;:!?\"'()")
            if len(token) >= 2:
                words.add(token.casefold())
        for word in re.findall(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", name or ""):
            if len(word) >= 2:
                words.add(word.casefold())
    return words


@functools.lru_cache(maxsize=32)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for a roster, built once: an event's texts all share its roster, and
    rebuilding it for every text made redaction cost grow with the roster's size."""
    words = name_words(names)
    if not words:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w@])(?:{alternatives})(?![\w@])", re.IGNORECASE)


def _names(text: str, pattern: re.Pattern | None) -> Iterable[RedactionSpan]:
    if pattern is None:
        return
    for match in pattern.finditer(text):
        word = match.group()
        folded = word.casefold()
        ordinary = folded in COMMON_WORD_NAMES or folded in ENGLISH_STOP_WORDS
        if ordinary and (not word[0].isupper() or SENTENCE_START.search(text[: match.start()])):
            continue
        yield RedactionSpan(match.start(), match.end(), "name")


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
        *(RedactionSpan(m.start(), m.end(), "email") for m in EMAIL.finditer(text)),
        *_addresses(text),
        *(RedactionSpan(m.start(), m.end(), "postcode") for m in POSTCODE.finditer(text)),
        *_phones(text),
        *_names(text, _name_pattern(tuple(names))),
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
