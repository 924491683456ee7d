"""Every write of Open Space (Connect) and of the Create agenda and proposals.

Each service checks who is asking (``openspace.permissions``) and what they sent (the
café's ``check_*`` functions), writes in one transaction and returns the object, or raises
``OpenSpaceError`` with a plain message and stores nothing. Writes that come from a
browser carry a ``client_id``: a retry returns the row already stored.

A topic's live table is a cafés ``Table``; everything live about it (notes, presence,
moving there) goes through ``cafes.services``.
"""

import uuid

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cafes import services as cafe_services
from cafes.checks import check_client_id, check_found, check_id, check_text
from cafes.errors import CafeError
from cafes.models import TEXT_MAX_LENGTH, Cafe, RoundStatus, Seat
from cafes.permissions import Viewer
from cafes.toggles import set_row
from events.models import Event, Stage
from openspace import placement, selectors
from openspace.errors import OpenSpaceError
from openspace.models import (
    TITLE_MAX_LENGTH,
    WHY_MAX_LENGTH,
    Concern,
    ConcernKind,
    Endorsement,
    Proposal,
    SignUp,
    Space,
    ThemeSource,
    TimeSlot,
    Topic,
)
from openspace.permissions import (
    can_arrange,
    can_endorse,
    can_make_staff_free,
    can_propose,
    can_propose_solution,
    can_share,
    can_sign_up,
)

SPACE_NAME_MAX_LENGTH = 60
SPACE_CAPACITY_MAX = 500
SOURCE_NOTES_MAX = 5


def _text(field: str, value, *, what: str, max_length: int = TEXT_MAX_LENGTH, optional=False):
    """``check_text`` for one form field: the error names the field it is about."""
    if optional and not (value or "").strip():
        return ""
    try:
        return check_text(value, what=what, max_length=max_length)
    except CafeError as error:
        raise OpenSpaceError(error.code, error.message, field=field) from None


def _forbidden(message: str) -> OpenSpaceError:
    return OpenSpaceError("forbidden", message)


def _topic_for(viewer: Viewer, topic_id, *, follow_merge: bool = False) -> Topic:
    topics = Topic.objects.select_related("table", "proposer").filter(event=viewer.event)
    missing = OpenSpaceError("not_found", "There is no such topic at this event.")
    topic = check_found(topics, topic_id, what="topic", missing=missing)
    while follow_merge and topic.merged_into_id is not None:
        topic = Topic.objects.select_related("table", "proposer").get(pk=topic.merged_into_id)
    return topic


def _lock_event(event: Event) -> Event:
    """Serialise the marketplace's writes for one event (table numbers, placements)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _same_author(viewer: Viewer, obj, participant_field: str, user_field: str) -> bool:
    if viewer.participant is not None:
        return getattr(obj, f"{participant_field}_id") == viewer.participant.pk
    return getattr(obj, f"{user_field}_id") == getattr(viewer.user, "pk", None)


def _duplicate_client_id() -> OpenSpaceError:
    return OpenSpaceError("duplicate_client_id", "This client_id was already used by someone else.")


# --- topics --------------------------------------------------------------------------------


@transaction.atomic
def propose_topic(*, viewer: Viewer, title: str, why: str = "", client_id) -> Topic:
    """Put a topic on the marketplace (a conversation on the Create agenda); its proposer
    hosts it. It appears on everyone's board, not yet placed in a space."""
    client_id = check_client_id(client_id)
    title = _text("title", title, what="topic title", max_length=TITLE_MAX_LENGTH)
    why = _text("why", why, what="reason", max_length=WHY_MAX_LENGTH, optional=True)
    if not can_propose(viewer):
        raise _forbidden("Only people taking part in this Connect or Create event propose topics.")
    event = _lock_event(viewer.event)
    existing = Topic.objects.filter(event=event, client_id=client_id).first()
    if existing is not None:
        if not _same_author(viewer, existing, "proposer", "proposer_user"):
            raise _duplicate_client_id()
        return existing
    return _create_topic(viewer, event, title=title, why=why, client_id=client_id)


