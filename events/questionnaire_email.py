"""The letter with a participant's post-event questionnaire link (and its one reminder):
plain text, with a simple HTML copy for mail programs that prefer it.

``cafes`` decides who gets it and when (``cafes.services.questionnaire``); this module only
says it, in the words of ``templates/events/email/questionnaire.*``."""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from events.models import Participant


def questionnaire_message(
    *, participant: Participant, url: str, deadline: datetime, reminder: bool = False
) -> EmailMultiAlternatives:
    event = participant.event
    context = {
        "event": event,
        "participant": participant,
        "url": url,
        "deadline": deadline,
        "reminder": reminder,
    }
    subject = (
        f"A reminder: the closing questions of {event.title}"
        if reminder
        else f"Your closing questions: {event.title}"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("events/email/questionnaire.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[participant.contact_email],
    )
    message.attach_alternative(
        render_to_string("events/email/questionnaire.html", context), "text/html"
    )
    return message
