"""Reads the live socket makes that ``cafes.selectors`` does not have: who is connecting.

The socket's other reads are ``cafes.selectors`` (state, updates, presence, the overview)
and ``cafes.news.newest_for_table`` (the log's newest id, also used when writing it)."""

from cafes import selectors
from cafes.permissions import Viewer
from events.models import Event


def viewer_for_socket(*, slug: str, session, user) -> Viewer | None:
    """Who opened a socket to the event ``slug`` (``None``: no such event, or a stranger)."""
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        return None
    return selectors.viewer_for(event=event, session=session, user=user)
