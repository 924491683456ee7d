"""Themes, their notes, manual redactions, kept words, conclusions and the history of curation.

Every write goes through ``harvest.services``, which keeps the history that undo uses.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from cafes.models import ChatMessage, Note, Round
from events.models import Event


class ThemeKind(models.TextChoices):
    NOTES = "notes", "Notes from the tables"
    CHAT = "chat", "Plenary chat"


class ThemeSource(models.TextChoices):
    AUTO = "auto", "Automatic"
    MANUAL = "manual", "Made by a harvester"


class Theme(models.Model):
    """A group of notes (or chat messages) of one round that say one thing."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="themes")
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, null=True, blank=True, related_name="themes"
    )
    kind = models.CharField(max_length=10, choices=ThemeKind.choices, default=ThemeKind.NOTES)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, max_length=1000)
    position = models.PositiveIntegerField(default=0)
    is_key = models.BooleanField(default=False, help_text="A key theme for the summary.")
    is_emerging = models.BooleanField(default=False, help_text="An emerging idea for change.")
    is_other = models.BooleanField(
        default=False, help_text="Notes that fit no theme; listed last, labelled 'Other'."
    )
    source = models.CharField(max_length=10, choices=ThemeSource.choices, default="auto")
    is_curated = models.BooleanField(default=False, help_text="Changed by a harvester.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "kind", "round__number", "is_other", "position", "id"]
        indexes = [models.Index(fields=["event", "kind", "round"])]

    def __str__(self) -> str:
        return self.title


class ThemeNote(models.Model):
    """A note's (or chat message's) place in a theme. Each is in one theme at most."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="members")
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, null=True, blank=True, related_name="theme_memberships"
    )
    message = models.ForeignKey(
        ChatMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="theme_memberships",
    )
    is_quote = models.BooleanField(default=False)
    is_duplicate = models.BooleanField(
        default=False, help_text="Says nearly the same as an earlier note of the theme."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["theme", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(note__isnull=False, message__isnull=True)
                | Q(note__isnull=True, message__isnull=False),
                name="theme_member_is_note_or_message",
            ),
            models.UniqueConstraint(
                fields=["note"], condition=Q(note__isnull=False), name="note_in_one_theme"
            ),
            models.UniqueConstraint(
                fields=["message"],
                condition=Q(message__isnull=False),
                name="message_in_one_theme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.note_id or self.message_id} in {self.theme_id}"


class ManualRedaction(models.Model):
    """A phrase a harvester redacted by hand, in one note or message, or everywhere."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="manual_redactions")
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, null=True, blank=True, related_name="manual_redactions"
    )
    message = models.ForeignKey(
        ChatMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="manual_redactions",
    )
    phrase = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.phrase


class KeptWord(models.Model):
    """Words a harvester said are not personal data: an automatic marker hiding exactly
    these words (case aside) is undone everywhere in the event. A manual redaction still
    hides them."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="kept_words")
    text = models.CharField(max_length=200)
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Not auto_now_add: undo puts a kept word back with the moment it was first kept.
    kept_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Lower("text"), "id"]
        constraints = [
            models.UniqueConstraint(Lower("text"), "event", name="kept_word_once_per_event"),
            models.CheckConstraint(condition=~Q(text=""), name="kept_word_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text


class EventHarvest(models.Model):
    """One row per event: the conclusions, and the version every curation change bumps.

    Curation services lock this row first, so two harvesters' changes to one event are
    applied one after the other, never interleaved.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="harvest")
    conclusions = models.TextField(blank=True, max_length=10000)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Harvest of {self.event}"


class CurationChange(models.Model):
    """One change a harvester made, with the state before and after it, for undo."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="curation_changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    description = models.CharField(max_length=300)
    before = models.JSONField()
    after = models.JSONField()
    version = models.PositiveIntegerField(help_text="The harvest's version after the change.")
    undone_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["event", "undone_at"])]

    def __str__(self) -> str:
        return self.description
