"""What a harvester decides about redaction: words redacted by hand, and automatic markers
undone because their words are not personal data (and redacted again)."""

from django.contrib.auth.models import AbstractBaseUser

from cafes.models import ChatMessage, ClosingAnswer, Note
from events.models import Event
from harvest.errors import HarvestError, check_length
from harvest.hooks import run_words_taken_back_hooks
from harvest.models import EventHarvest, KeptWord, ManualRedaction
from harvest.redaction import folded
from harvest.selectors import Redactor
from harvest.services.history import curate

MAX_KEPT_LENGTH = KeptWord._meta.get_field("text").max_length
# The texts a marker is seen in: a note, a chat message or an answer to a closing question.
Seen = Note | ChatMessage | ClosingAnswer


def _person(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return user if user and user.is_authenticated else None


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
    check_length(phrase, limit=200, error="Redact at most 200 characters at a time.")
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
            created_by=_person(user),
        )
        redaction.full_clean()
        redaction.save()
        run_words_taken_back_hooks(event=event, reason="A harvester redacted words in it.")
        return redaction

    where = "in a note" if note or message else "everywhere"
    description = f"Redacted a phrase {where}"
    return curate(event=event, user=user, action="redact", description=description, change=change)


def _event_id(seen_in: Seen) -> int:
    return seen_in.question.event_id if isinstance(seen_in, ClosingAnswer) else seen_in.event_id


def _hidden_automatically(event: Event, words: str, seen_in: Seen) -> bool:
    """Whether an automatic marker in ``seen_in`` hides exactly ``words`` (case aside)."""
    redactor = Redactor(event)
    if isinstance(seen_in, Note):
        redacted = redactor.note(seen_in)
    elif isinstance(seen_in, ChatMessage):
        redacted = redactor.message(seen_in)
    else:
        redacted = redactor.text(seen_in.text)
    return any(
        span.kind != "manual" and folded(seen_in.text[span.start : span.end]) == folded(words)
        for span in redacted.spans
    )


def keep_words(
    *, event: Event, words: str, seen_in: Seen, user: AbstractBaseUser | None
) -> KeptWord:
    """Undo an automatic marker that hid no personal data ("we went to Hope"): these words
    show again everywhere in the event, in the workspace and in every report compiled from
    now on. Words redacted by hand stay redacted. Versions compiled before still show the
    marker, which hides more, not less: they stay downloadable."""
    words = " ".join(words.split())
    if not words:
        raise HarvestError("Choose the marker to undo: no words were given.")
    check_length(
        words,
        limit=MAX_KEPT_LENGTH,
        error=f"A marker hides at most {MAX_KEPT_LENGTH} characters; choose one marker to undo.",
    )
    if _event_id(seen_in) != event.id:
        raise HarvestError("That text belongs to another event.")

    def change(state: EventHarvest) -> KeptWord:
        if KeptWord.objects.filter(event=event, text__iexact=words).exists():
            raise HarvestError("Those words are already shown: another harvester undid the marker.")
        if not _hidden_automatically(event, words, seen_in):
            raise HarvestError(
                "No automatic marker in that text hides those words; "
                "the page now shows the latest markers."
            )
        kept = KeptWord(event=event, text=words, kept_by=_person(user))
        kept.full_clean()
        kept.save()
        return kept

    description = "Undid a marker: its words are not personal data"
    return curate(event=event, user=user, action="keep", description=description, change=change)


def redact_again(*, kept: KeptWord, user: AbstractBaseUser | None) -> None:
    """Take back "this is not personal data": the words are redacted again everywhere in the
    event, and report versions that may show them can no longer be downloaded (new versions
    compile without them), as after a new manual redaction."""
    event = kept.event

    def change(state: EventHarvest) -> None:
        deleted, _ = KeptWord.objects.filter(event=event, pk=kept.pk).delete()
        if not deleted:
            raise HarvestError(
                "Those words are already redacted again; the page now shows the latest markers."
            )
        run_words_taken_back_hooks(event=event, reason="A harvester redacted words in it again.")

    description = "Redacted again words once marked not personal data"
    curate(event=event, user=user, action="redact-again", description=description, change=change)