def _create_topic(viewer: Viewer, event: Event, *, title: str, why: str, client_id) -> Topic:
    number = (event.tables.aggregate(last=Max("number"))["last"] or 0) + 1
    table = cafe_services.ensure_table(event=event, number=number, name=title)
    topic = Topic.objects.create(
        event=event,
        table=table,
        title=title,
        why=why,
        proposer=viewer.participant,
        proposer_user=None if viewer.participant else viewer.user,
        client_id=client_id,
    )
    if viewer.participant is not None:
        SignUp.objects.get_or_create(topic=topic, participant=viewer.participant)
    return topic


@transaction.atomic
def set_staff_free(*, viewer: Viewer, topic_id: int, staff_free: bool) -> Topic:
    """The host makes their topic a staff-free space: staff (facilitators, table hosts, the
    review team) cannot read its notes, live or in any page or export, until the group
    chooses to share them at the end."""
    topic = _topic_for(viewer, topic_id)
    if not can_make_staff_free(viewer, topic):
        raise _forbidden("Only the topic's host can make it a staff-free space.")
    cafe_services.set_staff_free(table=topic.table, staff_free=bool(staff_free))
    topic.table.refresh_from_db()
    return topic


@transaction.atomic
def share_key_points(*, viewer: Viewer, topic_id: int, text: str, share_notes: bool) -> Topic:
    """At the end, the group writes the key points everyone (and the harvest) sees. A
    staff-free group may also share its notes, or keep them to itself."""
    text = _text("key_points", text, what="key points")
    topic = _topic_for(viewer, topic_id)
    signed_up = (
        viewer.participant is not None
        and SignUp.objects.filter(topic=topic, participant=viewer.participant).exists()
    )
    if not can_share(viewer, topic, signed_up=signed_up):
        raise _forbidden("Only the people in this space share its key points.")
    topic.key_points = text
    topic.key_points_at = timezone.now()
    topic.save(update_fields=["key_points", "key_points_at"])
    if share_notes:
        cafe_services.share_table(table=topic.table)
        topic.table.refresh_from_db()
    return topic


@transaction.atomic
def sign_up(*, viewer: Viewer, topic_id: int, on: bool = True) -> Topic:
    """Say you are interested in a topic (or not any more); placing uses these."""
    if not can_sign_up(viewer):
        raise _forbidden("Only participants sign up for topics.")
    topic = _topic_for(viewer, topic_id, follow_merge=True)
    set_row(SignUp, on=on, topic=topic, participant=viewer.participant)
    return topic


@transaction.atomic
def go_to_topic(*, viewer: Viewer, topic_id: int) -> Seat:
    """The law of two feet: go to a topic's space now (signing up to it on the way). The
    people you leave and the people you join see it live."""
    if not can_sign_up(viewer):
        raise _forbidden("Only participants move between spaces.")
    topic = _topic_for(viewer, topic_id, follow_merge=True)
    SignUp.objects.get_or_create(topic=topic, participant=viewer.participant)
    return cafe_services.choose_table(viewer=viewer, table_id=topic.table_id)


# --- arranging the marketplace ------------------------------------------------------------


def _require_arrange(viewer: Viewer) -> None:
    if not can_arrange(viewer):
        raise _forbidden("Only a facilitator arranges the marketplace.")


def _check_capacity(value) -> int:
    try:
        capacity = int(value)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= SPACE_CAPACITY_MAX:
        raise OpenSpaceError(
            "invalid", f"A space holds from 1 to {SPACE_CAPACITY_MAX} people; say how many."
        )
    return capacity


