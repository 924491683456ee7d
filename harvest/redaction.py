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
"""

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
NOT_STREET_WORDS = frozenset(ENGLISH_STOP_WORDS) | _words(
    "hour hours minute minutes mile miles day days week weeks year years mins kids children times"
)

# A town beside an address or a postcode: "Leeds", "West Yorkshire", "Ashton-under-Lyne".
_PLACE_WORD = r"[A-Z][a-z'\u2019]+(?:-[A-Za-z][a-z'\u2019]+)*"
_PLACE = rf"{_PLACE_WORD}(?:\s+(?:upon|on|in|le|by)\s+{_PLACE_WORD}|\s+{_PLACE_WORD}){{0,2}}"
PLACE_AFTER_ADDRESS = re.compile(rf"(,\s*|\s+)({_PLACE})(?!\w)")
PLACE_BEFORE_POSTCODE = re.compile(rf"({_PLACE}),?\s+$")
PLACE_BETWEEN = re.compile(r"\s*,?\s*([^\W\d_][\w'\u2019-]*(?:\s+[^\W\d_][\w'\u2019-]*){0,2}),?\s*")
# Ordinary words that start a place's name ("West Yorkshire", "Great Horton").
PLACE_LEADS = _words(
    "north south east west upper lower great little new old st saint kings port market high "
    "castle church long"
)

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)

# Names that are ordinary English words too: with a capital letter after "my son", "thanks"
# or beside a name they are names ("my worker Will", "Carla Brown"); other ordinary words
# are not ("my SW Team", "Dear Sir").
COMMON_WORD_NAMES = _words(
    """will hope grace joy faith mark rose may june april august summer autumn bill pat sue sky
    dawn amber ruby jack frank art rich ray max guy don rob bob jay kit ash holly ivy lily iris
    daisy poppy heather hazel olive pearl crystal storm rain river sunny sonny honey bunny angel
    star chance chase hunter carter mason fisher baker cook page young long hall wood green brown
    black white gray grey king bell price reed rock stone penny sandy rusty dusty drew gene eve
    robin jade destiny diamond melody raven glen dale earl grant lance warren carol bright ed gem
    precious"""
)
KINSHIP_WORDS = _words(
    """nan nana nanna nanny gran granny grandma grandad granddad grandpa mum mam mom mummy
    dad daddy auntie aunty aunt uncle sis bro cousin"""
)
MONTHS = _words(
    "january february march april may june july august september october november december"
)
# Words before a month that say it is one: "in May", "by 3 May", "from April".
MONTH_LEADS = _words(
    "in since until till by from last next this early late mid end of during before after "
    "throughout on every each to"
)
TITLES = _words("mr mrs ms mx miss dr prof")


def _listed(name: str) -> frozenset[str]:
    """The words of a list in ``harvest/data``, one a line, "#" starting a comment."""
    lines = (Path(__file__).parent / "data" / name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and line[0] != "#")


@functools.cache
def place_words() -> frozenset[str]:
    """Places in the UK, lower case: ``harvest/data/places.txt``."""
    return _listed("places.txt")


@functools.cache
def ordinary_words() -> frozenset[str]:
    """Lower-case words that are not names by themselves: ``harvest/data/common_words.txt``,
    English stop words, kinship words, names that are words too, months and places."""
    listed = _listed("common_words.txt")
    return listed | STOP_WORDS | KINSHIP_WORDS | COMMON_WORD_NAMES | MONTHS | place_words()


# --- words introducing a name -----------------------------------------------------------


def _cues(kind: str, phrases: str) -> dict[tuple[str, ...], str]:
    return {tuple(phrase.split()): kind for phrase in phrases.split(",")}


# The words just before a name that say one follows, by kind: "strong" (naming it, a
# person's relation or role, talking to them: "called Jayden", "my son Tyler", "my SW Jo",
# "speak to Kez"), "vocative" ("thanks Dawn", "Dear Dawn") and "self" ("I'm Jo", as often
# followed by a feeling: "I'm Sad").
CUE_PHRASES = {
    **_cues(
        "strong",
        "named, called, name is, call me, known as, son, sons, daughter, daughters, boy, girl,"
        "lad, baby, child, kid, grandson, granddaughter, grandchild, nephew, niece, brother,"
        "sister, bro, sis, twin, partner, husband, hubby, wife, fiance, fiancee, fiancé,"
        "fiancée, boyfriend, girlfriend, bf, gf, ex, mum, mam, mom, mother, dad, father,"
        "stepdad, step-dad, stepmum, step-mum, nan, nana, nanna, gran, granny, grandma,"
        "grandad, granddad, grandpa, auntie, aunty, aunt, uncle, cousin, friend, mate,"
        "neighbour, eldest, youngest, oldest, in law, sw, sws, worker, keyworker, caseworker,"
        "iro, pa, adviser, advisor, hv, visitor, gp, doctor, nurse, midwife, teacher,"
        "headteacher, senco, solicitor, lawyer, barrister, guardian, advocate, mentor,"
        "therapist, counsellor, fc, carer, manager, host, facilitator, officer, judge, chair,"
        "told, tell, ring, rang, phone, phoned, texted, emailed, messaged, contacted, met,"
        "meet, ask, asked, thanked, saw, seen, visited, ask for, asked for, asking for,"
        "speak to, speaking to, spoke to, talk to, talked to, talking to, said to",
    ),
    **_cues(
        "vocative",
        "thanks, thankyou, ty, cheers, dear, hi, hiya, hello, hey, bye, thank you, thank u,"
        "thanks to, thanks again, thank you to, well done",
    ),
    **_cues("self", "i'm, im, i am"),
}
CUE_GAP = re.compile(r"\s*[,:\u2013-]?\s*")
MENTION = re.compile(r"(?<![\w.+'-])@(?=[^\W\d_])")
# Words after a name: "Sam from the support team", "Jo said", "Dawn here".
AFTER_NAME = _words(
    "said says told asked rang phoned called emailed texted messaged promised explained "
    "helped listened visited came here"
)
FROM_WHOM = _words("the our my their his her a an")
# Words before a capitalised word that make it a place or a thing: "in Leeds", "on Zoom",
# "St Mary's".
PLACE_PREPOSITIONS = _words(
    "in at from to near around round outside of into towards via across through on nr upon st saint"
)

TOKEN = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
LETTERS = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# What lies between the last word of a sentence and the first of the next.
SENTENCE_GAP = re.compile(r"[.!?\u2026]['\"\u201d\u2019)\]]*\s|\n|[\"\u201c\u2018(\[]\s*$")
NAME_GAP = re.compile(r"[ \t]{1,2}")
TITLE_GAP = re.compile(r"\.?[ \t]{1,2}")
AFTER_GAP = re.compile(r",?[ \t]+")
AMPERSAND_GAP = re.compile(r"[ \t]*&[ \t]*")


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


def _addresses(text: str) -> list[RedactionSpan]:
    found = [RedactionSpan(m.start(), m.end(), "address") for m in ADDRESS_TITLED.finditer(text)]
    for match in ADDRESS_LOWER.finditer(text):
        words = match.group(1).split()
        if not any(word in NOT_STREET_WORDS for word in words):
            found.append(RedactionSpan(match.start(), match.end(), "address"))
    found.extend(RedactionSpan(m.start(), m.end(), "address") for m in FLAT.finditer(text))
    return found


def _is_ordinary(word: str) -> bool:
    """Whether a folded word is an ordinary word, not a name: "well-being" and "don't" are,
    "Ellie-May" and "O'Connor" are not."""
    words = ordinary_words()
    if word in words:
        return True
    if "-" in word:
        return all(_is_ordinary(part) for part in word.split("-") if part)
    if "'" in word:
        return word.replace("'", "") in words or word.split("'", 1)[0] in words
    return False


def _placelike(word: str) -> bool:
    """Whether a folded word could name a place: a known one, or no ordinary word."""
    return word in place_words() or not _is_ordinary(word)


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


# --- names ------------------------------------------------------------------------------


class _Token:
    """A word of the text, with what a name check needs to know about it."""

    __slots__ = ("cased", "end", "folded", "initial", "possessive", "start")

    def __init__(self, match: re.Match, text: str, previous_end: int | None) -> None:
        word = match.group()
        self.start = match.start()
        self.possessive = len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS"
        core = word[:-2] if self.possessive else word
        self.end = self.start + len(core)
        self.folded = core.casefold().replace("\u2019", "'")
        self.cased = core[0].isupper()
        gap = "" if previous_end is None else text[previous_end : self.start]
        self.initial = previous_end is None or bool(SENTENCE_GAP.search(gap))


@functools.lru_cache(maxsize=32)
def _roster(names: tuple[str, ...]) -> tuple[frozenset[str], dict[str, list[tuple[str, ...]]]]:
    """A roster's words worth matching, each whole ("Robin3") and each run of letters in it
    ("Robin"), two characters or more; and its names of several words by their first word.
    Built once per roster: an event's texts all share it."""
    words: set[str] = set()
    whole: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        tokens = tuple(w.casefold() for w in TOKEN.findall(name or ""))
        letters = (w.casefold() for w in LETTERS.findall(name or ""))
        words.update(w for w in (*tokens, *letters) if len(w) >= 2)
        if len(tokens) > 1 and tokens not in whole.get(tokens[0], []):
            whole.setdefault(tokens[0], []).append(tokens)
    return frozenset(words), whole


