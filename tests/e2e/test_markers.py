"""A harvester reviews the automatic markers in Chromium and undoes a false one (issue 15
item 3): "Hope" is a village here, not the participant called Hope."""

import pytest

from harvest.models import KeptWord
from harvest.services import build_themes
from tests.e2e.test_harvest_curation import sign_in
from tests.harvest.conftest import load_event
from tests.harvest.test_kept_words import HOPE, add_note
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser


def test_a_harvester_undoes_a_false_marker_and_sees_the_words_again(live_server_url, new_context):
    event = load_event()
    add_note(event, HOPE)
    build_themes(event=event)
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, live_server_url)
    page.goto(f"{live_server_url}/events/{event.slug}/harvest/")
    page.get_by_role("link", name="Check every marker").first.click()

    text = page.locator(".marked-text").filter(has_text="for the weekend and it helped us all")
    assert "[name]" in text.locator(".note-text").inner_text()
    assert "hides “Hope”" in text.inner_text()
    screenshot(page, "harvest-markers")
    text.get_by_role("button", name="Undo: this is not personal data (“Hope”)").click()

    page.get_by_role("heading", name="Words shown again: not personal data").wait_for()
    assert page.locator("table.data mark.kept").first.inner_text() == "Hope"
    kept = page.locator(".marked-text").filter(has_text="for the weekend and it helped us all")
    assert kept.locator(".note-text").inner_text() == HOPE
    assert KeptWord.objects.filter(event=event, text="Hope").count() == 1
    screenshot(page, "harvest-markers-undone")

    page.goto(f"{live_server_url}/events/{event.slug}/harvest/")
    assert page.get_by_text(HOPE).count() >= 1  # the workspace shows the words as written
