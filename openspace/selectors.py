"""Reads of Open Space and Create: the marketplace board, a topic, the Connect harvest,
the Explore themes a Create agenda is built from, and proposals with their voices.

Words shown to staff come through the café's and the harvest's own selectors, so a
staff-free space's unshared notes and withdrawn participants' words never appear, and
names are redacted as in every report.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from cafes.models import RoundStatus, Seat
from cafes.permissions import Viewer
from cafes.selectors import cafe_for, notes_for_event
from events.models import Event, ParticipantStatus, Series, Stage
from harvest.content import Harvest, HarvestNote, HarvestTheme
from harvest.selectors import Redactor, explore_events, harvest_for_report
from harvest.series import group_of, is_agenda_theme, theme_key
from openspace.models import (
    Concern,
    ConcernKind,
    Proposal,
    SignUp,
    Space,
    ThemeSource,
    TimeSlot,
    Topic,
)
from openspace.permissions import is_host

JOINED = Q(participant__status=ParticipantStatus.JOINED)


# --- the marketplace -------------------------------------------------------------------------


@dataclass
class TopicCard:
    topic: Topic
    host: str  # the proposer's pseudonym, or "Host team"
    signed_up: int
    here: int  # people in the space right now
    mine: bool  # the viewer is signed up
    hosting: bool  # the viewer proposed it
    at: bool  # the viewer is in this space now

    @property
    def staff_free(self) -> bool:
        return self.topic.table.staff_free

    @property
    def shared(self) -> bool:
        return self.topic.table.shared_at is not None


@dataclass
class BoardCell:
    space: Space
    card: TopicCard | None


@dataclass
class BoardColumn:
    """One time slot: what is on in each space."""

    slot: TimeSlot
    cells: list[BoardCell]


@dataclass
class Board:
    event: Event
    spaces: list[Space]
    columns: list[BoardColumn]
    unplaced: list[TopicCard]
    cards: list[TopicCard]
    is_open: bool  # the spaces are open: people can go to a topic now
    my_topic: Topic | None  # where the viewer is now

    @property
    def topic_ids(self) -> list[int]:
        return [card.topic.pk for card in self.cards]


def open_topics(*, event: Event) -> QuerySet[Topic]:
    """Topics still on the marketplace (merged duplicates left out), oldest first."""
    return (
        Topic.objects.filter(event=event, merged_into=None)
        .select_related("table", "proposer", "space", "slot")
        .annotate(
            signed_up=Count("sign_ups", filter=Q(sign_ups__participant__status="joined")),
        )
        .order_by("created_at", "pk")
    )


def marketplace(*, viewer: Viewer) -> Board:
    event = viewer.event
    cafe = cafe_for(event)
    is_open = bool(cafe and cafe.current_round and cafe.current_round.status == RoundStatus.OPEN)
    seats = Counter()
    my_table = None
    if cafe and cafe.current_round_id:
        for table_id, participant_id in Seat.objects.filter(
            round_id=cafe.current_round_id, participant__status=ParticipantStatus.JOINED
        ).values_list("table_id", "participant_id"):
            seats[table_id] += 1
            if viewer.participant is not None and participant_id == viewer.participant.pk:
                my_table = table_id
    mine = set()
    if viewer.participant is not None:
        mine = set(
            SignUp.objects.filter(participant=viewer.participant).values_list("topic_id", flat=True)
        )
    cards = [
        TopicCard(
            topic=topic,
            host=topic.proposer.pseudonym if topic.proposer_id else "Host team",
            signed_up=topic.signed_up,
            here=seats[topic.table_id],
            mine=topic.pk in mine,
            hosting=is_host(viewer, topic),
            at=topic.table_id == my_table,
        )
        for topic in open_topics(event=event)
    ]
    spaces = list(Space.objects.filter(event=event))
    placed = {(c.topic.space_id, c.topic.slot_id): c for c in cards if c.topic.space_id}
    columns = [
        BoardColumn(
            slot=slot,
            cells=[BoardCell(space, placed.get((space.pk, slot.pk))) for space in spaces],
        )
        for slot in TimeSlot.objects.filter(event=event)
    ]
    return Board(
        event=event,
        spaces=spaces,
        columns=columns,
        unplaced=[c for c in cards if c.topic.space_id is None],
        cards=cards,
        is_open=is_open,
        my_topic=next((c.topic for c in cards if c.at), None),
    )


def topic_for(*, event: Event, topic_id: int) -> Topic | None:
    return (
        Topic.objects.select_related("table", "proposer", "space", "slot", "merged_into")
        .filter(event=event, pk=topic_id)
        .first()
    )


def is_signed_up(*, viewer: Viewer, topic: Topic) -> bool:
    return (
        viewer.participant is not None
        and SignUp.objects.filter(topic=topic, participant=viewer.participant).exists()
    )


# --- voices: notes quoted with a role code, never a name -----------------------------------


@dataclass(frozen=True)
class Voice:
    text: str  # verbatim after redaction
    role: str  # role code or ""
    kind: str = ""


def _voice(note: HarvestNote) -> Voice:
    return Voice(text=note.text, role=note.role, kind=note.kind)


class Harvests:
    """Explore harvests read once per request (theming drafts are not free)."""

    def __init__(self) -> None:
        self._by_event: dict[int, Harvest] = {}

    def of(self, event: Event) -> Harvest:
        if event.pk not in self._by_event:
            self._by_event[event.pk] = harvest_for_report(event=event)
        return self._by_event[event.pk]

    def source(
        self, event: Event, *, theme_id: int | None, note_ids: list[int]
    ) -> tuple[HarvestTheme | None, list[Voice]]:
        """The theme a Create conversation or proposal came from, as the harvest holds it
        now, and the notes quoted under it that are still its own and may be reported.

        The theme is found by its id (renamed or not); a source from a draft theme, or one
        whose theme was rebuilt, is found by its quoted notes. A quoted note the harvester
        has since moved to another theme is no longer quoted under this one; when none of
        them is left, the theme's own quotes are shown instead."""
        notes_kind = [t for t in self.of(event).themes if t.kind == "notes"]
        theme = next((t for t in notes_kind if theme_id and t.theme_id == theme_id), None)
        if theme is None:
            holding = Counter(
                i for i, t in enumerate(notes_kind) for n in t.notes if n.id in set(note_ids)
            )
            if holding:  # the theme holding most of them (the first of equals)
                theme = notes_kind[min(holding, key=lambda i: (-holding[i], i))]
        if theme is None:
            return None, []
        own = {n.id: n for n in theme.notes}
        quoted = [own[i] for i in note_ids if i in own]
        return theme, [_voice(n) for n in quoted or theme.quotes or theme.notes[:3]]


