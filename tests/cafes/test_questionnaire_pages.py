"""The questionnaire's pages (issue 19): the deadline on the participant's page and its polite
refusal after it, and the facilitator's "Questionnaire" panel on the event overview, with
counts only and "Send one reminder"."""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cafes import services
from cafes.models import ClosingAnswer, LetterKind, QuestionnaireLetter, QuestionnaireReminder
from cafes.questionnaire import deadline_words
from events.identity import remember_participant
from events.models import EventStatus, StaffRole
from tests.cafes.conftest import cid, make_event, participant_viewer, staff_viewer
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a person reads it: entities decoded, tags and spacing flattened."""
    flat = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    return re.sub(r" ([.,])", r"\1", flat)


def answer(participant, question, words):
    services.answer_question(
        viewer=participant_viewer(participant), question_id=question.pk, text=words, client_id=cid()
    )


def past_deadline(event) -> None:
    event.starts_at = timezone.now() - timedelta(days=20)
    event.ends_at = event.starts_at + timedelta(hours=3)
    event.status = EventStatus.CLOSED
    event.save()


# --- the participant's page ------------------------------------------------------------------


def test_the_questionnaire_says_by_when_to_answer(client):
    event = make_event(questions=1)
    participant = ParticipantFactory(event=event)
    page = text(client.get(reverse("cafes:questionnaire", args=[participant.key])))
    assert f"Please answer by {deadline_words(event)}." in page
    assert "Save my answers" in page


def test_after_the_deadline_the_page_is_readable_and_refuses_politely(client):
    event = make_event(questions=2)
    participant = ParticipantFactory(event=event)
    first, second = event.closing_questions.all()
    answer(participant, first, "Plain letters, x < y")
    past_deadline(event)
    url = reverse("cafes:questionnaire", args=[participant.key])

    page = client.get(url)
    assert page.status_code == 200
    shown = text(page)
    assert f"These questions closed on {deadline_words(event)}." in shown
    assert "Your answers below are kept as they were." in shown
    assert "Plain letters, x &lt; y" in page.text  # still there to read, as typed
    assert first.text in shown
    assert second.text in shown
    assert "Save my answers" not in shown
    assert page.text.count(" disabled") == 2

    refused = client.post(
        url,
        {
            "q-client_id": str(cid()),
            f"q-answer_{first.pk}": "",
            f"q-answer_{second.pk}": "Too late",
        },
    )
    assert refused.status_code == 403
    said = text(refused)
    assert f"These questions closed on {deadline_words(event)}." in said
    assert "nothing you sent just now was saved" in said
    assert list(ClosingAnswer.objects.values_list("question_id", "text")) == [
        (first.pk, "Plain letters, x < y")
    ]


# --- the facilitator's panel -------------------------------------------------------------------


class ClosedEvent:
    """A closed event whose letters went to three people: one finished, one halfway, one
    who answered nothing; a fourth (no email) answered in the room."""

    def __init__(self) -> None:
        self.event = make_event(questions=2)
        self.facilitator = staff_viewer(self.event)
        self.first, self.second = self.event.closing_questions.all()
        self.people = [
            ParticipantFactory(event=self.event, pseudonym=name, contact_email=f"{name}@x.org")
            for name in ("Ash", "Birch", "Cedar")
        ]
        ash, birch, _ = self.people
        self.words = ["Someone who listens", "Being believed", "Meetings in plain words"]
        answer(ash, self.first, self.words[0])
        answer(ash, self.second, self.words[1])
        answer(birch, self.first, self.words[2])
        self.event.status = EventStatus.CLOSED
        self.event.save()
        for person in self.people:
            QuestionnaireLetter.objects.create(
                participant=person, kind=LetterKind.FIRST, sent_at=timezone.now()
            )

    @property
    def overview(self) -> str:
        return reverse("events:event_overview", args=[self.event.slug])

    @property
    def remind(self) -> str:
        return reverse("cafes:questionnaire_reminder", args=[self.event.slug])


@pytest.fixture
def closed(db):
    return ClosedEvent()


def test_the_panel_shows_counts_and_never_whose_words(client, closed):
    client.force_login(closed.facilitator.user)
    response = client.get(closed.overview)
    page = text(response)
    assert "Questionnaire" in page
    assert "Sent the link 3 people" in page
    assert "Answered all 1" in page
    assert "Answered some 1" in page
    assert "Answered none yet 1" in page
    assert f"Answers close {deadline_words(closed.event)}" in page
    assert "Reminder Not sent" in page
    assert "Send one reminder" in page
    for words in closed.words:
        assert words not in response.text
    for person in closed.people:
        assert person.pseudonym not in response.text
        assert person.contact_email not in response.text


def test_the_review_team_sees_the_counts_without_the_button(client, closed):
    client.force_login(staff_viewer(closed.event, StaffRole.REVIEW_TEAM).user)
    page = text(client.get(closed.overview))
    assert "Sent the link 3 people" in page
    assert "Send one reminder" not in page


def test_before_the_close_the_panel_says_what_will_happen(client):
    event = make_event(questions=2)
    facilitator = staff_viewer(event)
    client.force_login(facilitator.user)
    page = text(client.get(reverse("events:event_overview", args=[event.slug])))
    assert "When the event closes, everyone who joined, gave an email" in page
    assert f"Answers are taken until {deadline_words(event)}." in page
    assert "Send one reminder" not in page


def test_send_one_reminder_once_from_the_overview(
    client, closed, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("ops.queue._enqueue", lambda name, args: queued.append((name, args)))
    client.force_login(closed.facilitator.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(closed.remind, follow=True)
    assert response.redirect_chain == [(closed.overview, 302)]
    page = text(response)
    assert "The reminder is on its way to 2 people who have not answered every question." in page
    assert "Reminder Sent on" in page
    assert "Send one reminder" not in page
    assert queued == [(services.SEND_QUESTIONNAIRE_LETTERS_TASK, (closed.event.pk, "reminder"))]

    again = text(client.post(closed.remind, follow=True))
    assert "The one reminder of this event was already sent on" in again
    assert "nothing was sent now" in again
    assert len(queued) == 1
    assert QuestionnaireReminder.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("participant", 302),
        (StaffRole.TABLE_HOST, 403),
        (StaffRole.REVIEW_TEAM, 403),
    ],
)
def test_the_reminder_is_refused_to_everyone_but_the_facilitator(client, closed, who, status):
    if who == "participant":
        session = client.session
        remember_participant(session, closed.people[2])
        session.save()
    elif who != "anonymous":
        client.force_login(staff_viewer(closed.event, who).user)
    response = client.post(closed.remind)
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))
    assert not QuestionnaireReminder.objects.exists()


def test_the_reminder_takes_a_post_with_its_csrf_token(closed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(closed.facilitator.user)
    assert client.get(closed.remind).status_code == 405
    assert client.post(closed.remind).status_code == 403
    assert not QuestionnaireReminder.objects.exists()
