"""The report as one plain document, which every renderer draws in the same order.

``build_document`` reads the harvest (``harvest.selectors.harvest_for_report``: themes,
quotes, answers and conclusions, already redacted, without the words of anyone who
withdrew), the café selectors (rounds, tables, priorities with votes) and the event. The
result holds the report's data (for JSON and CSV) and its sections of paragraphs, bullet
lists, quotes and tables (for HTML, PDF, DOCX and Markdown). Words are attributed by role
code only: no name or pseudonym is ever read here.
"""

import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime

from cafes.selectors import priorities_for_event, rounds_for_event, tables_for_event
from events.models import Event
from events.selectors import local_time, participants_by_role
from harvest.content import Harvest, HarvestNote, HarvestTheme
from harvest.selectors import Redactor, harvest_for_report

KEY_POINTS = 6
KEY_THEMES, EMERGING_IDEAS = 4, 2  # of the executive summary, when no harvester chose them
INLINE_NOTES = 12  # a theme's notes shown under it; the rest go to the appendix
PRINT_APPENDIX_MAX = 1500  # past this many notes the appendix is left out of PDF and DOCX
# A closing question about the event itself: its answers are the reflections on the process.
REFLECTION_QUESTION = re.compile(
    r"\b(taking part|take part|took part|this event|the event|the process|the session|"
    r"today's session|how did you find|how was (?:it|today|the day))\b",
    re.IGNORECASE,
)
# Note kinds that are ideas for change (round 2's possibilities, round 3's solutions).
IDEA_KINDS = frozenset({"possibility", "idea", "solution"})

# --- the blocks a section is made of ----------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # a few words set in bold before the text, e.g. "Context"
    kind: str = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    kind: str = "bullets"


@dataclass(frozen=True)
class Quote:
    text: str  # verbatim from a stored note, message or answer, after redaction
    role: str  # role code, or "" when the person preferred not to say
    # "note-12", "comment-3", "answer-7": where the words are given in full, once per report
    # (an anchor in HTML); "" where they are repeated (the executive summary).
    ref: str = ""


@dataclass(frozen=True)
class Quotes:
    quotes: tuple[Quote, ...]
    kind: str = "quotes"
    compact: bool = False  # a plain list of further notes rather than set-off quotes


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kind: str = "table"


Block = Paragraph | Bullets | Quotes | Table


@dataclass(frozen=True)
class Cover:
    """What the first page says, the same for every kind of report."""

    series: str
    kind: str  # "Harvest report", "Series report"
    title: str
    subtitle: str  # the stakeholder group, or ""
    date: str
    facts: str  # a line of counts, e.g. "30 people · 4 tables · 3 rounds · 284 notes"
    draft: str  # why the content may still change, or ""


@dataclass
class Section:
    anchor: str
    title: str
    level: int  # 1 chapter, 2 round or question, 3 theme
    blocks: list[Block] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)
    # When set, the printed formats (PDF, DOCX) give this paragraph in place of the
    # section's content: a 10,000-note appendix is for the screen and the CSV, not paper.
    print_note: str = ""


# --- the report's data ------------------------------------------------------------------


@dataclass(frozen=True)
class NoteRow:
    id: int
    text: str
    role: str
    table: str
    round: int | None
    kind: str  # story, problem, ... for notes; "comment" for chat
    staff: bool = False  # a facilitator's or table host's chat message

    @property
    def ref(self) -> str:
        return f"{'comment' if self.kind == 'comment' else 'note'}-{self.id}"