# --- the Connect harvest --------------------------------------------------------------------


@dataclass
class HarvestTopic:
    title: str
    why: str
    host_role: str
    sign_ups: int
    roles: dict[str, int]  # role code -> people signed up
    key_points: str
    staff_free: bool
    notes_shared: bool  # False for a staff-free space that kept its notes
    merged: list[str] = field(default_factory=list)  # titles folded into this one
    notes: list[Voice] = field(default_factory=list)


def connect_harvest(*, event: Event) -> list[HarvestTopic]:
    """What each Connect topic produced, for staff: titles, sign-ups by role code, the key
    points the group shared and the notes staff may read (redacted; not those of a
    staff-free space that kept them, nor anyone's who withdrew). Most sign-ups first."""
    redactor = Redactor(event)
    topics = [t for t in open_topics(event=event) if _proposer_present(t)]
    merged = defaultdict(list)
    table_topic = {}
    for topic in topics:
        table_topic[topic.table_id] = topic.pk
    for duplicate in Topic.objects.filter(event=event).exclude(merged_into=None):
        kept = duplicate
        while kept.merged_into_id is not None:
            kept = kept.merged_into
        merged[kept.pk].append(redactor.text(duplicate.title).text)
        table_topic[duplicate.table_id] = kept.pk
    notes = defaultdict(list)
    for note in notes_for_event(event=event):
        if note.table_id in table_topic:
            notes[table_topic[note.table_id]].append(
                Voice(text=redactor.note(note).text, role=note.role_code, kind=note.kind)
            )
    roles = defaultdict(Counter)
    for topic_id, role in (
        SignUp.objects.filter(topic__event=event)
        .filter(JOINED)
        .values_list("topic_id", "participant__role_code")
    ):
        roles[topic_id][role or "—"] += 1
    out = [
        HarvestTopic(
            title=redactor.text(t.title).text,
            why=redactor.text(t.why).text if t.why else "",
            host_role=t.proposer.role_code if t.proposer_id else "",
            sign_ups=t.signed_up,
            roles=dict(sorted(roles[t.pk].items())),
            key_points=redactor.text(t.key_points).text if t.key_points else "",
            staff_free=t.table.staff_free,
            notes_shared=not t.table.closed_to_staff,
            merged=merged[t.pk],
            notes=notes[t.pk],
        )
        for t in topics
    ]
    out.sort(key=lambda h: -h.sign_ups)
    return out


def _proposer_present(topic: Topic) -> bool:
    """A topic proposed by someone who withdrew is left out, with their words."""
    return topic.proposer_id is None or topic.proposer.status != ParticipantStatus.WITHDRAWN


# --- Create: Explore themes to build the agenda from ----------------------------------------


@dataclass
class ThemeChoice:
    key: str  # stable while the theme does not change; sent back by the agenda form
    event: Event
    group: str
    title: str
    summary: str
    is_key: bool
    theme_id: int | None
    note_ids: list[int]
    quotes: list[Voice]


@dataclass
class ExploreColumn:
    event: Event
    group: str
    themes: list[ThemeChoice]


