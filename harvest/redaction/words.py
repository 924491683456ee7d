"""The words redaction knows: ordinary English words, names that are words too, kinship
words, months, titles and places (the long lists live in ``harvest/data/``), and what makes
a folded word ordinary rather than a name."""

import functools
import re
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

DATA = Path(__file__).resolve().parent.parent / "data"
# A word of the text: letters and digits, joined by an apostrophe or a hyphen.
TOKEN = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)

# Names that are ordinary English words too: with a capital letter after "my son", "thanks"
# or beside a name they are names ("my worker Will", "Carla Brown"); other ordinary words
# are not ("my SW Team", "Dear Sir").
COMMON_WORD_NAMES = word_set(
    """will hope grace joy faith mark rose may june april august summer autumn bill pat sue sky
    dawn amber ruby jack frank art rich ray max guy don rob bob jay kit ash holly ivy lily iris
    daisy poppy heather hazel olive pearl crystal storm rain river sunny sonny honey bunny angel
    star chance chase hunter carter mason fisher baker cook page young long hall wood green brown
    black white gray grey king bell price reed rock stone penny sandy rusty dusty drew gene eve
    robin jade destiny diamond melody raven glen dale earl grant lance warren carol bright ed gem
    precious"""
)
KINSHIP_WORDS = word_set(
    """nan nana nanna nanny gran granny grandma grandad granddad grandpa mum mam mom mummy
    dad daddy auntie aunty aunt uncle sis bro cousin"""
)
MONTHS = word_set(
    "january february march april may june july august september october november december"
)
# Words before a month that say it is one: "in May", "by 3 May", "from April".
MONTH_LEADS = word_set(
    "in since until till by from last next this early late mid end of during before after "
    "throughout on every each to"
)
TITLES = word_set("mr mrs ms mx miss dr prof")


def _listed(name: str) -> frozenset[str]:
    """The words of a list in ``harvest/data``, one a line, "#" starting a comment."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
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


def is_ordinary(word: str) -> bool:
    """Whether a folded word is an ordinary word, not a name: "well-being" and "don't" are,
    "Ellie-May" and "O'Connor" are not."""
    words = ordinary_words()
    if word in words:
        return True
    if "-" in word:
        return all(is_ordinary(part) for part in word.split("-") if part)
    if "'" in word:
        return word.replace("'", "") in words or word.split("'", 1)[0] in words
    return False
