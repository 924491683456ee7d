"""The round's words: which words count (stop words, fillers, replies, words too generic to
name a theme), folding ("workers'" -> "worker") and ``Vocabulary``, which turns a note into
the terms TF-IDF is computed over and remembers how the notes spell them."""

import itertools
from collections import Counter

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from harvest.wording import MARKER, WORD, expand_shorthand

FILLERS = {
    "really", "just", "like", "lot", "lots", "thing", "things", "felt", "feel", "feeling",
    "think", "thought", "got", "get", "getting", "make", "made", "did", "does", "doing",
    "said", "say", "says", "know", "want", "wanted", "way", "good", "bad", "need", "needed",
    "people", "time", "times", "able", "went", "going", "come", "came", "use", "used",
    "yes", "agree", "agreed", "ok", "okay", "don't", "didn't", "can't", "won't", "i'm",
    "it's", "we're", "they're", "i've", "doesn't", "isn't", "wasn't", "there's",
    "honestly", "email", "phone", "postcode", "address", "name", "redacted",
}  # fmt: skip
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | FILLERS
# Words that say nothing of what a theme is about, however often its notes use them.
GENERIC = {
    "took", "table", "tables", "someone", "take", "taken", "asked", "ask", "told", "tell",
    "year", "years", "yrs", "month",
    "months", "week", "weeks", "day", "days", "new", "read", "didnt", "dont", "cant", "wont",
    "wouldnt", "couldnt", "isnt", "wasnt", "im", "ive", "theyre", "whats", "gonna", "wanna",
    "actually", "basically", "literally", "still", "ever", "never", "always", "every",
    "one", "two", "three", "first", "last", "next", "put", "gave", "give", "given", "let",
    "saw", "see", "seen", "look", "looked", "keep", "kept", "left", "bit", "lot", "sort",
    "end", "ended", "start", "started", "tried", "try", "trying", "turn", "turned", "mum",
    "dad", "kid", "child", "son", "daughter", "baby", "parent",
}  # fmt: skip
# A note made only of these is a reply to the note before it: "Yes", "+1", "Agree".
REPLY_WORDS = frozenset(ENGLISH_STOP_WORDS) | {
    "yes", "yeah", "yep", "agree", "agreed", "ok", "okay", "same", "exactly", "true",
    "definitely", "totally", "absolutely", "this", "that", "too", "me",
}  # fmt: skip


def fold(word: str) -> str:
    """Lower-case and fold plurals and possessives: "workers'" and "Worker's" -> "worker"."""
    w = word.casefold().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


class Vocabulary:
    """Turns texts into terms (folded words and two-word phrases), remembering how each
    folded word was written so that a summary can name it in the notes' own spelling."""

    def __init__(self) -> None:
        self.surfaces: dict[str, Counter] = {}

    def terms(self, text: str) -> list[str]:
        folded: list[str | None] = []
        for raw in WORD.findall(MARKER.sub(" ", expand_shorthand(text))):
            word = raw.casefold().replace("\u2019", "'")
            if word in STOP_WORDS or len(raw) < 2 or fold(raw) in STOP_WORDS:
                folded.append(None)
            else:
                folded.append(fold(raw))
                self.surfaces.setdefault(folded[-1], Counter())[word] += 1
        kept = [w for w in folded if w]
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(folded) if a and b and a != b]
        return kept + pairs

    def surface(self, term: str) -> str:
        """How the notes most often write ``term`` (lower case; ties by spelling)."""
        out = []
        for folded in term.split(" "):
            counts = self.surfaces.get(folded) or Counter({folded: 1})
            out.append(min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0])
        return " ".join(out)


def has_substance(text: str) -> bool:
    """False for a reply such as "Yes", "+1" or "Agree": nothing but agreement."""
    return any(w.casefold() not in REPLY_WORDS for w in WORD.findall(MARKER.sub(" ", text)))


def normalised(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))
