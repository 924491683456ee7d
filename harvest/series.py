"""The series view's reads: the themes of every Explore event of a series side by side, a
column per stakeholder group, each theme linked to the themes of other groups whose notes
say the same thing ("Also raised by"). Nothing here writes.

Themes are matched by what their notes mean, never by their titles: two groups' themes
both called "Allowance" may be about money or about what a parent is allowed to do. With
the sentence model (``harvest.embeddings``) a theme is the mean of its notes' unit vectors;
two themes of different groups are linked when their centres are close
(``RECURRING_SIMILARITY``), at least one pair of their notes says much the same
(``RECURRING_NOTE_SIMILARITY``) and each is the other's closest theme in its group. Without
the model, the same rule runs on TF-IDF vectors of the notes alone
(``RECURRING_LEXICAL_SIMILARITY``). The figures were calibrated on the harvest fixtures
(docs/harvest.md, ``bench/series_links.py``).
"""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from events.models import Event, Series
from harvest import embeddings
from harvest.content import HarvestTheme
from harvest.models import ThemeKind
from harvest.selectors import explore_events, harvest_for_report
from harvest.theming import OTHER_TITLE

RECURRING_SIMILARITY = 0.58  # cosine of two themes' centres (sentence model)
RECURRING_NOTE_SIMILARITY = 0.45  # cosine of their two most alike notes (sentence model)
RECURRING_LEXICAL_SIMILARITY = 0.25  # cosine of their notes' TF-IDF (no model installed)
VECTORS_KEPT = 20_000  # note vectors remembered per process (about 30 MB)


def theme_key(event_id: int, theme: HarvestTheme) -> str:
    """A theme's key across pages and forms: a stored theme's id (so renaming it keeps its
    key), or for a draft theme the notes it holds. Never its title, so two themes with one
    title are never taken for each other."""
    if theme.theme_id is not None:
        return f"{event_id}-t{theme.theme_id}"
    held = ",".join(str(n.id) for n in sorted(theme.notes, key=lambda n: n.id))
    digest = hashlib.sha256(f"{theme.kind}|{theme.round}|{held}".encode()).hexdigest()[:12]
    return f"{event_id}-d{digest}"


def is_agenda_theme(theme: HarvestTheme) -> bool:
    """A theme of the tables' notes that a Create conversation can start from (not chat,
    not the notes posted after theming)."""
    return theme.kind == ThemeKind.NOTES and not theme.other and theme.title != OTHER_TITLE


def group_of(event: Event) -> str:
    return event.stakeholder_group.name if event.stakeholder_group else event.title


@dataclass
class SeriesTheme:
    key: str  # ``theme_key``: what the "Add to the Create agenda" button sends
    uid: str  # its anchor on the page
    title: str
    summary: str
    round: int | None
    note_count: int
    is_key: bool
    emerging: bool
    notes: list[str]  # its notes' texts (redacted), for finding it in other groups
    recurs_in: list["SeriesTheme"] = field(default_factory=list)
    column: str = ""


@dataclass
class SeriesColumn:
    event: Event
    group: str
    themes: list[SeriesTheme]


def series_columns(*, series: Series) -> list[SeriesColumn]:
    """The themes of every Explore event of a series, a column per stakeholder group, each
    linked to the themes of other groups that say the same thing (module docstring)."""
    columns = []
    for event in explore_events(series=series):
        group = group_of(event)
        themes = [
            SeriesTheme(
                key=theme_key(event.id, t),
                uid=f"e{theme_key(event.id, t)}",
                title=t.title,
                summary=t.summary,
                round=t.round,
                note_count=len(t.notes),
                is_key=t.key,
                emerging=t.emerging,
                notes=[n.text for n in t.notes],
                column=group,
            )
            for t in harvest_for_report(event=event).themes
            if is_agenda_theme(t)
        ]
        columns.append(SeriesColumn(event=event, group=group, themes=themes))
    link_recurring(columns)
    return columns


def link_recurring(columns: list[SeriesColumn]) -> None:
    """Fill each theme's ``recurs_in``: the themes of other columns that say the same."""
    themes = [t for c in columns for t in c.themes if t.notes]
    column_of = np.array([i for i, c in enumerate(columns) for t in c.themes if t.notes])
    if len(set(column_of.tolist())) < 2:
        return
    if embeddings.available():
        centres, notes_alike = _meaning(themes)
        threshold = RECURRING_SIMILARITY
        alike = notes_alike >= RECURRING_NOTE_SIMILARITY
    else:
        centres = _words(themes)
        threshold = RECURRING_LEXICAL_SIMILARITY
        alike = np.ones((len(themes), len(themes)), dtype=bool)
    similarity = centres @ centres.T
    for i, theme in enumerate(themes):
        for j, other in enumerate(themes):
            if column_of[i] == column_of[j] or not alike[i, j] or similarity[i, j] < threshold:
                continue
            if _closest(similarity, column_of, i, column_of[j]) == j and (
                _closest(similarity, column_of, j, column_of[i]) == i
            ):
                theme.recurs_in.append(other)


def _closest(similarity: np.ndarray, column_of: np.ndarray, i: int, column: int) -> int:
    """The theme of ``column`` closest to theme ``i`` (the first of equals: deterministic)."""
    candidates = np.flatnonzero(column_of == column)
    return int(candidates[np.argmax(similarity[i, candidates])])


def _meaning(themes: list[SeriesTheme]) -> tuple[np.ndarray, np.ndarray]:
    """Each theme's centre (the mean of its notes' unit vectors, made unit again) and, for
    each pair of themes, the cosine of their two most alike notes."""
    vectors = _note_vectors([text for t in themes for text in t.notes])
    bounds = np.cumsum([0, *(len(t.notes) for t in themes)])
    parts = [vectors[bounds[i] : bounds[i + 1]] for i in range(len(themes))]
    centres = np.vstack([p.mean(axis=0) for p in parts])
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    notes_alike = np.zeros((len(themes), len(themes)), dtype=np.float32)
    for i, a in enumerate(parts):
        for j in range(i + 1, len(parts)):
            notes_alike[i, j] = notes_alike[j, i] = float((a @ parts[j].T).max())
    return centres, notes_alike


def _words(themes: list[SeriesTheme]) -> np.ndarray:
    """Unit TF-IDF vectors of each theme's notes (titles left out: equal titles alone must
    never link two themes)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from harvest.theming import Vocabulary

    texts = [" ".join(t.notes) for t in themes]
    try:
        matrix = TfidfVectorizer(analyzer=Vocabulary().terms, sublinear_tf=True).fit_transform(
            texts
        )
    except ValueError:  # no words at all
        return np.zeros((len(themes), 1))
    return matrix.toarray()


_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
_vectors_lock = threading.Lock()


def _note_vectors(texts: list[str]) -> np.ndarray:
    """Sentence vectors of ``texts``, each embedded once per process, so showing the page
    again is quick. Shorthand is not spelled out as theming does: "SW" becoming "social
    worker" in every note drew unrelated themes together (``bench/series_links.py``)."""
    keys = list(texts)
    with _vectors_lock:
        new = list(dict.fromkeys(k for k in keys if k not in _vectors))
    fresh = embeddings.encode(new) if new else np.zeros((0, embeddings.DIMENSIONS))
    with _vectors_lock:
        for key, vector in zip(new, fresh, strict=True):
            _vectors[key] = vector
        out = np.vstack([_vectors[k] for k in keys])
        for key in keys:
            _vectors.move_to_end(key)
        while len(_vectors) > VECTORS_KEPT:
            _vectors.popitem(last=False)
    return out
