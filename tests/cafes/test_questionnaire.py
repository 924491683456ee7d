"""The post-event questionnaire as its own step (issue 19): the letter with each person's link
when the event closes (once), the answer deadline, and the facilitator's one reminder.

Tasks are queued by name after commit (``ops.queue``); the ``queued`` fixture records what
would reach the broker, and the test runs the task itself, as a worker would."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cafes import services, tasks
from cafes.errors import CafeError
from cafes.models import ClosingAnswer, LetterKind, QuestionnaireLetter, QuestionnaireReminder
from cafes.questionnaire import answer_deadline, deadline_words
from cafes.services.questionnaire import _send_once
from events import hooks
from events import services as event_services
from events.models import EventStatus, ParticipantStatus, StaffRole
from tests.cafes.conftest import cid, make_event, participant_viewer, staff_viewer
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

TASK = services.SEND_QUESTIONNAIRE_LETTERS_TASK


@pytest.fixture
def queued(monkeypatch):
    """(task name, args) of everything handed to the broker, instead of handing it over."""
    calls = []
    monkeypatch.setattr("ops.queue._enqueue", lambda name, args: calls.append((name, args)))
    return calls


def run_letters(queued) -> None:
    """Run every queued questionnaire task, as the worker would."""
    for name, args in queued:
        if name == TASK:
            tasks.send_questionnaire_letters.apply(args=args)


class Café:
    """An Explore event with two closing questions and one of each kind of person."""

    def __init__(self) -> None:
        self.event = make_event(questions=2)
        self.facilitator = staff_viewer(self.event)
        self.first, self.second = self.event.closing_questions.all()

        def person(name, email="", status=ParticipantStatus.JOINED):
            return ParticipantFactory(
                event=self.event, pseudonym=name, contact_email=email, status=status
            )

        self.left_early = person("Left", "left@example.org")
        self.halfway = person("Half", "half@example.org")
        self.finished = person("Done", "done@example.org")
        self.no_email = person("Quiet")
        self.withdrawn = person("Gone", "gone@example.org", ParticipantStatus.WITHDRAWN)
        self.waiting = person("Wait", "wait@example.org", ParticipantStatus.WAITLISTED)
        self.answer(self.halfway, self.first, "More time with the same worker")
        self.answer(self.finished, self.first, "Plain letters")
        self.answer(self.finished, self.second, "Kind")

    def answer(self, participant, question, text):
        return services.answer_question(
            viewer=participant_viewer(participant),
            question_id=question.pk,
            text=text,
            client_id=cid(),
        )

    def go_live(self):
        event_services.transition_event(event=self.event, to=EventStatus.LIVE, by=None)

    def close(self, capture):
        self.go_live()
        with capture(execute=True):
            event_services.transition_event(
                event=self.event, to=EventStatus.CLOSED, by=self.facilitator.user
            )
        self.event.refresh_from_db()


@pytest.fixture
def cafe(db):
    return Café()


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- the first letter -----------------------------------------------------------------------


def test_closing_queues_the_letters_after_commit(cafe, queued, django_capture_on_commit_callbacks):
    cafe.go_live()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event_services.transition_event(event=cafe.event, to=EventStatus.CLOSED, by=None)
    assert queued == []  # nothing reaches the broker inside the closing transaction
    for callback in callbacks:
        callback()
    assert (TASK, (cafe.event.pk, LetterKind.FIRST)) in queued
    assert mail.outbox == []  # the worker sends, not the request


def test_only_the_unfinished_with_an_email_get_the_link_once(
    cafe, queued, django_capture_on_commit_callbacks
):
    cafe.close(django_capture_on_commit_callbacks)
    run_letters(queued)
    assert recipients() == ["half@example.org", "left@example.org"]

    # The task again (a retry), and the close hook again: nobody gets a second letter.
    run_letters(queued)
    with django_capture_on_commit_callbacks(execute=True):
        hooks.run_event_closed_hooks(event=cafe.event, closed_by=None)
    run_letters(queued)
    assert recipients() == ["half@example.org", "left@example.org"]
    assert set(
        QuestionnaireLetter.objects.filter(sent_at__isnull=False).values_list(
            "participant__pseudonym", "kind"
        )
    ) == {("Left", LetterKind.FIRST), ("Half", LetterKind.FIRST)}


def test_the_letter_names_the_event_and_carries_the_link_and_the_deadline(
    cafe, queued, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://bridgework.example.org/"
    cafe.close(django_capture_on_commit_callbacks)
    run_letters(queued)
    [letter] = [m for m in mail.outbox if m.to == ["left@example.org"]]
    link = f"https://bridgework.example.org/questions/{cafe.left_early.key}/"
    deadline = deadline_words(cafe.event)
    assert answer_deadline(cafe.event) == cafe.event.ends_at + timedelta(days=14)

    assert letter.subject == f"Your closing questions: {cafe.event.title}"
    assert "Hello Left," in letter.body
    assert f'Thank you for taking part in "{cafe.event.title}".' in letter.body
    assert link in letter.body.splitlines()
    assert f"Please answer by {deadline}." in letter.body
    [(html, mimetype)] = letter.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{link}">Answer the closing questions</a>' in html
    assert deadline.split(" (")[0] in html


def test_a_letter_that_failed_to_go_is_sent_on_the_retry_and_only_then(
    cafe, queued, monkeypatch, django_capture_on_commit_callbacks
):
    cafe.close(django_capture_on_commit_callbacks)
    send = EmailBackend.send_messages
    failures = iter([OSError("mail server away")])

    def flaky(self, messages):
        error = next(failures, None)
        if error:
            raise error
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with pytest.raises(OSError, match="mail server away"):
        services.send_questionnaire_letters(
            event=cafe.event, kind=LetterKind.FIRST, site_url="http://x"
        )
    assert mail.outbox == []
    assert not QuestionnaireLetter.objects.filter(sent_at__isnull=False).exists()

    services.send_questionnaire_letters(
        event=cafe.event, kind=LetterKind.FIRST, site_url="http://x"
    )
    services.send_questionnaire_letters(
        event=cafe.event, kind=LetterKind.FIRST, site_url="http://x"
    )
    assert recipients() == ["half@example.org", "left@example.org"]


def test_an_address_refused_for_good_is_marked_and_the_others_still_get_their_letter(
    cafe, queued, monkeypatch, django_capture_on_commit_callbacks
):
    cafe.close(django_capture_on_commit_callbacks)
    send = EmailBackend.send_messages

    def refusing(self, messages):
        if any("half@example.org" in m.to for m in messages):
            raise smtplib.SMTPRecipientsRefused({"half@example.org": (550, b"No such user")})
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refusing)
    run_letters(queued)
    run_letters(queued)  # a second run does not knock on the refused address again
    assert recipients() == ["left@example.org"]
    refused = QuestionnaireLetter.objects.get(participant=cafe.halfway)
    assert refused.undeliverable
    assert refused.sent_at is None

    client = Client()
    client.force_login(cafe.facilitator.user)
    page = client.get(reverse("events:event_overview", args=[cafe.event.slug])).content.decode()
    assert "<dt>Address refused</dt><dd>1 (the mail server would not take" in page
    assert "half@example.org" not in page


def test_someone_who_withdraws_while_the_letters_go_out_gets_none(
    cafe, queued, django_capture_on_commit_callbacks
):
    cafe.close(django_capture_on_commit_callbacks)
    # The run has read who is owed a letter and claimed theirs; then one person withdraws.
    letter = QuestionnaireLetter.objects.create(participant=cafe.left_early, kind=LetterKind.FIRST)
    event_services.withdraw_participant(participant=cafe.left_early)
    assert _send_once(letter_id=letter.pk, site_url="x") is False
    assert mail.outbox == []


def test_no_letter_goes_when_the_deadline_has_passed(
    cafe, queued, django_capture_on_commit_callbacks
):
    cafe.event.starts_at = timezone.now() - timedelta(days=30)
    cafe.event.ends_at = cafe.event.starts_at + timedelta(hours=3)
    cafe.event.save()
    cafe.close(django_capture_on_commit_callbacks)
    run_letters(queued)
    assert mail.outbox == []


def test_a_deleted_event_sends_nothing(db):
    assert tasks.send_questionnaire_letters.apply(args=[987654, LetterKind.FIRST]).get() == 0
    assert mail.outbox == []


# --- the reminder ---------------------------------------------------------------------------


def test_one_reminder_goes_only_to_those_still_unfinished(
    cafe, queued, django_capture_on_commit_callbacks
):
    cafe.close(django_capture_on_commit_callbacks)
    run_letters(queued)
    cafe.answer(cafe.halfway, cafe.second, "Being believed")  # now finished
    mail.outbox.clear()
    queued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.send_one_reminder(viewer=cafe.facilitator)
    assert reminder.recipients == 1
    assert queued == [(TASK, (cafe.event.pk, LetterKind.REMINDER))]
    run_letters(queued)
    [letter] = mail.outbox
    assert letter.to == ["left@example.org"]
    assert letter.subject == f"A reminder: the closing questions of {cafe.event.title}"
    assert f"/questions/{cafe.left_early.key}/" in letter.body

    # A second press is refused and sends nothing; the task again sends nothing either.
    queued.clear()
    with pytest.raises(CafeError) as refusal, django_capture_on_commit_callbacks(execute=True):
        services.send_one_reminder(viewer=cafe.facilitator)
    assert refusal.value.code == "already_reminded"
    assert "already sent" in refusal.value.message
    assert queued == []
    tasks.send_questionnaire_letters.apply(args=[cafe.event.pk, LetterKind.REMINDER])
    assert len(mail.outbox) == 1
    assert QuestionnaireReminder.objects.count() == 1


def test_the_reminder_waits_for_the_close_and_stops_at_the_deadline(
    cafe, queued, django_capture_on_commit_callbacks
):
    with pytest.raises(CafeError) as refusal:
        services.send_one_reminder(viewer=cafe.facilitator)
    assert refusal.value.code == "not_finished"

    cafe.close(django_capture_on_commit_callbacks)
    run_letters(queued)
    cafe.event.starts_at = timezone.now() - timedelta(days=30)
    cafe.event.ends_at = cafe.event.starts_at + timedelta(hours=3)
    cafe.event.save()
    with pytest.raises(CafeError) as refusal:
        services.send_one_reminder(viewer=cafe.facilitator)
    assert refusal.value.code == "answers_closed"
    assert deadline_words(cafe.event) in refusal.value.message
    assert not QuestionnaireReminder.objects.exists()


def test_no_reminder_when_everyone_sent_the_link_has_finished(
    cafe, queued, django_capture_on_commit_callbacks
):
    cafe.close(django_capture_on_commit_callbacks)
    run_letters(queued)
    cafe.answer(cafe.halfway, cafe.second, "Being believed")
    cafe.answer(cafe.left_early, cafe.first, "A")
    cafe.answer(cafe.left_early, cafe.second, "B")
    with pytest.raises(CafeError) as refusal:
        services.send_one_reminder(viewer=cafe.facilitator)
    assert refusal.value.code == "nobody_to_remind"
    assert not QuestionnaireReminder.objects.exists()  # the one reminder is still there to use


@pytest.mark.parametrize("role", [StaffRole.TABLE_HOST, StaffRole.REVIEW_TEAM])
def test_only_a_facilitator_sends_the_reminder(
    cafe, queued, role, django_capture_on_commit_callbacks
):
    cafe.close(django_capture_on_commit_callbacks)
    with pytest.raises(CafeError) as refusal:
        services.send_one_reminder(viewer=staff_viewer(cafe.event, role))
    assert refusal.value.code == "forbidden"
    assert not QuestionnaireReminder.objects.exists()


# --- the deadline for answers ----------------------------------------------------------------


def past_deadline(event) -> None:
    event.starts_at = timezone.now() - timedelta(days=20)
    event.ends_at = event.starts_at + timedelta(hours=3)
    event.status = EventStatus.CLOSED
    event.save()


def test_after_the_deadline_answers_are_refused_and_nothing_changes(cafe):
    past_deadline(cafe.event)
    with pytest.raises(CafeError) as refusal:
        cafe.answer(cafe.left_early, cafe.first, "Too late?")
    assert refusal.value.code == "answers_closed"
    assert f"closed on {deadline_words(cafe.event)}" in refusal.value.message
    with pytest.raises(CafeError):
        cafe.answer(cafe.finished, cafe.first, "Changed my mind")
    with pytest.raises(CafeError):
        services.clear_answer(viewer=participant_viewer(cafe.finished), question_id=cafe.first.pk)
    assert sorted(ClosingAnswer.objects.values_list("participant__pseudonym", "text")) == [
        ("Done", "Kind"),
        ("Done", "Plain letters"),
        ("Half", "More time with the same worker"),
    ]


def test_the_live_closing_panel_takes_answers_whatever_the_date(cafe):
    cafe.event.starts_at = timezone.now() - timedelta(days=20)
    cafe.event.ends_at = cafe.event.starts_at + timedelta(hours=3)
    cafe.event.status = EventStatus.LIVE
    cafe.event.save()
    answer = cafe.answer(cafe.left_early, cafe.first, "Said on the day")
    assert answer.text == "Said on the day"
    services.clear_answer(viewer=participant_viewer(cafe.left_early), question_id=cafe.first.pk)
    assert not ClosingAnswer.objects.filter(participant=cafe.left_early).exists()
