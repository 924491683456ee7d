"""The blocks every report document is made of (paragraphs, bullet lists, quotes, tables,
sections, the cover), which every renderer draws the same way, and the few words both
reports put on them."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # a few words set in bold before the text, e.g. "Context"
    kind: str = "paragraph"

    @property
    def lead_stop(self) -> str:
        """What ends the lead before the text: a full stop, unless the lead ends on its
        own mark (a prompt quoted as “… social care?”) or no text follows."""
        own = self.lead.rstrip('"”\u2019').endswith(tuple(".!?…"))
        return "." if self.text and not own else ""


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


class Compiled:
    """What every report document says of itself besides its content. The renderers read
    ``contents_detail``: the chapter whose sections the contents page lists too."""

    version: int | None  # None when compiled outside a stored version (build_report)
    compiled_at: datetime
    contents_detail: str

    @property
    def version_label(self) -> str:
        return version_label(self.version, self.compiled_at)


def version_label(version: int | None, compiled_at: datetime) -> str:
    when = f"{compiled_at.day} {compiled_at:%B %Y, %H:%M} UTC"
    if version is None:
        return f"Compiled {when}"
    return f"Version {version}, compiled {when}"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"
