"""An Explore event with a café's worth of words (the harvest fixture), priorities with
votes, role codes and staff in every role."""

import uuid

import pytest

from cafes.models import Priority, Round, Table, Vote
from events.models import StaffRole
from tests.factories import MembershipFactory, RoleCodeFactory, UserFactory
from tests.harvest.conftest import load_event

PRIORITIES = [
    (1, "An independent advocate for every parent from the first meeting", 5),
    (1, "Keep the same social worker for a family", 3),
    (2, "Pay kinship carers an allowance like foster carers", 4),
    (2, '=HYPERLINK("http://evil.example") plain English letters', 1),
    (3, "Peer support groups run by parents in every area", 2),
]
ROLE_CODES = [("BP", "Birth parent"), ("BF", "Wider birth family"), ("KC", "Kinship carer")]


def add_priorities(event) -> list[Priority]:
    last = Round.objects.filter(event=event).order_by("-number").first()
    people = list(event.participants.order_by("pk"))
    out = []
    for table_number, text, votes in PRIORITIES:
        priority = Priority.objects.create(
            round=last,
            table=Table.objects.get(event=event, number=table_number),
            text=text,
            client_id=uuid.uuid4(),
        )
        Vote.objects.bulk_create(Vote(priority=priority, participant=p) for p in people[:votes])
        out.append(priority)
    return out


def load_report_event():
    event = load_event()
    event.context = "The review asks how families can be helped to stay together."
    event.save()
    for code, label in ROLE_CODES:
        RoleCodeFactory(event=event, code=code, label=label)
    add_priorities(event)
    return event


@pytest.fixture
def report_event(db):
    return load_report_event()


@pytest.fixture
def people(report_event):
    """A user in each staff role on the event (the facilitator is the fixture's harvester)."""
    host = UserFactory(username="host", first_name="Tamsin", last_name="Okafor")
    table = report_event.tables.order_by("number").first()
    table.host = host
    table.save()
    other_event_staff = UserFactory(username="elsewhere")
    MembershipFactory(user=other_event_staff, role=StaffRole.FACILITATOR)
    reviewer = UserFactory(username="reviewer", first_name="Priya", last_name="Lindqvist")
    MembershipFactory(
        user=reviewer, series=report_event.series, event=None, role=StaffRole.REVIEW_TEAM
    )
    MembershipFactory(user=host, event=report_event, role=StaffRole.TABLE_HOST)
    return {
        "facilitator": report_event.memberships.get(role=StaffRole.FACILITATOR).user,
        "table_host": host,
        "review_team": reviewer,
        "other_event_staff": other_event_staff,
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test's report files in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def finished_json(version, folder: str, media_root, content: bytes):
    """A JSON file of a finished ``version``, stored under ``media_root / folder``."""
    from reports.models import ReportFile

    path = media_root / folder / "v1" / "attempt-1" / "r.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    return ReportFile.objects.create(
        version=version,
        format="json",
        file=str(path.relative_to(media_root)),
        size=path.stat().st_size,
        sha256="0" * 64,
    )


def client_as(role: str, event, people):
    """A browser signed in as ``role``: anonymous, a participant of ``event``, or one of
    ``people``."""
    from django.test import Client

    from events.identity import SESSION_KEY
    from tests.factories import ParticipantFactory

    client = Client()
    if role == "participant":
        participant = ParticipantFactory(event=event, pseudonym="Visitor")
        session = client.session
        session[SESSION_KEY] = {str(event.pk): participant.pk}
        session.save()
    elif role != "anonymous":
        client.force_login(people[role])
    return client
