"""Who may do what in Open Space and Create: the one place these decisions are made.

The ``Viewer`` is the café's (a participant from the session, or staff from their login);
the rules about reading a staff-free space's notes live with the café tables themselves
(``cafes.permissions.can_read_table``).
"""

from cafes.permissions import Viewer, can_run, can_watch
from events.models import StaffRole, Stage
from openspace.models import Topic

OPEN_SPACE_STAGES = frozenset({Stage.CONNECT, Stage.CREATE})


def has_open_space(viewer: Viewer) -> bool:
    return viewer.event.stage in OPEN_SPACE_STAGES


def can_view_marketplace(viewer: Viewer) -> bool:
    """Everyone at a Connect or Create event, staff included, sees the marketplace."""
    return has_open_space(viewer) and (viewer.participant is not None or can_watch(viewer))


def can_propose(viewer: Viewer) -> bool:
    """Anyone joined may propose a topic; facilitators add agenda conversations too."""
    return has_open_space(viewer) and (viewer.participant is not None or can_run(viewer))


def can_arrange(viewer: Viewer) -> bool:
    """Spaces, time slots, merging, placing and opening the Open Space: facilitators."""
    return has_open_space(viewer) and can_run(viewer)


def can_sign_up(viewer: Viewer) -> bool:
    return has_open_space(viewer) and viewer.participant is not None


def is_host(viewer: Viewer, topic: Topic) -> bool:
    """A topic's proposer hosts it."""
    return viewer.participant is not None and topic.proposer_id == viewer.participant.pk


def can_make_staff_free(viewer: Viewer, topic: Topic) -> bool:
    return is_host(viewer, topic)


def can_share(viewer: Viewer, topic: Topic, *, signed_up: bool) -> bool:
    """The group shares its key points: its host or anyone signed up to it."""
    return is_host(viewer, topic) or (viewer.participant is not None and signed_up)


def can_propose_solution(viewer: Viewer) -> bool:
    """Proposals at Create: participants, and facilitators or table hosts writing for a
    group; the review team only reads."""
    if viewer.event.stage != Stage.CREATE:
        return False
    return viewer.participant is not None or bool(
        viewer.roles & {StaffRole.FACILITATOR, StaffRole.TABLE_HOST}
    )


def can_endorse(viewer: Viewer) -> bool:
    return viewer.event.stage == Stage.CREATE and viewer.participant is not None


def can_view_harvest(viewer: Viewer) -> bool:
    """The Connect harvest and the Create proposals' provenance: any staff role."""
    return has_open_space(viewer) and can_watch(viewer)
