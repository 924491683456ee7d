"""An Explore event loaded from ``fixtures/notes.csv``: notes, chat and closing answers."""

import csv
import uuid
from pathlib import Path

import pytest

from cafes.models import ChatMessage, ClosingAnswer, Note
from events.models import ParticipantStatus
from tests.factories import (
    ClosingQuestionFactory,
    EventFactory,
    MembershipFactory,
    ParticipantFactory,
    RoundFactory,
    TableFactory,
    UserFactory,
)
from tests.harvest.fixtures.make_notes import ANSWERS, CHAT

CSV = Path(__file__).parent / "fixtures" / "notes.csv"
PSEUDONYMS = ["Sarah", "Robin3", "Hope", "Dee", "Marek", "Aisha", "Tom", "Grace"]


def fixture_rows() -> list[dict]:
    with CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_event(event=None):
    """Create the fixture's event (or fill ``event``) and return it."""
    event = event or EventFactory(slug="bridge-explore-parents", title="Explore: birth parents")
    facilitator = UserFactory(username="harvester", first_name="Will", last_name="Davies")
    MembershipFactory(user=facilitator, event=event)
    people = [ParticipantFactory(event=event, pseudonym=p) for p in PSEUDONYMS]
    rounds = {n: RoundFactory(event=event, number=n) for n in (1, 2, 3)}
    tables = {n: TableFactory(event=event, number=n) for n in range(1, 8)}
    Note.objects.bulk_create(
        Note(
            event=event,
            round=rounds[int(row["round"])],
            table=tables[int(row["table"])],
            participant=people[i % len(people)],
            role_code=row["role_code"],
            kind=row["kind"],
            text=row["text"],
            client_id=uuid.uuid4(),
        )
        for i, row in enumerate(fixture_rows())
    )
    ChatMessage.objects.bulk_create(
        ChatMessage(
            event=event,
            round=rounds[number],
            participant=people[i % len(people)],
            role_code="BP",
            text=text,
            client_id=uuid.uuid4(),
        )
        for number, texts in CHAT.items()
        for i, text in enumerate(texts)
    )
    for position, (question, answers) in enumerate(ANSWERS.items(), start=1):
        q = ClosingQuestionFactory(event=event, position=position, text=question)
        ClosingAnswer.objects.bulk_create(
            ClosingAnswer(question=q, role_code="BP", text=text, client_id=uuid.uuid4())
            for text in answers
        )
    return event


@pytest.fixture
def fixture_event(db):
    return load_event()


@pytest.fixture
def harvester(fixture_event):
    return fixture_event.memberships.get().user


def withdraw(participant) -> None:
    participant.status = ParticipantStatus.WITHDRAWN
    participant.save()
