"""An event's report as data: the event's facts, who took part, the rounds, the harvest's
themes, priorities, answers and chat (harvest's own types, as ``harvest`` hands them over),
and the sections the renderers draw."""

from dataclasses import dataclass, field
from datetime import datetime

from harvest.content import HarvestNote, HarvestPriority, HarvestTheme
from reports.blocks import Compiled, Cover, Section, plural


@dataclass(frozen=True)
class RoleRow:
    code: str  # the role code people chose, "—" for those who preferred not to say
    label: str  # what the code stands for, as the event's role codes say
    count: int  # people who took part with it (not those who withdrew)


@dataclass(frozen=True)
class RoundRow:
    number: int
    prompt: str
    notes: int
    tables: int


@dataclass(frozen=True)
class AnswerRow:
    id: int  # the answer's, for its anchor ("answer-7")
    text: str  # verbatim after redaction
    role: str  # role code, or "" when the person preferred not to say


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
class ReportDocument(Compiled):
    event: EventFacts
    participants: list[RoleRow]
    rounds: list[RoundRow]
    themes: list[HarvestTheme]
    priorities: list[HarvestPriority]
    questions: list[QuestionRow]
    chat: list[HarvestNote]
    conclusions: str
    curated: bool
    fingerprint: str  # of everything above: the same inputs give the same fingerprint
    version: int | None  # None when compiled outside a stored version (build_report)
    compiled_at: datetime
    sections: list[Section] = field(default_factory=list)
    contributors: tuple[int, ...] = ()  # participant ids (never shown): see harvest.content

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
