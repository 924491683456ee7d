"""Retention: participants' data is deleted once their series' retention period is over."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cafes import services as cafe_services
from cafes.models import ChatMessage, Note, Seat
from events import services, tasks
from events.models import Event, Invitation, Participant
from tests.cafes.conftest import cid, make_event, participant_viewer, staff_viewer
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def lived_event(*, ended_days_ago: int, retention_days: int):
    event = make_event()
    event.series.retention_days = retention_days
    event.series.save()
    facilitator = staff_viewer(event)
    people = [ParticipantFactory(event=event) for _ in range(4)]
    cafe_services.start_cafe(viewer=facilitator)
    cafe_services.open_round(viewer=facilitator, number=1)
    for person in people:
        viewer = participant_viewer(person)
        cafe_services.post_note(viewer=viewer, text="My story", kind="story", client_id=cid())
        cafe_services.post_chat(viewer=viewer, text="Hello all", client_id=cid())
    services.invite_people(event=event, pasted_emails="x@example.org", invited_by=UserFactory())
    ended = timezone.now() - timedelta(days=ended_days_ago)
    Event.objects.filter(pk=event.pk).update(starts_at=ended - timedelta(hours=3), ends_at=ended)
    return event


def test_the_nightly_task_deletes_only_series_past_their_retention():
    expired = lived_event(ended_days_ago=40, retention_days=30)
    kept = lived_event(ended_days_ago=10, retention_days=30)

    deleted = tasks.purge_expired_participant_data.apply().get()

    assert deleted == {expired.series.slug: 4}
    for model in (Participant, Note, ChatMessage, Seat):
        assert not model.objects.filter(
            **{"event" if model is not Seat else "round__event": expired}
        ).exists()
        assert model.objects.filter(**{"event" if model is not Seat else "round__event": kept})
    assert not Invitation.objects.filter(event=expired).exists()
    assert Invitation.objects.filter(event=kept).exists()
    assert Event.objects.filter(pk=expired.pk).exists()  # the event itself stays
    assert tasks.purge_expired_participant_data.apply().get() == {expired.series.slug: 0}


def test_a_series_with_an_event_still_to_come_keeps_its_data():
    event = lived_event(ended_days_ago=400, retention_days=30)
    later = make_event()
    Event.objects.filter(pk=later.pk).update(series=event.series)
    assert services.purge_expired_participant_data() == {}
    assert Participant.objects.filter(event=event).count() == 4


def test_the_retention_job_is_scheduled_nightly():
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-expired-participant-data"]
    assert schedule["task"] == tasks.purge_expired_participant_data.name


def test_a_withdrawn_participants_words_leave_the_csv_export():
    from cafes.csv_io import export_csv

    event = lived_event(ended_days_ago=1, retention_days=365)
    leaving, staying = list(Participant.objects.filter(event=event))[:2]
    Note.objects.filter(participant=leaving).update(text="Words of the one who left")
    Note.objects.filter(participant=staying).update(text="Words of the one who stayed")
    before = export_csv(event=event)
    services.withdraw_participant(participant=leaving)
    after = export_csv(event=event)

    assert "Words of the one who left" in before
    assert "Words of the one who left" not in after
    assert "Words of the one who stayed" in after
