"""A table's host tidies its board: tags, hides and merges notes, and writes the read-back
for the next round's newcomers."""

from django.db import transaction

from cafes import news, selectors
from cafes.checks import check_tags, check_text
from cafes.errors import CafeError
from cafes.models import CafePhase, Note, NoteStatus, ReadBack, Round, RoundStatus
from cafes.payloads import read_back_payload
from cafes.permissions import Viewer, can_moderate
from cafes.services._common import _forbidden, _hosting, _table_of_event
from cafes.services._locks import _lock_cafe
from cafes.services.notes import _note_for, _note_news


def _moderated_note(viewer: Viewer, note_id, hosting_table_id: int | None) -> Note:
    note = _note_for(viewer, note_id)
    if not can_moderate(viewer, note.table, hosting_table_id):
        raise _forbidden("Only the table's host or a facilitator can tidy notes.")
    if note.status in {NoteStatus.WITHDRAWN, NoteStatus.MERGED}:
        raise CafeError("note_gone", "This note has been withdrawn or merged.")
    return note


@transaction.atomic
def tag_note(
    *, viewer: Viewer, client_id: str | None = None, note_id: int, tags: list[str]
) -> Note:
    """The host labels a note (e.g. "housing", "key point") to help the harvest."""
    tags = check_tags(tags)
    cafe = _lock_cafe(viewer.event)
    note = _moderated_note(viewer, note_id, _hosting(viewer, cafe))
    note.tags = tags
    note.save(update_fields=["tags"])
    _note_news(note, "tagged")
    return note


@transaction.atomic
def hide_note(
    *, viewer: Viewer, client_id: str | None = None, note_id: int, hidden: bool = True
) -> Note:
    """The host hides a note (or shows it again); hidden notes stay out of the harvest."""
    cafe = _lock_cafe(viewer.event)
    note = _moderated_note(viewer, note_id, _hosting(viewer, cafe))
    note.status = NoteStatus.HIDDEN if hidden else NoteStatus.VISIBLE
    note.save(update_fields=["status"])
    _note_news(note, "hidden" if hidden else "shown")
    return note


@transaction.atomic
def merge_notes(
    *, viewer: Viewer, client_id: str | None = None, note_id: int, into_id: int
) -> Note:
    """The host folds a duplicate note into another note of the same table and round."""
    cafe = _lock_cafe(viewer.event)
    hosting = _hosting(viewer, cafe)
    note = _moderated_note(viewer, note_id, hosting)
    into = _moderated_note(viewer, into_id, hosting)
    if note.pk == into.pk or (note.table_id, note.round_id) != (into.table_id, into.round_id):
        raise CafeError("bad_merge", "A note can only be merged into another note of its table.")
    note.status = NoteStatus.MERGED
    note.merged_into = into
    note.save(update_fields=["status", "merged_into"])
    _note_news(note, "merged")
    return into


@transaction.atomic
def save_read_back(
    *, viewer: Viewer, client_id: str | None = None, table_id: int, text: str
) -> ReadBack:
    """The host's summary of the table's last round, shown to the newcomers of the next.

    Written by the table's staff host, a facilitator, or the participant who hosts the table
    this round; it is of the round the table's page shows (``selectors.read_back_round``):
    the round before the open one, or the one just closed while the plenary prepares the
    next. Writing it again replaces it."""
    text = check_text(text, what="read-back")
    cafe = _lock_cafe(viewer.event)
    table = _table_of_event(viewer.event, table_id)
    if not can_moderate(viewer, table, _hosting(viewer, cafe)):
        raise _forbidden("Only the table's host or a facilitator can write the read-back.")
    rounds = list(Round.objects.filter(event=viewer.event))
    summarised = selectors.read_back_round(cafe=cafe, rounds=rounds)
    if summarised is None:
        if cafe.phase in {CafePhase.CLOSING, CafePhase.ENDED} or any(
            r.status == RoundStatus.CLOSED for r in rounds
        ):
            raise CafeError(
                "too_late", "The last round is over: there are no newcomers to read back to."
            )
        raise CafeError("too_early", "The read-back is written once the first round is over.")
    read_back, _ = ReadBack.objects.update_or_create(
        table=table,
        round=summarised,
        defaults={"text": text, "author_user": viewer.user, "participant": viewer.participant},
    )
    news.record(
        event=viewer.event,
        table=table,
        kind="read_back",
        payload={"read_back": read_back_payload(read_back)},
    )
    return read_back
