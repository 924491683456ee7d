"""The document every renderer draws: content, order, redaction, withdrawn people."""

import io
import re
from collections import defaultdict

import docx
import pytest
from django.utils import timezone

from cafes.models import Note, Priority, Vote
from harvest.models import Theme
from harvest.selectors import Redactor, harvestable_answers, harvestable_messages, harvestable_notes
from harvest.services import build_themes, mark_theme, rename_theme, write_conclusions
from reports.document import build_document
from tests.harvest.conftest import PSEUDONYMS, withdraw

# "Hope" and "Grace" are ordinary words too; the harvest keeps them at a sentence start.
NAMES = re.compile(
    r"\b(?:"
    + "|".join(
        {*PSEUDONYMS, "Davies", "Tamsin", "Okafor", "Priya", "Lindqvist"} - {"Hope", "Grace"}
    )
    + r")\b",
    re.IGNORECASE,
)
SECTION_ORDER = [
    "Executive summary",
    "About the process",
    "Event information",
    "Findings by round",
    "Plenary chat",
    "The tables' priorities",
    "Answers to the closing questions",
    "Reflections on the process",
    "Conclusions and recommendations",
    "Acknowledgements",
    "Appendix: all further notes by theme",
]


def build(event):
    return build_document(event=event, compiled_at=timezone.now())


def walk(sections):
    for section in sections:
        yield section
        yield from walk(section.subsections)


def every_text(doc) -> str:
    parts = []
    for section in walk(doc.sections):
        parts.append(section.title)
        for block in section.blocks:
            if block.kind == "paragraph":
                parts.append(block.text)
            elif block.kind == "bullets":
                parts += block.items
            elif block.kind == "quotes":
                parts += [f"{q.text} ({q.role})" for q in block.quotes]
            else:
                parts += [block.caption, *block.header, *(c for row in block.rows for c in row)]
    return "\n".join(parts)


def quotes_of(doc):
    return [q for s in walk(doc.sections) for b in s.blocks if b.kind == "quotes" for q in b.quotes]


def test_sections_come_in_the_order_a_review_team_reads_them(report_event):
    doc = build(report_event)
    assert [s.title for s in doc.sections] == SECTION_ORDER
    findings = doc.sections[3]
    assert [s.title for s in findings.subsections] == ["Round 1", "Round 2", "Round 3"]
    assert all(theme.level == 3 for r in findings.subsections for theme in r.subsections)
    chat = doc.sections[4]
    assert [s.title for s in chat.subsections] == [
        "After round 1",
        "After round 2",
        "After round 3",
    ]


def test_no_names_pseudonyms_or_personal_details_anywhere(report_event, people):
    doc = build(report_event)
    text = every_text(doc)
    assert not NAMES.search(text)
    for leak in ("07700", "@example", "Acacia", "SW1A"):
        assert leak not in text
    for marker in ("[phone]", "[email]", "[address]", "[name]"):
        assert marker in text
    assert "A kind social worker called [name]" in text


def test_every_quote_is_a_stored_text_after_redaction_with_its_role_code(report_event):
    redactor = Redactor(report_event)
    stored = defaultdict(set)
    for n in harvestable_notes(event=report_event):
        stored[redactor.note(n).text].add(n.role_code)
    for m in harvestable_messages(event=report_event):
        stored[redactor.message(m).text].add(m.role_code)
    for a in harvestable_answers(event=report_event):
        stored[redactor.text(a.text).text].add(a.role_code)
    quotes = quotes_of(build(report_event))
    assert len(quotes) > 40
    for quote in quotes:
        assert quote.role in stored[quote.text]


