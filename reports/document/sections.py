"""The words of an event's report: its sections in the order a review team reads them, each
a few sentences around the harvest's own words, which every renderer draws the same way."""

import re

from harvest.content import HarvestNote, HarvestTheme
from reports.blocks import Block, Bullets, Paragraph, Quote, Quotes, Section, Table, plural
from reports.document.content import AnswerRow, QuestionRow, ReportDocument

KEY_POINTS = 6
KEY_THEMES, EMERGING_IDEAS = 4, 2  # of the executive summary, when no harvester chose them
INLINE_NOTES = 12  # a theme's notes shown under it; the rest go to the appendix
PRINT_APPENDIX_MAX = 1500  # past this many notes the appendix is left out of PDF and DOCX
# Note kinds that are ideas for change (round 2's possibilities, round 3's solutions).
IDEA_KINDS = frozenset({"possibility", "idea", "solution"})


def note_ref(n: HarvestNote) -> str:
    """Where a note or chat message is given in full, once per report: "note-12",
    "comment-3" (an anchor in HTML)."""
    return f"{'comment' if n.kind == 'comment' else 'note'}-{n.id}"


def table_count(theme: HarvestTheme) -> int:
    return len({n.table for n in theme.notes if n.table})


def weight(theme: HarvestTheme) -> str:
    """ "7 notes from 4 tables"."""
    where = f" from {plural(table_count(theme), 'table')}" if table_count(theme) else ""
    noun = ("comment", "comments") if theme.kind == "chat" else ("note", "notes")
    return f"{plural(len(theme.notes), *noun)}{where}"


def lead_quote(theme: HarvestTheme) -> HarvestNote | None:
    """The quote that best supports the theme's title: the note its words came from
    (a drafted title is a phrase of one of its notes) when that note says more than the
    title by two words or more ("…, game changer"); else its first quote that does not
    just repeat the title."""
    title = " ".join(theme.title.casefold().split())
    for note in (*theme.quotes, *theme.notes):
        text = " ".join(note.text.casefold().split())
        # the note the title came from, when it says more than the title itself
        if title and title in text and len(text.split()) >= len(title.split()) + 2:
            return note
    others = [n for n in theme.quotes if title not in " ".join(n.text.casefold().split())]
    return (others or theme.quotes or theme.notes or (None,))[0]


def _quote(n: HarvestNote | AnswerRow, *, ref: bool = True) -> Quote:
    role = "facilitator" if getattr(n, "staff", False) else n.role
    where = (note_ref(n) if isinstance(n, HarvestNote) else f"answer-{n.id}") if ref else ""
    return Quote(text=n.text, role=role, ref=where)


def _quotes(notes, *, compact: bool = False) -> Quotes:
    return Quotes(tuple(_quote(n) for n in notes), compact=compact)


def _note_themes(doc: ReportDocument) -> list[HarvestTheme]:
    return [t for t in doc.themes if t.kind == "notes"]


def _heaviest(themes: list[HarvestTheme], count: int) -> list[HarvestTheme]:
    return sorted(themes, key=lambda t: (-len(t.notes), -table_count(t), themes.index(t)))[:count]


def _key_themes(doc: ReportDocument) -> tuple[list[HarvestTheme], list[HarvestTheme]]:
    """The executive summary's key themes and emerging ideas for change: those the
    harvester marked; if none, the heaviest themes of the rounds, and the heaviest themes
    of ideas (possibilities, solutions) as the emerging ideas."""
    themes = [t for t in _note_themes(doc) if not t.other]
    marked = [t for t in themes if t.key or t.emerging]
    if marked:
        marked = marked[:KEY_POINTS]
        return [t for t in marked if not t.emerging], [t for t in marked if t.emerging]

    def is_idea(theme: HarvestTheme) -> bool:
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
        "what came up"
        + (
            f", and at the end people could answer "
            f"{plural(len(doc.questions), 'closing question')} on their own"
            + (f" ({plural(_answer_count(doc), 'answer')})." if _answer_count(doc) else ".")
            if doc.questions
            else "."
        )
    )


def _answer_count(doc: ReportDocument) -> int:
    return sum(len(q.answers) for q in doc.questions)


