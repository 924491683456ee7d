"""The series report as a document the renderers draw: the journey from the Connect topics,
through the Explore themes of each stakeholder group, to the Create proposals, each with the
themes and the voices it came from.

``build_series_document`` reads ``openspace.series.series_journey`` (already redacted,
role codes only, nothing said by anyone who withdrew, a staff-free space's notes only if
its group shared them) and lays it out in the sections and blocks of ``reports.blocks``,
so the same renderers draw its PDF, DOCX, HTML and Markdown; its JSON and CSV carry the
journey itself.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from events.models import Series
from openspace.series import (
    ConnectEvent,
    ConnectTopic,
    ProposalContent,
    SeriesJourney,
    StakeholderThemes,
    series_journey,
)
from openspace.series import Quote as JourneyQuote
from reports.blocks import (
    Block,
    Bullets,
    Compiled,
    Cover,
    Paragraph,
    Quote,
    Quotes,
    Section,
    Table,
    plural,
)
from reports.document import ReportDocument

# A Connect space can write many notes; the report shows the first few, the JSON has all.
TOPIC_QUOTES = 6
# What the Connect and Explore chapters open with.
CONNECT_INTRO = "The topics proposed in Open Space, who signed up and what they said."
EXPLORE_INTRO = "The themes of each Explore event, key themes first, with their quotes."


@dataclass(frozen=True)
class NumberedProposal:
    number: int  # across the whole series, as the report numbers them
    event: str  # the Create event
    date: str
    proposal: ProposalContent


@dataclass
class SeriesDocument(Compiled):
    journey: SeriesJourney
    version: int | None  # None when compiled outside a stored version (build_report)
    compiled_at: datetime
    sections: list[Section] = field(default_factory=list)

    contents_detail = "create"

    @property
    def fingerprint(self) -> str:
        """The journey's: the same series gives the same fingerprint."""
        return self.journey.fingerprint

    @property
    def title(self) -> str:
        return f"Series report: {self.journey.title}"

    @property
    def curated(self) -> bool:
        """Every stakeholder group's themes were reviewed by a harvester."""
        return bool(self.journey.explore) and all(g.curated for g in self.journey.explore)

    @property
    def topics(self) -> list[ConnectTopic]:
        return [t for c in self.journey.connect for t in c.topics]

    @property
    def proposals(self) -> list[NumberedProposal]:
        made = [(c.title, c.date, p) for c in self.journey.create for p in c.proposals]
        return [
            NumberedProposal(number, event, date, p)
            for number, (event, date, p) in enumerate(made, start=1)
        ]

    @property
    def note_count(self) -> int:
        """How many voices the report quotes: notes, concerns and the notes behind proposals."""
        j = self.journey
        return (
            sum(len(t.quotes) for t in self.topics)
            + sum(len(t.quotes) for g in j.explore for t in g.themes)
            + sum(
                len(p.problems_to_solve)
                + len(p.tensions_to_manage)
                + sum(len(s.voices) for s in p.provenance)
                for c in j.create
                for p in c.proposals
            )
        )

    @property
    def cover(self) -> Cover:
        j = self.journey
        themes = sum(len(g.themes) for g in j.explore)
        return Cover(
            series=j.title,
            kind="Series report",
            title="From Connect to Create",
            subtitle=" · ".join(g.group for g in j.explore),
            date=j.dates,
            facts=(
                f"{plural(len(self.topics), 'Connect topic')} · "
                f"{plural(len(j.explore), 'stakeholder group')} · {plural(themes, 'theme')} · "
                f"{plural(len(self.proposals), 'proposal')}"
            ),
            draft="" if self.curated else "some themes are drafts, not yet reviewed",
        )


AnyDocument = ReportDocument | SeriesDocument


def build_series_document(
    *, series: Series, version: int | None = None, compiled_at: datetime
) -> SeriesDocument:
    """The whole series report: the journey, then its sections in reading order."""
    document = SeriesDocument(
        journey=series_journey(series=series), version=version, compiled_at=compiled_at
    )
    document.sections = sections(document)
    return document


# --- the sections -------------------------------------------------------------------------


def _quotes(quotes: list[JourneyQuote]) -> Quotes:
    return Quotes(tuple(Quote(text=q.text, role=q.role) for q in quotes))


