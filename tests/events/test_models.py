"""The rules the database itself keeps, whatever code writes to it."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from events.models import Membership, StaffRole
from tests.factories import EventFactory, ParticipantFactory, SeriesFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_event_cannot_end_before_it_starts():
    event = EventFactory()
    event.ends_at = event.starts_at - timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_capacity_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(capacity=0)


def test_pseudonyms_are_unique_per_event_whatever_the_case():
    participant = ParticipantFactory(pseudonym="Robin")
    ParticipantFactory(pseudonym="robin")  # another event: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(event=participant.event, pseudonym="ROBIN")


def test_role_codes_of_participants_are_capital_letters_or_empty():
    ParticipantFactory(role_code="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(role_code="bp1")


def test_a_membership_is_on_a_series_or_an_event_never_both():
    user, event = UserFactory(), EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user, role=StaffRole.FACILITATOR, series=event.series, event=event
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=StaffRole.FACILITATOR)


def test_event_codes_are_six_unambiguous_characters():
    codes = {EventFactory().code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 6
        assert not set(code) & set("0O1I")


def test_series_slugs_are_unique():
    SeriesFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        SeriesFactory(slug="same")
