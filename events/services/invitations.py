"""Invitations: pasting addresses, and the emails (sent by the worker once saved)."""

import re
from email.utils import parseaddr

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from events.errors import EventsError
from events.models import Event, Invitation
from events.services.checks import check_editable
from ops.queue import enqueue_on_commit

MAX_INVITATIONS_PER_PASTE = 500
# The worker's task that runs send_invitation (events.tasks names itself after this).
SEND_INVITATION_TASK = "events.tasks.send_invitation_email"


def parse_pasted_emails(pasted: str) -> list[tuple[int, str]]:
    """Each non-empty line's number and address; ``Name <a@b.org>`` gives ``a@b.org``.

    Commas and semicolons separate addresses on one line (as Outlook pastes them)."""
    found = []
    for number, line in enumerate(pasted.splitlines(), start=1):
        for part in re.split(r"[;,]", line):
            part = part.strip()
            if part:
                _, address = parseaddr(part)
                found.append((number, (address or part).strip()))
    return found


@transaction.atomic
def invite_people(*, event: Event, pasted_emails: str, invited_by: AbstractBaseUser) -> list:
    """Invite every address pasted, one a line, and email each an invitation with a calendar
    entry once saved. Any bad line refuses the whole paste, with a message per line."""
    check_editable(event)
    entries = parse_pasted_emails(pasted_emails)
    if not entries:
        raise EventsError({"emails": "Paste at least one email address."})
    if len(entries) > MAX_INVITATIONS_PER_PASTE:
        raise EventsError(
            {"emails": f"Paste at most {MAX_INVITATIONS_PER_PASTE} addresses at a time."}
        )
    already = {e.lower() for e in event.invitations.values_list("email", flat=True)}
    seen: set[str] = set()
    problems = []
    for line, address in entries:
        key = address.lower()
        try:
            validate_email(address)
        except ValidationError:
            problems.append(f"Line {line}: “{address}” is not an email address.")
            continue
        if key in already:
            problems.append(f"Line {line}: {address} has already been invited.")
        elif key in seen:
            problems.append(f"Line {line}: {address} is pasted twice.")
        seen.add(key)
    if problems:
        raise EventsError({"emails": problems})
    invitations = [
        Invitation.objects.create(event=event, email=address, created_by=invited_by)
        for _, address in entries
    ]
    for invitation in invitations:
        _send_later(invitation)
    return invitations


def _send_later(invitation: Invitation) -> None:
    enqueue_on_commit(SEND_INVITATION_TASK, invitation.pk)


@transaction.atomic
def resend_invitation(*, invitation: Invitation) -> Invitation:
    """Send the invitation email again (e.g. it went to spam)."""
    check_editable(invitation.event)
    invitation.sent_at = None
    invitation.save(update_fields=["sent_at"])
    _send_later(invitation)
    return invitation


def send_invitation(*, invitation: Invitation, site_url: str) -> Invitation:
    """Email the invitation now, with its join link and an ``.ics`` calendar entry.

    Safe to run twice: an invitation already sent is not sent again."""
    from events.invitation_email import invitation_message

    invitation = Invitation.objects.select_related("event").get(pk=invitation.pk)
    if invitation.sent_at is not None:
        return invitation
    invitation_message(invitation=invitation, site_url=site_url).send()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    invitation.refresh_from_db()
    return invitation
