"""The series report's content: the journey from the Connect topics, through the Explore
themes of each stakeholder group, to the Create proposals, each proposal traceable to the
voices behind it.

``series_journey(series=...)`` returns plain, frozen dataclasses (no models, no request),
so any renderer can take them: ``as_json`` and ``as_markdown`` here, and the reports app's
HTML, PDF and DOCX renderers when it renders series reports. Every text has been through
the harvest's redaction; quotes carry role codes, never names; nothing said by a
participant who withdrew is included; a staff-free Connect space's notes appear only if
its group shared them.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.db.models import Q

from events.models import Event, ParticipantStatus, Series, Stage
from events.selectors import local_time
from harvest.selectors import Redactor
from openspace import selectors
from openspace.models import Topic
from openspace.selectors import Harvests, Voice


@dataclass(frozen=True)
class Quote:
    text: str
    role: str  # role code, or "" when unknown; never a name
    group: str = ""  # the stakeholder group (Explore) or event it was said at


@dataclass(frozen=True)
class ConnectTopic:
    title: str
    why: str
    sign_ups: int
    roles: dict[str, int]
    key_points: str
    notes_shared: bool
    quotes: list[Quote] = field(default_factory=list)


@dataclass(frozen=True)
class ConnectEvent:
    title: str
    date: str  # e.g. "14 March 2026", on the event's own clock
    topics: list[ConnectTopic]


@dataclass(frozen=True)
class ExploreTheme:
    title: str
    summary: str
    key: bool
    quotes: list[Quote]


@dataclass(frozen=True)
class StakeholderThemes:
    group: str
    event: str
    date: str
    curated: bool  # a harvester reviewed the themes (else they are the automatic draft)
    themes: list[ExploreTheme]


@dataclass(frozen=True)
class Provenance:
    theme: str  # the Explore theme the problem came from
    group: str  # its stakeholder group
    voices: list[Quote]  # the notes quoted under it, as they may be reported today


@dataclass(frozen=True)
class ProposalContent:
    conversation: str
    problem: str
    change: str
    who_acts: str
    first_step: str
    impact: str
    open_questions: str
    endorsements: int
    problems_to_solve: list[Quote]
    tensions_to_manage: list[Quote]
    provenance: list[Provenance]


@dataclass(frozen=True)
class CreateEvent:
    title: str
    date: str
    conversations: list[str]
    proposals: list[ProposalContent]


@dataclass(frozen=True)
class SeriesJourney:
    series_id: int
    title: str
    description: str
    dates: str  # from the first event's day to the last's, e.g. "2 March 2026 to 4 May 2026"
    connect: list[ConnectEvent]
    explore: list[StakeholderThemes]
    create: list[CreateEvent]
    fingerprint: str  # changes whenever anything above would change


def _quote(voice: Voice, group: str = "") -> Quote:
    return Quote(text=voice.text, role=voice.role, group=group)


def _date(event: Event) -> str:
    starts = local_time(event, event.starts_at)
    return f"{starts.day} {starts:%B %Y}"


def _dates(series: Series) -> str:
    events = list(series.events.order_by("starts_at", "pk"))
    if not events:
        return ""
    first, last = _date(events[0]), _date(events[-1])
    return first if first == last else f"{first} to {last}"


def _connect(series: Series) -> list[ConnectEvent]:
    out = []
    for event in selectors.connect_events(series=series):
        topics = [
            ConnectTopic(
                title=t.title,
                why=t.why,
                sign_ups=t.sign_ups,
                roles=t.roles,
                key_points=t.key_points,
                notes_shared=t.notes_shared,
                quotes=[_quote(v, event.title) for v in t.notes],
            )
            for t in selectors.connect_harvest(event=event)
        ]
        out.append(ConnectEvent(title=event.title, date=_date(event), topics=topics))
    return out


def _explore(series: Series, harvests: Harvests) -> list[StakeholderThemes]:
    return [
        StakeholderThemes(
            group=column.group,
            event=column.event.title,
            date=_date(column.event),
            curated=harvests.of(column.event).curated,
            themes=[
                ExploreTheme(
                    title=t.title,
                    summary=t.summary,
                    key=t.is_key,
                    quotes=[_quote(v, column.group) for v in t.quotes],
                )
                for t in column.themes
            ],
        )
        for column in selectors.explore_columns(series=series, harvests=harvests)
    ]


def _create(series: Series, harvests: Harvests) -> list[CreateEvent]:
    out = []
    for event in selectors.events_of(series=series, stage=Stage.CREATE):
        redactor = Redactor(event)

        def clean(text: str, redactor=redactor) -> str:
            return redactor.text(text).text if text else ""

        topics = Topic.objects.filter(event=event, merged_into=None).filter(
            Q(proposer=None) | ~Q(proposer__status=ParticipantStatus.WITHDRAWN)
        )
        proposals = []
        for topic in topics:
            for view in selectors.proposals_for(topic=topic, harvests=harvests):
                p = view.proposal
                proposals.append(
                    ProposalContent(
                        conversation=clean(topic.title),
                        problem=clean(p.problem),
                        change=clean(p.change),
                        who_acts=clean(p.who_acts),
                        first_step=clean(p.first_step),
                        impact=clean(p.impact),
                        open_questions=clean(p.open_questions),
                        endorsements=view.endorsements,
                        problems_to_solve=[
                            Quote(clean(v.text), v.role) for v in view.problems_to_solve
                        ],
                        tensions_to_manage=[
                            Quote(clean(v.text), v.role) for v in view.tensions_to_manage
                        ],
                        provenance=[
                            Provenance(
                                theme=s.theme_title,
                                group=s.group,
                                voices=[_quote(v, s.group) for v in s.voices],
                            )
                            for s in view.sources
                        ],
                    )
                )
        out.append(
            CreateEvent(
                title=event.title,
                date=_date(event),
                conversations=[clean(t.title) for t in topics],
                proposals=proposals,
            )
        )
    return out


def series_journey(*, series: Series) -> SeriesJourney:
    """Everything the series report shows, redacted, with no withdrawn participant's words."""
    harvests = Harvests()
    body = {
        "series_id": series.pk,
        "title": series.title,
        "description": series.description,
        "dates": _dates(series),
        "connect": _connect(series),
        "explore": _explore(series, harvests),
        "create": _create(series, harvests),
    }
    plain = json.dumps(
        {k: [asdict(x) for x in v] if isinstance(v, list) else v for k, v in body.items()},
        sort_keys=True,
        ensure_ascii=False,
    )
    return SeriesJourney(**body, fingerprint=hashlib.sha256(plain.encode()).hexdigest())


