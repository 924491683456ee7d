"""Contact details: emails, phone numbers, postcodes, street addresses and the town written
beside an address or a postcode."""

import re
from collections.abc import Iterable, Iterator

from harvest.redaction.spans import RedactionSpan
from harvest.redaction.words import STOP_WORDS, TOKEN, is_ordinary, place_words, word_set

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
NOT_STREET_WORDS = STOP_WORDS | word_set(
    "hour hours minute minutes mile miles day days week weeks year years mins kids children times"
)

# A town beside an address or a postcode: "Leeds", "West Yorkshire", "Ashton-under-Lyne".
_PLACE_WORD = r"[A-Z][a-z'\u2019]+(?:-[A-Za-z][a-z'\u2019]+)*"
_PLACE = rf"{_PLACE_WORD}(?:\s+(?:upon|on|in|le|by)\s+{_PLACE_WORD}|\s+{_PLACE_WORD}){{0,2}}"
PLACE_AFTER_ADDRESS = re.compile(rf"(,\s*|\s+)({_PLACE})(?!\w)")
PLACE_BEFORE_POSTCODE = re.compile(rf"({_PLACE}),?\s+$")
PLACE_BETWEEN = re.compile(r"\s*,?\s*([^\W\d_][\w'\u2019-]*(?:\s+[^\W\d_][\w'\u2019-]*){0,2}),?\s*")
# Ordinary words that start a place's name ("West Yorkshire", "Great Horton").
PLACE_LEADS = word_set(
    "north south east west upper lower great little new old st saint kings port market high "
    "castle church long"
)


def _phones(text: str) -> Iterable[RedactionSpan]:
    for match in PHONE.finditer(text):
        raw = match.group()
        digits = sum(ch.isdigit() for ch in raw)
        # A phone number starts with a country code or a trunk 0; plain counts and years
        # ("2019 2020", "1 000 000") do not.
        if 9 <= digits <= 15 and raw[0] in "+0(":
            yield RedactionSpan(match.start(), match.end(), "phone")


def _addresses(text: str) -> list[RedactionSpan]:
    found = [RedactionSpan(m.start(), m.end(), "address") for m in ADDRESS_TITLED.finditer(text)]
    for match in ADDRESS_LOWER.finditer(text):
        words = match.group(1).split()
        if not any(word in NOT_STREET_WORDS for word in words):
            found.append(RedactionSpan(match.start(), match.end(), "address"))
    found.extend(RedactionSpan(m.start(), m.end(), "address") for m in FLAT.finditer(text))
    return found


def _placelike(word: str) -> bool:
    """Whether a folded word could name a place: a known one, or no ordinary word."""
    return word in place_words() or not is_ordinary(word)


def _places(
    text: str, addresses: list[RedactionSpan], postcodes: list[RedactionSpan]
) -> Iterator[RedactionSpan]:
    """The town or district written between or beside an address and a postcode."""
    done: set[int] = set()  # postcodes whose place is found
    for address in addresses:
        after = [p for p in postcodes if 0 <= p.start - address.end <= 60]
        if after:
            between = PLACE_BETWEEN.fullmatch(text, address.end, after[0].start)
            if between and not any(w in STOP_WORDS for w in between.group(1).lower().split()):
                done.add(after[0].start)
                yield RedactionSpan(between.start(1), between.end(1), "address")
                continue
        match = PLACE_AFTER_ADDRESS.match(text, address.end)
        if match:
            words = match.group(2).split()
            ends = match.end() == len(text) or text[match.end()] in ".,;:!?)"
            if (
                words[0].lower() not in STOP_WORDS
                and (ends or "," in match.group(1))
                and (ends or _placelike(words[0].lower()))
            ):
                yield RedactionSpan(match.start(2), match.end(2), "address")
    for postcode in postcodes:
        if postcode.start in done:
            continue
        match = PLACE_BEFORE_POSTCODE.search(text, max(0, postcode.start - 60), postcode.start)
        if not match:
            continue
        words = list(TOKEN.finditer(text, match.start(1), match.end(1)))
        # "Near SW1A 1AA" is no place; "West Yorkshire LS1 4AB" is one.
        while words and not _placelike(words[0].group().lower()):
            if words[0].group().lower() in PLACE_LEADS and len(words) > 1:
                break
            words.pop(0)
        if words and _placelike(words[-1].group().lower()):
            yield RedactionSpan(words[0].start(), words[-1].end(), "address")


def contact_spans(text: str) -> list[RedactionSpan]:
    """Every email, street address (with its town), postcode and phone number in ``text``;
    they may overlap each other: ``find_spans`` chooses among them."""
    addresses = _addresses(text)
    postcodes = [RedactionSpan(m.start(), m.end(), "postcode") for m in POSTCODE.finditer(text)]
    return [
        *(RedactionSpan(m.start(), m.end(), "email") for m in EMAIL.finditer(text)),
        *addresses,
        *_places(text, addresses, postcodes),
        *postcodes,
        *_phones(text),
    ]
