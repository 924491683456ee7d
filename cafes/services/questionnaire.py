"""The post-event questionnaire's letters: the link to everyone unfinished when the event
closes, and the facilitator's one reminder. Each person gets each letter at most once."""

import logging
import smtplib

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from cafes.errors import CafeError
from cafes.models import LetterKind, QuestionnaireLetter, QuestionnaireReminder
from cafes.permissions import Viewer, can_run
from cafes.questionnaire import (
    FINISHED,
    answer_deadline,
    answers_closed,
    deadline_words,
    owed_letter,
)
from cafes.services._common import _forbidden
from events.models import Event, Participant
from events.questionnaire_email import questionnaire_message
from events.selectors import local_time
from ops.queue import enqueue_on_commit

logger = logging.getLogger(__name__)

# The worker's task that runs send_questionnaire_letters (cafes.tasks names itself after it).
SEND_QUESTIONNAIRE_LETTERS_TASK = "cafes.tasks.send_questionnaire_letters"


def letters_on_close(*, event: Event, closed_by: AbstractBaseUser | None) -> None:
    """When an event closes (an ``events.hooks`` hook, inside the closing transaction),
    queue the questionnaire letters for once it has committed."""
    enqueue_on_commit(SEND_QUESTIONNAIRE_LETTERS_TASK, event.pk, LetterKind.FIRST)


def questionnaire_url(participant: Participant, *, site_url: str) -> str:
    return site_url.rstrip("/") + reverse("cafes:questionnaire", args=[participant.key])


def send_questionnaire_letters(*, event: Event, kind: str, site_url: str) -> int:
    """Email everyone owed a letter of ``kind`` their questionnaire link, with the event's
    name and the deadline; returns how many went now. Running it again sends nobody a
    second one; after the deadline (or before the event is over) nothing goes."""
    if event.status not in FINISHED or answers_closed(event):
        return 0
    if (
        kind == LetterKind.REMINDER
        and not QuestionnaireReminder.objects.filter(event=event).exists()
    ):
        return 0
    sent = 0
    for participant in owed_letter(event, kind):
        letter, _ = QuestionnaireLetter.objects.get_or_create(participant=participant, kind=kind)
        sent += _send_once(letter_id=letter.pk, site_url=site_url)
    return sent


@transaction.atomic
def _send_once(*, letter_id: int, site_url: str) -> bool:
    """Send one claimed letter unless it has gone already or is no longer owed (the person
    withdrew, or answered everything, since the run began). Only the letter's row is
    locked while the email goes, so two workers never both send it; a passing mail server
    error rolls back and the retried task sends it then. An address the server refuses for
    good is marked undeliverable and the others still go."""
    letter = (
        QuestionnaireLetter.objects.select_for_update(of=("self",))
        .select_related("participant__event")
        .get(pk=letter_id)
    )
    if letter.sent_at is not None or letter.undeliverable:
        return False
    participant = letter.participant
    if not owed_letter(participant.event, letter.kind).filter(pk=participant.pk).exists():
        return False
    try:
        questionnaire_message(
            participant=participant,
            url=questionnaire_url(participant, site_url=site_url),
            deadline=answer_deadline(participant.event),
            reminder=letter.kind == LetterKind.REMINDER,
        ).send()
    except smtplib.SMTPRecipientsRefused:
        logger.warning("Questionnaire letter %s: the mail server refused the address", letter.pk)
        letter.undeliverable = True
        letter.save(update_fields=["undeliverable"])
        return False
    letter.sent_at = timezone.now()
    letter.save(update_fields=["sent_at"])
    return True


@transaction.atomic
def send_one_reminder(*, viewer: Viewer) -> QuestionnaireReminder:
    """The facilitator's "Send one reminder": once per event, after it closed and before
    the deadline, to those who were sent the link and still have questions unanswered.
    Refused, with nothing sent, at any other time."""
    if not can_run(viewer):
        raise _forbidden("Only the event's facilitators can send the questionnaire reminder.")
    event = Event.objects.select_for_update().get(pk=viewer.event.pk)
    if event.status not in FINISHED:
        raise CafeError(
            "not_finished",
            "The questionnaire link goes out when the event closes; a reminder can follow "
            "after that. Nothing was sent.",
        )
    if answers_closed(event):
        raise CafeError(
            "answers_closed",
            f"Answers closed on {deadline_words(event)}, so a reminder would send people to "
            "a page that can no longer take them. Nothing was sent.",
        )
    earlier = QuestionnaireReminder.objects.filter(event=event).first()
    if earlier is not None:
        when = dateformat.format(local_time(event, earlier.requested_at), "j F Y")
        raise CafeError(
            "already_reminded",
            f"The one reminder of this event was already sent on {when}. Each event gets "
            "one, so nothing was sent now.",
        )
    owed = owed_letter(event, LetterKind.REMINDER).count()
    if not owed:
        raise CafeError(
            "nobody_to_remind",
            "Nobody needs a reminder: everyone who was sent the link has answered every "
            "question. Nothing was sent.",
        )
    reminder = QuestionnaireReminder.objects.create(
        event=event, requested_by=viewer.user, recipients=owed
    )
    enqueue_on_commit(SEND_QUESTIONNAIRE_LETTERS_TASK, event.pk, LetterKind.REMINDER)
    return reminder
