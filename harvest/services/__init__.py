"""Writes of the harvest: automatic theming and every curation change, each undoable.

Every change runs through ``history.curate``: it locks the event's ``EventHarvest`` row (so
two harvesters' changes are applied one after the other), snapshots the harvest before and
after, records a ``CurationChange`` for undo, bumps the version and, once committed, tells
the other harvesters' pages to refresh. ``themes``: theming and curating themes;
``redactions``: what a harvester redacts by hand, and markers undone (kept words).
"""

from harvest.services.history import snapshot, undo_last_change
from harvest.services.redactions import keep_words, redact_again, redact_phrase
from harvest.services.themes import (
    MAX_QUOTES,
    build_themes,
    has_curated_themes,
    mark_theme,
    merge_themes,
    move_note,
    move_notes,
    rename_theme,
    reorder_theme,
    rewrite_summary,
    set_quote,
    split_theme,
    write_conclusions,
)

__all__ = [
    "MAX_QUOTES",
    "build_themes",
    "has_curated_themes",
    "keep_words",
    "mark_theme",
    "merge_themes",
    "move_note",
    "move_notes",
    "redact_again",
    "redact_phrase",
    "rename_theme",
    "reorder_theme",
    "rewrite_summary",
    "set_quote",
    "snapshot",
    "split_theme",
    "undo_last_change",
    "write_conclusions",
]
