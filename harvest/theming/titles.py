"""Titles of drafted themes: a clause of 3-8 words from the theme's own notes, chosen
KeyBERT-style (close in meaning to the theme, far from the round's other themes, shared by
several of its notes), never two equal titles in a round; themes of very short notes are
titled by those notes' words joined."""

from collections.abc import Sequence

import numpy as np

from harvest.theming.drafts import Draft, Item
from harvest.theming.placing import Space
from harvest.theming.vocabulary import Vocabulary, normalised
from harvest.wording import candidate_phrases, title_case, words

REPLIES_TITLE = "Short replies and reactions"
SUMMARY_POOL = 12  # the most central notes a title is drafted from


def _phrase_terms(vocab: Vocabulary, phrase: str) -> set[str]:
    return {t for t in vocab.terms(phrase) if " " not in t}


def draft_titles(
    items: Sequence[Item], themes: list[Draft], space: Space, vocab: Vocabulary
) -> None:
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


def _title_from_short_notes(items: Sequence[Item], theme: Draft, used: set[str]) -> str:
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
