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
2. Ward clustering cut at the number of themes a harvester would make: about 1.25·√n
   (10 for 70 notes, 4 for 12), at most ``MAX_THEMES``, more when one theme would hold over
   40 % of the round; a theme over twice the round's average is split in two; a theme of
   one note joins the nearest theme (no catch-all "Other");
3. each theme is drafted in its notes' own words: a title phrase of 3-8 words chosen
   KeyBERT-style (the clause of its notes closest in meaning to the theme and farthest
   from the round's other themes; never two equal titles in a round), a summary of 1-3
   sentences of its most representative notes (different notes, not alike), and 2-5
   quotes from other notes, from different tables first, never mostly redaction markers.

Deterministic, bit for bit: no randomness is left unseeded, LSA is an exact
eigendecomposition (not ARPACK, whose results moved by 1e-14 between calls) and every tie is
broken by note id (items are taken in the order of their keys), so the same notes give the
same themes, titles, summaries and quotes, in whatever order they are handed in.

Where it lives: ``rounds`` (the entry point, ``build_draft_themes``), ``placing`` (vectors,
clusters, near-duplicates), ``summaries`` (summaries, codes, key terms, quotes),
``titles``, ``vocabulary`` (the round's terms) and ``drafts`` (the types handed in and back).
"""

from harvest.theming.drafts import DraftTheme, Item
from harvest.theming.placing import theme_count
from harvest.theming.rounds import (
    METHODS,
    OTHER_SUMMARY,
    OTHER_TITLE,
    build_draft_themes,
    default_method,
)
from harvest.theming.summaries import codebook
from harvest.theming.vocabulary import Vocabulary

__all__ = [
    "METHODS",
    "OTHER_SUMMARY",
    "OTHER_TITLE",
    "DraftTheme",
    "Item",
    "Vocabulary",
    "build_draft_themes",
    "codebook",
    "default_method",
    "theme_count",
]
