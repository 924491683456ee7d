"""Open Space (Connect) and the agenda of conversations (Create). Writes go through
``openspace.services``.

Each topic (or Create conversation) is backed by a cafés ``Table``: its live notes,
presence, acks and resync are the café's own, and a staff-free topic is a staff-free table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cafes.models import TEXT_MAX_LENGTH, Table
from events.models import Event, Participant

TITLE_MAX_LENGTH = 120
WHY_MAX_LENGTH = 500
FIELD_MAX_LENGTH = TEXT_MAX_LENGTH


class Space(models.Model):
    """A breakout room of the marketplace, e.g. "Room A" for 12 people."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="spaces")
    name = models.CharField(max_length=60)
    capacity = models.PositiveSmallIntegerField(default=10)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_space_name"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="space_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class TimeSlot(models.Model):
    """A column of the marketplace, e.g. "11:00-11:45"."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="time_slots")
    label = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "label"], name="unique_time_slot_label")
        ]

    def __str__(self) -> str:
        return self.label


class Topic(models.Model):
    """A topic proposed at Connect, or a conversation on the Create agenda. Its proposer
    hosts it; it may be placed in one space and time slot of the marketplace."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="topics")
    table = models.OneToOneField(Table, on_delete=models.PROTECT, related_name="topic")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    why = models.TextField(max_length=WHY_MAX_LENGTH, blank=True)
    proposer = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="topics"
    )
    proposer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    space = models.ForeignKey(
        Space, on_delete=models.SET_NULL, null=True, blank=True, related_name="topics"
    )
    slot = models.ForeignKey(
        TimeSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="topics"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_topics"
    )
    key_points = models.TextField(max_length=FIELD_MAX_LENGTH, blank=True)
    key_points_at = models.DateTimeField(null=True, blank=True)
    client_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "client_id"], name="unique_topic_client_id"),
            models.UniqueConstraint(
                fields=["space", "slot"],
                condition=Q(merged_into__isnull=True, space__isnull=False, slot__isnull=False),
                name="one_topic_per_space_and_slot",
            ),
            models.CheckConstraint(
                condition=Q(space__isnull=True, slot__isnull=True)
                | Q(space__isnull=False, slot__isnull=False),
                name="topic_placed_in_space_and_slot",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class SignUp(models.Model):
    """A participant's interest in a topic (used to place it); moving there signs up too."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="sign_ups")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "participant"], name="one_sign_up_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.participant} for {self.topic}"


class ThemeSource(models.Model):
    """Where a Create conversation or a proposal came from: an Explore theme and the notes
    quoted under it. Ids only; the words are read through the harvest (redacted, withdrawn
    participants left out) whenever they are shown."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="sources"
    )
    proposal = models.ForeignKey(
        "Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="sources"
    )
    explore_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(
        "harvest.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    theme_title = models.CharField(max_length=200)
    # ``harvest.series.theme_key`` of the theme: the same theme is put on an agenda once.
    theme_key = models.CharField(max_length=40, blank=True, default="")
    note_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=True) ^ Q(proposal__isnull=True),
                name="theme_source_of_topic_or_proposal",
            )
        ]

    def __str__(self) -> str:
        return self.theme_title


class Proposal(models.Model):
    """A Create conversation's output: a solution-focused proposal for the review."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="proposals")
    problem = models.TextField(max_length=FIELD_MAX_LENGTH)
    change = models.TextField(max_length=FIELD_MAX_LENGTH)
    who_acts = models.TextField(max_length=FIELD_MAX_LENGTH)
    first_step = models.TextField(max_length=FIELD_MAX_LENGTH)
    impact = models.TextField(max_length=FIELD_MAX_LENGTH)
    open_questions = models.TextField(max_length=FIELD_MAX_LENGTH, blank=True)
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "client_id"], name="unique_proposal_client_id")
        ]

    def __str__(self) -> str:
        return self.change[:60]


class Endorsement(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="endorsements")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "participant"], name="one_endorsement_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} endorses {self.proposal}"


class ConcernKind(models.TextChoices):
    PROBLEM = "problem", "A problem to solve"
    TENSION = "tension", "A tension to manage"


class Concern(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="concerns")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    role_code = models.CharField(max_length=6, blank=True)
    kind = models.CharField(max_length=10, choices=ConcernKind.choices)
    text = models.TextField(max_length=FIELD_MAX_LENGTH)
    client_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "client_id"], name="unique_concern_client_id"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]