class _NameFinder:
    """The names in one text, as token indices, found by the rules of the module docstring."""

    def __init__(self, text: str, names: tuple[str, ...]) -> None:
        self.text = text
        self.tokens: list[_Token] = []
        previous_end = None
        for match in TOKEN.finditer(text):
            self.tokens.append(_Token(match, text, previous_end))
            previous_end = match.end()
        self.by_start = {t.start: i for i, t in enumerate(self.tokens)}
        self.roster_words, self.roster_names = _roster(names)
        self.names: set[int] = set()

    def find(self) -> list[tuple[int, int]]:
        if self.tokens:
            self._from_roster()
            self._repeat(self._from_cues())
            self._coordinated()
            self._whole_names()
        return self._spans()

    # What a word's neighbours say about it.

    def _gap(self, i: int, pattern: re.Pattern = NAME_GAP) -> bool:
        """Whether token ``i`` and the next are parted by ``pattern`` only."""
        if i + 1 >= len(self.tokens):
            return False
        return bool(pattern.fullmatch(self.text, self.tokens[i].end, self.tokens[i + 1].start))

    def _month(self, i: int) -> bool:
        """Token ``i`` is a month here: "in May", "3 May", "May 2021"."""
        if self.tokens[i].folded not in MONTHS:
            return False
        before = self.tokens[i - 1].folded if i > 0 else ""
        after = self.tokens[i + 1].folded if i + 1 < len(self.tokens) else ""
        return before in MONTH_LEADS or before[:1].isdigit() or after[:1].isdigit()

    def _cue(self, i: int) -> str | None:
        """The kind of cue (CUE_PHRASES) that the words just before token ``i`` make."""
        if i == 0 or not CUE_GAP.fullmatch(self.text, self.tokens[i - 1].end, self.tokens[i].start):
            return None
        if self.tokens[i - 1].possessive:
            return "strong" if self.tokens[i - 1].folded == "name" else None  # "my name's Jo"
        words: tuple[str, ...] = ()
        kind = None
        for j in range(i - 1, max(i - 4, -1), -1):
            if j < i - 1 and (self.tokens[j].possessive or not self._gap(j)):
                break
            words = (self.tokens[j].folded, *words)
            kind = CUE_PHRASES.get(words, kind)
        return kind

    def _name_follows(self, i: int) -> bool:
        """The words after token ``i`` say it is a person: "Jo's", "said", "from the"."""
        if self.tokens[i].possessive:
            return True
        if i + 1 >= len(self.tokens):
            return False
        following = self.tokens[i + 1].folded
        if following == "from":
            return i + 2 < len(self.tokens) and self.tokens[i + 2].folded in FROM_WHOM
        return following in AFTER_NAME and self._gap(i, AFTER_GAP)

    def _could_be_name(self, i: int, cue: str) -> bool:
        """Whether token ``i`` is a name next to a cue: "strong" ("my son", "called", "speak
        to"), "vocative" ("thanks"), "self" ("I'm") or "after" (a name before "said")."""
        token = self.tokens[i]
        word = token.folded
        if len(word) < 2 or not word.replace("'", "").replace("-", "").isalpha():
            return False
        if word in KINSHIP_WORDS or self._month(i) or (i and self.tokens[i - 1].folded == "st"):
            return False  # "St Mary's" is a church or a school
        if word in STOP_WORDS and not (token.cased and word in COMMON_WORD_NAMES):
            return False
        if not _is_ordinary(word):
            return token.cased or cue != "self"
        if word not in COMMON_WORD_NAMES:
            return False
        if not token.cased:
            return cue == "vocative"
        return cue != "self" and (cue != "after" or not token.initial or token.possessive)

    def _roster_name(self, i: int) -> bool:
        """Token ``i`` is a roster name, written as a name if it is an ordinary word too."""
        token = self.tokens[i]
        word = token.folded
        if word not in self.roster_words:
            if "-" not in word and "'" not in word:
                return False
            # "Ellie-May" holds "May", "O'Neil" holds "Neil"; "don't" holds no "Don".
            parts = word.replace("'", "-").split("-")
            return any(p in self.roster_words for p in parts) and not _is_ordinary(word)
        if not _is_ordinary(word):
            return True
        if not token.cased or self._month(i):
            return False
        return not token.initial or self._name_follows(i)

    def _unknown_capitalised(self, i: int) -> bool:
        """A capitalised word inside a sentence that is no ordinary word is a name ("but Kai
        was miserable"), unless it is a place ("in Leeds"), part of a title-case name of a
        thing ("the Freedom Programme", "Leeds City Council") or an acronym ("EDT")."""
        token = self.tokens[i]
        core = self.text[token.start : token.end]
        if not token.cased or token.initial or core.rstrip("s").isupper() or len(core) < 2:
            return False
        if not core.replace("'", "").replace("-", "").isalpha() or _is_ordinary(token.folded):
            return False
        if i > 0 and self._gap(i - 1):
            before = self.tokens[i - 1]
            if before.folded in PLACE_PREPOSITIONS or self._title_case_word(i - 1):
                return False
        elif i > 0 and self.tokens[i - 1].folded in PLACE_PREPOSITIONS:
            return False
        return not (self._gap(i) and self._title_case_word(i + 1))

    def _title_case_word(self, i: int) -> bool:
        """An ordinary word written with a capital inside a sentence: "City", "Programme"."""
        token = self.tokens[i]
        word = token.folded
        return (
            token.cased
            and not token.initial
            and _is_ordinary(word)
            and word not in KINSHIP_WORDS
            and word not in TITLES
            and not self.text[token.start : token.end].isupper()
        )

    def _title_name(self, i: int) -> bool:
        """Token ``i`` is a title and the next word the name it goes with: "Mrs Smith"."""
        title, name = self.tokens[i], self.tokens[i + 1]
        if not self._gap(i, TITLE_GAP) or not name.folded.replace("-", "").isalpha():
            return False
        if title.cased:
            return name.cased and name.folded not in STOP_WORDS
        return title.folded != "miss" and not _is_ordinary(name.folded)  # "I miss home"

    # The rules, in the order they run.

    def _from_roster(self) -> None:
        for i, token in enumerate(self.tokens):
            if self._roster_name(i):
                self.names.add(i)
            for name in self.roster_names.get(token.folded, ()):
                run = range(i, i + len(name))
                if tuple(self.tokens[j].folded for j in run if j < len(self.tokens)) != name:
                    continue
                # "Tom Bright" and "tom bright" are the name; "will young people" is not.
                if all(self.tokens[j].cased for j in run) or not all(map(_is_ordinary, name)):
                    self.names.update(run)

    def _from_cues(self) -> set[str]:
        """Names the text introduces; returns their words, to find them again."""
        found: set[int] = set()
        for match in MENTION.finditer(self.text):
            i = self.by_start.get(match.end())
            if i is not None:
                found.add(i)
        for i in range(len(self.tokens)):
            cue = self._cue(i)
            if cue and self._could_be_name(i, cue):
                found.add(i)
            if self._name_follows(i) and self._could_be_name(i, "after"):
                found.add(i)
            if self._unknown_capitalised(i):
                found.add(i)
            if self.tokens[i].folded in TITLES and self._title_name(i):
                found.update((i, i + 1))
        self.names |= found
        return {self.tokens[i].folded for i in found} - TITLES

    def _repeat(self, words: set[str]) -> None:
        """A name found by a cue is a name wherever the text repeats it."""
        for i, token in enumerate(self.tokens):
            if token.folded not in words or i in self.names:
                continue
            if not _is_ordinary(token.folded) or (
                token.cased and not token.initial and not self._month(i)
            ):
                self.names.add(i)

    def _coordinated(self) -> None:
        """ "Will and [name]", "[name] and sam": a word joined to a name by "and" is a name
        too when it could be one."""
        for i in range(len(self.tokens) - 1):
            if self._gap(i, AMPERSAND_GAP):
                j = i + 1
            elif self.tokens[i + 1].folded == "and" and self._gap(i) and self._gap(i + 1):
                j = i + 2
            else:
                continue
            for name, other in ((i, j), (j, i)):
                if name in self.names and other not in self.names:
                    token = self.tokens[other]
                    on_roster = token.folded in self.roster_words and token.cased
                    if on_roster or self._could_be_name(other, "strong"):
                        self.names.add(other)

    def _whole_names(self) -> None:
        """A name takes in a surname after it, and a first name or a title before it."""
        for i in sorted(self.names):
            j = i
            while j - i < 2 and self._gap(j) and not self.tokens[j].possessive:
                following = self.tokens[j + 1]
                if following.cased != self.tokens[i].cased or not self._could_be_name(
                    j + 1, "strong"
                ):
                    break
                j += 1
                self.names.add(j)
            if i == 0 or (i - 1) in self.names or not self._gap(i - 1, TITLE_GAP):
                continue
            before = self.tokens[i - 1]
            title = before.folded in TITLES and (before.cased or not self.tokens[i].cased)
            first_name = before.cased and not before.possessive and not _is_ordinary(before.folded)
            if title or first_name:
                self.names.add(i - 1)

    def _spans(self) -> list[tuple[int, int]]:
        """Runs of name words as one span each: "Carla Smith" is one [name]."""
        spans: list[tuple[int, int]] = []
        for i in sorted(self.names):
            token = self.tokens[i]
            previous = self.tokens[i - 1] if i else None
            if (
                spans
                and i - 1 in self.names
                and not previous.possessive
                and self._gap(i - 1, TITLE_GAP)
            ):
                spans[-1] = (spans[-1][0], token.end)
            else:
                spans.append((token.start, token.end))
        return spans


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
    addresses = _addresses(text)
    postcodes = [RedactionSpan(m.start(), m.end(), "postcode") for m in POSTCODE.finditer(text)]
    candidates = [
        *_phrases(text, phrases),
        *(RedactionSpan(m.start(), m.end(), "email") for m in EMAIL.finditer(text)),
        *addresses,
        *_places(text, addresses, postcodes),
        *postcodes,
        *_phones(text),
        *(RedactionSpan(a, b, "name") for a, b in _NameFinder(text, tuple(names)).find()),
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
