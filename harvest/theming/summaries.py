"""What a drafted theme says besides its title: a summary of 1-3 sentences from its most
representative notes, led by what it is about (codes of ``harvest/data/codebook.txt`` and
key terms of its notes), and 2-5 quotes from its other notes."""

import math
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from harvest import embeddings
from harvest.theming.drafts import Draft, Item, quotable
from harvest.theming.placing import Space, centred
from harvest.theming.vocabulary import GENERIC, Vocabulary, fold, normalised
from harvest.wording import as_sentence, shorten, split_sentences

QUOTE_SIMILARITY = 0.8  # two quotes more alike than this (in the round's terms) say the same
QUOTE_MAX_CHARS = 400
SUMMARY_SENTENCE_POOL = 8  # the most central notes a summary's sentences are drawn from
CODES, CODE_MIN = 2, 0.1  # codebook codes named per theme, and how close they must be
CUED_NOTES, CUED_SHARE = 2, 0.2  # a theme's notes holding a code's indicators, to name it
CODEBOOK = Path(__file__).resolve().parent.parent / "data" / "codebook.txt"


def _summary_sentences(theme: Draft) -> int:
    """1 sentence for a theme of up to three notes, 2 up to eight, then 3: always leaving
    notes enough for two quotes."""
    n = len(theme.members) - len(theme.duplicates)
    return 1 if n <= 3 else 2 if n <= 8 else 3


def _repeats_title(sentence: str, title: str) -> bool:
    """Whether ``sentence`` holds the theme's title: the summary beneath a title says
    something the title has not said already."""
    return bool(title) and f" {normalised(title)} " in f" {normalised(sentence)} "


def draft_summaries(items: Sequence[Item], themes: list[Draft], space: Space) -> None:
    """1-3 sentences per theme from its most representative notes: the sentence closest
    in meaning to the theme first, then the next closest that says something else; never
    the sentence its title was drawn from (unless there is no other), so that the title
    and the summary beneath it name different parts of the theme."""
    candidates: list[tuple[int, int, str]] = []  # (theme, row, sentence)
    for t, theme in enumerate(themes):
        pool = [i for i in theme.members if i not in theme.duplicates][:SUMMARY_SENTENCE_POOL]
        mine = [
            (t, i, sentence)
            for i in pool
            for sentence in split_sentences(items[i].text)[:3]
            if quotable(sentence)
        ]
        fresh = [c for c in mine if not _repeats_title(c[2], theme.title)]
        candidates.extend(fresh or mine)
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


def _names_a_thing(term: str) -> bool:
    """Whether a term can say what a theme is about: not a generic word ("people", "thing"),
    nor one word that is a verb in the past ("decided", "moved": "About being judged and
    decided" reads as a slip; "duty line", "allowance" name something)."""
    words = term.split()
    if set(words) & GENERIC:
        return False
    return len(words) > 1 or not (len(term) >= 5 and term.endswith("ed"))


