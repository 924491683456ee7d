"""Invitation emails with their .ics calendar entry, and the invitations page."""

import html

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from events import services, tasks
from events.models import Invitation

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.content.decode())


def test_the_email_has_a_personal_link_and_a_calendar_entry(open_event, facilitator, settings):
    settings.SITE_URL = "https://bridgework.example.org"
    invitation = services.invite_people(
        event=open_event, pasted_emails="ann@example.org", invited_by=facilitator
    )[0]
    tasks.send_invitation_email(invitation.pk)

    [message] = mail.outbox
    assert message.to == ["ann@example.org"]
    assert message.subject == "You're invited: Explore: birth parents"
    link = next(line for line in message.body.splitlines() if "/invite/" in line)
    assert link.startswith(f"https://bridgework.example.org/join/{open_event.code}/invite/")
    assert f"({open_event.timezone})" in message.body
    assert "10:00" in message.body

    [(filename, content, mimetype)] = message.attachments
    assert filename == "invitation.ics"
    assert mimetype.startswith("text/calendar")
    [entry] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert entry.decoded("DTSTART") == open_event.starts_at
    assert entry.decoded("DTEND") == open_event.ends_at
    assert str(entry["SUMMARY"]) == "Explore: birth parents"
    assert str(entry["URL"]) == link

    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    tasks.send_invitation_email(invitation.pk)  # twice: still one email
    assert len(mail.outbox) == 1


def test_a_deleted_invitation_is_not_sent(open_event):
    tasks.send_invitation_email(12345)
    assert mail.outbox == []


def test_the_invitations_page_pastes_and_lists_copyable_links(
    client, open_event, facilitator, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    url = reverse("events:event_invitations", kwargs={"slug": open_event.slug})
    bad = client.post(url, {"emails": "ann@example.org\nbob@"})
    assert "Line 2: “bob@” is not an email address." in text(bad)
    assert not Invitation.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"emails": "ann@example.org\nBob <bob@example.org>"})
    assert response.status_code == 302
    assert len(callbacks) == 2
    page = text(client.get(url))
    assert "bob@example.org" in page
    assert page.count(f"http://testserver/join/{open_event.code}/invite/") == 2
    assert 'data-copy-target="invite-' in page