@dataclass(frozen=True)
class ThemeRow:
    title: str
    summary: str
    kind: str  # "notes" or "chat"
    round: int | None
    key: bool
    emerging: bool
    curated: bool
    notes: tuple[NoteRow, ...]
    quotes: tuple[NoteRow, ...]
    other: bool = False  # notes posted after the themes were built

    @property
    def table_count(self) -> int:
        return len({n.table for n in self.notes if n.table})

    @property
    def is_other(self) -> bool:
        return self.other

    @property
    def weight(self) -> str:
        """ "7 notes from 4 tables"."""
        where = f" from {plural(self.table_count, 'table')}" if self.table_count else ""
        noun = ("comment", "comments") if self.kind == "chat" else ("note", "notes")
        return f"{plural(len(self.notes), *noun)}{where}"

    @property
    def lead_quote(self) -> NoteRow | None:
        """The quote that best supports the theme's title: the note its words came from
        (a drafted title is a phrase of one of its notes) when that note says more than the
        title, else its first quote that does not just repeat the title."""
        title = " ".join(self.title.casefold().split())
        for note in (*self.quotes, *self.notes):
            text = " ".join(note.text.casefold().split())
            # the note the title came from, when it says more than the title itself
            if title and title in text and len(text.split()) >= len(title.split()) + 4:
                return note
        others = [n for n in self.quotes if title not in " ".join(n.text.casefold().split())]
        return (others or self.quotes or self.notes or (None,))[0]


@dataclass(frozen=True)
class RoleRow:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class RoundRow:
    number: int
    prompt: str
    notes: int
    tables: int


@dataclass(frozen=True)
class PriorityRow:
    round: int
    table: str
    text: str
    votes: int


@dataclass(frozen=True)
class AnswerRow:
    id: int
    text: str
    role: str


@dataclass(frozen=True)
class QuestionRow:
    question: str
    position: int
    reflection: bool  # about the event itself, shown under "Reflections on the process"
    answers: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class EventFacts:
    title: str
    slug: str
    series: str
    series_description: str
    stage: str
    stakeholder_group: str
    starts_at: str  # ISO 8601 in the event's time zone
    ends_at: str
    date: str  # e.g. "Saturday 14 March 2026"
    timezone: str
    context: str
    description: str
    tables: int
    table_hosts: int


@dataclass
class ReportDocument:
    event: EventFacts
    participants: list[RoleRow]
    rounds: list[RoundRow]
    themes: list[ThemeRow]
    priorities: list[PriorityRow]
    questions: list[QuestionRow]
    chat: list[NoteRow]
    conclusions: str
    curated: bool
    fingerprint: str  # of everything above: the same inputs give the same fingerprint
    version: int | None  # None when compiled outside a stored version (build_report)
    compiled_at: datetime
    sections: list[Section] = field(default_factory=list)
    contributors: tuple[int, ...] = ()  # participant ids (never shown): see harvest.content

    # The chapter whose sections the contents page lists too.
    contents_detail = "findings"

    @property
    def title(self) -> str:
        return f"Harvest report: {self.event.title}"

    @property
    def cover(self) -> Cover:
        e = self.event
        return Cover(
            series=e.series,
            kind="Harvest report",
            title=e.title,
            subtitle=e.stakeholder_group,
            date=e.date,
            facts=" · ".join(
                [
                    plural(self.participant_count, "person", "people"),
                    plural(e.tables, "table"),
                    plural(len(self.rounds), "round"),
                    plural(self.note_count, "note"),
                ]
            ),
            draft="" if self.curated else "draft themes, not yet reviewed by a harvester",
        )

    @property
    def participant_count(self) -> int:
        return sum(r.count for r in self.participants)

    @property
    def note_count(self) -> int:
        return sum(len(t.notes) for t in self.themes if t.kind == "notes")

    @property
    def version_label(self) -> str:
        return version_label(self.version, self.compiled_at)


def version_label(version: int | None, compiled_at: datetime) -> str:
    when = f"{compiled_at:%d %B %Y, %H:%M} UTC"
    if version is None:
        return f"Compiled {when}"
    return f"Version {version}, compiled {when}"


# --- building it ------------------------------------------------------------------------


def _note(n: HarvestNote) -> NoteRow:
    return NoteRow(
        id=n.id, text=n.text, role=n.role, table=n.table, round=n.round, kind=n.kind, staff=n.staff
    )


def _theme(t: HarvestTheme) -> ThemeRow:
    return ThemeRow(
        title=t.title,
        summary=t.summary,
        kind=t.kind,
        round=t.round,
        key=t.key,
        emerging=t.emerging,
        curated=t.curated,
        notes=tuple(_note(n) for n in t.notes),
        quotes=tuple(_note(n) for n in t.quotes),
        other=t.other,
    )