@transaction.atomic
def add_space(*, viewer: Viewer, name: str, capacity: int) -> Space:
    """A breakout room of the marketplace (a row of the board)."""
    _require_arrange(viewer)
    name = _text("name", name, what="space name", max_length=SPACE_NAME_MAX_LENGTH)
    capacity = _check_capacity(capacity)
    event = _lock_event(viewer.event)
    if Space.objects.filter(event=event, name__iexact=name).exists():
        raise OpenSpaceError("invalid", f"There is already a space called “{name}”.")
    position = (event.spaces.aggregate(last=Max("position"))["last"] or 0) + 1
    return Space.objects.create(event=event, name=name, capacity=capacity, position=position)


@transaction.atomic
def add_time_slot(*, viewer: Viewer, label: str) -> TimeSlot:
    """A time slot of the marketplace (a column of the board), e.g. "11:00 to 11:45"."""
    _require_arrange(viewer)
    label = _text("label", label, what="time slot", max_length=SPACE_NAME_MAX_LENGTH)
    event = _lock_event(viewer.event)
    if TimeSlot.objects.filter(event=event, label__iexact=label).exists():
        raise OpenSpaceError("invalid", f"There is already a time slot called “{label}”.")
    position = (event.time_slots.aggregate(last=Max("position"))["last"] or 0) + 1
    return TimeSlot.objects.create(event=event, label=label, position=position)


@transaction.atomic
def place_topic(
    *, viewer: Viewer, topic_id: int, space_id: int | None, slot_id: int | None
) -> Topic:
    """Put a topic in a space and time slot by hand (or take it off the board with no
    space). A place already taken is refused, so no two topics share a space at once."""
    _require_arrange(viewer)
    event = _lock_event(viewer.event)
    topic = _topic_for(viewer, topic_id)
    if topic.is_merged:
        raise OpenSpaceError("merged", "This topic was merged into another; place that one.")
    if space_id is None and slot_id is None:
        topic.space = topic.slot = None
        topic.save(update_fields=["space", "slot"])
        return topic
    if space_id is None or slot_id is None:
        raise OpenSpaceError("invalid", "Choose both a space and a time slot.")
    space = Space.objects.filter(event=event, pk=check_id(space_id, what="space")).first()
    slot = TimeSlot.objects.filter(event=event, pk=check_id(slot_id, what="time slot")).first()
    if space is None or slot is None:
        raise OpenSpaceError("not_found", "That space or time slot is not part of this event.")
    taken = (
        Topic.objects.filter(space=space, slot=slot, merged_into=None).exclude(pk=topic.pk).first()
    )
    if taken is not None:
        raise OpenSpaceError(
            "place_taken", f"“{taken.title}” is already in {space.name} at {slot.label}."
        )
    topic.space, topic.slot = space, slot
    topic.save(update_fields=["space", "slot"])
    return topic


@transaction.atomic
def auto_place(*, viewer: Viewer) -> placement.Placement:
    """Place every topic not yet placed by interest (``openspace.placement``): fewest
    people double-booked, most popular topics in the largest spaces; topics placed by hand
    stay where they are."""
    _require_arrange(viewer)
    event = _lock_event(viewer.event)
    spaces = list(Space.objects.filter(event=event))
    slots = list(TimeSlot.objects.filter(event=event))
    if not spaces or not slots:
        raise OpenSpaceError("no_board", "Add at least one space and one time slot first.")
    topics = list(Topic.objects.filter(event=event, merged_into=None).prefetch_related("sign_ups"))
    result = placement.place(
        spaces=[placement.SpaceSize(s.pk, s.capacity) for s in spaces],
        slots=[s.pk for s in slots],
        interests=[
            placement.Interest(t.pk, frozenset(u.participant_id for u in t.sign_ups.all()))
            for t in topics
        ],
        fixed={t.pk: (t.space_id, t.slot_id) for t in topics if t.space_id is not None},
    )
    for topic in topics:
        if topic.space_id is None and topic.pk in result.cells:
            topic.space_id, topic.slot_id = result.cells[topic.pk]
            topic.save(update_fields=["space", "slot"])
    return result


