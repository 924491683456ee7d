"""factory-boy factories for the core models of every app."""

import uuid
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cafes.models import ChatMessage, ClosingAnswer, Note, NoteKind, Round, Seat, Table
from events.models import (
    ClosingQuestion,
    Event,
    Membership,
    Participant,
    RoleCode,
    Series,
    StaffRole,
    Stage,
    StakeholderGroup,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    password = factory.django.Password("pw-12345678")


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")


class StakeholderGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderGroup

    series = factory.SubFactory(SeriesFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    series = factory.SubFactory(SeriesFactory)
    stage = Stage.EXPLORE
    title = factory.Sequence(lambda n: f"Explore event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))


class RoleCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleCode
        django_get_or_create = ("event", "code")

    event = factory.SubFactory(EventFactory)
    code = "BP"
    label = "Birth parent"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = StaffRole.FACILITATOR
    event = factory.SubFactory(EventFactory)
    series = None


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    pseudonym = factory.Sequence(lambda n: f"Robin{n}")
    role_code = "BP"
    consented_at = factory.LazyFunction(timezone.now)


class ClosingQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosingQuestion

    event = factory.SubFactory(EventFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Closing question {n}?")


class TableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table

    event = factory.SubFactory(EventFactory)
    number = factory.Sequence(lambda n: n + 1)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    event = factory.SubFactory(EventFactory)
    number = 1
    prompt = "What has helped or hindered your experience?"


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    round = factory.SubFactory(RoundFactory)
    table = factory.SubFactory(TableFactory, event=factory.SelfAttribute("..round.event"))
    participant = factory.SubFactory(
        ParticipantFactory, event=factory.SelfAttribute("..round.event")
    )


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    round = factory.SubFactory(RoundFactory)
    event = factory.SelfAttribute("round.event")
    table = factory.SubFactory(TableFactory, event=factory.SelfAttribute("..round.event"))
    participant = factory.SubFactory(
        ParticipantFactory, event=factory.SelfAttribute("..round.event")
    )
    role_code = factory.SelfAttribute("participant.role_code")
    kind = NoteKind.STORY
    text = factory.Sequence(lambda n: f"Note number {n} about support from the social worker")
    client_id = factory.LazyFunction(uuid.uuid4)


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    event = factory.SubFactory(EventFactory)
    participant = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    role_code = factory.SelfAttribute("participant.role_code")
    text = factory.Sequence(lambda n: f"Chat message {n}")
    client_id = factory.LazyFunction(uuid.uuid4)


class ClosingAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosingAnswer

    question = factory.SubFactory(ClosingQuestionFactory)
    participant = factory.SubFactory(
        ParticipantFactory, event=factory.SelfAttribute("..question.event")
    )
    role_code = factory.SelfAttribute("participant.role_code")
    text = factory.Sequence(lambda n: f"Answer {n}")
    client_id = factory.LazyFunction(uuid.uuid4)