def _event_facts(event: Event) -> EventFacts:
    starts, ends = local_time(event, event.starts_at), local_time(event, event.ends_at)
    tables = list(tables_for_event(event=event))
    return EventFacts(
        title=event.title,
        slug=event.slug,
        series=event.series.title,
        series_description=event.series.description,
        stage=event.get_stage_display(),
        stakeholder_group=event.stakeholder_group.name if event.stakeholder_group else "",
        starts_at=starts.isoformat(),
        ends_at=ends.isoformat(),
        date=f"{starts:%A} {starts.day} {starts:%B %Y}",
        timezone=event.timezone,
        context=event.context,
        description=event.description,
        tables=len(tables),
        table_hosts=len({t.host_id for t in tables if t.host_id}),
    )


def _participants(event: Event) -> list[RoleRow]:
    """How many took part, by role code; people who withdrew are not counted."""
    return [
        RoleRow(code=g.code, label=g.label, count=g.count)
        for g in participants_by_role(event)
        if g.count
    ]


def _rounds(event: Event, themes: list[ThemeRow]) -> list[RoundRow]:
    notes = [n for t in themes if t.kind == "notes" for n in t.notes]
    per_round = Counter(n.round for n in notes)
    tables = {r: {n.table for n in notes if n.round == r} for r in per_round}
    return [
        RoundRow(
            number=r.number,
            prompt=r.prompt,
            notes=per_round.get(r.number, 0),
            tables=len(tables.get(r.number, ())),
        )
        for r in rounds_for_event(event=event)
    ]


def _priorities(event: Event, redactor: Redactor) -> list[PriorityRow]:
    return [
        PriorityRow(
            round=p.round.number,
            table=p.table.label,
            text=redactor.text(p.text).text,
            votes=p.vote_count,
        )
        for p in priorities_for_event(event=event)
    ]


def _questions(harvest: Harvest) -> list[QuestionRow]:
    return [
        QuestionRow(
            question=group.question,
            position=group.position,
            reflection=bool(REFLECTION_QUESTION.search(group.question)),
            answers=tuple(AnswerRow(id=a.id, text=a.text, role=a.role) for a in group.answers),
        )
        for group in harvest.answers
    ]


def build_document(
    *, event: Event, version: int | None = None, compiled_at: datetime
) -> ReportDocument:
    """The whole report of ``event``: its data, then its sections in reading order."""
    harvest = harvest_for_report(event=event)
    themes = [_theme(t) for t in harvest.themes]
    document = ReportDocument(
        event=_event_facts(event),
        participants=_participants(event),
        rounds=_rounds(event, themes),
        themes=themes,
        priorities=_priorities(event, Redactor(event)),
        questions=_questions(harvest),
        chat=[_note(n) for n in harvest.chat],
        contributors=harvest.contributors,
        conclusions=harvest.conclusions,
        curated=harvest.curated,
        fingerprint="",
        version=version,
        compiled_at=compiled_at,
    )
    document.chat.sort(key=lambda n: (n.round or 10**6, n.id))
    document.fingerprint = fingerprint(document)
    document.sections = sections(document)
    return document


def fingerprint(document: ReportDocument) -> str:
    """A hash of the report's content, leaving out when and as which version it was made."""
    content = asdict(document)
    for volatile in ("fingerprint", "version", "compiled_at", "sections", "contributors"):
        content.pop(volatile)
    body = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


# --- the sections, in the order a review team reads them --------------------------------


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _quote(n: NoteRow | AnswerRow, *, ref: bool = True) -> Quote:
    role = "facilitator" if getattr(n, "staff", False) else n.role
    where = (n.ref if isinstance(n, NoteRow) else f"answer-{n.id}") if ref else ""
    return Quote(text=n.text, role=role, ref=where)


def _quotes(notes, *, compact: bool = False) -> Quotes:
    return Quotes(tuple(_quote(n) for n in notes), compact=compact)


