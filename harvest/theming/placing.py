"""Placing a round's notes near each other: ``Space`` (their vectors, by sentence
embeddings or by LSA of TF-IDF, with the round's common ground taken away), Ward
clustering cut at the number of themes a harvester would make (``theme_count``), no theme
holding more than ``LARGEST_SHARE`` of the round, and the near-duplicates that go with the
note they repeat. Huge rounds are embedded and clustered from an even sample."""

import math
from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.linalg import eigh
from scipy.sparse import csr_matrix
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from harvest import embeddings
from harvest.theming.drafts import Item
from harvest.theming.vocabulary import normalised
from harvest.wording import expand_shorthand

DUPLICATE_SIMILARITY = 0.85
MAX_THEMES = 20
LARGEST_SHARE = 0.4  # no theme holds more of a round than this (rounds over six notes)
SPLIT_ABOVE = 2.0  # nor more than this many times the round's average theme
# Past this many notes in a round, an even sample is embedded and clustered, and every other
# note joins the theme of the sampled notes whose words it shares most (docs/harvest.md).
EMBED_MAX_NOTES = 700
# Ward clustering needs memory in the square of the notes (lexical method, huge rounds).
WARD_MAX_NOTES = 3000
DUPLICATE_BLOCK = 1024  # near-duplicates are looked for this many notes at a time
# LSA is exact (an eigendecomposition) while the smaller side of the TF-IDF matrix is at most
# this (every real round); past it, a seeded randomized SVD (an eigendecomposition of a
# 3,000-square matrix takes seconds).
EXACT_LSA_MAX = 2000


def theme_count(n: int) -> int:
    """How many themes a harvester would draft from ``n`` distinct notes: about 1.25·√n,
    10 for 70 (human harvests: 11 of 67 notes, 11 of 92, 7 of 42; 1.1·√n agreed less with
    them, by ARI, on samples of our rounds). Halves round up, the same on every Python."""
    if n <= 3:
        return 1
    return max(2, min(MAX_THEMES, math.floor(1.25 * math.sqrt(n) + 0.5), n // 2))


def _lsa(tfidf: csr_matrix) -> np.ndarray:
    """The notes in their first (at most 100) latent dimensions: the truncated SVD of the
    TF-IDF matrix, exact from the eigenvectors of its smaller Gram matrix (huge rounds: a
    randomized SVD with a fixed seed and number of iterations).

    Bit-for-bit the same on every call: ARPACK (``TruncatedSVD``'s former solver) differed
    by ~1e-14 between calls on the same notes, enough to flip near-tied titles."""
    n_docs, n_terms = tfidf.shape
    components = min(100, n_docs - 1, n_terms - 1)
    if components < 2:
        return normalize(tfidf.toarray())
    if min(n_docs, n_terms) > EXACT_LSA_MAX:
        svd = TruncatedSVD(components, algorithm="randomized", n_iter=5, random_state=0)
        return normalize(svd.fit_transform(tfidf))
    if n_docs <= n_terms:  # X = U S V': the notes' coordinates U S from X X' = U S² U'
        gram = (tfidf @ tfidf.T).toarray()
        values, vectors = eigh(gram, subset_by_index=[n_docs - components, n_docs - 1])
        lsa = vectors * np.sqrt(np.clip(values, 0.0, None))
    else:  # X V from X' X = V S² V'
        gram = (tfidf.T @ tfidf).toarray()
        _, vectors = eigh(gram, subset_by_index=[n_terms - components, n_terms - 1])
        lsa = tfidf @ vectors
    return normalize(np.asarray(lsa)[:, ::-1])


def centred(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    return normalize(vectors - mean)


class Space:
    """Where a round's notes (and any phrase of theirs) lie: unit vectors in which the
    round's common ground is taken away."""

    def __init__(self, method: str, texts: list[str], tfidf: csr_matrix) -> None:
        self.method = method
        self._seen: dict[str, np.ndarray] = {}  # text as embedded -> its vector
        raw = self._embed_round(texts, tfidf) if method == "minilm" else _lsa(tfidf)
        self.mean = raw.mean(axis=0)
        self.vectors = centred(raw, self.mean)

    def _embed_round(self, texts: list[str], tfidf: csr_matrix) -> np.ndarray:
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

    def phrases(self, texts: list[str]) -> np.ndarray | None:
        """Vectors for phrases (titles, sentences) in the same space as the notes."""
        if not texts:
            return np.zeros((0, self.vectors.shape[1]))
        if self.method == "minilm":
            return centred(self._encode(texts), self.mean)
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


def cluster(vectors: np.ndarray, rows: list[int]) -> list[list[int]]:
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


def within_share(groups: list[list[int]], vectors: np.ndarray, n: int) -> list[list[int]]:
    """Split, in two by Ward, any theme of a round of more than six notes holding more than
    ``LARGEST_SHARE`` of it, or more than ``SPLIT_ABOVE`` times the average theme of the
    draft as it came (its near-duplicates and replies counted; the bar is set once, before
    any split): a theme that large holds more than one idea, and a harvester would name
    both. Largest first, until none is over the bar."""
    groups = [g for g in groups if g]
    limit = min(LARGEST_SHARE * n, SPLIT_ABOVE * n / max(1, len(groups)))
    while n > 6:
        largest = max(groups, key=len)
        if len(largest) <= limit or len(largest) < 4:
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


def near_duplicates(items: Sequence[Item], tfidf: csr_matrix | None) -> dict[int, int]:
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
