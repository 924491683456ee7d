"""Participants: joining (or the waitlist), withdrawing, and checking in on the day."""

import re

from django.db import transaction
from django.utils import timezone

from events import hooks
from events.errors import EventsError
from events.models import Event, EventStatus, Invitation, Participant, ParticipantStatus
from events.services.checks import _validate, check_plain_text
from ops.queue import enqueue_on_commit

JOINABLE = (EventStatus.SCHEDULED, EventStatus.LIVE)
# The worker's task that runs send_place_freed_email (events.tasks names itself after this).
SEND_PLACE_FREED_TASK = "events.tasks.send_place_freed_email"


def joined_count(event: Event) -> int:
    return event.participants.filter(status=ParticipantStatus.JOINED).count()


@transaction.atomic
def join_event(
    *,
    event: Event,
    pseudonym: str,
    role_code: str,
    consent: bool,
    accessibility_needs: str = "",
    contact_email: str = "",
    invitation: Invitation | None = None,
) -> Participant:
    """Take part in an event under a pseudonym, after consenting to how words are used.

    When the event is full the participant is put on the waitlist instead (their status
    says so). ``role_code`` is one of the event's codes, or "" for "prefer not to say"."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status not in JOINABLE:
        if event.status == EventStatus.DRAFT:
            raise EventsError("This event is not open for joining yet. Try again later.")
        raise EventsError("This event has finished, so it can't be joined any more.")
    if not consent:
        raise EventsError(
            {"consent": "Please tick the box to say you agree, so that you can take part."}
        )
    pseudonym = check_plain_text(pseudonym, field="pseudonym", label="Your name here")
    if len(pseudonym) < 2:
        raise EventsError({"pseudonym": "Choose a name of at least 2 characters."})
    if "@" in pseudonym or re.search(r"\d{6,}", pseudonym.replace(" ", "")):
        raise EventsError(
            {"pseudonym": "Please don't use an email address or phone number as your name here."}
        )
    if event.participants.filter(pseudonym__iexact=pseudonym).exists():
        raise EventsError(
            {
                "pseudonym": f"Someone in this event is already called “{pseudonym}”. "
                "Try adding a letter or a number."
            }
        )
    role_code = (role_code or "").strip().upper()
    if role_code and not event.role_codes.filter(code=role_code).exists():
        raise EventsError({"role_code": "Choose one of the roles listed, or “Prefer not to say”."})
    if invitation is not None and invitation.event_id != event.pk:
        raise EventsError("This invitation is for a different event.")
    full = joined_count(event) >= event.capacity
    participant = Participant(
        event=event,
        pseudonym=pseudonym,
        role_code=role_code,
        status=ParticipantStatus.WAITLISTED if full else ParticipantStatus.JOINED,
        consented_at=timezone.now(),
        accessibility_needs=accessibility_needs.strip(),
        contact_email=contact_email.strip(),
        invitation=invitation,
    )
    _validate(participant)
    participant.save()
    return participant


@transaction.atomic
def withdraw_participant(*, participant: Participant) -> Participant:
    """Leave the event; the participant's words are left out of every harvest and report.

    If they held a place, the first person on the waitlist gets it."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status == ParticipantStatus.WITHDRAWN:
        return participant
    held_a_place = participant.status == ParticipantStatus.JOINED
    participant.status = ParticipantStatus.WITHDRAWN
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["status", "withdrawn_at"])
    hooks.run_participant_withdrawn_hooks(participant=participant)
    if held_a_place:
        Event.objects.select_for_update().get(pk=participant.event_id)
        waiting = (
            participant.event.participants.filter(status=ParticipantStatus.WAITLISTED)
            .order_by("created_at", "id")
            .first()
        )
        if waiting:
            waiting.status = ParticipantStatus.JOINED
            waiting.save(update_fields=["status"])
            if waiting.contact_email:
                enqueue_on_commit(SEND_PLACE_FREED_TASK, waiting.pk)
    return participant


def send_place_freed_email(*, participant: Participant, site_url: str) -> None:
    """Tell someone who was on the waitlist that a place is theirs, with their welcome page."""
    from events.invitation_email import place_freed_message

    place_freed_message(participant=participant, site_url=site_url).send()


@transaction.atomic
def check_in(*, participant: Participant, present: bool = True) -> Participant:
    """Mark a participant as arrived on the day (or undo it)."""
    if participant.status == ParticipantStatus.WITHDRAWN and present:
        raise EventsError(f"{participant.pseudonym} has withdrawn and can't be checked in.")
    participant.checked_in_at = timezone.now() if present else None
    participant.save(update_fields=["checked_in_at"])
    return participant