def _summary(doc: SeriesDocument) -> Section:
    j = doc.journey
    blocks: list[Block] = [
        Paragraph(
            f"This report follows the series {j.title} from beginning to end: the topics "
            "people brought to Connect, the themes each stakeholder group raised at its "
            "Explore event, and the proposals for change developed at Create. Every proposal "
            "is shown with the themes and the words of the people it came from."
        )
    ]
    if j.description:
        blocks.append(Paragraph(j.description, lead="The series"))
    themes = sum(len(g.themes) for g in j.explore)
    conversations = sum(len(c.conversations) for c in j.create)
    blocks.append(
        Paragraph(
            f"{plural(len(doc.topics), 'topic')} proposed at Connect; "
            f"{plural(themes, 'theme')} from {plural(len(j.explore), 'stakeholder group')} "
            f"at Explore; {plural(len(doc.proposals), 'proposal')} from "
            f"{plural(conversations, 'conversation')} at Create.",
            lead="The journey in numbers",
        )
    )
    key = [
        f"{g.group}: " + "; ".join(t.title for t in g.themes if t.key)
        for g in j.explore
        if any(t.key for t in g.themes)
    ]
    if key:
        blocks += [Paragraph("", lead="Key themes of each stakeholder group"), Bullets(tuple(key))]
    if doc.proposals:
        blocks.append(Paragraph("", lead="Proposals for change"))
        blocks.append(
            Bullets(
                tuple(
                    f"{n.proposal.change} (who should act: {n.proposal.who_acts}; endorsed by "
                    f"{plural(n.proposal.endorsements, 'person', 'people')})"
                    for n in doc.proposals
                )
            )
        )
    if j.explore and not doc.curated:
        blocks.append(
            Paragraph(
                "Some stakeholder groups' themes were drafted automatically and have not yet "
                "been reviewed by a harvester; a later version may group them differently."
            )
        )
    return Section("summary", "Executive summary", 1, blocks)


def _process() -> Section:
    return Section(
        "process",
        "About the process",
        1,
        [
            Paragraph(
                "The series ran in three stages. Connect was a launch where everyone heard "
                "the context and, in Open Space, proposed the topics that mattered to them and "
                "met in small groups, some without the organisers present. Explore was one "
                "Collective Story Café for each stakeholder group, whose notes were harvested "
                "into themes. Create set an agenda of conversations seeded from those themes "
                "and developed them into proposals: the problem, the change, who should act, "
                "the first step and how impact will be measured.",
                lead="The method",
            ),
            Paragraph(
                "Quotes are exactly what people wrote, with the role code they chose in "
                "brackets; nobody is named. Names, emails, phone numbers and addresses have "
                "been replaced by markers such as [name] or [phone]. Nothing said by anyone "
                "who withdrew is included, and the notes of a group that met without staff "
                "appear only if the group chose to share them.",
                lead="How to read this report",
            ),
        ],
    )


def _roles(roles: dict[str, int]) -> str:
    return ", ".join(f"{code} {count}" for code, count in roles.items())


def _topic(topic: ConnectTopic, anchor: str) -> Section:
    blocks: list[Block] = []
    if topic.why:
        blocks.append(Paragraph(topic.why, lead="Why it matters"))
    signed = plural(topic.sign_ups, "person", "people")
    blocks.append(
        Paragraph(f"{signed} signed up" + (f" ({_roles(topic.roles)})." if topic.roles else "."))
    )
    if topic.key_points:
        blocks.append(Paragraph(topic.key_points, lead="Key points the group shared"))
    if not topic.notes_shared:
        blocks.append(Paragraph("This group met without staff and kept its notes to itself."))
    elif topic.quotes:
        shown = topic.quotes[:TOPIC_QUOTES]
        blocks.append(_quotes(shown))
        if len(topic.quotes) > len(shown):
            more = len(topic.quotes) - len(shown)
            blocks.append(Paragraph(f"{plural(more, 'more note')} in the JSON."))
    return Section(anchor, topic.title, 3, blocks)


def _connect_event(event: ConnectEvent, number: int) -> Section:
    section = Section(f"connect-{number}", event.title, 2, [Paragraph(f"Held on {event.date}.")])
    topics = tuple((t.title, str(t.sign_ups), _roles(t.roles)) for t in event.topics)
    section.blocks.append(
        Table("Topics, most sign-ups first", ("Topic", "Signed up", "By role"), topics)
        if topics
        else Paragraph("No topics were proposed.")
    )
    section.subsections = [
        _topic(t, f"connect-{number}-topic-{i}") for i, t in enumerate(event.topics, start=1)
    ]
    return section


def _stage(stage: str, title: str, intro: str, parts: list, part: Callable) -> Section:
    """A stage's chapter: ``part(item, number)`` for each of its parts, or a line saying
    the series has no event of that stage yet."""
    section = Section(stage.lower(), f"{stage}: {title}", 1, [Paragraph(intro)])
    if not parts:
        section.blocks.append(Paragraph(f"This series has no {stage} event yet."))
    for number, item in enumerate(parts, start=1):
        section.subsections.append(part(item, number))
    return section