def as_json(journey: SeriesJourney) -> str:
    return json.dumps(asdict(journey), ensure_ascii=False, indent=2)


def _quotes_md(quotes: list[Quote], indent: str = "") -> list[str]:
    return [f"{indent}> “{q.text}”" + (f" ({q.role})" if q.role else "") for q in quotes]


def as_markdown(journey: SeriesJourney) -> str:
    """The journey as Markdown: readable as is, and the reports app's text renderer."""
    lines = [f"# {journey.title}: from Connect to Create", ""]
    if journey.description:
        lines += [journey.description, ""]
    lines += ["## Connect: the topics people brought", ""]
    for connect in journey.connect:
        lines += [f"### {connect.title}", ""]
        for topic in connect.topics:
            lines.append(f"- **{topic.title}** ({topic.sign_ups} signed up)")
            if topic.key_points:
                lines.append(f"  Key points: {topic.key_points}")
            if not topic.notes_shared:
                lines.append("  (A staff-free space that kept its notes to itself.)")
        lines.append("")
    lines += ["## Explore: themes by stakeholder group", ""]
    for group in journey.explore:
        lines += [f"### {group.group}", ""]
        for theme in group.themes:
            lines.append(f"- **{theme.title}**" + (" (key theme)" if theme.key else ""))
            if theme.summary:
                lines.append(f"  {theme.summary}")
        lines.append("")
    lines += ["## Create: proposals", ""]
    for create in journey.create:
        lines += [f"### {create.title}", ""]
        for number, p in enumerate(create.proposals, start=1):
            lines += [
                f"#### Proposal {number}: {p.change}",
                "",
                f"- Conversation: {p.conversation}",
                f"- Problem: {p.problem}",
                f"- Who should act: {p.who_acts}",
                f"- First step: {p.first_step}",
                f"- How impact is measured: {p.impact}",
            ]
            if p.open_questions:
                lines.append(f"- Open questions: {p.open_questions}")
            lines.append(f"- Endorsed by {p.endorsements}")
            for label, quotes in (
                ("Problems to solve", p.problems_to_solve),
                ("Tensions to manage", p.tensions_to_manage),
            ):
                if quotes:
                    lines.append(f"- {label}:")
                    lines += [f"  - {q.text}" + (f" ({q.role})" if q.role else "") for q in quotes]
            for source in p.provenance:
                lines += ["", f"Comes from the theme “{source.theme}” ({source.group}):"]
                lines += _quotes_md(source.voices)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