def _joined(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _note_themes(doc: ReportDocument) -> list[ThemeRow]:
    return [t for t in doc.themes if t.kind == "notes"]


def _heaviest(themes: list[ThemeRow], count: int) -> list[ThemeRow]:
    return sorted(themes, key=lambda t: (-len(t.notes), -t.table_count, themes.index(t)))[:count]


def _key_themes(doc: ReportDocument) -> tuple[list[ThemeRow], list[ThemeRow]]:
    """The executive summary's key themes and emerging ideas for change: those the
    harvester marked; if none, the heaviest themes of the rounds, and the heaviest themes
    of ideas (possibilities, solutions) as the emerging ideas."""
    themes = [t for t in _note_themes(doc) if not t.is_other]
    marked = [t for t in themes if t.key or t.emerging]
    if marked:
        marked = marked[:KEY_POINTS]
        return [t for t in marked if not t.emerging], [t for t in marked if t.emerging]

    def is_idea(theme: ThemeRow) -> bool:
        return sum(n.kind in IDEA_KINDS for n in theme.notes) * 2 > len(theme.notes)

    ideas = _heaviest([t for t in themes if is_idea(t)], EMERGING_IDEAS)
    key = _heaviest([t for t in themes if t not in ideas], KEY_POINTS - len(ideas))
    key = _heaviest(key, max(KEY_THEMES, KEY_POINTS - len(ideas)))
    return sorted(key, key=themes.index), sorted(ideas, key=themes.index)


def _process_lines(doc: ReportDocument) -> str:
    rounds = len(doc.rounds)
    return (
        f"{plural(doc.participant_count, 'person', 'people')} met at "
        f"{plural(doc.event.tables, 'small table')} for {plural(rounds, 'round')} of "
        "conversation, from personal stories to the problems, strengths and possibilities "
        "they share, to the solutions that matter most. After each round a plenary shared "
        "what came up, and at the end everyone answered "
        f"{plural(len(doc.questions), 'closing question')} on their own."
    )


def _statement(theme: ThemeRow) -> list[Block]:
    """A key theme as the executive summary gives it: its title, its weight and one
    supporting quote (repeated from the findings, so not an anchor)."""
    blocks: list[Block] = [
        Paragraph(f"Raised in {theme.weight}, round {theme.round}.", lead=theme.title.rstrip("."))
    ]
    if theme.lead_quote is not None:
        blocks.append(Quotes((_quote(theme.lead_quote, ref=False),)))
    return blocks


def _summary(doc: ReportDocument) -> Section:
    e = doc.event
    group = e.stakeholder_group
    who = f" with {group.lower()}" if group and group.casefold() not in e.title.casefold() else ""
    blocks: list[Block] = [
        Paragraph(
            f"{e.title} was an {e.stage} event of the series {e.series}{who}, held on "
            f"{e.date}. This report sets out what the people who took part said, in their "
            "own words."
        )
    ]
    if e.context:
        blocks.append(Paragraph(e.context, lead="Context"))
    blocks.append(Paragraph(_process_lines(doc), lead="The process"))
    if not doc.curated:
        blocks.append(
            Paragraph(
                "The themes below were drafted automatically and have not yet been reviewed "
                "by a harvester; a later version of this report may group them differently."
            )
        )
    section = Section("summary", "Executive summary", 1, blocks)
    key, ideas = _key_themes(doc)
    for anchor, title, themes in (
        ("key-themes", "Key themes", key),
        ("emerging-ideas", "Emerging ideas for change", ideas),
    ):
        if themes:
            statements = [block for theme in themes for block in _statement(theme)]
            section.subsections.append(Section(anchor, title, 2, statements))
    return section


def _process(doc: ReportDocument) -> Section:
    e = doc.event
    blocks: list[Block] = []
    series = f"{e.series}: {e.series_description}" if e.series_description else e.series
    blocks.append(Paragraph(series, lead="The series"))
    blocks.append(
        Paragraph(
            "The series runs in three stages: Connect, a launch where everyone "
            "hears the context and raises what matters to them; Explore, one event for each "
            "stakeholder group; and Create, where proposals for change are developed from the "
            "themes of every Explore event. This Explore event was a Collective Story Café, "
            "a form of World Café: people sat at small tables with a table host, shared their "
            "stories, then moved to other tables to build a collective story, and finally "
            "chose the solutions that matter most.",
            lead="The method",
        )
    )
    if doc.rounds:
        blocks.append(Paragraph("The questions each round discussed:"))
        blocks.append(Bullets(tuple(f"Round {r.number}: {r.prompt}" for r in doc.rounds)))
    if doc.questions:
        blocks.append(Paragraph("The closing questions everyone answered on their own:"))
        blocks.append(Bullets(tuple(q.question for q in doc.questions)))
    blocks.append(
        Paragraph(
            "Themes group what people wrote by meaning; each opens with the words that "
            "characterise it and sentences from its most representative notes, then says how "
            "many notes and tables raised it. Every note is in the report once, under its "
            "theme. Quotes are exactly what people wrote, with the role code they chose in "
            "brackets; the facilitator's chat messages are marked as theirs. Names, emails, "
            "phone numbers and addresses have been replaced by markers such as [name] or "
            "[phone]. Nothing said by anyone who withdrew from the event is included.",
            lead="How to read this report",
        )
    )
    return Section("process", "About the process", 1, blocks)


def _event_information(doc: ReportDocument) -> Section:
    e = doc.event
    hosts = f", with {plural(e.table_hosts, 'table host')}" if e.table_hosts else ""
    blocks: list[Block] = [
        Paragraph(
            f"{plural(doc.participant_count, 'person', 'people')} took part on {e.date}, at "
            f"{plural(e.tables, 'table')}{hosts}. They wrote {plural(doc.note_count, 'note')}"
            f" and {plural(len(doc.chat), 'chat message')}, and gave "
            f"{plural(sum(len(q.answers) for q in doc.questions), 'answer')} to the closing "
            "questions."
        )
    ]
    if doc.participants:
        blocks.append(
            Table(
                "People who took part, by role",
                ("Role code", "Role", "People"),
                tuple((r.code, r.label, str(r.count)) for r in doc.participants),
            )
        )
    if doc.rounds:
        blocks.append(
            Table(
                "Rounds and their prompts",
                ("Round", "Prompt", "Notes", "Tables"),
                tuple((str(r.number), r.prompt, str(r.notes), str(r.tables)) for r in doc.rounds),
            )
        )
    return Section("event", "Event information", 1, blocks)


def _inline_notes(theme: ThemeRow) -> tuple[list[NoteRow], list[NoteRow]]:
    """A theme's notes other than its quotes: those shown under it, and those left for the
    appendix (past ``INLINE_NOTES``)."""
    quoted = {n.id for n in theme.quotes}
    rest = [n for n in theme.notes if n.id not in quoted]
    room = max(0, INLINE_NOTES - len(theme.quotes))
    if len(rest) <= room + 2:  # one or two more are shown here, not sent to the appendix
        return rest, []
    return rest[:room], rest[room:]


def _theme_section(theme: ThemeRow, anchor: str) -> Section:
    blocks: list[Block] = []
    if theme.is_other:
        blocks.append(Paragraph("Notes written after the themes were drafted; not yet in a theme."))
    elif theme.summary:
        blocks.append(Paragraph(theme.summary))
    blocks.append(Paragraph(f"Raised in {theme.weight}."))
    if theme.quotes:
        blocks.append(_quotes(theme.quotes))
    shown, later = _inline_notes(theme)
    if shown:
        blocks.append(Paragraph("Also said in this theme:" if theme.quotes else "What was said:"))
        blocks.append(_quotes(shown, compact=True))
    if later:
        blocks.append(
            Paragraph(
                f"{plural(len(later), 'more note')} in this theme "
                f"{'is' if len(later) == 1 else 'are'} in the appendix, under “{theme.title}”."
            )
        )
    title = "Notes not yet themed" if theme.is_other else theme.title
    return Section(anchor, title, 3, blocks)


def _findings(doc: ReportDocument) -> Section:
    section = Section(
        "findings",
        "Findings by round",
        1,
        [
            Paragraph(
                "For each round: the themes that came up, each with a short summary in the "
                "participants' own words, how many notes and tables raised it, and what they "
                "wrote."
            )
        ],
    )
    for r in doc.rounds:
        themes = [t for t in _note_themes(doc) if t.round == r.number]
        if not themes:
            what = "No notes were written in this round."
        else:
            what = f"{plural(r.notes, 'note')} from {plural(r.tables, 'table')}" + (
                f", in {plural(len(themes), 'theme')}, the most raised first."
                if len(themes) > 1
                else "."
            )
        sub = Section(
            f"round-{r.number}", f"Round {r.number}", 2, [Paragraph(what, lead=f"“{r.prompt}”")]
        )
        for i, theme in enumerate(themes, start=1):
            sub.subsections.append(_theme_section(theme, f"round-{r.number}-theme-{i}"))
        section.subsections.append(sub)
    return section


def _chat(doc: ReportDocument) -> Section:
    section = Section(
        "chat",
        "Plenary chat",
        1,
        [
            Paragraph(
                "After each round, table spokespeople shared what came up and everyone else "
                "could react in the event chat. What the chat returned to most, then every "
                "message in the order it was written."
            )
        ],
    )
    rounds = [r.number for r in doc.rounds]
    rounds += sorted({n.round for n in doc.chat if n.round not in rounds}, key=lambda r: r or 0)
    for number in rounds:
        messages = [n for n in doc.chat if n.round == number]
        title = f"After round {number}" if number else "Before the first round"
        sub = Section(f"chat-{number or 0}", title, 2)
        if not messages:
            sub.blocks.append(Paragraph("Nobody wrote in the chat during this plenary."))
        themes = [t for t in doc.themes if t.kind == "chat" and t.round == number]
        highlights = [t for t in themes if not t.is_other and len(t.notes) > 1]
        if len(highlights) > 1:
            sub.blocks.append(
                Bullets(tuple(f"{t.title} ({t.weight}): {t.summary}" for t in highlights))
            )
        if messages:
            sub.blocks.append(_quotes(messages, compact=True))
        section.subsections.append(sub)
    return section


def _last_round_ideas(doc: ReportDocument) -> int:
    if not doc.rounds:
        return 0
    last = doc.rounds[-1].number
    return sum(
        1 for t in _note_themes(doc) if t.round == last for n in t.notes if n.kind in IDEA_KINDS
    )


def _priorities_section(doc: ReportDocument) -> Section:
    section = Section("priorities", "The tables' priorities", 1)
    if not doc.priorities:
        ideas = _last_round_ideas(doc)
        if ideas:
            last = doc.rounds[-1].number
            section.blocks.append(
                Paragraph(
                    f"The tables did not record priorities with votes at this event. The "
                    f"{plural(ideas, 'solution')} they proposed in round {last} are under "
                    f"“Findings by round”, round {last}."
                )
            )
        else:
            section.blocks.append(Paragraph("No table recorded priorities at this event."))
        return section
    section.blocks.append(
        Paragraph(
            "In the last round each table chose up to three high-priority solutions; everyone "
            "then voted for the ones they backed. Most votes first within each table."
        )
    )
    for number in sorted({p.round for p in doc.priorities}):
        rows = [p for p in doc.priorities if p.round == number]
        section.blocks.append(
            Table(
                f"Priorities chosen in round {number}",
                ("Table", "Priority", "Votes"),
                tuple((p.table, p.text, str(p.votes)) for p in rows),
            )
        )
    return section


def _question_section(q: QuestionRow) -> Section:
    sub = Section(f"question-{q.position}", q.question, 2)
    sub.blocks.append(Paragraph(f"{plural(len(q.answers), 'answer')}."))
    if q.answers:
        sub.blocks.append(_quotes(q.answers, compact=len(q.answers) > INLINE_NOTES))
    return sub


def _answers(doc: ReportDocument) -> Section:
    section = Section("answers", "Answers to the closing questions", 1)
    asked = [q for q in doc.questions if not q.reflection]
    if not asked:
        section.blocks.append(Paragraph("No closing questions were asked about the topic."))
    section.subsections = [_question_section(q) for q in asked]
    return section


def _reflections(doc: ReportDocument) -> Section:
    section = Section("reflections", "Reflections on the process", 1)
    about = [q for q in doc.questions if q.reflection]
    if not about:
        section.blocks.append(
            Paragraph("Participants were not asked about the process at this event.")
        )
    section.subsections = [_question_section(q) for q in about]
    return section


def _conclusions(doc: ReportDocument) -> Section:
    section = Section("conclusions", "Conclusions and recommendations", 1)
    if doc.conclusions.strip():
        for paragraph in re.split(r"\n\s*\n", doc.conclusions.strip()):
            section.blocks.append(Paragraph(" ".join(paragraph.split())))
        return section
    key, ideas = _key_themes(doc)
    top = sorted(doc.priorities, key=lambda p: -p.votes)[:KEY_POINTS]
    if not key and not top and not ideas:
        section.blocks.append(
            Paragraph("The harvester has not written conclusions yet, and no notes were themed.")
        )
        return section
    section.blocks.append(
        Paragraph(
            "The harvester has not written conclusions yet. This draft is assembled "
            "automatically from the key themes and the tables' own choices; it will be "
            "replaced by the harvester's conclusions.",
            lead="Draft",
        )
    )
    if key:
        section.blocks.append(Paragraph("What people who took part said most:"))
        section.blocks.append(Bullets(tuple(f"{t.title} ({t.weight})" for t in key)))
    if top:
        section.blocks.append(Paragraph("The priorities the tables voted for most:"))
        section.blocks.append(
            Bullets(tuple(f"{p.text} ({p.table}, {plural(p.votes, 'vote')})" for p in top))
        )
    elif ideas:
        section.blocks.append(Paragraph("The ideas for change raised most:"))
        section.blocks.append(Bullets(tuple(f"{t.title} ({t.weight})" for t in ideas)))
    return section


def _appendix(doc: ReportDocument) -> Section | None:
    """Every note not shown under its theme, by round and theme."""
    section = Section(
        "appendix",
        "Appendix: all further notes by theme",
        1,
        [Paragraph("The notes of the larger themes not shown in “Findings by round”.")],
    )
    listed = 0
    for r in doc.rounds:
        sub = Section(f"appendix-round-{r.number}", f"Round {r.number}", 2)
        for i, theme in enumerate(t for t in _note_themes(doc) if t.round == r.number):
            _, later = _inline_notes(theme)
            listed += len(later)
            if later:
                title = "Notes not yet themed" if theme.is_other else theme.title
                sub.subsections.append(
                    Section(
                        f"appendix-{r.number}-{i + 1}", title, 3, [_quotes(later, compact=True)]
                    )
                )
        if sub.subsections:
            section.subsections.append(sub)
    if listed > PRINT_APPENDIX_MAX:
        section.print_note = (
            f"The {listed:,} further notes of the larger themes are listed, each under its "
            "theme, in the web (HTML) version of this report and in its CSV file; on paper "
            "they would run to hundreds of pages."
        )
    return section if section.subsections else None


def _acknowledgements(doc: ReportDocument) -> Section:
    group = doc.event.stakeholder_group
    who = f"the {group.lower()}" if group else "everyone"
    return Section(
        "thanks",
        "Acknowledgements",
        1,
        [
            Paragraph(
                f"Thank you to {who} who gave their time to this event and shared their "
                "experience, often of hard times, so that things can change for others. Thank "
                "you to the table hosts who kept every conversation going, and to the "
                "facilitators and harvesters who brought this report together."
            )
        ],
    )


def sections(doc: ReportDocument) -> list[Section]:
    appendix = _appendix(doc)
    return [
        _summary(doc),
        _process(doc),
        _event_information(doc),
        _findings(doc),
        _chat(doc),
        _priorities_section(doc),
        _answers(doc),
        _reflections(doc),
        _conclusions(doc),
        _acknowledgements(doc),
        *([appendix] if appendix else []),
    ]
