"""The invitation email and its ``.ics`` calendar entry (made with the icalendar library)."""

from datetime import UTC

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from events.join_links import invitation_url
from events.models import Invitation, Participant


def invitation_calendar(*, invitation: Invitation, url: str) -> bytes:
    """One VEVENT in UTC, so every calendar program places it right without a VTIMEZONE."""
    event = invitation.event
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Bridgework//Invitations//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.pk}-invitation-{invitation.pk}@bridgework")
    entry.add("dtstamp", timezone.now().astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    entry.add("description", f"{event.description}\n\nJoin here: {url}".strip())
    entry.add("url", url)
    entry.add("location", url)
    calendar.add_component(entry)
    return calendar.to_ical()


def invitation_message(*, invitation: Invitation, site_url: str) -> EmailMessage:
    event = invitation.event
    url = invitation_url(invitation, base_url=site_url)
    body = render_to_string(
        "events/email/invitation.txt",
        {"event": event, "url": url},
    )
    message = EmailMessage(
        subject=f"You're invited: {event.title}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach(
        "invitation.ics",
        invitation_calendar(invitation=invitation, url=url),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    return message


def place_freed_message(*, participant: Participant, site_url: str) -> EmailMessage:
    event = participant.event
    url = site_url.rstrip("/") + reverse("events:welcome", kwargs={"code": event.code})
    body = render_to_string(
        "events/email/place_freed.txt",
        {"event": event, "participant": participant, "url": url},
    )
    return EmailMessage(
        subject=f"A place is free for you: {event.title}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[participant.contact_email],
    )
