"""Automatic theming: group short texts into themes with titles, summaries and quotes.

Pure functions over already-redacted texts; no database. The method is lexical and needs
only scikit-learn and SciPy:

1. words are lower-cased, English stop words and fillers dropped, plurals folded
   ("workers" -> "worker"), and adjacent kept words paired into phrases;
2. TF-IDF vectors are reduced by LSA (truncated SVD, fixed ``random_state``) so notes that
   share related words come closer, then normalised;
3. Ward clustering is cut at every number of themes from 2 up to about one per four
   notes, and the cut with the best silhouette (cosine) is kept (past ``WARD_MAX_NOTES``,
   on an even sample, each other note joining the nearest theme centre);
4. a theme of one note is not a theme: such notes, and notes with no content words
   ("Yes", "+1"), go to a theme labelled "Other".

The same input always gives the same output: no randomness is left unseeded, and ties
are broken by the input order.
"""

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

OTHER_TITLE = "Other"
OTHER_SUMMARY = "Notes that did not fit any theme; move them where they belong."
DUPLICATE_SIMILARITY = 0.85
QUOTE_SIMILARITY = 0.6  # two quotes more alike than this say the same thing
SUMMARY_MAX_CHARS = 200
QUOTE_MAX_CHARS = 400
# Ward clustering and the silhouette need memory and time in the square of the number of
# notes: past this many, an even sample is clustered and every note joins the theme whose
# centre is nearest (100,000 notes would otherwise need tens of GB: docs/benchmarks.md).
WARD_MAX_NOTES = 3000
# Near-duplicates are looked for this many notes at a time, so memory stays flat.
DUPLICATE_BLOCK = 1024

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
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
MARKER = re.compile(r"\[(?:email|phone|postcode|address|name|redacted)\]")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Item:
    """One thing to theme: a note, a chat message. ``key`` is returned as is."""

    key: int
    text: str
    table: str = ""


