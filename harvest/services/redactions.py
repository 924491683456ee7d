"""Redactions a harvester makes by hand."""

from django.contrib.auth.models import AbstractBaseUser

from cafes.models import ChatMessage, Note
from events.models import Event
from harvest.errors import HarvestError
from harvest.hooks import run_words_taken_back_hooks
from harvest.models import EventHarvest, ManualRedaction
from harvest.services.history import curate


def redact_phrase(
    *,
    event: Event,
    phrase: str,
    note: Note | None = None,
    message: ChatMessage | None = None,
    user: AbstractBaseUser | None,
) -> ManualRedaction:
    """Redact a phrase by hand: in one note or chat message, or everywhere in the event."""
    phrase = " ".join(phrase.split())
    if len(phrase) < 2:
        raise HarvestError("Type the words to redact, at least two characters.")
    if len(phrase) > 200:
        raise HarvestError("Redact at most 200 characters at a time.")
    for obj in (note, message):
        if obj is not None and obj.event_id != event.id:
            raise HarvestError("That note belongs to another event.")
    if note is not None and phrase.casefold() not in note.text.casefold():
        raise HarvestError("That phrase is not in the note; copy it exactly.")
    if message is not None and phrase.casefold() not in message.text.casefold():
        raise HarvestError("That phrase is not in the message; copy it exactly.")

    def change(state: EventHarvest) -> ManualRedaction:
        redaction = ManualRedaction(
            event=event,
            note=note,
            message=message,
            phrase=phrase,
            created_by=user if user and user.is_authenticated else None,
        )
        redaction.full_clean()
        redaction.save()
        run_words_taken_back_hooks(event=event, reason="A harvester redacted words in it.")
        return redaction

    where = "in a note" if note or message else "everywhere"
    return curate(
        event=event,
        user=user,
        action="redact",
        description=f"Redacted a phrase {where}",
        change=change,
    )
