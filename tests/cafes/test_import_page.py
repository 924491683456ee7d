"""The facilitator's CSV upload: every row or none, mistakes listed by line, staff only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cafes.models import ChatMessage, ClosingAnswer, Note
from events.identity import remember_participant
from events.models import StaffRole
from tests.cafes.conftest import make_event, staff_viewer
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "round,table,kind,text,role,question\n"
    "1,Table 1,story,The support worker listened,BP,\n"
    "1,2,problem,Nobody explained the plan,BF,\n"
    "1,,comment,Thank you all,BP,\n"
    ",,answer,More time with families,BP,What one change would help most?\n"
)


def upload(client, event, content: bytes, name: str = "notes.csv"):
    return client.post(
        reverse("cafes:import_notes", args=[event.slug]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


@pytest.fixture
def event():
    return make_event()


@pytest.fixture
def facilitator_client(client, event):
    client.force_login(staff_viewer(event).user)
    return client


def test_a_facilitator_imports_a_file_and_is_told_what_came_in(facilitator_client, event):
    page = facilitator_client.get(reverse("cafes:import_notes", args=[event.slug]))
    assert '<label for="id_file">CSV file</label>' in page.text

    response = upload(facilitator_client, event, ("\ufeff" + GOOD).encode())
    assert response.status_code == 302
    shown = facilitator_client.get(response.url).text
    assert "Imported 2 notes, 1 chat messages and 1 answers." in shown
    assert sorted(Note.objects.filter(event=event).values_list("text", "role_code")) == [
        ("Nobody explained the plan", "BF"),
        ("The support worker listened", "BP"),
    ]
    assert ChatMessage.objects.get(event=event).text == "Thank you all"
    assert ClosingAnswer.objects.get(question__event=event).text == "More time with families"


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_line(facilitator_client, event):
    bad = GOOD + "1,1,gossip,Something,BP,\n9x,1,story,Another,BP,\n"

    response = upload(facilitator_client, event, bad.encode())

    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert "line 6" in response.text
    assert "line 7" in response.text
    assert not Note.objects.filter(event=event).exists()
    assert not ChatMessage.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("round;table\n1;2\n".encode("utf-16"), "This file is not UTF-8 text."),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_utf8_csv_gets_a_clear_error(
    facilitator_client, event, content, message
):
    response = upload(facilitator_client, event, content)
    assert response.status_code == 400
    assert message in response.text
    assert not Note.objects.exists()


def test_a_file_over_5_mb_is_refused(facilitator_client, event):
    response = upload(facilitator_client, event, b"x" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert "This file is larger than 5 MB." in response.text


def test_only_the_events_facilitators_may_import(client, event):
    url = reverse("cafes:import_notes", args=[event.slug])
    assert client.get(url).url.startswith(reverse("login"))

    for role in (StaffRole.TABLE_HOST, StaffRole.REVIEW_TEAM):
        client.force_login(staff_viewer(event, role).user)
        assert upload(client, event, GOOD.encode()).status_code == 403
    other = make_event()
    client.force_login(staff_viewer(other).user)
    assert upload(client, event, GOOD.encode()).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403

    client.logout()
    participant = ParticipantFactory(event=event)
    session = client.session
    remember_participant(session, participant)
    session.save()
    assert upload(client, event, GOOD.encode()).url.startswith(reverse("login"))
    assert not Note.objects.exists()
