"""A harvester curates a theme in Chromium: rename, merge, and move a note by keyboard."""

import re

import pytest

from harvest.models import Theme
from harvest.services import build_themes
from tests.harvest.conftest import load_event
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser


def sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill("harvester")
    page.get_by_label("Password").fill("pw-12345678")
    page.get_by_role("button", name="Sign in").click()


def test_a_harvester_renames_merges_and_moves_a_note_by_keyboard(live_server_url, new_context):
    event = load_event()
    build_themes(event=event)
    round_one = Theme.objects.filter(event=event, kind="notes", round__number=1, is_other=False)
    first, second = list(round_one.order_by("position")[:2])
    page = new_context(viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(page, live_server_url)
    page.goto(f"{live_server_url}/events/{event.slug}/harvest/")
    screenshot(page, "harvest-workspace")

    # rename
    title = page.locator(f"#title-{first.id}")
    title.fill("Workers keep changing")
    title.press("Enter")
    status = page.get_by_role("status").filter(has_text="Saved")
    status.wait_for()
    assert "Renamed" in status.inner_text()
    assert page.locator(f"#title-{first.id}").input_value() == "Workers keep changing"

    # move a note of the second theme into the first, by keyboard only
    card = page.locator(f'.note-card[data-theme="{second.id}"]').first
    member = card.get_attribute("data-member")
    card.focus()
    page.keyboard.press("m")
    dialog = page.get_by_role("dialog", name="Move note to which theme?")
    dialog.wait_for()
    screenshot(page, "harvest-move-dialog")
    target = dialog.get_by_role("button", name="Workers keep changing")
    while not target.evaluate("b => b === document.activeElement"):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="moved to “Workers keep changing”").wait_for()
    assert page.locator(f'.note-card[data-member="{member}"]').get_attribute("data-theme") == str(
        first.id
    )
    assert page.evaluate("document.activeElement.dataset.member") == member

    # merge the second theme into the first
    page.locator(f'.theme[data-theme="{second.id}"] .theme-more > summary').click()
    page.locator(f"#merge-{second.id}").select_option(str(first.id))
    page.locator(f'.theme[data-theme="{second.id}"]').get_by_role("button", name="Merge").click()
    page.get_by_role("status").filter(has_text="Merged").wait_for()
    assert page.locator(f'.theme[data-theme="{second.id}"]').count() == 0
    assert Theme.objects.get(pk=first.id).members.count() == len(
        page.locator(f'.note-card[data-theme="{first.id}"]').all()
    )
    screenshot(page, "harvest-after-merge")

    # undo brings the merged theme back
    page.get_by_role("button", name="Undo last change").click()
    page.locator(f'.theme[data-theme="{second.id}"]').wait_for()
    assert re.search("Undone", page.get_by_role("status").inner_text())
