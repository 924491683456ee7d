"""The history of curation and its lock: every change runs through ``curate``, which locks the
event's ``EventHarvest`` row (so two harvesters' changes are applied one after the other),
snapshots the harvest before and after, records a ``CurationChange`` for undo, bumps the
version and, once committed, tells the other harvesters' pages to refresh."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cafes.models import ChatMessage, Note
from events.models import Event
from harvest.errors import HarvestError
from harvest.hooks import run_words_taken_back_hooks
from harvest.models import (
    CurationChange,
    EventHarvest,
    KeptWord,
    ManualRedaction,
    Theme,
    ThemeNote,
)
from ops.news import group_name, send_event_on_commit

T = TypeVar("T")
THEME_FIELDS = [
    "id",
    "round_id",
    "kind",
    "title",
    "summary",
    "position",
    "is_key",
    "is_emerging",
    "is_other",
    "source",
    "is_curated",
]
MEMBER_FIELDS = ["id", "theme_id", "note_id", "message_id", "is_quote", "is_duplicate", "position"]
REDACTION_FIELDS = ["id", "note_id", "message_id", "phrase", "created_by_id"]
KEPT_FIELDS = ["id", "text", "kept_by_id", "kept_at"]


def snapshot(*, event: Event) -> dict:
    """The whole curated state of an event, as plain JSON, for undo."""
    return {
        "themes": list(Theme.objects.filter(event=event).order_by("id").values(*THEME_FIELDS)),
        "members": list(
            ThemeNote.objects.filter(theme__event=event).order_by("id").values(*MEMBER_FIELDS)
        ),
        "redactions": list(
            ManualRedaction.objects.filter(event=event).order_by("id").values(*REDACTION_FIELDS)
        ),
        "kept": [
            {**row, "kept_at": row["kept_at"].isoformat()}
            for row in KeptWord.objects.filter(event=event).order_by("id").values(*KEPT_FIELDS)
        ],
        "conclusions": EventHarvest.objects.filter(event=event)
        .values_list("conclusions", flat=True)
        .first()
        or "",
    }


def _hides_again(*, event: Event, saved: dict) -> bool:
    """Whether going back to ``saved`` hides words the harvest shows now: a kept word it
    did not have, or a manual redaction it had."""
    kept_now = {
        k.casefold() for k in KeptWord.objects.filter(event=event).values_list("text", flat=True)
    }
    kept_then = {row["text"].casefold() for row in saved.get("kept", [])}
    redactions_now = set(
        ManualRedaction.objects.filter(event=event).values_list("note_id", "message_id", "phrase")
    )
    redactions_then = {(r["note_id"], r["message_id"], r["phrase"]) for r in saved["redactions"]}
    return bool(kept_now - kept_then) or bool(redactions_then - redactions_now)


def _restore(*, event: Event, state: EventHarvest, saved: dict) -> None:
    notes = set(Note.objects.filter(event=event).values_list("id", flat=True))
    messages = set(ChatMessage.objects.filter(event=event).values_list("id", flat=True))
    ThemeNote.objects.filter(theme__event=event).delete()
    Theme.objects.filter(event=event).exclude(id__in=[t["id"] for t in saved["themes"]]).delete()
    for row in saved["themes"]:
        Theme.objects.update_or_create(id=row["id"], defaults={**row, "event": event})
    ThemeNote.objects.bulk_create(
        ThemeNote(**row)
        for row in saved["members"]
        if (row["note_id"] in notes) or (row["message_id"] in messages)
    )
    ManualRedaction.objects.filter(event=event).delete()
    ManualRedaction.objects.bulk_create(
        ManualRedaction(event=event, **row)
        for row in saved["redactions"]
        if row["note_id"] in notes | {None} and row["message_id"] in messages | {None}
    )
    KeptWord.objects.filter(event=event).delete()
    KeptWord.objects.bulk_create(
        KeptWord(event=event, **{**row, "kept_at": parse_datetime(row["kept_at"])})
        for row in saved.get("kept", [])  # none in a change made before words were kept
    )
    state.conclusions = saved["conclusions"]


def _lock(event: Event) -> EventHarvest:
    EventHarvest.objects.get_or_create(event=event)
    return EventHarvest.objects.select_for_update().get(event=event)


def _announce(event: Event, version: int, description: str, user) -> None:
    """Tell the event's other harvesters' pages, once the change commits, to fetch the board."""
    message = {
        "type": "harvest.changed",
        "version": version,
        "description": description,
        "by": user.get_username() if user else "",
    }
    send_event_on_commit(group_name("harvest", event.id), message)


def curate(
    *,
    event: Event,
    user: AbstractBaseUser | None,
    action: str,
    description: str,
    change: Callable[[EventHarvest], T],
) -> T:
    with transaction.atomic():
        state = _lock(event)
        before = snapshot(event=event)
        result = change(state)
        state.version += 1
        state.save()
        CurationChange.objects.create(
            event=event,
            user=user if user and user.is_authenticated else None,
            action=action,
            description=description[:300],
            before=before,
            after=snapshot(event=event),
            version=state.version,
        )
        _announce(event, state.version, description, user)
    return result


def undo_last_change(*, event: Event, user: AbstractBaseUser | None) -> CurationChange:
    """Put the harvest back as it was before its latest change that is not yet undone.

    When that hides words again (undoing "this is not personal data"), report versions
    that may show them stop being downloadable, as after a new redaction."""
    with transaction.atomic():
        state = _lock(event)
        last = (
            CurationChange.objects.select_for_update()
            .filter(event=event, undone_at__isnull=True)
            .order_by("-id")
            .first()
        )
        if last is None:
            raise HarvestError("There is nothing to undo.")
        hides_again = _hides_again(event=event, saved=last.before)
        _restore(event=event, state=state, saved=last.before)
        if hides_again:
            run_words_taken_back_hooks(
                event=event, reason="A harvester's undo redacted words in it again."
            )
        state.version += 1
        state.save()
        last.undone_at = timezone.now()
        last.save(update_fields=["undone_at"])
        version, description = state.version, f"Undid: {last.description}"
        _announce(event, version, description, user)
    return last
