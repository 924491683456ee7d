"""Report versions, the files each compile produced, and the audit trail of downloads.

A version is of one Explore event (its harvest report) or of a whole series (the series
report, from Connect to Create): one table, so compiling, files, progress and downloads
work the same for both. Every write goes through ``reports.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from events.models import Event, Series


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Compiling"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    HTML = "html", "Web page (HTML)"
    MD = "md", "Markdown"
    JSON = "json", "JSON data"
    CSV = "csv", "CSV spreadsheet"


class ReportVersion(models.Model):
    """One compile of an event's report, or of a series' report (exactly one of ``event``
    and ``series`` is set). A new compile is a new version; none is overwritten."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="report_versions"
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_versions",
        help_text="Set for the series report; its versions are numbered on their own.",
    )
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=80, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=80, blank=True, help_text="Why it was compiled.")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker started compiling it."
    )
    fingerprint = models.CharField(max_length=64, blank=True, help_text="Of the inputs.")
    curated = models.BooleanField(default=False, help_text="Made from curated themes.")
    note_count = models.PositiveIntegerField(
        default=0, help_text="Notes reported (an event) or voices quoted (a series)."
    )
    error = models.TextField(blank=True)
    contributors = models.JSONField(
        null=True,
        blank=True,
        help_text="Ids of the participants whose words it holds; null when not recorded.",
    )
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="When its files were removed: words in it were taken back."
    )
    withdrawn_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["event", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="unique_report_version"),
            models.UniqueConstraint(
                fields=["series", "number"], name="unique_series_report_version"
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=True) ^ Q(series__isnull=True),
                name="report_of_event_or_series",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="report_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · version {self.number}"

    @property
    def is_series(self) -> bool:
        return self.series_id is not None

    @property
    def subject(self) -> Event | Series:
        """What the report is about: the series for a series report, else the event."""
        return self.series if self.is_series else self.event

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportStatus.DONE, ReportStatus.FAILED}

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ReportFile(models.Model):
    """One format of one version, stored under ``MEDIA_ROOT/reports/``."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=5, choices=ReportFormat.choices)
    file = models.FileField(upload_to="reports/", max_length=300)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "format"], name="one_file_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.format})"


class Download(models.Model):
    """Who downloaded which report file, and when: the review team's audit trail."""

    report_file = models.ForeignKey(ReportFile, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept if the account is deleted.")
    downloaded_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(
        max_length=10,
        choices=[("download", "Downloaded"), ("removed", "File removed")],
        default="download",
    )
    detail = models.CharField(max_length=200, blank=True, help_text="Why a file was removed.")

    class Meta:
        ordering = ["-downloaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.username} · {self.report_file} · {self.downloaded_at:%Y-%m-%d %H:%M}"