def test_withdrawn_participants_words_are_absent_and_they_are_not_counted(report_event):
    person = report_event.participants.get(pseudonym="Marek")
    before = build(report_event)
    gone = list(person.notes.values_list("id", "text"))
    withdraw(person)
    doc = build(report_event)
    assert gone
    reported = {n.id for t in doc.themes if t.kind == "notes" for n in t.notes}
    assert not {note_id for note_id, _ in gone} & reported
    said = set(person.chat_messages.values_list("id", flat=True))
    assert said
    assert not said & {n.id for n in doc.chat}
    only_his = {text for _, text in gone} - set(
        Note.objects.exclude(participant=person).values_list("text", flat=True)
    )
    assert only_his
    assert not only_his & {q.text for q in quotes_of(doc)}
    assert doc.participant_count == before.participant_count - 1
    assert doc.note_count == before.note_count - len(gone)


def test_draft_themes_are_flagged_and_the_largest_become_key_points(report_event):
    doc = build(report_event)
    summary = doc.sections[0]
    assert not doc.curated
    assert any("drafted automatically" in b.text for b in summary.blocks if b.kind == "paragraph")
    assert [s.title for s in summary.subsections][:1] == ["Key themes"]
    key = summary.subsections[0]
    statements = [b for b in key.blocks if b.kind == "paragraph" and b.text.startswith("Raised in")]
    assert 1 <= len(statements) <= 6
    titles = {t.title for t in doc.themes if t.kind == "notes"}
    assert {b.lead for b in statements} <= titles
    # each statement is followed by one supporting quote, in the notes' own words
    notes = {n.text for t in doc.themes for n in t.notes}
    for block in statements:
        quote = key.blocks[key.blocks.index(block) + 1]
        assert quote.kind == "quotes"
        assert len(quote.quotes) == 1
        assert quote.quotes[0].text in notes


def test_curated_themes_marked_key_lead_the_summary_and_conclusions_are_used(report_event, people):
    facilitator = people["facilitator"]
    build_themes(event=report_event, user=facilitator)
    theme = Theme.objects.filter(event=report_event, kind="notes", is_other=False).first()
    rename_theme(theme=theme, title="Advocacy for every parent", user=facilitator)
    mark_theme(theme=theme, is_key=True, user=facilitator)
    write_conclusions(
        event=report_event,
        text="Give every parent an advocate.\n\nCall 07700 900123 for more.",
        user=facilitator,
    )
    doc = build(report_event)
    assert doc.curated
    key = doc.sections[0].subsections[0]
    assert key.title == "Key themes"
    assert key.blocks[0].lead == "Advocacy for every parent"
    conclusions = [b.text for b in doc.sections[8].blocks]
    assert conclusions == ["Give every parent an advocate.", "Call [phone] for more."]
    assert not any("drafted automatically" in t for t in every_text(doc).splitlines())


def test_priorities_keep_their_votes_and_are_redacted(report_event):
    Priority.objects.filter(text__startswith="Keep the same").update(
        text="Keep the same social worker, ask Sarah"
    )
    doc = build(report_event)
    by_text = {p.text: p.votes for p in doc.priorities}
    assert by_text["An independent advocate for every parent from the first meeting"] == 5
    assert by_text["Keep the same social worker, ask [name]"] == 3
    table = next(b for b in doc.sections[5].blocks if b.kind == "table")
    assert table.header == ("Table", "Priority", "Votes")
    assert [row[2] for row in table.rows[:2]] == ["5", "3"]


def test_without_conclusions_the_most_voted_priorities_stand_in(report_event):
    doc = build(report_event)
    blocks = doc.sections[8].blocks
    assert blocks[0].lead == "Draft"
    lists = [b for b in blocks if b.kind == "bullets"]
    assert len(lists) == 2  # what people said most, then the priorities voted for most
    assert lists[1].items[0].startswith("An independent advocate for every parent")
    assert "5 votes" in lists[1].items[0]


