"""What is said at the café tables. Every write goes through ``cafes.services``."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from events.models import ClosingQuestion, Event, Participant

TEXT_MAX_LENGTH = 2000


class Table(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_tables",
    )
    staff_free = models.BooleanField(
        default=False,
        help_text="A group meeting without staff: staff cannot read its notes until it shares.",
    )
    shared_at = models.DateTimeField(
        null=True, blank=True, help_text="When a staff-free group shared its notes with staff."
    )

    class Meta:
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="unique_table_number")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name or f"Table {self.number}"

    @property
    def closed_to_staff(self) -> bool:
        """A staff-free table whose group has not (yet) chosen to share its notes."""
        return self.staff_free and self.shared_at is None


class RoundStatus(models.TextChoices):
    PENDING = "pending", "Not started"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Round(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    prompt = models.TextField()
    planned_minutes = models.PositiveSmallIntegerField(default=30)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default="pending")
    opened_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="unique_round_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="round_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Round {self.number}"


class Seat(models.Model):
    """Where a participant sits in one round; the table's host is on ``Table.host``."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="seats")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="seats")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "participant"], name="one_seat_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.participant} at {self.table} in {self.round}"


class NoteKind(models.TextChoices):
    STORY = "story", "Story"
    PROBLEM = "problem", "Problem"
    STRENGTH = "strength", "Strength"
    POSSIBILITY = "possibility", "Possibility"
    IDEA = "idea", "Idea"
    SOLUTION = "solution", "Solution"


class NoteStatus(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden by the table host"
    WITHDRAWN = "withdrawn", "Withdrawn by the author"
    MERGED = "merged", "Merged into another note"


class Note(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notes")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="notes")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="notes")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
    )
    role_code = models.CharField(max_length=6, blank=True)
    kind = models.CharField(max_length=12, choices=NoteKind.choices)
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default="visible")
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_notes"
    )
    client_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "client_id"], name="unique_note_client_id")
        ]
        indexes = [models.Index(fields=["event", "round", "table"])]

    def __str__(self) -> str:
        return self.text[:60]


class ChatMessage(models.Model):
    """A message in the event chat; ``round`` is the round whose plenary it belongs to."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="chat_messages")
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="chat_messages"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="chat_messages"
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_messages",
    )
    role_code = models.CharField(max_length=6, blank=True)
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    pinned = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    client_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "client_id"], name="unique_chat_client_id")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Priority(models.Model):
    """One of a table's (at most three) high-priority solutions in the priorities round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="priorities")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="priorities")
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    source_note = models.ForeignKey(
        Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="priorities"
    )
    author = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="priorities",
        help_text="Who typed it (none for staff and imports): their withdrawal removes it.",
    )
    # Votes cast where no Vote row can hold them: dots counted on paper or on another board
    # and brought in by an import, whose voters are not participants here. A priority's
    # votes are these plus its Vote rows.
    recorded_votes = models.PositiveIntegerField(
        default=0, help_text="Votes counted outside Bridgework (imported), added to live votes."
    )
    client_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["round", "client_id"], name="unique_priority_client_id")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "participant"], name="one_vote_per_priority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} for {self.priority}"


class ClosingAnswer(models.Model):
    question = models.ForeignKey(ClosingQuestion, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    role_code = models.CharField(max_length=6, blank=True)
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    client_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "participant"],
                condition=Q(participant__isnull=False),
                name="one_answer_per_participant",
            ),
            models.UniqueConstraint(
                fields=["question", "client_id"], name="unique_answer_client_id"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class LetterKind(models.TextChoices):
    FIRST = "first", "The questionnaire link"
    REMINDER = "reminder", "The one reminder"


class QuestionnaireLetter(models.Model):
    """One email with a participant's questionnaire link: the first after the event closes,
    and at most one reminder. The row is claimed and locked while the email goes and
    ``sent_at`` set in the same transaction, so a retried task or a second close does not
    write to anyone twice (only a worker killed between the mail server's acceptance and the
    commit could: the letter would go again on the retry)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="questionnaire_letters"
    )
    kind = models.CharField(max_length=10, choices=LetterKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The mail server refused the address for good (a 5xx answer): not tried again.
    undeliverable = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind"], name="one_questionnaire_letter_of_each_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to participant {self.participant_id}"


class QuestionnaireReminder(models.Model):
    """The facilitator's one press of "Send one reminder" for an event (one per event)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="questionnaire_reminder"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # How many people were owed a reminder when it was pressed.
    recipients = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"Questionnaire reminder of event {self.event_id}"


class LiveUpdate(models.Model):
    """The resumable stream of news for an event's live pages.

    Every change a browser must see is written here in the same transaction as the change
    itself; its id is what a reconnecting client resumes from. ``table`` is empty for news
    that every seat of the event sees (rounds, timer, chat, broadcasts).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="live_updates")
    table = models.ForeignKey(
        Table, on_delete=models.CASCADE, null=True, blank=True, related_name="live_updates"
    )
    kind = models.CharField(max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["event", "id"]),
            # The newest update of a table, and of the event's own news: a note's ``prev``.
            models.Index(fields=["table", "id"], name="cafes_update_table_id"),
            models.Index(
                fields=["event", "id"],
                condition=Q(table__isnull=True),
                name="cafes_update_event_news_id",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.kind}"


class CafePhase(models.TextChoices):
    SEATED = "seated", "Seated, waiting for the round to open"
    ROUND = "round", "Round in progress"
    PLENARY = "plenary", "Plenary"
    CLOSING = "closing", "Closing questions"
    ENDED = "ended", "Ended"


class Cafe(models.Model):
    """The live state of one event's café: which round is on and what everyone is doing.

    Every write to the café locks this row first — outright, or shared by a note's write,
    which then locks its table's row — so update ids commit in order for everyone who may
    see them and a resuming client never skips past a late commit (``cafes/ordering.py``).
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="cafe")
    phase = models.CharField(max_length=10, choices=CafePhase.choices, default=CafePhase.SEATED)
    current_round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    broadcast = models.CharField(max_length=280, blank=True)
    broadcast_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Café of {self.event}"


class SeatHosting(models.Model):
    """A participant who keeps a table in a round that has no staff host (stays on rotation)."""

    seat = models.OneToOneField(Seat, on_delete=models.CASCADE, related_name="hosting")

    def __str__(self) -> str:
        return f"{self.seat} hosts"


class ReadBack(models.Model):
    """The host's summary of a table's earlier round, read back to newcomers."""

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="read_backs")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="read_backs")
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="read_backs",
        help_text="The participant hosting the table who wrote it (none for staff): their "
        "withdrawal removes it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table", "round"], name="one_read_back_per_table_round")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Reaction(models.TextChoices):
    AGREE = "agree", "Agree"
    HEART = "heart", "With you"
    IDEA = "idea", "Good idea"
    THANKS = "thanks", "Thank you"


class ChatReaction(models.Model):
    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="reactions")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reaction = models.CharField(max_length=10, choices=Reaction.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "participant", "reaction"],
                condition=Q(participant__isnull=False),
                name="one_reaction_per_participant",
            ),
            models.UniqueConstraint(
                fields=["message", "user", "reaction"],
                condition=Q(user__isnull=False),
                name="one_reaction_per_user",
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=True) ^ Q(user__isnull=True),
                name="reaction_by_participant_or_user",
            ),
        ]

    def __str__(self) -> str:
        return self.reaction


class Presence(models.Model):
    """One open live connection; who is at a table is read from these rows."""

    channel_name = models.CharField(max_length=200, unique=True)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["event", "seen_at"])]

    def __str__(self) -> str:
        return self.channel_name
