"""What the harvest hands to a report: themes, quotes and answers, already redacted.

This is the contract between ``harvest`` and ``reports``: ``harvest.selectors.
harvest_for_report(event=...)`` returns a ``Harvest`` and ``cafe_for_report(event=...)`` a
``HarvestCafe`` (rounds, tables, priorities); reports renders them and never reads the
models of ``harvest`` or ``cafes``. Every text here has been through redaction, and nothing
said by a participant who withdrew is included.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class HarvestNote:
    id: int
    text: str  # verbatim after redaction
    role: str  # role code, or "" when unknown; never a name
    table: str  # the table's label, e.g. "Table 3"; "" for chat
    round: int | None  # round number; None for answers
    kind: str  # note kind (story, problem, ...), "comment" for chat, "answer"
    staff: bool = False  # written by a facilitator or table host: never a participant's voice


@dataclass(frozen=True)
class HarvestTheme:
    title: str
    summary: str  # a short narrative (1-3 sentences) from the notes' own words
    kind: str  # "notes" for a round's notes, "chat" for plenary chat
    round: int | None
    key: bool  # a key theme for the executive summary
    emerging: bool  # an emerging idea for change
    position: int
    curated: bool  # changed by a human harvester
    notes: list[HarvestNote] = field(default_factory=list)
    quotes: list[HarvestNote] = field(default_factory=list)  # 2-5 of ``notes``
    theme_id: int | None = None  # the stored theme, so others can point at it; None for drafts
    other: bool = False  # notes posted after the themes were built, not yet in a theme


@dataclass(frozen=True)
class HarvestAnswers:
    question: str
    position: int
    answers: list[HarvestNote] = field(default_factory=list)


@dataclass(frozen=True)
class Harvest:
    event_id: int
    themes: list[HarvestTheme]
    answers: list[HarvestAnswers]
    chat: list[HarvestNote]  # every chat message, staff ones included (``staff``), oldest first
    conclusions: str  # written by the harvester in the curation workspace; may be ""
    curated: bool  # True when any theme was curated by a human
    fingerprint: str  # changes whenever anything above would change
    # Ids of the participants whose words are in it (not names): a report version records
    # them, so that one person's withdrawal withdraws exactly the versions holding their words.
    contributors: tuple[int, ...] = ()


@dataclass(frozen=True)
class HarvestRound:
    number: int
    prompt: str


@dataclass(frozen=True)
class HarvestPriority:
    round: int  # the round's number
    table: str  # the table's label
    text: str  # verbatim after redaction
    votes: int  # withdrawn people's votes left out, votes recorded outside Bridgework added


@dataclass(frozen=True)
class HarvestCafe:
    """The café the harvest came from, as a report describes it: never who hosted a table."""

    rounds: list[HarvestRound]
    tables: int
    table_hosts: int  # how many tables had a host
    priorities: list[HarvestPriority]  # most votes first within each table