@transaction.atomic
def merge_topics(*, viewer: Viewer, topic_id: int, into_id: int) -> Topic:
    """Fold a duplicate topic into another: its sign-ups move to the kept topic and it
    leaves the board; what was written in its space stays in the harvest under the kept
    topic. Returns the kept topic."""
    _require_arrange(viewer)
    _lock_event(viewer.event)
    duplicate = _topic_for(viewer, topic_id)
    kept = _topic_for(viewer, into_id, follow_merge=True)
    if duplicate.is_merged or duplicate.pk == kept.pk:
        raise OpenSpaceError("bad_merge", "Choose two different topics that are still open.")
    moving = SignUp.objects.filter(topic=duplicate).exclude(
        participant__in=SignUp.objects.filter(topic=kept).values("participant")
    )
    for sign_up_ in moving:
        SignUp.objects.create(topic=kept, participant_id=sign_up_.participant_id)
    SignUp.objects.filter(topic=duplicate).delete()
    Topic.objects.filter(merged_into=duplicate).update(merged_into=kept)
    duplicate.merged_into = kept
    duplicate.space = duplicate.slot = None
    duplicate.save(update_fields=["merged_into", "space", "slot"])
    ThemeSource.objects.filter(topic=duplicate).update(topic=kept)
    return kept


@transaction.atomic
def open_space(*, viewer: Viewer) -> Cafe:
    """Open the spaces: the live tables start and people can go to any topic. Opening
    twice is harmless."""
    _require_arrange(viewer)
    cafe = cafe_services.start_cafe(viewer=viewer)
    round_ = cafe.current_round
    if round_ is not None and round_.status == RoundStatus.PENDING:
        cafe_services.open_round(viewer=viewer, number=round_.number)
        cafe.refresh_from_db()
    return cafe


# --- Create: the agenda of conversations and their proposals ------------------------------


@transaction.atomic
def add_conversation_from_theme(*, viewer: Viewer, theme_key: str, client_id) -> Topic:
    """Put a conversation on the Create agenda, seeded from a theme of one of the series'
    Explore events (``theme_key`` as the theme lists give it); the theme and the notes
    quoted under it, its own, stay linked to it. A theme already on the agenda is refused
    with a message that says so, and nothing is added."""
    client_id = check_client_id(client_id)
    if not (can_arrange(viewer) and viewer.event.stage == Stage.CREATE):
        raise _forbidden("Only a facilitator builds the agenda of a Create event.")
    event = _lock_event(viewer.event)
    theme = selectors.theme_choice(series=event.series, key=str(theme_key or ""))
    if theme is None:
        raise OpenSpaceError(
            "not_found",
            "That theme is not one of this series' Explore themes (it may have been merged "
            "or split since the page was shown): reload the page and choose again.",
        )
    if theme.key in selectors.agenda_theme_keys(event=event):
        raise OpenSpaceError(
            "already_on_agenda",
            f"“{theme.title}” ({theme.group}) is already on the agenda of {event.title}.",
        )
    if Topic.objects.filter(event=event, client_id=client_id).exists():
        raise _duplicate_client_id()
    title = check_text(theme.title, what="theme", max_length=TITLE_MAX_LENGTH)
    why = f"A theme of {theme.group}."[:WHY_MAX_LENGTH]
    topic = _create_topic(viewer, event, title=title, why=why, client_id=client_id)
    ThemeSource.objects.create(
        topic=topic,
        explore_event=theme.event,
        theme_id=theme.theme_id,
        theme_title=title,
        theme_key=theme.key,
        note_ids=theme.note_ids[:SOURCE_NOTES_MAX],
    )
    return topic


def _check_source_ids(topic: Topic, source_ids) -> list[ThemeSource]:
    if not isinstance(source_ids, list | tuple):
        raise OpenSpaceError("invalid", "Choose the themes the problem comes from.")
    ids = {check_id(value, what="theme") for value in source_ids}
    sources = list(ThemeSource.objects.filter(topic=topic, pk__in=ids))
    if len(sources) != len(ids):
        raise OpenSpaceError("not_found", "Choose themes from this conversation's list.")
    return sources


