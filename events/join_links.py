"""Join links: the event's public link (and its QR code), signed invitation links and their checks.

An invitation link carries a token signed with the project's secret, bound to one event and
one invitation, and dated, so a link that was tampered with, is too old or belongs to another
event is refused with a message instead of being trusted.
"""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core import signing
from django.urls import reverse

from events.errors import EventsError
from events.models import Event, Invitation

TOKEN_SALT = "events.join-invitation"  # noqa: S105 (a salt, not a secret)
# Long enough to reach from an invitation sent weeks ahead to the post-event questionnaire.
TOKEN_MAX_AGE = getattr(settings, "JOIN_TOKEN_MAX_AGE", 90 * 24 * 3600)


def absolute(path: str, *, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + path


def join_path(event: Event) -> str:
    return reverse("events:join", kwargs={"code": event.code})


def join_url(event: Event, *, base_url: str | None = None) -> str:
    """The link anyone with the code may use (what the QR code shows)."""
    return absolute(join_path(event), base_url=base_url)


def make_join_token(invitation: Invitation) -> str:
    return signing.dumps({"e": invitation.event_id, "i": invitation.pk}, salt=TOKEN_SALT)


def invitation_url(invitation: Invitation, *, base_url: str | None = None) -> str:
    path = reverse(
        "events:join_invited",
        kwargs={"code": invitation.event.code, "token": make_join_token(invitation)},
    )
    return absolute(path, base_url=base_url)


def read_join_token(*, token: str, event: Event) -> Invitation:
    """The invitation a token stands for, or EventsError saying plainly what is wrong."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise EventsError(
            "This invitation link has expired. Ask the organisers for a new one, or join "
            "with the event code they gave you.",
            code="expired",
        ) from None
    except signing.BadSignature:
        raise EventsError(
            "This invitation link is not valid. It may have been cut short when it was "
            "copied: try clicking the link in your email again, or use the event code.",
            code="tampered",
        ) from None
    if payload.get("e") != event.pk:
        raise EventsError(
            "This invitation link is for a different event. Check which event you were "
            "invited to, or use the link from that invitation.",
            code="other_event",
        )
    invitation = Invitation.objects.filter(pk=payload.get("i"), event=event).first()
    if invitation is None:
        raise EventsError(
            "This invitation has been withdrawn by the organisers. Ask them for a new one.",
            code="revoked",
        )
    return invitation


def join_qr_svg(event: Event, *, base_url: str | None = None) -> bytes:
    """An SVG QR code of the event's join link, to show on a slide or print."""
    image = qrcode.make(
        join_url(event, base_url=base_url),
        image_factory=qrcode.image.svg.SvgPathImage,
        border=2,
    )
    out = BytesIO()
    image.save(out)
    return out.getvalue()
