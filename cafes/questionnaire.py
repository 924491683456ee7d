"""The post-event questionnaire's rules and reads: when answers close, who is owed a letter,
and how far people have got (numbers only, never whose words). Its writes are in
``cafes/services/questionnaire.py``; ``docs/questionnaire.md`` says it in people's words."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import dateformat, timezone

from cafes.models import LetterKind, QuestionnaireLetter, QuestionnaireReminder
from events.models import Event, EventStatus, Participant, ParticipantStatus
from events.selectors import closing_questions, local_time

# How long after the event's scheduled end people may still answer from their link: the
# one place this is said (emails, the page, the facilitator's panel and the services ask).
ANSWER_WINDOW = timedelta(days=14)

# Letters go (and a reminder may be pressed) only once the event is over.
FINISHED = (EventStatus.CLOSED, EventStatus.ARCHIVED)


def answer_deadline(event: Event) -> datetime:
    """The last moment an answer is taken from the questionnaire link."""
    return event.ends_at + ANSWER_WINDOW


def deadline_words(event: Event) -> str:
    """The deadline on the event's own clock, as its emails and pages say it."""
    local = local_time(event, answer_deadline(event))
    return f"{dateformat.format(local, 'l j F Y, H:i')} ({event.timezone})"


def answers_closed(event: Event, *, now: datetime | None = None) -> bool:
    """Past the deadline, unless the event is live: the live café's closing panel takes
    answers whatever the calendar says."""
    if event.status == EventStatus.LIVE:
        return False
    return (now or timezone.now()) > answer_deadline(event)


def _sent(kind: str):
    return Exists(
        QuestionnaireLetter.objects.filter(
            participant=OuterRef("pk"), kind=kind, sent_at__isnull=False
        )
    )


def _joined_with_answers(event: Event) -> QuerySet[Participant]:
    """Everyone who joined (not withdrawn, not still waiting), with how many questions
    each has answered (``answered``)."""
    return Participant.objects.filter(event=event, status=ParticipantStatus.JOINED).annotate(
        answered=Count("answers", distinct=True)
    )


def unfinished(event: Event) -> QuerySet[Participant]:
    """Joined people with a contact email who have not answered every closing question."""
    total = closing_questions(event).count()
    return _joined_with_answers(event).exclude(contact_email="").filter(answered__lt=total)


def _undeliverable(kind: str):
    return Exists(
        QuestionnaireLetter.objects.filter(
            participant=OuterRef("pk"), kind=kind, undeliverable=True
        )
    )


def owed_letter(event: Event, kind: str) -> QuerySet[Participant]:
    """Who a letter of ``kind`` should go to now: the first to everyone unfinished who has
    not had it; the reminder only to those who had the first and are still unfinished.
    An address the mail server refused for good is not tried again."""
    owed = unfinished(event).exclude(_sent(kind)).exclude(_undeliverable(kind))
    if kind == LetterKind.REMINDER:
        owed = owed.filter(_sent(LetterKind.FIRST))
    return owed.select_related("event")


@dataclass(frozen=True)
class QuestionnaireCounts:
    """What the facilitator's panel shows: numbers, never names or words."""

    questions: int
    sent: int
    answered_all: int
    answered_some: int
    answered_none: int
    reminded: int
    undeliverable: int
    reminder: QuestionnaireReminder | None
    closed: bool
    finished: bool


def questionnaire_counts(event: Event) -> QuestionnaireCounts:
    """How many were sent the link, and of them how many have answered all, some or none
    of the closing questions (people who withdrew since are not counted)."""
    total = closing_questions(event).count()
    answered = list(
        _joined_with_answers(event)
        .filter(_sent(LetterKind.FIRST))
        .values_list("answered", flat=True)
    )
    return QuestionnaireCounts(
        questions=total,
        sent=len(answered),
        answered_all=sum(1 for n in answered if n >= total),
        answered_some=sum(1 for n in answered if 0 < n < total),
        answered_none=sum(1 for n in answered if n == 0),
        reminded=_joined_with_answers(event).filter(_sent(LetterKind.REMINDER)).count(),
        undeliverable=_joined_with_answers(event).filter(_undeliverable(LetterKind.FIRST)).count(),
        reminder=QuestionnaireReminder.objects.filter(event=event).first(),
        closed=answers_closed(event),
        finished=event.status in FINISHED,
    )
