"""What theming works on and hands back: ``Item`` (a note or chat message to theme),
``DraftTheme`` (a theme drafted from them) and ``Draft``, a theme while it is drafted
(rows into the round's items, not keys), with ``quotable``: whether a text may be quoted."""

from dataclasses import dataclass, field

import numpy as np

from harvest.theming.vocabulary import has_substance
from harvest.wording import marker_share

MAX_MARKER_SHARE = 0.25  # a quote or summary sentence more redaction than this is not used


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


@dataclass
class Draft:
    members: list[int]  # indexes into items, most central first
    centre: np.ndarray
    duplicates: set[int]
    summary_rows: list[int] = field(default_factory=list)
    summary: str = ""
    quotes: list[int] = field(default_factory=list)
    title: str = ""


def quotable(text: str) -> bool:
    """Whether a note can be quoted or summarised from: three words or more, not mostly
    redaction markers, and more than agreement ("same with us", "me too")."""
    return len(text.split()) >= 3 and marker_share(text) <= MAX_MARKER_SHARE and has_substance(text)
