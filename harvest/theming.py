"""Automatic theming: a careful first draft of a thematic analysis of one round.

Pure functions over already-redacted texts; no database. Two ways to place notes near each
other, the first the default wherever its model is installed (``default_method``):

- ``minilm``: sentence embeddings of all-MiniLM-L6-v2 (``harvest.embeddings``), run on the
  notes with the domain's shorthand spelled out ("SW" -> "social worker"), and centred on
  the round (what every note of the round shares — "social care" — is taken away, so the
  differences between notes decide);
- ``lexical``: TF-IDF of folded words and two-word phrases reduced by LSA (no model).

Then, the same for both:

1. near-duplicates (same words, or TF-IDF cosine >= 0.85) are marked and go with the note
   they repeat; notes with no content word ("+1", "Yes") go with the note written just
   before them at their table (a reply to it);
2. Ward clustering cut at the number of themes a harvester would make: about 1.1·√n
   (9 for 70 notes, 4 for 12), at most ``MAX_THEMES``, more when one theme would hold over
   40 % of the round; a theme of one note joins the nearest theme (no catch-all "Other");
3. each theme is drafted in its notes' own words: a title phrase of 3-8 words chosen
   KeyBERT-style (the clause of its notes closest in meaning to the theme and farthest
   from the round's other themes; never two equal titles in a round), a summary of 1-3
   sentences of its most representative notes (different notes, not alike), and 2-5
   quotes from other notes, from different tables first, never mostly redaction markers.

Deterministic: no randomness is left unseeded and every tie is broken by input order (the
notes' ids), so the same notes give the same themes, titles, summaries and quotes.
"""

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from harvest import embeddings
from harvest.wording import (
    MARKER,
    WORD,
    as_sentence,
    candidate_phrases,
    expand_shorthand,
    first_sentence,
    marker_share,
    shorten,
    split_sentences,
    title_case,
    words,
)

__all__ = ["DraftTheme", "Item", "build_draft_themes", "default_method", "first_sentence"]

METHODS = ("minilm", "lexical")
OTHER_TITLE = "Not yet themed"
OTHER_SUMMARY = "Notes added after the themes were drafted; move them where they belong."
REPLIES_TITLE = "Short replies and reactions"
DUPLICATE_SIMILARITY = 0.85
QUOTE_SIMILARITY = 0.8  # two quotes more alike than this (in the round's terms) say the same
QUOTE_MAX_CHARS = 400
MAX_THEMES = 20
LARGEST_SHARE = 0.4  # no theme holds more of a round than this (rounds over six notes)
MAX_MARKER_SHARE = 0.25  # a quote or summary sentence more redaction than this is not used
# Past this many notes in a round, an even sample is embedded and clustered, and every other
# note joins the theme of the sampled notes whose words it shares most (docs/harvest.md).
EMBED_MAX_NOTES = 700
# Ward clustering needs memory in the square of the notes (lexical method, huge rounds).
WARD_MAX_NOTES = 3000
DUPLICATE_BLOCK = 1024  # near-duplicates are looked for this many notes at a time
SUMMARY_POOL = 12  # the most central notes a title is drafted from
SUMMARY_SENTENCE_POOL = 8  # ... and a summary's sentences
CODES, CODE_MIN = 2, 0.1  # codebook codes named per theme, and how close they must be

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
    summary_keys: list[int] = field(default_factory=list)  # the notes the summary quotes


def default_method() -> str:
    return "minilm" if embeddings.available() else "lexical"


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


def _has_substance(text: str) -> bool:
    """False for a reply such as "Yes", "+1" or "Agree": nothing but agreement."""
    return any(w.casefold() not in REPLY_WORDS for w in WORD.findall(MARKER.sub(" ", text)))