@dataclass
class DraftTheme:
    title: str
    summary: str
    keys: list[int]  # members, most central first
    quotes: list[int] = field(default_factory=list)
    duplicates: set[int] = field(default_factory=set)
    is_other: bool = False


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
    folded word was actually written so titles can use the notes' own words."""

    def __init__(self) -> None:
        self.surfaces: dict[str, Counter] = {}

    def terms(self, text: str) -> list[str]:
        words = []
        for match in WORD.finditer(MARKER.sub(" ", text)):
            raw = match.group()
            if raw.casefold().replace("\u2019", "'") in STOP_WORDS or len(raw) < 2:
                words.append(None)
                continue
            folded = fold(raw)
            if folded in STOP_WORDS:
                words.append(None)
                continue
            self.surfaces.setdefault(folded, Counter())[raw] += 1
            words.append(folded)
        kept = [w for w in words if w]
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(words) if a and b and a != b]
        return kept + pairs

    def surface(self, term: str) -> str:
        """How the notes write ``term``: the commonest spelling, capitalised only when
        the notes always capitalise it ("English", "Polish")."""
        out = []
        for folded in term.split(" "):
            counts = self.surfaces.get(folded) or Counter({folded: 1})
            lower: Counter = Counter()
            for raw, n in counts.items():
                lower[raw.casefold()] += n
            word = min(lower.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if all(raw[:1].isupper() for raw in counts):
                word = word[:1].upper() + word[1:]
            out.append(word)
        return " ".join(out)


def normalised(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


def first_sentence(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """The text's first sentence, cut at a word boundary if it is longer than ``limit``."""
    sentence = SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:- ")
    return cut + "…"


def _choose_labels(vectors: np.ndarray) -> np.ndarray:
    """Cluster labels (1..k) for the rows of ``vectors``, k chosen by silhouette."""
    n = vectors.shape[0]
    if n < 6:
        return np.ones(n, dtype=int)
    if n > WARD_MAX_NOTES:
        return _labels_from_sample(vectors)
    tree = linkage(vectors, method="ward")
    distances = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    best_labels, best_score = np.ones(n, dtype=int), -1.0
    for k in range(2, min(15, max(2, n // 4)) + 1):
        labels = fcluster(tree, t=k, criterion="maxclust")
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(distances, labels, metric="precomputed")
        if score > best_score + 1e-9:
            best_labels, best_score = labels, score
    return best_labels


def _labels_from_sample(vectors: np.ndarray) -> np.ndarray:
    """``_choose_labels`` for many notes: cluster ``WARD_MAX_NOTES`` evenly spread ones (the
    same every time), then give each note the label of the nearest theme centre."""
    n = vectors.shape[0]
    sample = np.unique((np.arange(WARD_MAX_NOTES) * (n / WARD_MAX_NOTES)).astype(int))
    sample_labels = _choose_labels(vectors[sample])
    ids = np.unique(sample_labels)
    centres = normalize(np.vstack([vectors[sample][sample_labels == k].mean(axis=0) for k in ids]))
    return ids[np.argmax(vectors @ centres.T, axis=1)]


def _embed(matrix) -> np.ndarray:
    """LSA: a few dense dimensions in which notes using related words come together."""
    n_docs, n_terms = matrix.shape
    components = min(100, n_docs - 1, n_terms - 1)
    if components < 2:
        return normalize(matrix.toarray())
    svd = TruncatedSVD(n_components=components, random_state=0, algorithm="arpack")
    return normalize(svd.fit_transform(matrix))


def _duplicates(items: Sequence[Item], tfidf) -> dict[int, int]:
    """For each item that repeats an earlier one (same words, or cosine similarity at or
    above ``DUPLICATE_SIMILARITY``), the index of the earlier one it repeats."""
    seen: dict[str, int] = {}
    dup_of: dict[int, int] = {}
    for i, item in enumerate(items):
        key = normalised(item.text)
        if key in seen:
            dup_of[i] = seen[key]
        else:
            seen[key] = i
    if tfidf is not None and tfidf.shape[0] > 1:
        repeats = np.zeros(len(items), dtype=bool)
        repeats[list(dup_of)] = True
        for start in range(0, len(items), DUPLICATE_BLOCK):
            stop = min(len(items), start + DUPLICATE_BLOCK)
            # Each note of the block against every note up to the block's end.
            sims = (tfidf[start:stop] @ tfidf[:stop].T).toarray()
            for i in range(max(1, start), stop):
                if repeats[i] or repeats[:i].all():
                    continue
                row = sims[i - start]
                # The most similar earlier original; argmax takes the first of equals, so
                # ties go to the earliest note.
                best = int(np.argmax(np.where(repeats[:i], -np.inf, row[:i])))
                if row[best] >= DUPLICATE_SIMILARITY:
                    dup_of[i] = best
                    repeats[i] = True
    return dup_of


def _title(vocab: Vocabulary, features, tfidf, members: list[int], others: list[int]) -> str:
    """One or two of the theme's own terms: those found in most of its notes and fewest
    of the others, each grown into the phrase the notes use ("early" -> "early help",
    "family group" -> "family group conference") when that phrase is nearly as common."""
    present = tfidf > 0
    inside = np.asarray(present[members].mean(axis=0)).ravel()
    outside = np.asarray(present[others].mean(axis=0)).ravel() if others else 0.0
    score = dict(zip(features, inside - outside, strict=True))
    coverage = dict(zip(features, inside, strict=True))
    phrases = [t for t in features if " " in t]

    def grow(words: list[str]) -> list[str]:
        floor = (
            0.6 * score[" ".join(words)]
            if len(words) == 1
            else 0.6 * min(score[f"{a} {b}"] for a, b in itertools.pairwise(words))
        )
        while len(words) < 4:
            options = [p for p in phrases if score[p] >= floor and score[p] > 0]
            after = [
                p for p in options if p.split(" ")[0] == words[-1] and p.split(" ")[1] not in words
            ]
            before = [
                p for p in options if p.split(" ")[1] == words[0] and p.split(" ")[0] not in words
            ]
            best = max(after + before, key=lambda p: (score[p], p), default=None)
            if best is None:
                return words
            first, second = best.split(" ")
            words = [*words, second] if best in after else [first, *words]
        return words

    ranked = sorted(features, key=lambda t: (-score[t], t))
    chosen: list[list[str]] = []
    for term in ranked[:20]:
        if len(chosen) == 2 or score[term] <= 0:
            break
        if chosen and (coverage[term] < 0.3 or score[term] < 0.5 * score[ranked[0]]):
            break
        words = grow(term.split(" "))
        if any(set(words) & set(c) for c in chosen):
            continue
        chosen.append(words)
    if not chosen:
        return OTHER_TITLE
    title = " and ".join(vocab.surface(" ".join(words)) for words in chosen)
    return title[:1].upper() + title[1:]


def _quotes(
    items: Sequence[Item], central: list[int], vectors: np.ndarray, dups: set[int]
) -> list[int]:
    """2-5 quotes: the most central notes, not repeating each other, from different tables
    where possible, preferring notes of a readable length."""
    want = min(len(central), max(2, min(5, math.ceil(len(central) / 3))))

    def readable(i: int) -> bool:
        words = len(items[i].text.split())
        return words >= 4 and len(items[i].text) <= QUOTE_MAX_CHARS

    candidates = [i for i in central if i not in dups]
    ranked = [i for i in candidates if readable(i)] + [i for i in candidates if not readable(i)]
    chosen: list[int] = []
    for need_new_table in (True, False):
        for i in ranked:
            if len(chosen) == want:
                break
            if i in chosen:
                continue
            if need_new_table and items[i].table in {items[c].table for c in chosen}:
                continue
            if any(float(vectors[i] @ vectors[c]) >= QUOTE_SIMILARITY for c in chosen):
                continue
            chosen.append(i)
    for i in ranked:  # too few unlike notes: accept alike ones rather than fewer than two
        if len(chosen) >= min(want, 2):
            break
        if i not in chosen:
            chosen.append(i)
    return chosen


def build_draft_themes(items: Sequence[Item]) -> list[DraftTheme]:
    """Group ``items`` into themes, heaviest first, with "Other" (if any) last.

    Every item is in exactly one returned theme. Near-duplicates are clustered with the
    note they repeat, so that ten copies of one sentence do not look like a theme apart.
    """
    if not items:
        return []
    vocab = Vocabulary()
    min_df = 2 if len(items) >= 20 else 1
    vectorizer = TfidfVectorizer(analyzer=vocab.terms, sublinear_tf=True, min_df=min_df)
    try:
        tfidf = vectorizer.fit_transform([item.text for item in items])
    except ValueError:  # not one content word in the whole round
        tfidf = None
    dup_of = _duplicates(items, tfidf)
    dups = set(dup_of)
    if tfidf is None:
        return [_other(items, list(range(len(items))), dups)]

    features = vectorizer.get_feature_names_out()
    has_words = np.asarray(tfidf.sum(axis=1)).ravel() > 0
    originals = [i for i in range(len(items)) if has_words[i] and i not in dups]
    groups: list[list[int]] = []
    other = [i for i in range(len(items)) if not has_words[i] and i not in dups]
    vectors = np.zeros((len(items), 1))
    if len(originals) >= 2:
        reduced = _embed(tfidf[originals])
        vectors = np.zeros((len(items), reduced.shape[1]))
        vectors[originals] = reduced
        labels = _choose_labels(reduced)
        by_label: dict[int, list[int]] = {}
        for row, label in enumerate(labels):
            by_label.setdefault(int(label), []).append(originals[row])
        groups = list(by_label.values())
    else:
        other.extend(originals)
    for i, j in sorted(dup_of.items()):  # a duplicate joins what it repeats
        while j in dup_of:
            j = dup_of[j]
        vectors[i] = vectors[j]
        target = next((g for g in groups if j in g), other)
        target.append(i)

    themes: list[DraftTheme] = []
    for members in groups:
        if len(members) < 2:
            other.extend(members)
            continue
        centroid = normalize(vectors[members].mean(axis=0, keepdims=True))[0]
        closeness = vectors[members] @ centroid
        central = [members[r] for r in sorted(range(len(members)), key=lambda r: -closeness[r])]
        member_set = set(members)
        outside = [i for i in range(len(items)) if has_words[i] and i not in member_set]
        summary_source = next(i for i in central if i not in dups)
        themes.append(
            DraftTheme(
                title=_title(vocab, features, tfidf, members, outside),
                summary=first_sentence(items[summary_source].text),
                keys=[items[i].key for i in central],
                quotes=[items[i].key for i in _quotes(items, central, vectors, dups)],
                duplicates={items[i].key for i in members if i in dups},
            )
        )

    tables = {item.key: item.table for item in items}

    def weight(theme: DraftTheme) -> tuple:
        distinct = len(theme.keys) - len(theme.duplicates)
        return (-distinct, -len({tables[k] for k in theme.keys}), theme.title, theme.keys[0])

    themes.sort(key=weight)
    if other:
        themes.append(_other(items, sorted(other), dups))
    return themes


def _other(items: Sequence[Item], indexes: list[int], dups: set[int]) -> DraftTheme:
    return DraftTheme(
        title=OTHER_TITLE,
        summary=OTHER_SUMMARY,
        keys=[items[i].key for i in indexes],
        duplicates={items[i].key for i in indexes if i in dups},
        is_other=True,
    )