def _group(group: StakeholderThemes, number: int) -> Section:
    reviewed = "" if group.curated else " The themes are an automatic draft."
    section = Section(
        f"explore-{number}",
        group.group,
        2,
        [Paragraph(f"From {group.event}, held on {group.date}.{reviewed}")],
    )
    if not group.themes:
        section.blocks.append(Paragraph("No themes yet."))
    for i, theme in enumerate(group.themes, start=1):
        blocks: list[Block] = []
        if theme.summary:
            blocks.append(Paragraph(theme.summary))
        if theme.quotes:
            blocks.append(_quotes(theme.quotes))
        title = f"{theme.title} (key theme)" if theme.key else theme.title
        section.subsections.append(Section(f"explore-{number}-theme-{i}", title, 3, blocks))
    return section


def _sources(p: ProposalContent) -> str:
    return "; ".join(f"{s.theme} ({s.group})" for s in p.provenance) or "—"


def _concerns(p: ProposalContent) -> int:
    return len(p.problems_to_solve) + len(p.tensions_to_manage)


def _proposal(n: NumberedProposal) -> Section:
    p = n.proposal
    blocks: list[Block] = [
        Paragraph(f"From the conversation “{p.conversation}” at {n.event}, {n.date}."),
        Paragraph(p.problem, lead="The problem"),
        Paragraph(p.change, lead="The proposed change"),
        Paragraph(p.who_acts, lead="Who should act"),
        Paragraph(p.first_step, lead="The first step"),
        Paragraph(p.impact, lead="How impact will be measured"),
        Paragraph(p.open_questions or "None recorded.", lead="Open questions"),
        Paragraph(
            f"Endorsed by {plural(p.endorsements, 'person', 'people')}; "
            f"{plural(_concerns(p), 'concern')} raised: "
            f"{plural(len(p.problems_to_solve), 'problem')} to solve and "
            f"{plural(len(p.tensions_to_manage), 'tension')} to manage.",
            lead="Endorsements and concerns",
        ),
    ]
    for label, quotes in (
        ("Problems to solve", p.problems_to_solve),
        ("Tensions to manage", p.tensions_to_manage),
    ):
        if quotes:
            blocks += [Paragraph(f"{label}:"), _quotes(quotes)]
    sources = Section(f"proposal-{n.number}-sources", "Where it came from", 3)
    if not p.provenance:
        sources.blocks.append(Paragraph("This proposal was not linked to an Explore theme."))
    for source in p.provenance:
        sources.blocks.append(Paragraph(f"The theme “{source.theme}” of {source.group}:"))
        if source.voices:
            sources.blocks.append(_quotes(source.voices))
        else:
            sources.blocks.append(
                Paragraph("Its quotes can no longer be reported: their authors withdrew.")
            )
    return Section(f"proposal-{n.number}", f"Proposal {n.number}: {p.change}", 2, blocks, [sources])


def _create(doc: SeriesDocument) -> Section:
    section = Section(
        "create",
        "Create: proposals for change",
        1,
        [
            Paragraph(
                "Each proposal developed at Create, with how many people endorsed it, the "
                "concerns raised, and the Explore themes and voices it came from."
            )
        ],
    )
    if not doc.proposals:
        section.blocks.append(Paragraph("No proposals have been made yet."))
        return section
    section.blocks.append(
        Table(
            "Proposals and where they came from",
            ("Proposal", "Conversation", "From the themes", "Endorsed", "Concerns"),
            tuple(
                (
                    f"{n.number}. {n.proposal.change}",
                    n.proposal.conversation,
                    _sources(n.proposal),
                    str(n.proposal.endorsements),
                    str(_concerns(n.proposal)),
                )
                for n in doc.proposals
            ),
        )
    )
    section.subsections = [_proposal(n) for n in doc.proposals]
    return section


def _acknowledgements() -> Section:
    return Section(
        "thanks",
        "Acknowledgements",
        1,
        [
            Paragraph(
                "Thank you to everyone who gave their time to this series and shared their "
                "experience, often of hard times, so that things can change for others; and to "
                "the hosts, facilitators and harvesters who carried it from Connect to Create."
            )
        ],
    )


def sections(doc: SeriesDocument) -> list[Section]:
    j = doc.journey
    return [
        _summary(doc),
        _process(),
        _stage("Connect", "the topics people brought", CONNECT_INTRO, j.connect, _connect_event),
        _stage("Explore", "themes by stakeholder group", EXPLORE_INTRO, j.explore, _group),
        _create(doc),
        _acknowledgements(),
    ]