def normalised(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


# --- placing notes: vectors and clusters -----------------------------------------------


def theme_count(n: int) -> int:
    """How many themes a harvester would draft from ``n`` distinct notes."""
    if n <= 3:
        return 1
    return max(2, min(MAX_THEMES, round(1.1 * math.sqrt(n)), n // 2))


def _lsa(tfidf) -> np.ndarray:
    n_docs, n_terms = tfidf.shape
    components = min(100, n_docs - 1, n_terms - 1)
    if components < 2:
        return normalize(tfidf.toarray())
    svd = TruncatedSVD(n_components=components, random_state=0, algorithm="arpack")
    return normalize(svd.fit_transform(tfidf))


def _centred(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    return normalize(vectors - mean)


class Space:
    """Where a round's notes (and any phrase of theirs) lie: unit vectors in which the
    round's common ground is taken away."""

    def __init__(self, method: str, texts: list[str], tfidf) -> None:
        self.method = method
        self._seen: dict[str, np.ndarray] = {}  # text as embedded -> its vector
        raw = self._embed_round(texts, tfidf) if method == "minilm" else _lsa(tfidf)
        self.mean = raw.mean(axis=0)
        self.vectors = _centred(raw, self.mean)

    def _embed_round(self, texts: list[str], tfidf) -> np.ndarray:
        n = len(texts)
        if n <= EMBED_MAX_NOTES:
            return self._encode(texts)
        # An even sample is embedded; every other note borrows the embedding of the three
        # sampled notes whose words it shares most (weighted by how much they share).
        sample = np.unique((np.arange(EMBED_MAX_NOTES) * (n / EMBED_MAX_NOTES)).astype(int))
        embedded = self._encode([texts[i] for i in sample])
        raw = np.zeros((n, embedded.shape[1]), dtype=np.float32)
        raw[sample] = embedded
        rest = np.setdiff1d(np.arange(n), sample)
        fallback = embedded.mean(axis=0)
        for start in range(0, len(rest), DUPLICATE_BLOCK):
            block = rest[start : start + DUPLICATE_BLOCK]
            sims = (tfidf[block] @ tfidf[sample].T).toarray()
            top = np.argsort(-sims, axis=1, kind="stable")[:, :3]
            for row, i in enumerate(block):
                weights = sims[row, top[row]]
                if weights.sum() <= 0:
                    raw[i] = fallback
                else:
                    raw[i] = weights @ embedded[top[row]] / weights.sum()
        return normalize(raw)

    def phrases(self, texts: list[str]) -> np.ndarray:
        """Vectors for phrases (titles, sentences) in the same space as the notes."""
        if not texts:
            return np.zeros((0, self.vectors.shape[1]))
        if self.method == "minilm":
            return _centred(self._encode(texts), self.mean)
        return None  # the lexical method scores phrases by their words instead

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` (shorthand spelled out), each text embedded once per
        round: a summary sentence that is a whole note reuses the note's vector."""
        keys = [expand_shorthand(t) for t in texts]
        new = list(dict.fromkeys(k for k in keys if k not in self._seen))
        for key, vector in zip(new, embeddings.encode(new), strict=True):
            self._seen[key] = vector
        return np.vstack([self._seen[k] for k in keys])


def _ward_labels(vectors: np.ndarray, k: int) -> np.ndarray:
    n = vectors.shape[0]
    if k <= 1 or n < 2:
        return np.ones(n, dtype=int)
    if n > WARD_MAX_NOTES:
        sample = np.unique((np.arange(WARD_MAX_NOTES) * (n / WARD_MAX_NOTES)).astype(int))
        sample_labels = _ward_labels(vectors[sample], k)
        ids = np.unique(sample_labels)
        centres = normalize(
            np.vstack([vectors[sample][sample_labels == i].mean(axis=0) for i in ids])
        )
        return ids[np.argmax(vectors @ centres.T, axis=1)]
    tree = linkage(vectors, method="ward")
    labels = fcluster(tree, t=k, criterion="maxclust")
    # No theme holds more than LARGEST_SHARE of a round: cut the tree finer until none does.
    while n > 6 and np.bincount(labels).max() > LARGEST_SHARE * n and k < n // 2:
        k += 1
        labels = fcluster(tree, t=k, criterion="maxclust")
    return labels


def _groups(vectors: np.ndarray, rows: list[int]) -> list[list[int]]:
    """Clusters of ``rows`` (indexes into ``vectors``), a theme of one joining the nearest."""
    labels = _ward_labels(vectors[rows], theme_count(len(rows)))
    by_label: dict[int, list[int]] = {}
    for row, label in zip(rows, labels, strict=True):
        by_label.setdefault(int(label), []).append(row)
    groups = list(by_label.values())
    if len(groups) < 2:
        return groups
    alone = [g for g in groups if len(g) == 1]
    kept = [g for g in groups if len(g) > 1]
    if not kept:
        return [sorted(rows)]
    centres = normalize(np.vstack([vectors[g].mean(axis=0) for g in kept]))
    for (i,) in alone:
        kept[int(np.argmax(centres @ vectors[i]))].append(i)
    return [sorted(g) for g in kept]


def _within_share(groups: list[list[int]], vectors: np.ndarray, n: int) -> list[list[int]]:
    """Split any theme holding more than ``LARGEST_SHARE`` of a round (its near-duplicates
    and replies counted) in two by Ward, until none does."""
    groups = [g for g in groups if g]
    while n > 6:
        largest = max(groups, key=len)
        if len(largest) <= LARGEST_SHARE * n:
            break
        labels = fcluster(linkage(vectors[largest], method="ward"), t=2, criterion="maxclust")
        halves = [
            [i for i, label in zip(largest, labels, strict=True) if label == k] for k in (1, 2)
        ]
        if not all(halves):
            halves = [largest[: len(largest) // 2], largest[len(largest) // 2 :]]
        groups.remove(largest)
        groups.extend(halves)
    return groups


# --- near-duplicates ---------------------------------------------------------------------


def _duplicates(items: Sequence[Item], tfidf) -> dict[int, int]:
    """For each item that repeats an earlier one (same words, or cosine similarity at or
    above ``DUPLICATE_SIMILARITY``), the index of the earlier one it repeats."""
    seen: dict[str, int] = {}
    dup_of: dict[int, int] = {}
    for i, item in enumerate(items):
        key = normalised(item.text)
        if not key:
            continue
        if key in seen:
            dup_of[i] = seen[key]
        else:
            seen[key] = i
    if tfidf is not None and tfidf.shape[0] > 1:
        repeats = np.zeros(len(items), dtype=bool)
        repeats[list(dup_of)] = True
        for start in range(0, len(items), DUPLICATE_BLOCK):
            stop = min(len(items), start + DUPLICATE_BLOCK)
            sims = (tfidf[start:stop] @ tfidf[:stop].T).toarray()
            for i in range(max(1, start), stop):
                if repeats[i] or repeats[:i].all():
                    continue
                row = sims[i - start]
                best = int(np.argmax(np.where(repeats[:i], -np.inf, row[:i])))
                if row[best] >= DUPLICATE_SIMILARITY:
                    dup_of[i] = best
                    repeats[i] = True
    return dup_of


# --- drafting a theme in its notes' words ---------------------------------------------


@dataclass
class _Draft:
    members: list[int]  # indexes into items, most central first
    centre: np.ndarray
    duplicates: set[int]
    summary_rows: list[int] = field(default_factory=list)
    summary: str = ""
    quotes: list[int] = field(default_factory=list)
    title: str = ""


def _usable(text: str) -> bool:
    return len(text.split()) >= 3 and marker_share(text) <= MAX_MARKER_SHARE


def _summary_sentences(theme: _Draft) -> int:
    """1 sentence for a theme of up to three notes, 2 up to eight, then 3: always leaving
    notes enough for two quotes."""
    n = len(theme.members) - len(theme.duplicates)
    return 1 if n <= 3 else 2 if n <= 8 else 3


def _draft_summaries(items, themes: list[_Draft], space: Space) -> None:
    """1-3 sentences per theme from its most representative notes: the sentence closest
    in meaning to the theme first, then the next closest that says something else."""
    candidates: list[tuple[int, int, str]] = []  # (theme, row, sentence)
    for t, theme in enumerate(themes):
        pool = [i for i in theme.members if i not in theme.duplicates][:SUMMARY_SENTENCE_POOL]
        for i in pool:
            for sentence in split_sentences(items[i].text)[:3]:
                if _usable(sentence):
                    candidates.append((t, i, sentence))
    vectors = space.phrases([s for _, _, s in candidates])
    for t, theme in enumerate(themes):
        mine = [(c, row, s) for c, (tt, row, s) in enumerate(candidates) if tt == t]
        if not mine:  # only very short notes: the most central one, as it is
            row = next((i for i in theme.members if i not in theme.duplicates), theme.members[0])
            theme.summary_rows = [row]
            theme.summary = as_sentence(shorten(items[row].text))
            continue
        if vectors is None:
            central = {row: r for r, row in enumerate(theme.members)}
            scores = [-central[row] for _, row, _ in mine]
        else:
            scores = [float(vectors[c] @ theme.centre) for c, _, _ in mine]
        chosen: list[int] = []
        for _ in range(_summary_sentences(theme)):
            best, best_score = None, -np.inf
            for m, (c, row, _) in enumerate(mine):
                if m in chosen or row in {mine[x][1] for x in chosen}:
                    continue
                score = scores[m]
                if chosen and vectors is not None:
                    score -= 0.7 * max(float(vectors[c] @ vectors[mine[x][0]]) for x in chosen)
                if score > best_score + 1e-9:
                    best, best_score = m, score
            if best is None:
                break
            chosen.append(best)
        theme.summary_rows = [mine[m][1] for m in chosen]
        theme.summary = " ".join(as_sentence(shorten(mine[m][2])) for m in chosen)


def _key_terms(
    tfidf, features, drafts: list["_Draft"], vocab: Vocabulary, space: "Space"
) -> list[list[str]]:
    """Up to three terms per theme: words its notes use and the round's other notes do
    not (class-based TF-IDF, as BERTopic labels topics), the closest in meaning to the
    theme first (KeyBERT), in the notes' own spelling; a two-word phrase ("duty line") is
    preferred to its words alone."""
    present = (tfidf > 0).tocsr()
    total = np.asarray(present.sum(axis=0)).ravel()
    shortlist: list[list[tuple[str, float]]] = []
    for draft in drafts:
        rows = [i for i in draft.members if i not in draft.duplicates]
        inside = np.asarray(present[rows].sum(axis=0)).ravel()
        need = 2 if len(rows) > 3 else 1
        share = inside / max(1, len(rows))
        outside = (total - inside) / max(1, present.shape[0] - len(rows))
        score = share * (share - outside)
        ranked = [
            j
            for j in np.argsort(-score, kind="stable")[:40]
            if inside[j] >= need and score[j] > 0 and not set(str(features[j]).split()) & GENERIC
        ][:12]
        top = max((score[j] for j in ranked), default=1.0)
        shortlist.append([(str(features[j]), float(score[j] / top)) for j in ranked])
    flat = [term for terms in shortlist for term, _ in terms]
    vectors = space.phrases([vocab.surface(t) for t in flat])
    out, c = [], 0
    for draft, terms in zip(drafts, shortlist, strict=True):
        scored = []
        for term, weight in terms:
            meaning = float(vectors[c] @ draft.centre) if vectors is not None else 0.0
            scored.append((meaning + 0.5 * weight, term))
            c += 1
        scored.sort(key=lambda s: (-s[0], s[1]))
        chosen: list[str] = []
        for _, term in scored:
            if len(chosen) == 3:
                break
            overlap = [x for x in chosen if set(term.split()) & set(x.split())]
            if overlap:
                if " " in term and all(" " not in x for x in overlap):
                    chosen = [
                        term if x == overlap[0] else x for x in chosen if x not in overlap[1:]
                    ]
                continue
            chosen.append(term)
        out.append([vocab.surface(term) for term in chosen])
    return out


@cache
def codebook() -> tuple[str, ...]:
    """The codes of ``harvest/data/codebook.txt``: ideas that recur when people talk about
    public services ("being heard", "staff turnover", "allowances")."""
    lines = (Path(__file__).parent / "data" / "codebook.txt").read_text().splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def _codebook_vectors() -> np.ndarray:
    return embeddings.encode(list(codebook()))


def _codes(drafts: list["_Draft"], space: "Space") -> list[list[str]]:
    """Up to ``CODES`` codes of the codebook per theme (deductive coding beside the notes'
    own words): those closest in meaning to the theme and farther from the round's other
    themes, when close enough to say something (``CODE_MIN``). Only with embeddings."""
    if space.method != "minilm" or len(drafts) < 2:
        return [[] for _ in drafts]
    vectors = _centred(_codebook_vectors(), space.mean)
    centres = np.vstack([d.centre for d in drafts])
    similarity = vectors @ centres.T  # codes x themes
    out = []
    for t in range(len(drafts)):
        others = np.delete(similarity, t, axis=1).max(axis=1)
        score = similarity[:, t] - 0.5 * others
        best = [int(i) for i in np.argsort(-score, kind="stable")[:CODES] if score[i] >= CODE_MIN]
        out.append([codebook()[i] for i in best])
    return out


def _with_terms(summary: str, codes: list[str], terms: list[str]) -> str:
    """The summary led by what the theme is about: its codes, then its notes' own words."""
    coded = {fold(word) for code in codes for word in code.split()}
    uncoded = [t for t in terms if not {fold(word) for word in t.split()} & coded]
    named = list(dict.fromkeys([*codes, *uncoded]))[:4]
    if not named:
        return summary
    joined = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"About {joined}. {summary}"


def _draft_quotes(items, theme: _Draft, vectors: np.ndarray) -> None:
    """2-5 quotes: central notes other than the summary's, not repeating each other, from
    different tables where possible, of readable length, never mostly redaction."""
    pool = [i for i in theme.members if i not in theme.duplicates]
    want = min(5, max(2, math.ceil(len(pool) / 3)))
    candidates = [i for i in pool if i not in theme.summary_rows and _usable(items[i].text)]
    readable = [i for i in candidates if len(items[i].text) <= QUOTE_MAX_CHARS]
    ranked = readable + [i for i in candidates if i not in readable]
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
    for i in ranked:  # too few unlike notes: alike ones rather than fewer than two quotes
        if len(chosen) >= min(want, 2):
            break
        if i not in chosen:
            chosen.append(i)
    theme.quotes = chosen


def _phrase_terms(vocab: Vocabulary, phrase: str) -> set[str]:
    return {t for t in vocab.terms(phrase) if " " not in t}


def _draft_titles(items, themes: list[_Draft], space: Space, vocab: Vocabulary) -> None:
    """A title per theme from its notes' own clauses (3-8 words), KeyBERT-style: close in
    meaning to the theme, far from the round's other themes, shared by several of its
    notes; no two themes of a round get the same title."""
    candidates: list[tuple[int, int, str]] = []
    cut: set[int] = set()  # candidates that are the first words of a longer clause
    for t, theme in enumerate(themes):
        seen: set[str] = set()
        for i in theme.members[:SUMMARY_POOL]:
            for phrase, whole in candidate_phrases(items[i].text):
                key = normalised(phrase)
                if key not in seen:
                    seen.add(key)
                    if not whole:
                        cut.add(len(candidates))
                    candidates.append((t, i, phrase))
    vectors = space.phrases([p for _, _, p in candidates])
    centres = np.vstack([theme.centre for theme in themes])
    member_terms = [
        [_phrase_terms(vocab, items[i].text) for i in theme.members[:SUMMARY_POOL]]
        for theme in themes
    ]
    scored: list[list[tuple[float, int, str]]] = [[] for _ in themes]
    for c, (t, row, phrase) in enumerate(candidates):
        terms = _phrase_terms(vocab, phrase)
        shared = sum(1 for m in member_terms[t] if terms & m) / len(member_terms[t]) if terms else 0
        length = len(phrase.split())
        if vectors is not None:
            own = float(vectors[c] @ themes[t].centre)
            others = np.delete(centres @ vectors[c], t)
            score = own - 0.5 * (float(others.max()) if others.size else 0.0) + 0.15 * shared
        else:
            outside = [
                sum(1 for m in member_terms[o] if terms & m) / len(member_terms[o])
                for o in range(len(themes))
                if o != t and member_terms[o]
            ]
            score = shared - 0.5 * (max(outside) if outside else 0.0)
        score += 0.02 if 4 <= length <= 6 else 0.0
        score -= 0.25 if c in cut else 0.0  # a clause cut short reads as cut short
        scored[t].append((score, row, phrase))
    used: set[str] = set()
    order = sorted(range(len(themes)), key=lambda t: (-len(themes[t].members), t))
    for t in order:
        ranked = sorted(scored[t], key=lambda s: (-s[0], themes[t].members.index(s[1]), s[2]))
        title = next(
            (p for _, _, p in ranked if normalised(p) not in used),
            None,
        )
        if title is None:
            title = _title_from_short_notes(items, themes[t], used)
        used.add(normalised(title))
        themes[t].title = title_case(title)


def _title_from_short_notes(items, theme: _Draft, used: set[str]) -> str:
    """Titles for themes of very short notes ("trust", "no support after"): the notes'
    own words joined, "Trust and no support after"."""
    parts: list[str] = []
    for i in theme.members:
        text = " ".join(words(items[i].text)[:4])
        if text and normalised(text) not in {normalised(p) for p in parts}:
            parts.append(text)
        if sum(len(p.split()) for p in parts) >= 3 or len(parts) == 3:
            break
    title = " and ".join(parts) if parts else REPLIES_TITLE
    if len(title.split()) < 2:
        title = f"{title} (short notes)" if title else REPLIES_TITLE
    base, n = title, 2
    while normalised(title) in used:
        title = f"{base} ({n})"
        n += 1
    return title


# --- the whole round ---------------------------------------------------------------------


def build_draft_themes(items: Sequence[Item], *, method: str | None = None) -> list[DraftTheme]:
    """Group ``items`` into themes, heaviest first; every item in exactly one theme.

    Near-duplicates are themed with the note they repeat, so that ten copies of one
    sentence do not look like a theme apart.
    """
    if not items:
        return []
    method = method or default_method()
    if method not in METHODS:
        raise ValueError(f"Unknown theming method {method!r}: use one of {METHODS}.")
    vocab = Vocabulary()
    min_df = 2 if len(items) >= 20 else 1
    vectorizer = TfidfVectorizer(analyzer=vocab.terms, sublinear_tf=True, min_df=min_df)
    try:
        tfidf = vectorizer.fit_transform([item.text for item in items])
    except ValueError:  # not one content word in the whole round
        tfidf = None
    dup_of = _duplicates(items, tfidf)
    dups = set(dup_of)
    has_words = np.array([_has_substance(item.text) for item in items], dtype=bool)
    if tfidf is not None:
        has_words &= np.asarray(tfidf.sum(axis=1)).ravel() > 0
    originals = [i for i in range(len(items)) if has_words[i] and i not in dups]
    if len(originals) < 2:
        return [_one_theme(items, dups)]

    space = Space(method, [items[i].text for i in originals], tfidf[originals])
    vectors = np.zeros((len(items), space.vectors.shape[1]))
    vectors[originals] = space.vectors
    groups = _groups(vectors, originals)
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    for i, j in sorted(dup_of.items()):  # a duplicate joins what it repeats
        while j in dup_of:
            j = dup_of[j]
        if j in group_of:
            vectors[i] = vectors[j]
            group_of[i] = group_of[j]
    for i in range(len(items)):  # a reply ("+1", "Yes") joins what was written before it
        if i in group_of:
            continue
        earlier = [j for j in range(i - 1, -1, -1) if j in group_of]
        same_table = [j for j in earlier if items[j].table == items[i].table]
        target = (same_table or earlier or [min(group_of, default=0)])[0]
        group_of[i] = group_of.get(target, 0)
        vectors[i] = vectors[target] if target < len(items) else 0.0

    members_of = _within_share(
        [[i for i in range(len(items)) if group_of[i] == g] for g in range(len(groups))],
        vectors,
        len(items),
    )
    drafts = []
    for members in members_of:
        centre = normalize(vectors[members].mean(axis=0, keepdims=True))[0]
        closeness = vectors[members] @ centre
        central = [members[r] for r in sorted(range(len(members)), key=lambda r: -closeness[r])]
        drafts.append(_Draft(central, centre, {i for i in members if i in dups}))
    _draft_summaries(items, drafts, space)
    for draft in drafts:
        _draft_quotes(items, draft, vectors)
    _draft_titles(items, drafts, space, vocab)
    features = vectorizer.get_feature_names_out()
    terms = _key_terms(tfidf, features, drafts, vocab, space)
    for draft, codes, own in zip(drafts, _codes(drafts, space), terms, strict=True):
        draft.summary = _with_terms(draft.summary, codes, own[:2])

    def weight(draft: _Draft) -> tuple:
        distinct = len(draft.members) - len(draft.duplicates)
        tables = len({items[i].table for i in draft.members})
        return (-distinct, -tables, min(items[i].key for i in draft.members))

    drafts.sort(key=weight)
    return [
        DraftTheme(
            title=d.title,
            summary=d.summary,
            keys=[items[i].key for i in d.members],
            quotes=[items[i].key for i in d.quotes],
            duplicates={items[i].key for i in d.duplicates},
            summary_keys=[items[i].key for i in d.summary_rows],
        )
        for d in drafts
    ]


def _one_theme(items: Sequence[Item], dups: set[int]) -> DraftTheme:
    """A round with fewer than two notes of substance: one theme holding everything."""
    rows = list(range(len(items)))
    usable = [i for i in rows if _usable(items[i].text)]
    lead = (usable or rows)[0]
    phrases = candidate_phrases(items[lead].text)
    title = phrases[0][0] if phrases else ""
    if len(title.split()) < 2:
        short = [" ".join(words(items[i].text)[:4]) for i in rows]
        short = [s for s in dict.fromkeys(short) if s][:3]
        title = " and ".join(short) if len(" ".join(short).split()) >= 2 else REPLIES_TITLE
    return DraftTheme(
        title=title_case(title),
        summary=as_sentence(first_sentence(items[lead].text)),
        keys=[items[i].key for i in rows],
        quotes=[items[i].key for i in usable[1:3]],
        duplicates={items[i].key for i in rows if i in dups},
        summary_keys=[items[lead].key],
    )
