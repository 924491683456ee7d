"""The event chat (post, react, pin or hide), and taking a leaver's words off every screen."""

from django.db import transaction
from django.db.models import Q

from cafes import news
from cafes.checks import check_client_id, check_found, check_reaction, check_text
from cafes.errors import CafeError
from cafes.models import (
    Cafe,
    CafePhase,
    ChatMessage,
    ChatReaction,
    Note,
    NoteStatus,
    Priority,
    ReadBack,
)
from cafes.payloads import chat_payload, priority_payload, read_back_payload
from cafes.permissions import Viewer, can_chat
from cafes.services._common import (
    _author_fields,
    _forbidden,
    _require_run,
    _same_author_or_refuse,
    _save,
)
from cafes.services._locks import _lock_cafe
from cafes.services.notes import _note_news
from cafes.toggles import set_row
from events.models import Participant


def _chat_news(message: ChatMessage) -> None:
    payload = chat_payload(message)
    if message.hidden:
        news.forget_words(event=message.event, key="message", ids=[message.pk])
        payload.update(text="", redacted=True)
    news.record(event=message.event, kind="chat", payload={"message": payload})


def take_back_words(*, participant: Participant) -> None:
    """Someone left the event: their notes, chat messages, priorities and read-backs leave
    every screen and the live log at once (the harvest and reports already leave out people
    who withdrew)."""
    event = participant.event
    if not Cafe.objects.filter(event=event).exists():
        return
    _lock_cafe(event)
    for note in Note.objects.filter(participant=participant).exclude(
        status__in=[NoteStatus.WITHDRAWN, NoteStatus.MERGED]
    ):
        note.status = NoteStatus.WITHDRAWN
        note.save(update_fields=["status"])
        _note_news(note, "withdrawn")
    for message in ChatMessage.objects.filter(participant=participant, hidden=False):
        message.hidden = True
        message.save(update_fields=["hidden"])
        _chat_news(message)
    # A read-back they wrote as a table's host leaves the table's screens.
    for read_back in ReadBack.objects.filter(participant=participant).select_related(
        "round", "table"
    ):
        news.forget_words(event=event, key="read_back", ids=[read_back.pk])
        payload = {**read_back_payload(read_back), "text": "", "removed": True}
        table = read_back.table
        read_back.delete()
        news.record(event=event, table=table, kind="read_back", payload={"read_back": payload})
    # A priority they typed, or took from one of their notes, goes with its votes: their
    # words leave the table's board; the table may type it again in its own words
    # (docs/security.md).
    for priority in Priority.objects.filter(
        Q(author=participant) | Q(source_note__participant=participant), round__event=event
    ).select_related("round", "table"):
        payload = {"action": "removed", "priority": {**priority_payload(priority), "text": ""}}
        news.forget_words(event=event, key="priority", ids=[priority.pk])
        table = priority.table
        priority.delete()
        news.record(event=event, table=table, kind="priority", payload=payload)


def _message_for(viewer: Viewer, message_id) -> ChatMessage:
    messages = ChatMessage.objects.filter(event=viewer.event)
    missing = CafeError("not_found", "That chat message does not exist.")
    return check_found(messages, message_id, what="message", missing=missing)


@transaction.atomic
def post_chat(*, viewer: Viewer, text: str, client_id) -> ChatMessage:
    """Post to the event chat, which everyone at the event sees (and which is harvested)."""
    client_id = check_client_id(client_id)
    text = check_text(text, what="message")
    if not can_chat(viewer):
        raise _forbidden("The review team watches the chat but does not post.")
    cafe = _lock_cafe(viewer.event)
    existing = ChatMessage.objects.filter(event=viewer.event, client_id=client_id).first()
    if existing is not None:
        return _same_author_or_refuse(viewer, existing)
    if cafe.phase == CafePhase.ENDED:
        raise CafeError("ended", "The event has ended, so the chat is closed.")
    message = ChatMessage(
        event=viewer.event,
        round_id=cafe.current_round_id,
        text=text,
        client_id=client_id,
        **_author_fields(viewer),
    )
    _save(message)
    _chat_news(message)
    return message


@transaction.atomic
def react_to_chat(
    *, viewer: Viewer, client_id: str | None = None, message_id: int, reaction: str, on: bool = True
) -> ChatMessage:
    """Add (or take back) a reaction such as "agree" to a chat message."""
    reaction = check_reaction(reaction)
    if not can_chat(viewer):
        raise _forbidden("The review team watches the chat but does not react.")
    _lock_cafe(viewer.event)
    message = _message_for(viewer, message_id)
    who = (
        {"participant": viewer.participant}
        if viewer.participant is not None
        else {"user": viewer.user}
    )
    if not set_row(ChatReaction, on=on, message=message, reaction=reaction, **who):
        return message
    _chat_news(message)
    return message


@transaction.atomic
def moderate_chat(
    *,
    viewer: Viewer,
    client_id: str | None = None,
    message_id: int,
    pinned: bool | None = None,
    hidden: bool | None = None,
) -> ChatMessage:
    """The facilitator pins a message to the top of everyone's chat, or hides one."""
    _require_run(viewer)
    _lock_cafe(viewer.event)
    message = _message_for(viewer, message_id)
    if pinned is not None:
        message.pinned = bool(pinned)
    if hidden is not None:
        message.hidden = bool(hidden)
    message.save(update_fields=["pinned", "hidden"])
    _chat_news(message)
    return message
