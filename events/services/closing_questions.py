"""The questions each participant answers at the end of an event, in order."""

from django.db import transaction

from events.models import ClosingQuestion, Event
from events.services.checks import _validate, check_editable, check_plain_text
from events.services.positions import _delete_from_plan, _move_in_plan, _next_position


@transaction.atomic
def add_closing_question(*, event: Event, text: str) -> ClosingQuestion:
    check_editable(event)
    question = ClosingQuestion(
        event=event,
        position=_next_position(event.closing_questions.all()),
        text=check_plain_text(text, field="text", label="A question"),
    )
    _validate(question)
    question.save()
    return question


@transaction.atomic
def update_closing_question(*, question: ClosingQuestion, text: str) -> ClosingQuestion:
    check_editable(question.event)
    question.text = check_plain_text(text, field="text", label="A question")
    _validate(question)
    question.save()
    return question


@transaction.atomic
def move_closing_question(*, question: ClosingQuestion, offset: int) -> None:
    _move_in_plan(question, offset)


@transaction.atomic
def delete_closing_question(*, question: ClosingQuestion) -> None:
    _delete_from_plan(question)
