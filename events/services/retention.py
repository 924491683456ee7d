"""Retention: deleting participants' data once a series' retention period is over."""

from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

from events.models import Invitation, Participant, Series


def series_past_retention(*, now: datetime | None = None) -> list[Series]:
    """Series whose last event ended more than ``retention_days`` ago."""
    now = now or timezone.now()
    expired = []
    for series in Series.objects.annotate(last_end=models.Max("events__ends_at")).exclude(
        last_end=None
    ):
        if series.last_end + timedelta(days=series.retention_days) < now:
            expired.append(series)
    return expired


@transaction.atomic
def delete_participant_data(*, series: Series) -> int:
    """Delete every participant of the series' events, with everything they wrote or
    were sent (words, votes, answers, seats, invitations with their email addresses).

    Returns how many participants were deleted. What the events were (titles, agendas,
    questions, staff) stays, so the series can be reported on without anyone in it."""
    participants = Participant.objects.filter(event__series=series)
    count = participants.count()
    participants.delete()  # the database cascades to their words, votes, answers, seats
    Invitation.objects.filter(event__series=series).delete()
    return count


def purge_expired_participant_data(*, now: datetime | None = None) -> dict[str, int]:
    """The scheduled retention job: per series past its retention period, delete its
    participants' data. Safe to run any number of times."""
    return {
        series.slug: delete_participant_data(series=series)
        for series in series_past_retention(now=now)
    }