def test_the_draft_conclusions_say_only_what_they_are_drawn_from(report_event):
    doc = build(report_event)
    draft = doc.sections[8].blocks[0].text
    assert "from the key themes and the priorities the tables voted for;" in draft
    Vote.objects.all().delete()  # priorities chosen, no dots recorded
    Priority.objects.update(recorded_votes=0)
    blocks = build(report_event).sections[8].blocks
    assert "voted" not in blocks[0].text
    assert "the tables' priorities;" in blocks[0].text
    texts = [b.text for b in blocks if b.kind == "paragraph"]
    assert "The tables' priorities (no votes were recorded):" in texts


def test_the_question_about_the_day_becomes_the_reflections(report_event):
    doc = build(report_event)
    answers, reflections = doc.sections[6], doc.sections[7]
    assert [s.title for s in answers.subsections] == [
        "What one change would make the biggest difference?",
        "What helped you most?",
    ]
    assert [s.title for s in reflections.subsections] == ["How did you find today?"]
    quoted = [
        q.text
        for sub in reflections.subsections
        for b in sub.blocks
        if b.kind == "quotes"
        for q in b.quotes
    ]
    assert "I felt listened to for the first time" in quoted


@pytest.mark.parametrize("change", ["note", "nothing"])
def test_fingerprint_changes_with_the_inputs_only(report_event, change):
    first = build(report_event)
    if change == "note":
        Note.objects.filter(event=report_event).update(text="Changed")
    second = build(report_event)
    assert (first.fingerprint == second.fingerprint) is (change == "nothing")


def test_a_huge_appendix_stays_on_screen_and_in_the_csv_not_on_paper(report_event, monkeypatch):
    """Past ``PRINT_APPENDIX_MAX`` notes the PDF and DOCX say where the appendix is; the
    HTML still lists every note once."""
    from reports.document import sections as module
    from reports.renderers import render

    monkeypatch.setattr(module, "PRINT_APPENDIX_MAX", 3)
    doc = build(report_event)
    appendix = doc.sections[-1]
    assert appendix.title == "Appendix: all further notes by theme"
    assert "web (HTML) version" in appendix.print_note
    listed = [
        q.ref
        for r in appendix.subsections
        for t in r.subsections
        for b in t.blocks
        for q in b.quotes
    ]
    html = render(doc, "html").decode()
    assert all(html.count(f'id="{ref}"') == 1 for ref in listed)
    word = docx.Document(io.BytesIO(render(doc, "docx")))
    texts = [p.text for p in word.paragraphs]
    # the heading, not its line in the contents
    start = len(texts) - 1 - texts[::-1].index("Appendix: all further notes by theme")
    assert texts[start + 1 :] == [appendix.print_note]  # the last chapter: its note alone
    # and the contents list none of its rounds: those headings are not on paper
    styles = [p.style.name for p in word.paragraphs]
    contents = texts[styles.index("TOC Heading") + 1 : styles.index("Heading 1")]
    listed_after = contents[contents.index("Appendix: all further notes by theme") + 1 :]
    assert not any(line.startswith("Round ") for line in listed_after), listed_after


def test_a_key_theme_is_supported_by_the_note_its_title_came_from_when_it_says_more():
    from harvest.content import HarvestNote, HarvestTheme
    from reports.document.sections import lead_quote

    def note(i: int, text: str) -> HarvestNote:
        return HarvestNote(id=i, text=text, role="BP", table="Table 1", round=1, kind="story")

    source = note(1, "parent advocate came to every meeting with me, game changer")
    other = note(2, "needs to be help for the parent not just monitoring")
    bare = note(3, "emails ignored for weeks")

    def theme(title: str, quotes: list[HarvestNote]) -> HarvestTheme:
        return HarvestTheme(
            title=title, summary="", kind="notes", round=1, key=False, emerging=False,
            position=0, curated=False, notes=[*quotes], quotes=quotes,
        )  # fmt: skip

    title = "Parent advocate came to every meeting with me"
    assert lead_quote(theme(title, [other, source])) == source
    # a note that only repeats the title supports nothing: the next quote does
    assert lead_quote(theme("Emails ignored for weeks", [bare, other])) == other