def key_terms(
    tfidf: csr_matrix,
    features: np.ndarray,
    drafts: list[Draft],
    vocab: Vocabulary,
    space: Space,
    *,
    min_notes: int = 1,
) -> list[list[str]]:
    """Up to three terms per theme: words its notes use and the round's other notes do
    not (class-based TF-IDF, as BERTopic labels topics), used by at least ``min_notes``
    notes of the round and by two of the theme's (a word of one comment, "crying
    listening", says nothing of a theme of three), the closest in meaning to the theme
    first (KeyBERT), in the notes' own spelling; a two-word phrase ("duty line") is
    preferred to its words alone."""
    present = (tfidf > 0).tocsr()
    total = np.asarray(present.sum(axis=0)).ravel()
    shortlist: list[list[tuple[str, float]]] = []
    for draft in drafts:
        rows = [i for i in draft.members if i not in draft.duplicates]
        inside = np.asarray(present[rows].sum(axis=0)).ravel()
        need = 2 if len(rows) > 1 else 1
        share = inside / max(1, len(rows))
        outside = (total - inside) / max(1, present.shape[0] - len(rows))
        score = np.where(total >= min_notes, share * (share - outside), -np.inf)
        ranked = [
            j
            for j in np.argsort(-score, kind="stable")[:40]
            if inside[j] >= need and score[j] > 0 and _names_a_thing(str(features[j]))
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
def _codebook_lines() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(code, indicators)`` for each line of ``harvest/data/codebook.txt``."""
    out = []
    for line in CODEBOOK.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _, cues = line.partition(":")
        out.append((code.strip(), tuple(c.strip() for c in cues.split("|") if c.strip())))
    return tuple(out)


@cache
def codebook() -> tuple[str, ...]:
    """The codes of ``harvest/data/codebook.txt``: ideas that recur when people talk about
    public services ("being heard", "staff turnover", "allowances")."""
    return tuple(code for code, _ in _codebook_lines())


@cache
def _indicators() -> dict[str, re.Pattern[str]]:
    """Per code with indicators, one pattern finding any of them at the start of a word."""
    return {
        code: re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(c.casefold()) for c in cues) + ")")
        for code, cues in _codebook_lines()
        if cues
    }


@cache
def _codebook_vectors() -> np.ndarray:
    return embeddings.encode(list(codebook()))


def _cued_codes(theme: Draft, texts: Sequence[str]) -> list[str]:
    """Codes whose indicators at least ``CUED_NOTES`` of the theme's notes and ``CUED_SHARE``
    of them hold (one note's words say nothing of a theme), the most notes first, then in
    the codebook's order."""
    rows = [i for i in theme.members if i not in theme.duplicates]
    counted = []
    for order, (code, pattern) in enumerate(_indicators().items()):
        n = sum(1 for i in rows if pattern.search(texts[i].casefold().replace("\u2019", "'")))
        if n >= CUED_NOTES and n >= CUED_SHARE * len(rows):
            counted.append((-n, order, code))
    return [code for _, _, code in sorted(counted)]


def theme_codes(
    drafts: list[Draft],
    space: Space,
    texts: Sequence[str] = (),
    *,
    unnamed: Sequence[bool] = (),
) -> list[list[str]]:
    """Codes of the codebook per theme (deductive coding beside the notes' own words).
    First, the code whose indicators most of its notes hold ("held all the cards", "no
    say": power), when enough do; then up to ``CODES`` codes closest in meaning to the
    theme and farther from the round's other themes (with embeddings), when close enough
    to say something (``CODE_MIN``). A theme ``unnamed`` by any word of its own gets its
    closest code even below that, rather than no lead at all ("About leaving care." over
    notes about moving on that share no word)."""
    cued = [_cued_codes(d, texts)[:1] if texts else [] for d in drafts]
    if space.method != "minilm" or len(drafts) < 2:
        return cued
    vectors = centred(_codebook_vectors(), space.mean)
    centres = np.vstack([d.centre for d in drafts])
    similarity = vectors @ centres.T  # codes x themes
    out = []
    for t in range(len(drafts)):
        others = np.delete(similarity, t, axis=1).max(axis=1)
        score = similarity[:, t] - 0.5 * others
        ranked = np.argsort(-score, kind="stable")
        best = [int(i) for i in ranked[:CODES] if score[i] >= CODE_MIN]
        if not best and not cued[t] and t < len(unnamed) and unnamed[t] and score[ranked[0]] > 0:
            best = [int(ranked[0])]
        out.append(list(dict.fromkeys([*cued[t], *(codebook()[i] for i in best)])))
    return out


def with_terms(summary: str, codes: list[str], terms: list[str]) -> str:
    """The summary led by what the theme is about: its codes, then its notes' own words."""
    coded = {fold(word) for code in codes for word in code.split()}
    uncoded = [t for t in terms if not {fold(word) for word in t.split()} & coded]
    named = list(dict.fromkeys([*codes, *uncoded]))[:4]
    if not named:
        return summary
    joined = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"About {joined}. {summary}"


def draft_quotes(items: Sequence[Item], theme: Draft, vectors: np.ndarray) -> None:
    """2-5 quotes: central notes other than the summary's, not repeating each other, from
    different tables where possible, of readable length, never mostly redaction."""
    pool = [i for i in theme.members if i not in theme.duplicates]
    want = min(5, max(2, math.ceil(len(pool) / 3)))
    candidates = [i for i in pool if i not in theme.summary_rows and quotable(items[i].text)]
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
    # Too few unlike notes: alike ones rather than fewer than two quotes, and at the last a
    # near-repeat worded otherwise ("For me, a simple guide …" beside "A simple guide …").
    repeats = [i for i in theme.members if i in theme.duplicates and quotable(items[i].text)]
    said = {normalised(items[i].text) for i in [*theme.summary_rows, *chosen]}
    for i in ranked + repeats:
        if len(chosen) >= min(want, 2):
            break
        if i not in chosen and normalised(items[i].text) not in said:
            chosen.append(i)
            said.add(normalised(items[i].text))
    theme.quotes = chosen