def explore_columns(*, series: Series, harvests: Harvests | None = None) -> list[ExploreColumn]:
    """The themes of every Explore event of the series, a column per stakeholder group,
    key themes first; each with the notes quoted under it (its own notes, role codes
    only) and its key (``harvest.series.theme_key``: never its title)."""
    harvests = harvests or Harvests()
    columns = []
    for event in explore_events(series=series):
        group = group_of(event)
        themes = []
        for theme in harvests.of(event).themes:
            if not is_agenda_theme(theme):
                continue
            quoted = theme.quotes or theme.notes[:3]
            themes.append(
                ThemeChoice(
                    key=theme_key(event.pk, theme),
                    event=event,
                    group=group,
                    title=theme.title,
                    summary=theme.summary,
                    is_key=theme.key,
                    theme_id=theme.theme_id,
                    note_ids=[n.id for n in quoted],
                    quotes=[_voice(n) for n in quoted],
                )
            )
        themes.sort(key=lambda t: not t.is_key)
        columns.append(ExploreColumn(event=event, group=group, themes=themes))
    return columns


def theme_choice(*, series: Series, key: str) -> ThemeChoice | None:
    """The theme of one of the series' Explore events with this key, or None."""
    for column in explore_columns(series=series):
        for theme in column.themes:
            if theme.key == key:
                return theme
    return None


def agenda_theme_keys(*, event: Event) -> set[str]:
    """The keys of the themes already on a Create event's agenda (a merged conversation's
    themes moved to the one it was merged into)."""
    keys = set()
    for key, explore_id, theme_id in ThemeSource.objects.filter(topic__event=event).values_list(
        "theme_key", "explore_event_id", "theme_id"
    ):
        if key:
            keys.add(key)
        if theme_id is not None:  # also for sources stored before keys were
            keys.add(f"{explore_id}-t{theme_id}")
    return keys


# --- Create: conversations and proposals ------------------------------------------------------


@dataclass
class SourceView:
    id: int
    theme_title: str
    group: str
    voices: list[Voice]


@dataclass
class ProposalView:
    proposal: Proposal
    endorsements: int
    endorsed_by_me: bool
    problems_to_solve: list[Voice]
    tensions_to_manage: list[Voice]
    sources: list[SourceView]


def sources_view(sources, harvests: Harvests) -> list[SourceView]:
    out = []
    for source in sources:
        event = source.explore_event
        theme, voices = harvests.source(
            event, theme_id=source.theme_id, note_ids=list(source.note_ids)
        )
        # The theme as it is called now, when it is still the same stored theme.
        same = theme is not None and source.theme_id and theme.theme_id == source.theme_id
        out.append(
            SourceView(
                id=source.pk,
                theme_title=theme.title if same else source.theme_title,
                group=group_of(event),
                voices=voices,
            )
        )
    return out


def topic_sources(*, topic: Topic, harvests: Harvests | None = None) -> list[SourceView]:
    sources = ThemeSource.objects.filter(topic=topic).select_related(
        "explore_event__stakeholder_group"
    )
    return sources_view(sources, harvests or Harvests())


def proposals_for(
    *, topic: Topic, viewer: Viewer | None = None, harvests: Harvests | None = None
) -> list[ProposalView]:
    """A conversation's proposals with their backing, concerns and sources; words of
    people who withdrew are left out (their proposals, concerns and endorsements)."""
    harvests = harvests or Harvests()
    proposals = (
        Proposal.objects.filter(topic=topic)
        .exclude(author__status=ParticipantStatus.WITHDRAWN)
        .annotate(
            backing=Count("endorsements", filter=Q(endorsements__participant__status="joined"))
        )
        .prefetch_related("sources__explore_event__stakeholder_group")
    )
    mine = set()
    if viewer is not None and viewer.participant is not None:
        mine = set(
            proposals.filter(endorsements__participant=viewer.participant).values_list(
                "pk", flat=True
            )
        )
    concerns = defaultdict(list)
    for concern in Concern.objects.filter(proposal__topic=topic).exclude(
        participant__status=ParticipantStatus.WITHDRAWN
    ):
        concerns[(concern.proposal_id, concern.kind)].append(
            Voice(text=concern.text, role=concern.role_code, kind=concern.kind)
        )
    return [
        ProposalView(
            proposal=p,
            endorsements=p.backing,
            endorsed_by_me=p.pk in mine,
            problems_to_solve=concerns[(p.pk, ConcernKind.PROBLEM)],
            tensions_to_manage=concerns[(p.pk, ConcernKind.TENSION)],
            sources=sources_view(p.sources.all(), harvests),
        )
        for p in proposals
    ]


def events_of(*, series: Series, stage: str) -> QuerySet[Event]:
    return Event.objects.filter(series=series, stage=stage).order_by("starts_at", "pk")


def connect_events(*, series: Series) -> QuerySet[Event]:
    return events_of(series=series, stage=Stage.CONNECT)
