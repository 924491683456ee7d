"""A big imported event's harvest workspace in Chromium (issue 19): 600 notes over 3 rounds
and 20 tables, written like real consultation notes, and the plenary chat
(bench/workspace.py). The facilitator finds one table's notes in the list, moves three to
another theme by keyboard alone, finds them under it (the folded board loads a theme's
cards as it opens) and moves one of them on by keyboard, finds the chat, searches, undoes;
the pages stay small. Screenshots: docs/screenshots/harvest-list-*.png,
harvest-board-folded.png, harvest-answers.png."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from bench.workspace import write_import_file
from events.models import Event
from harvest.models import Theme, ThemeNote
from harvest.selectors import harvestable_messages, harvestable_notes, is_staff_message
from harvest.services import build_themes
from tests.e2e.conftest import PHONE
from tests.e2e.test_imported_harvest import sign_in
from tests.factories import UserFactory
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
SLUG = "explore-imported-600"
HTML_LIMIT = 300_000


def imported_event(tmp_path) -> Event:
    UserFactory(username="harvester", first_name="Will", last_name="Davies", is_staff=True)
    call_command(
        "import_notes",
        str(write_import_file(tmp_path / "big.csv", notes=600, tables=20)),
        create_event="Explore: birth parents and families",
        slug=SLUG,
        facilitator="harvester",
        stdout=io.StringIO(),
    )
    event = Event.objects.get(slug=SLUG)
    assert harvestable_notes(event=event).count() == 600
    assert event.tables.count() == 20
    build_themes(event=event)
    return event


def html_size(page, url: str) -> int:
    response = page.goto(url)
    assert response.ok
    return len(response.body())


def test_a_facilitator_finds_and_moves_notes_of_a_big_event_by_keyboard(
    live_server_url, new_context, tmp_path, settings
):
    settings.HARVEST_THEMING = "lexical"  # the draft themes' quality is measured elsewhere
    event = imported_event(tmp_path)
    workspace = f"{live_server_url}/events/{SLUG}/harvest/"
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server_url, "harvester")

    # 1. A big event opens on the list: 100 notes a page, the page small; its chat follows.
    assert html_size(page, workspace) < HTML_LIMIT
    expect(page.get_by_role("link", name="List of notes")).to_have_attribute("aria-current", "page")
    chat = harvestable_messages(event=event).count()
    assert chat
    expect(page.locator("#list-count")).to_have_text(
        f"Showing 1\N{EN DASH}100 of 600 notes and {chat} chat messages."
    )
    assert_no_axe_violations(page, "harvest-list")

    # 2. One table's notes, by keyboard: choose the table and submit the filters.
    table = event.tables.get(number=7)
    page.get_by_label("Table", exact=True).focus()
    page.get_by_label("Table", exact=True).select_option(label=table.label)
    page.keyboard.press("Tab")  # to the kind
    page.keyboard.press("Tab")  # the theme
    page.keyboard.press("Tab")  # "Show notes"
    expect(page.get_by_role("button", name="Show notes")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"table={table.id}"))
    at_table = harvestable_notes(event=event).filter(table=table)
    expect(page.locator("#list-count")).to_have_text(
        f"Showing 1\N{EN DASH}{at_table.count()} of {at_table.count()} notes that match."
    )
    tables = page.locator("td[data-label=Table]").all_inner_texts()
    assert set(tables) == {table.label}
    screenshot(page, "harvest-list-one-table")

    # 3. Select three round-1 notes with Space, choose a theme of their round and move them.
    boxes = page.locator('input[name="notes"]')
    chosen = [boxes.nth(i).get_attribute("value") for i in range(3)]
    notes = {int(n) for n in chosen}
    assert set(at_table.filter(id__in=notes).values_list("round__number", flat=True)) == {1}
    theirs = set(ThemeNote.objects.filter(note_id__in=notes).values_list("theme_id", flat=True))
    target = (
        Theme.objects.filter(event=event, kind="notes", round__number=1)
        .exclude(id__in=theirs)
        .order_by("is_other", "position")
        .first()
    )
    for i in range(3):
        boxes.nth(i).focus()
        page.keyboard.press("Space")
        expect(boxes.nth(i)).to_be_checked()
    expect(page.locator("#selected-count")).to_have_text("3 selected")
    choose = page.get_by_label("Move the selected notes to theme")
    choose.focus()
    choose.select_option(str(target.id))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move selected notes")).to_be_focused()
    page.keyboard.press("Enter")
    status = page.get_by_role("status").filter(has_text=f"Moved 3 notes to “{target.title}”")
    expect(status).to_be_visible()
    expect(page.get_by_role("button", name="Move selected notes")).to_be_focused()
    screenshot(page, "harvest-list-moved")
    for note in chosen:
        row = page.locator("tr", has=page.locator(f'input[value="{note}"]'))
        expect(row.locator("td[data-label=Theme]")).to_have_text(target.title)
    placed = dict(ThemeNote.objects.filter(note_id__in=notes).values_list("note_id", "theme_id"))
    assert placed == dict.fromkeys(notes, target.id)

    # 4. They are under that theme: in the list filtered by it, and on the folded board,
    # whose HTML holds titles and counts; a theme's cards load as it opens.
    page.goto(f"{workspace}?view=list&theme={target.id}")
    for note in chosen:
        expect(page.locator(f'input[name="notes"][value="{note}"]')).to_have_count(1)
    board_size = html_size(page, f"{workspace}?view=board")
    assert board_size < HTML_LIMIT
    expect(page.locator(".note-card")).to_have_count(0)
    fold = page.locator(f'details[data-fold="{target.id}"]')
    expect(fold).not_to_have_attribute("open", "")
    fold.locator("> summary").focus()
    page.keyboard.press("Enter")
    expect(fold).to_have_attribute("open", "")
    members = {note: ThemeNote.objects.get(note_id=note).id for note in notes}
    for member in members.values():
        expect(fold.locator(f'.note-card[data-member="{member}"]')).to_be_visible()
    expect(fold.locator(".note-card")).to_have_count(target.members.count())
    screenshot(page, "harvest-board-folded")

    # ... and one of them moves on by keyboard: M on the card, arrows, Enter. Its new theme
    # opens with the note focused in it; the theme it left stays open.
    member = members[int(chosen[0])]
    card = fold.locator(f'.note-card[data-member="{member}"]')
    card.focus()
    page.keyboard.press("m")
    dialog = page.get_by_role("dialog", name="Move note to which theme?")
    expect(dialog).to_be_visible()
    page.keyboard.press("ArrowDown")
    choice = page.locator("#move-targets button:focus")
    onward, onward_title = choice.get_attribute("data-target"), choice.inner_text()
    assert onward != str(target.id)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(f"Note moved to “{onward_title}”.")
    moved = page.locator(f'details[data-fold="{onward}"] .note-card[data-member="{member}"]')
    expect(moved).to_be_focused()
    expect(page.locator(f'details[data-fold="{target.id}"]')).to_have_attribute("open", "")
    expect(page.locator(f'details[data-fold="{onward}"]')).to_have_attribute("open", "")
    assert ThemeNote.objects.get(pk=member).theme_id == int(onward)
    screenshot(page, "harvest-board-moved-by-keyboard")
    undo = page.get_by_role("button", name="Undo last change")
    undo.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Undone.")
    assert ThemeNote.objects.get(pk=member).theme_id == target.id
    expect(
        page.locator(f'details[data-fold="{target.id}"] [data-member="{member}"]')
    ).to_be_visible()

    # The plenary chat is in the list too, read-only there (it moves on the board).
    page.goto(f"{workspace}?view=list&kind=chat")
    expect(page.locator("#list-count")).to_have_text(
        f"Showing 1\N{EN DASH}{chat} of {chat} chat messages that match."
    )
    expect(page.locator("td[data-label=Kind]", has_text="Chat")).to_have_count(chat)
    expect(page.locator('input[name="notes"]')).to_have_count(0)
    staff = sum(is_staff_message(m) for m in harvestable_messages(event=event))
    assert staff  # the fixture's STAFF comments: the facilitator's, never a participant's
    expect(page.locator(".note-list__text .badge--staff")).to_have_count(staff)
    screenshot(page, "harvest-list-chat")

    # 5. Search a word: every line shown holds it, case aside.
    page.goto(workspace)
    search = page.get_by_label("Search the notes")
    search.fill("Advocate")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=Advocate"))
    expect(page.locator("#list-count")).to_contain_text("that match “Advocate”")
    texts = page.locator(".note-list__text label").all_inner_texts()
    assert texts
    assert all("advocate" in text.casefold() for text in texts)
    screenshot(page, "harvest-list-search")

    # 6. Undo, by keyboard, puts the three notes back.
    undo = page.get_by_role("button", name="Undo last change")
    undo.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Undid: Moved 3 notes")
    back = dict(ThemeNote.objects.filter(note_id__in=notes).values_list("note_id", "theme_id"))
    assert all(back[n] != target.id for n in notes)

    # 7. The closing answers, and the list on a phone.
    page.goto(f"{workspace}?view=answers")
    expect(page.get_by_role("heading", level=2).first).to_be_visible()
    assert_no_axe_violations(page, "harvest-answers")
    screenshot(page, "harvest-answers")
    phone = new_context(viewport=PHONE).new_page()
    sign_in(phone, live_server_url, "harvester")
    assert html_size(phone, f"{workspace}?view=list&table={table.id}") < HTML_LIMIT
    assert_no_axe_violations(phone, "harvest-list-phone")
    screenshot(phone, "harvest-list-phone")
    print(f"board of 600 notes, folded: {board_size / 1000:.0f} KB")