@transaction.atomic
def add_proposal(
    *,
    viewer: Viewer,
    topic_id: int,
    problem: str,
    change: str,
    who_acts: str,
    first_step: str,
    impact: str,
    open_questions: str = "",
    source_ids: list[int] = (),
    client_id,
) -> Proposal:
    """A conversation's proposal: the problem it answers (linked to the Explore themes and
    quotes it came from), the change, who should act, a first step, how impact would be
    measured, and what is still open."""
    client_id = check_client_id(client_id)
    fields = {
        "problem": _text("problem", problem, what="problem"),
        "change": _text("change", change, what="proposed change"),
        "who_acts": _text("who_acts", who_acts, what="“who should act”"),
        "first_step": _text("first_step", first_step, what="first step"),
        "impact": _text("impact", impact, what="measure of impact"),
        "open_questions": _text(
            "open_questions", open_questions, what="open questions", optional=True
        ),
    }
    if not can_propose_solution(viewer):
        raise _forbidden("Proposals are written by the people in Create conversations.")
    topic = _topic_for(viewer, topic_id, follow_merge=True)
    sources = _check_source_ids(topic, list(source_ids))
    existing = Proposal.objects.filter(topic=topic, client_id=client_id).first()
    if existing is not None:
        if not _same_author(viewer, existing, "author", "author_user"):
            raise _duplicate_client_id()
        return existing
    proposal = Proposal.objects.create(
        topic=topic,
        author=viewer.participant,
        author_user=None if viewer.participant else viewer.user,
        client_id=client_id,
        **fields,
    )
    for source in sources:
        ThemeSource.objects.create(
            proposal=proposal,
            explore_event_id=source.explore_event_id,
            theme_id=source.theme_id,
            theme_title=source.theme_title,
            theme_key=source.theme_key,
            note_ids=list(source.note_ids),
        )
    return proposal


def _proposal_for(viewer: Viewer, proposal_id) -> Proposal:
    proposals = Proposal.objects.filter(topic__event=viewer.event)
    missing = OpenSpaceError("not_found", "There is no such proposal at this event.")
    return check_found(proposals, proposal_id, what="proposal", missing=missing)


@transaction.atomic
def endorse(*, viewer: Viewer, proposal_id: int, on: bool = True) -> Proposal:
    """A participant backs a proposal (once), or takes their backing back."""
    if not can_endorse(viewer):
        raise _forbidden("Only participants endorse proposals.")
    proposal = _proposal_for(viewer, proposal_id)
    set_row(Endorsement, on=on, proposal=proposal, participant=viewer.participant)
    return proposal


@transaction.atomic
def raise_concern(*, viewer: Viewer, proposal_id: int, kind: str, text: str, client_id) -> Concern:
    """A participant's concern about a proposal: a problem to solve, or a tension to manage."""
    client_id = check_client_id(client_id)
    text = _text("text", text, what="concern")
    if kind not in ConcernKind.values:
        raise OpenSpaceError(
            "bad_kind", "Say whether it is a problem to solve or a tension to manage."
        )
    if not can_endorse(viewer):
        raise _forbidden("Only participants add concerns.")
    proposal = _proposal_for(viewer, proposal_id)
    existing = Concern.objects.filter(proposal=proposal, client_id=client_id).first()
    if existing is not None:
        if existing.participant_id != viewer.participant.pk:
            raise _duplicate_client_id()
        return existing
    return Concern.objects.create(
        proposal=proposal,
        participant=viewer.participant,
        role_code=viewer.participant.role_code,
        kind=kind,
        text=text,
        client_id=client_id,
    )


def new_client_id() -> uuid.UUID:
    return uuid.uuid4()
