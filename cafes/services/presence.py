"""Presence: which sockets are open, refreshed on every heartbeat; and new client ids."""

import uuid

from django.utils import timezone

from cafes import rows
from cafes.models import Presence
from cafes.permissions import Viewer


def mark_present(*, viewer: Viewer, channel_name: str) -> None:
    """Record one open connection, or refresh it on a heartbeat: one upsert."""
    presence = Presence(
        channel_name=channel_name,
        event=viewer.event,
        participant=viewer.participant,
        user=None if viewer.participant else viewer.user,
        seen_at=timezone.now(),
    )
    rows.insert(presence, unless_exists=("channel_name",), refresh=("seen_at",))


def mark_absent(*, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).delete()


def new_client_id() -> uuid.UUID:
    return uuid.uuid4()