def _statement(theme: HarvestTheme) -> list[Block]:
    """A key theme as the executive summary gives it: its title, its weight and one
    supporting quote (repeated from the findings, so not an anchor)."""
    blocks: list[Block] = [
        Paragraph(f"Raised in {weight(theme)}, round {theme.round}.", lead=theme.title.rstrip("."))
    ]
    quote = lead_quote(theme)
    if quote is not None:
        blocks.append(Quotes((_quote(quote, ref=False),)))
    return blocks


def _summary(doc: ReportDocument) -> Section:
    e = doc.event
    group = e.stakeholder_group
    who = f" with {group.lower()}" if group and group.casefold() not in e.title.casefold() else ""
    blocks: list[Block] = [
        Paragraph(
            f"“{e.title}” was {'an' if e.stage[:1] in tuple('AEIOU') else 'a'} {e.stage} event of "
            f"the series {e.series}{who}, held on {e.date}. This report sets out what the "
            "people who took part said, in their own words."
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
        blocks.append(Paragraph("The closing questions each person could answer on their own:"))
        blocks.append(Bullets(tuple(q.question for q in doc.questions)))
    blocks.append(
        Paragraph(
            "Themes group what people wrote by meaning; each opens with what it is about and "
            "one to three sentences taken, as written, from its most representative notes, "
            "then says how many notes and tables raised it and quotes every one of them once, "
            "under that theme. Quotes are exactly what people wrote, with the role code they "
            "chose in brackets; the facilitator's chat messages are marked as theirs. Names, "
            "emails, phone numbers and addresses have been replaced by markers such as [name] "
            "or [phone]. Nothing said by anyone who withdrew from the event is included.",
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
            f"{plural(_answer_count(doc), 'answer')} to the closing "
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


def _inline_notes(theme: HarvestTheme) -> tuple[list[HarvestNote], list[HarvestNote]]:
    """A theme's notes other than its quotes: those shown under it, and those left for the
    appendix (past ``INLINE_NOTES``)."""
    quoted = {n.id for n in theme.quotes}
    rest = [n for n in theme.notes if n.id not in quoted]
    room = max(0, INLINE_NOTES - len(theme.quotes))
    if len(rest) <= room + 2:  # one or two more are shown here, not sent to the appendix
        return rest, []
    return rest[:room], rest[room:]


def _theme_section(theme: HarvestTheme, anchor: str) -> Section:
    blocks: list[Block] = []
    if theme.other:
        blocks.append(Paragraph("Notes written after the themes were drafted; not yet in a theme."))
    elif theme.summary:
        blocks.append(Paragraph(theme.summary))
    blocks.append(Paragraph(f"Raised in {weight(theme)}."))
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
    title = "Notes not yet themed" if theme.other else theme.title
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
        highlights = [t for t in themes if not t.other and len(t.notes) > 1]
        if len(highlights) > 1:
            sub.blocks.append(Paragraph("What the chat returned to most:"))
            sub.blocks.append(
                Bullets(tuple(f"{t.title} ({weight(t)}): {t.summary}" for t in highlights))
            )
        if messages:
            if len(highlights) > 1:
                sub.blocks.append(Paragraph("Every message, in the order it was written:"))
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
    voted = any(p.votes for p in top)
    sources = [
        *(["the key themes"] if key else []),
        *(
            ["the priorities the tables voted for" if voted else "the tables' priorities"]
            if top
            else ["the ideas for change raised most"]
            if ideas
            else []
        ),
    ]
    section.blocks.append(
        Paragraph(
            "The harvester has not written conclusions yet. This draft is assembled "
            f"automatically from {' and '.join(sources)}; it will be replaced by the "
            "harvester's conclusions.",
            lead="Draft",
        )
    )
    if key:
        section.blocks.append(Paragraph("What people who took part said most:"))
        section.blocks.append(Bullets(tuple(f"{t.title} ({weight(t)})" for t in key)))
    if top:
        section.blocks.append(
            Paragraph(
                "The priorities the tables voted for most:"
                if voted
                else "The tables' priorities (no votes were recorded):"
            )
        )
        section.blocks.append(
            Bullets(tuple(f"{p.text} ({p.table}, {plural(p.votes, 'vote')})" for p in top))
        )
    elif ideas:
        section.blocks.append(Paragraph("The ideas for change raised most:"))
        section.blocks.append(Bullets(tuple(f"{t.title} ({weight(t)})" for t in ideas)))
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
                title = "Notes not yet themed" if theme.other else theme.title
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
