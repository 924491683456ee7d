"""Closing answers: a participant's own answer to each closing question, live or later."""

from django.db import transaction

from cafes import news
from cafes.checks import check_client_id, check_found, check_text
from cafes.errors import CafeError
from cafes.models import ClosingAnswer
from cafes.permissions import Viewer, can_answer
from cafes.questionnaire import answers_closed, deadline_words
from cafes.services._common import _forbidden, _same_author_or_refuse, _save
from cafes.services._locks import _hold_cafe
from events.models import ClosingQuestion, Participant
from events.selectors import closing_questions


@transaction.atomic
def answer_question(*, viewer: Viewer, question_id: int, text: str, client_id) -> ClosingAnswer:
    """A participant's own answer to a closing question; answering again replaces it.

    Works live or later from the post-event questionnaire, so it needs no running café;
    after the questionnaire's deadline only the live event takes answers.
    """
    participant = _answering(viewer)
    client_id = check_client_id(client_id)
    text = check_text(text, what="answer")
    question = _question_of(participant.event, question_id)
    answer = ClosingAnswer.objects.filter(question=question, client_id=client_id).first()
    if answer is not None:
        _same_author_or_refuse(viewer, answer)
    else:
        answer = ClosingAnswer.objects.filter(question=question, participant=participant).first()
    if answer is not None and answer.text == text:
        return answer
    if answer is None:
        answer = ClosingAnswer(
            question=question,
            participant=participant,
            role_code=participant.role_code,
            client_id=client_id,
        )
    answer.text = text
    _save(answer)
    _answers_news(question)
    return answer


@transaction.atomic
def clear_answer(*, viewer: Viewer, question_id: int) -> None:
    """A participant takes back their answer to a closing question (an emptied box on the
    questionnaire): it is gone from the harvest and the counts. Refused, like a new answer,
    after the questionnaire's deadline."""
    participant = _answering(viewer)
    question = _question_of(participant.event, question_id)
    deleted, _ = ClosingAnswer.objects.filter(question=question, participant=participant).delete()
    if deleted:
        _answers_news(question)


def _answers_news(question) -> None:
    """How many have answered ``question`` now (the console counts; never whose words)."""
    news.record(
        event=question.event,
        kind="answers",
        payload={"question": question.pk, "answered": question.answers.count()},
    )


def _question_of(event, question_id) -> ClosingQuestion:
    return check_found(
        closing_questions(event),
        question_id,
        what="question",
        missing=CafeError("not_found", "That question is not one of this event's questions."),
    )


def _answering(viewer: Viewer) -> Participant:
    """The participant answering, with the café held for the write; refused for anyone
    else (staff, a withdrawn person, someone of another event) and after the deadline."""
    participant = viewer.participant
    if participant is None:
        raise _forbidden("Only participants answer the closing questions.")
    if participant.has_withdrawn or not can_answer(viewer):
        raise _forbidden("Only participants of this event can answer its questions.")
    if answers_closed(participant.event):
        raise CafeError(
            "answers_closed",
            f"Answers to these questions closed on {deadline_words(participant.event)}. "
            "Thank you for coming back: nothing was changed.",
        )
    _hold_cafe(participant.event)
    return participant
