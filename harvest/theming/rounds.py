"""Theming a whole round: ``build_draft_themes``, which places the notes (``placing``),
groups them, and drafts each theme's summary, quotes and title (``summaries``, ``titles``);
a round with fewer than two notes of substance gets one theme holding everything."""

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from harvest import embeddings
from harvest.theming.drafts import Draft, DraftTheme, Item, quotable
from harvest.theming.placing import Space, cluster, near_duplicates, within_share
from harvest.theming.summaries import (
    draft_quotes,
    draft_summaries,
    key_terms,
    theme_codes,
    with_terms,
)
from harvest.theming.titles import REPLIES_TITLE, draft_titles
from harvest.theming.vocabulary import Vocabulary, has_substance
from harvest.wording import as_sentence, candidate_phrases, first_sentence, title_case, words

METHODS = ("minilm", "lexical")
OTHER_TITLE = "Not yet themed"
OTHER_SUMMARY = "Notes added after the themes were drafted; move them where they belong."


def default_method() -> str:
    return "minilm" if embeddings.available() else "lexical"


def build_draft_themes(
    items: Sequence[Item], *, method: str | None = None, codes: bool = True
) -> list[DraftTheme]:
    """Group ``items`` into themes, heaviest first; every item in exactly one theme.
    ``codes=False`` leaves the codebook out of the summaries (a plenary chat's reactions,
    "so sorry you went through that", are not coded as findings are).

    Near-duplicates are themed with the note they repeat, so that ten copies of one
    sentence do not look like a theme apart. Items are taken in the order of their keys
    (note ids: the order they were written), so every tie is broken by note id and the
    same notes give the same themes in whatever order they are handed in.
    """
    if not items:
        return []
    items = sorted(items, key=lambda item: item.key)
    method = method or default_method()
    if method not in METHODS:
        raise ValueError(f"Unknown theming method {method!r}: use one of {METHODS}.")
    vocab = Vocabulary()
    # Every word counts when finding repeats and notes of substance, and for embeddings:
    # with the words of one note left out, "nobody explained anything" had none left and
    # was placed as a mere reply, and two notes sharing one rarer word ("told") looked like
    # repeats. LSA (the lexical method) and key terms want words of two notes or more.
    vectorizer = TfidfVectorizer(analyzer=vocab.terms, sublinear_tf=True)
    try:
        tfidf = vectorizer.fit_transform([item.text for item in items])
    except ValueError:  # not one content word in the whole round
        tfidf = None
    min_notes = 2 if len(items) >= 20 else 1
    shared = _shared_words(tfidf, min_notes)
    dup_of = near_duplicates(items, tfidf)
    dups = set(dup_of)
    has_words = np.array([has_substance(item.text) for item in items], dtype=bool)
    placed_by = tfidf if method == "minilm" else shared
    if placed_by is None:  # no content word (lexical: none that two notes share)
        has_words[:] = False
    else:
        has_words &= np.asarray(placed_by.sum(axis=1)).ravel() > 0
    originals = [i for i in range(len(items)) if has_words[i] and i not in dups]
    if len(originals) < 2:
        return [_one_theme(items, dups)]

    space = Space(method, [items[i].text for i in originals], placed_by[originals])
    vectors = np.zeros((len(items), space.vectors.shape[1]))
    vectors[originals] = space.vectors
    groups = cluster(vectors, originals)
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

    members_of = within_share(
        [[i for i in range(len(items)) if group_of[i] == g] for g in range(len(groups))],
        vectors,
        len(items),
    )
    drafts = []
    for members in members_of:
        centre = normalize(vectors[members].mean(axis=0, keepdims=True))[0]
        closeness = vectors[members] @ centre
        central = [members[r] for r in sorted(range(len(members)), key=lambda r: -closeness[r])]
        drafts.append(Draft(central, centre, {i for i in members if i in dups}))
    draft_titles(items, drafts, space, vocab)
    draft_summaries(items, drafts, space)
    for draft in drafts:
        draft_quotes(items, draft, vectors)
    features = vectorizer.get_feature_names_out()
    terms = key_terms(tfidf, features, drafts, vocab, space, min_notes=min_notes)
    texts = [item.text for item in items]
    codes_of = (
        theme_codes(drafts, space, texts, unnamed=[not own for own in terms])
        if codes
        else [[] for _ in drafts]
    )
    for draft, coded, own in zip(drafts, codes_of, terms, strict=True):
        draft.summary = with_terms(draft.summary, coded, own[:2])

    def weight(draft: Draft) -> tuple[int, int, int]:
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


def _shared_words(tfidf: csr_matrix | None, min_notes: int) -> csr_matrix | None:
    """The TF-IDF rows over the words at least ``min_notes`` notes use, each row of unit
    length again (what a vectorizer with ``min_df=min_notes`` gives)."""
    if tfidf is None or min_notes <= 1:
        return tfidf
    used_by = np.asarray((tfidf > 0).sum(axis=0)).ravel()
    if not (used_by >= min_notes).any():
        return None  # no word two notes share ("so powerful", "wow", "so brave", …)
    return csr_matrix(normalize(tfidf[:, used_by >= min_notes]))


def _one_theme(items: Sequence[Item], dups: set[int]) -> DraftTheme:
    """A round with fewer than two notes of substance: one theme holding everything."""
    rows = list(range(len(items)))
    usable = [i for i in rows if quotable(items[i].text)]
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
