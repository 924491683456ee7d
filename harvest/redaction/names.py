"""Names: the roster's, and those the text itself introduces ("my son Tyler", "thanks
Dawn", "Jo said", "but Kai was upset"), each whole name as one span."""

import functools
import re

from harvest.redaction.words import (
    COMMON_WORD_NAMES,
    KINSHIP_WORDS,
    MONTH_LEADS,
    MONTHS,
    STOP_WORDS,
    TITLES,
    TOKEN,
    is_ordinary,
    word_set,
)

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
AFTER_NAME = word_set(
    "said says told asked rang phoned called emailed texted messaged promised explained "
    "helped listened visited came here"
)
FROM_WHOM = word_set("the our my their his her a an")
# Words before a capitalised word that make it a place or a thing: "in Leeds", "on Zoom",
# "St Mary's".
PLACE_PREPOSITIONS = word_set(
    "in at from to near around round outside of into towards via across through on nr upon st saint"
)

LETTERS = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# What lies between the last word of a sentence and the first of the next.
SENTENCE_GAP = re.compile(r"[.!?\u2026]['\"\u201d\u2019)\]]*\s|\n|[\"\u201c\u2018(\[]\s*$")
NAME_GAP = re.compile(r"[ \t]{1,2}")
TITLE_GAP = re.compile(r"\.?[ \t]{1,2}")
AFTER_GAP = re.compile(r",?[ \t]+")
AMPERSAND_GAP = re.compile(r"[ \t]*&[ \t]*")


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
    """The names in one text, as token indices, found by the rules of ``harvest.redaction``'s
    docstring."""

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
        if not is_ordinary(word):
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
            return any(p in self.roster_words for p in parts) and not is_ordinary(word)
        if not is_ordinary(word):
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
        if not core.replace("'", "").replace("-", "").isalpha() or is_ordinary(token.folded):
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
            and is_ordinary(word)
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
        return title.folded != "miss" and not is_ordinary(name.folded)  # "I miss home"

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
                if all(self.tokens[j].cased for j in run) or not all(map(is_ordinary, name)):
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
            if not is_ordinary(token.folded) or (
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
            first_name = before.cased and not before.possessive and not is_ordinary(before.folded)
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


def name_spans(text: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the names are in ``text``, as (start, end) pairs in text order."""
    return _NameFinder(text, names).find()
