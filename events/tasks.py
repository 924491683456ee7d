"""Celery tasks of the events app: emails sent outside the request, and the retention job.

Each runs one service; the services enqueue them by name (``ops.queue``) and never import
this module."""

import logging

from celery import shared_task
from django.conf import settings

from events import services
from events.models import Invitation, Participant, ParticipantStatus

logger = logging.getLogger(__name__)

# Emails: a mail server that is briefly away (OSError) is tried again, backing off, five
# times; a task whose worker dies is handed to another.
EMAIL_TASK_OPTIONS = {
    "bind": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(name=services.SEND_INVITATION_TASK, **EMAIL_TASK_OPTIONS)
def send_invitation_email(self, invitation_id: int) -> None:
    """Send one invitation; does nothing if it was deleted or already sent."""
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is not None:
        services.send_invitation(invitation=invitation, site_url=settings.SITE_URL)


@shared_task(name=services.SEND_PLACE_FREED_TASK, **EMAIL_TASK_OPTIONS)
def send_place_freed_email(self, participant_id: int) -> None:
    """Tell a waitlisted person their place is free; nothing if they have left since."""
    participant = (
        Participant.objects.select_related("event")
        .filter(pk=participant_id, status=ParticipantStatus.JOINED)
        .exclude(contact_email="")
        .first()
    )
    if participant is not None:
        services.send_place_freed_email(participant=participant, site_url=settings.SITE_URL)


@shared_task(acks_late=True)
def purge_expired_participant_data() -> dict[str, int]:
    """Nightly (``CELERY_BEAT_SCHEDULE``): delete participants' data of every series past
    its retention period."""
    deleted = services.purge_expired_participant_data()
    if deleted:
        logger.info("Retention: deleted participants' data of %s", deleted)
    return deleted
