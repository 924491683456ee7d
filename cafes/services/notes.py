"""Notes: a participant posts, edits and withdraws their own words at their table (table
writes; the hot path of the live café)."""

import uuid

from django.db import transaction
from django.utils import timezone

from cafes import news, rows
from cafes.checks import check_client_id, check_found, check_kind, check_text
from cafes.errors import CafeError
from cafes.models import Note, NoteStatus
from cafes.payloads import note_payload
from cafes.permissions import Viewer
from cafes.services._common import (
    _author_fields,
    _forbidden,
    _is_author,
    _open_round,
    _same_author_or_refuse,
    _save,
)
from cafes.services._locks import _lock_my_table, _lock_note_table


def _note_news(note: Note, action: str) -> None:
    payload = note_payload(note)
    if note.status != NoteStatus.VISIBLE:
        # Hidden, withdrawn or merged: its words leave the log (screens keep what they had).
        news.forget_words(event=note.event, key="note", ids=[note.pk])
        payload.update(text="", tags=[], redacted=True)
    news.record(
        event=note.event, table=note.table, kind="note", payload={"action": action, "note": payload}
    )


def _note_for(viewer: Viewer, note_id) -> Note:
    notes = Note.objects.select_related("round", "table", "participant").filter(event=viewer.event)
    missing = CafeError("not_found", "That note does not exist.")
    return check_found(notes, note_id, what="note", missing=missing)


@transaction.atomic
def post_note(
    *, viewer: Viewer, text: str, kind: str, client_id, table_id: int | None = None
) -> Note:
    """Post a note at the viewer's table in the open round; every seat sees it at once.

    A retry with the same ``client_id`` gets what the first attempt stored, even after the
    round closed; two attempts at once: the second waits on the table's lock and then finds
    the first. Plain-SQL insert (``cafes.rows``): this runs for every note."""
    client_id = check_client_id(client_id)
    text = check_text(text, what="note")
    kind = check_kind(kind)
    try:
        round_, table = _lock_my_table(viewer, table_id)
    except CafeError:
        stored = _note_by_client_id(viewer, client_id)
        if stored is None:
            raise
        return _same_author_or_refuse(viewer, stored)
    note = Note(
        event=viewer.event,
        round=round_,
        table=table,
        kind=kind,
        text=text,
        client_id=client_id,
        **_author_fields(viewer),
    )
    if not rows.insert(note, unless_exists=("event", "client_id")):
        return _same_author_or_refuse(viewer, _note_by_client_id(viewer, client_id))
    _note_news(note, "posted")
    return note


def _note_by_client_id(viewer: Viewer, client_id: uuid.UUID) -> Note | None:
    return Note.objects.filter(event=viewer.event, client_id=client_id).first()


@transaction.atomic
def edit_note(
    *,
    viewer: Viewer,
    client_id: str | None = None,
    note_id: int,
    text: str,
    kind: str | None = None,
) -> Note:
    """The author rewrites their own note while the round is open."""
    text = check_text(text, what="note")
    kind = check_kind(kind) if kind is not None else None
    note = _note_for(viewer, note_id)
    if not _is_author(viewer, note):
        raise _forbidden("Only the person who wrote a note can change it.")
    cafe = _lock_note_table(viewer, note)
    if note.status != NoteStatus.VISIBLE:
        raise CafeError("note_gone", "This note has been withdrawn or hidden.")
    if note.round_id != _open_round(cafe).pk:
        raise CafeError("round_closed", "That round is over, so its notes cannot be changed.")
    if note.text == text and (kind is None or kind == note.kind):
        return note
    note.text = text
    note.kind = kind or note.kind
    note.edited_at = timezone.now()
    _save(note)
    _note_news(note, "edited")
    return note


@transaction.atomic
def withdraw_note(*, viewer: Viewer, client_id: str | None = None, note_id: int) -> Note:
    """The author takes their note back, at any time: it disappears from every screen and
    from the harvest."""
    note = _note_for(viewer, note_id)
    if not _is_author(viewer, note):
        raise _forbidden("Only the person who wrote a note can withdraw it.")
    _lock_note_table(viewer, note)
    if note.status == NoteStatus.WITHDRAWN:
        return note
    note.status = NoteStatus.WITHDRAWN
    note.save(update_fields=["status"])
    _note_news(note, "withdrawn")
    return note
