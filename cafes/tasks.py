"""Celery tasks of the cafes app: the post-event questionnaire's letters.

Each runs one service; the services queue them by name (``ops.queue``) and never import
this module."""

from celery import shared_task
from django.conf import settings

from cafes import services
from events.models import Event
from events.tasks import EMAIL_TASK_OPTIONS


@shared_task(name=services.SEND_QUESTIONNAIRE_LETTERS_TASK, **EMAIL_TASK_OPTIONS)
def send_questionnaire_letters(self, event_id: int, kind: str) -> int:
    """Send an event's questionnaire letters of ``kind`` to those still owed one; safe to
    run again (nobody gets a letter twice), nothing if the event was deleted."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    return services.send_questionnaire_letters(event=event, kind=kind, site_url=settings.SITE_URL)
