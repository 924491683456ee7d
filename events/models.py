"""The shape of a series of events and the people in it. Workflows live in ``services.py``."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

ROLE_CODE_PATTERN = r"^[A-Z]{1,6}$"


def new_event_code() -> str:
    """A short code people can type: no 0/O or 1/I to misread."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


def new_participant_key() -> str:
    return secrets.token_urlsafe(24)


class Stage(models.TextChoices):
    CONNECT = "connect", "Connect"
    EXPLORE = "explore", "Explore"
    CREATE = "create", "Create"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Live"
    CLOSED = "closed", "Closed"
    ARCHIVED = "archived", "Archived"


class Series(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    retention_days = models.PositiveIntegerField(
        default=365, help_text="Days after the last event before participants' data is deleted."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title


class StakeholderGroup(models.Model):
    """People with one kind of lived experience, e.g. birth parents and families."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="stakeholder_groups")
    name = models.CharField(max_length=120)
    default_role_codes = models.JSONField(
        default=list,
        blank=True,
        help_text='Role codes new events for this group start with, e.g. [["BP", "Birth parent"]].',
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["series", "name"], name="unique_group_name_per_series")
        ]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    context = models.TextField(
        blank=True, help_text="The part of the case for change presented at the start."
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default="Europe/London")
    capacity = models.PositiveIntegerField(default=30)
    table_size = models.PositiveSmallIntegerField(default=4)
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT)
    code = models.CharField(max_length=8, unique=True, default=new_event_code)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(table_size__gte=2, table_size__lte=12), name="event_table_size_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoleCode(models.Model):
    """How a participant's words are attributed in a report, e.g. ``BP`` for birth parent."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="role_codes")
    code = models.CharField(max_length=6)
    label = models.CharField(max_length=80)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="unique_role_code_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.label})"


class SegmentKind(models.TextChoices):
    TECH_INTRO = "tech_intro", "Technical introduction"
    CONTEXT = "context", "Context presentation"
    CAFE_ROUND = "cafe_round", "Café round"
    PLENARY = "plenary", "Plenary"
    CLOSING_QUESTIONS = "closing_questions", "Closing questions"
    BREAK = "break", "Break"
    OPEN_SPACE = "open_space", "Open Space"
    OTHER = "other", "Other"


class AgendaSegment(models.Model):
    """One block of the event's plan; start times are derived from the durations before it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=SegmentKind.choices)
    title = models.CharField(max_length=120)
    planned_minutes = models.PositiveSmallIntegerField()
    prompt = models.TextField(blank=True, help_text="For café rounds: the question tables discuss.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_minutes__gte=1, planned_minutes__lte=480),
                name="segment_minutes_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ClosingQuestion(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="closing_questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class StaffRole(models.TextChoices):
    FACILITATOR = "facilitator", "Host / facilitator"
    TABLE_HOST = "table_host", "Table host"
    REVIEW_TEAM = "review_team", "Review team"


class Membership(models.Model):
    """A staff member's role on one event or on a whole series."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(series__isnull=False, event__isnull=True))
                | (Q(series__isnull=True, event__isnull=False)),
                name="membership_on_series_or_event",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "series"],
                condition=Q(series__isnull=False),
                name="unique_series_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "event"],
                condition=Q(event__isnull=False),
                name="unique_event_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} of {self.series or self.event}"


class Invitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "event", name="unique_invitation_email_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.event}"


class ParticipantStatus(models.TextChoices):
    JOINED = "joined", "Joined"
    WAITLISTED = "waitlisted", "On the waitlist"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Participant(models.Model):
    """Someone taking part without an account: a pseudonym, a role code and their consent."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    pseudonym = models.CharField(max_length=40)
    role_code = models.CharField(max_length=6, blank=True)
    status = models.CharField(
        max_length=12, choices=ParticipantStatus.choices, default=ParticipantStatus.JOINED
    )
    consented_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    accessibility_needs = models.TextField(blank=True, max_length=1000)
    contact_email = models.EmailField(blank=True)
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="participants"
    )
    key = models.CharField(max_length=64, unique=True, default=new_participant_key)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(Lower("pseudonym"), "event", name="unique_pseudonym_per_event"),
            models.CheckConstraint(
                condition=Q(role_code="") | Q(role_code__regex=ROLE_CODE_PATTERN),
                name="participant_role_code_format",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def has_withdrawn(self) -> bool:
        return self.status == ParticipantStatus.WITHDRAWN


class RecordedAttendance(models.Model):
    """How many people of one role took part in an event whose people did not join here
    (run on paper or on another board), as its facilitator recorded it. The report counts
    these only while nobody has joined the event itself (``selectors.participants_by_role``).
    An empty ``role_code`` counts the people who preferred not to say."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="recorded_attendance")
    role_code = models.CharField(max_length=6, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["event", "role_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "role_code"], name="unique_recorded_attendance_per_role"
            ),
            models.CheckConstraint(
                condition=Q(role_code="") | Q(role_code__regex=ROLE_CODE_PATTERN),
                name="recorded_attendance_role_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.role_code or '—'} {self.count}"


class StatusChange(models.Model):
    """One move of an event's status, kept so facilitators can see who opened or closed it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=EventStatus.choices)
    to_status = models.CharField(max_length=10, choices=EventStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.event}: {self.from_status} → {self.to_status}"
