"""In Chromium: a facilitator sets up a whole series and invites people; participants join on
a phone, from an invitation link and by typing the event code; the facilitator sees them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import PHONE
from tests.factories import UserFactory
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def day(weeks: int) -> str:
    return (timezone.localdate() + timedelta(weeks=weeks)).isoformat()


def create_event(page, *, title: str | None, date: str, start="10:00", end="13:00") -> None:
    if title:
        page.get_by_label("Title").fill(title)
    page.get_by_label("Starts").fill(f"{date}T{start}")
    page.get_by_label("Ends").fill(f"{date}T{end}")
    page.get_by_role("button", name="Create event").click()


def add_segment(page, *, kind: str, title: str, minutes: int, prompt: str = "") -> None:
    page.get_by_label("What happens").select_option(label=kind)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Minutes").fill(str(minutes))
    page.get_by_label("Round prompt").fill(prompt)
    page.get_by_role("button", name="Add to the agenda").click()
    page.get_by_text(f"“{title}” added to the agenda.").wait_for()


def test_facilitator_sets_up_a_series_and_participants_join_on_a_phone(
    live_server_url, new_context
):
    UserFactory(username="facilitator", is_staff=True)
    staff = new_context(viewport=DESKTOP).new_page()
    staff.goto(f"{live_server_url}/login/?next=/manage/")
    staff.get_by_label("Username").fill("facilitator")
    staff.get_by_label("Password").fill("pw-12345678")
    staff.get_by_role("button", name="Sign in").click()

    # A series with its four stakeholder groups (the form suggests them).
    staff.get_by_role("link", name="Create a series").click()
    staff.get_by_label("Title").fill("Bridge the Gap")
    staff.get_by_label("Description").fill("Listening to people with lived experience of care.")
    staff.get_by_role("button", name="Create series").click()
    staff.get_by_role("heading", name="Bridge the Gap", level=1).wait_for()
    series_url = staff.url

    # Connect.
    staff.get_by_role("link", name="Add a Connect event").click()
    create_event(staff, title="Connect: the launch", date=day(2))
    staff.get_by_text("created as a draft").wait_for()

    # Explore for birth parents: the title comes filled in from the group.
    staff.goto(series_url)
    staff.get_by_role("link", name="Add Explore: Birth parents and families").click()
    assert staff.get_by_label("Title").input_value() == "Explore: Birth parents and families"
    create_event(staff, title=None, date=day(4))
    add_segment(staff, kind="Technical introduction", title="Technical introduction", minutes=10)
    add_segment(
        staff,
        kind="Café round",
        title="Round 1: stories",
        minutes=30,
        prompt="What has helped or hindered your experience?",
    )
    add_segment(staff, kind="Plenary", title="Plenary 1", minutes=15)
    add_segment(
        staff,
        kind="Café round",
        title="Round 2: the collective story",
        minutes=30,
        prompt="What problems, strengths and possibilities do you hear?",
    )
    # Moving a block recalculates the start times.
    staff.get_by_role("button", name="Move up Plenary 1").click()
    agenda = staff.locator(".agenda__item")
    assert agenda.nth(1).inner_text().startswith("10:10\N{EN DASH}10:25")
    assert "Plenary 1" in agenda.nth(1).inner_text()
    screenshot(staff, "events-agenda")

    staff.get_by_role("link", name="Prompts & questions").click()
    staff.get_by_label("Prompt", exact=True).first.fill("What has helped, or hindered, you most?")
    staff.get_by_role("button", name="Save prompt of round 1").click()
    staff.get_by_text("Prompt of “Round 1: stories” saved.").wait_for()
    for question in (
        "What is the one thing that must change?",
        "What should stay the same?",
        "How did you find taking part today?",
    ):
        staff.get_by_label("Question", exact=True).fill(question)
        staff.get_by_role("button", name="Add question").click()
        staff.get_by_text("Closing question added.").wait_for()
    assert staff.locator(".question-list li").count() == 3
    screenshot(staff, "events-questions")

    # Duplicate the Explore event for the three other groups: two clicks each.
    staff.get_by_role("link", name="Overview").click()
    explore_url = staff.url
    for group in (
        "Care-experienced young people",
        "Kinship, foster and adoptive carers",
        "Social workers",
    ):
        staff.goto(explore_url)
        staff.get_by_role("link", name="Duplicate this event").click()
        staff.get_by_role("button", name="Create the copy").click()
        staff.get_by_text(f"“Explore: {group}” created as a draft copy").wait_for()
        assert staff.locator(".agenda__item").count() == 4

    # Create.
    staff.goto(series_url)
    staff.get_by_role("link", name="Add a Create event").click()
    create_event(staff, title="Create: ideas for change", date=day(10))
    staff.goto(series_url)
    assert staff.locator(".stage--explore .event-card").count() == 4
    assert staff.locator(".stage--connect .event-card").count() == 1
    assert staff.locator(".stage--create .event-card").count() == 1
    screenshot(staff, "events-series-overview")

    # Open the birth parents' event for joining and invite people.
    staff.goto(explore_url)
    staff.get_by_role("button", name="Schedule: open for joining").click()
    staff.get_by_text("is now scheduled").wait_for()
    code = staff.locator(".event-code").first.inner_text()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    screenshot(staff, "events-event-overview")
    staff.get_by_role("link", name="Invitations").click()
    staff.get_by_label("Email addresses").fill("ann@example.org\nnot-an-email")
    staff.get_by_role("button", name="Send invitations").click()
    assert (
        "Line 2: “not-an-email” is not an email address." in staff.get_by_role("alert").inner_text()
    )
    staff.get_by_label("Email addresses").fill("ann@example.org\nBea Jones <bea@example.org>")
    staff.get_by_role("button", name="Send invitations").click()
    staff.get_by_text("2 invitation(s) saved").wait_for()
    link = staff.get_by_label("Link for ann@example.org").input_value()
    assert f"/join/{code}/invite/" in link
    screenshot(staff, "events-invitations")

    # A participant follows the link on a phone.
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(link)
    phone.get_by_label("The name others will see").fill("Robin")
    phone.get_by_label("Birth parent (BP)").check()
    phone.get_by_role("button", name="Join the event").click()
    assert "Please tick the box" in phone.get_by_role("alert").inner_text()
    screenshot(phone, "events-join-consent-missing-phone")
    phone.get_by_label("I understand and agree").check()
    phone.get_by_role("button", name="Join the event").click()
    phone.get_by_text("You have joined.").wait_for()
    assert phone.get_by_text("Round 1: stories").is_visible()
    screenshot(phone, "events-welcome-phone")

    # Another types the event code on the landing page.
    other = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    other.goto(live_server_url)
    other.get_by_label("Event code").fill(code.lower())
    other.get_by_role("button", name="Join").click()
    other.get_by_label("The name others will see").fill("Sam")
    other.get_by_label("Prefer not to say").check()
    other.get_by_label("I understand and agree").check()
    screenshot(other, "events-join-phone")
    other.get_by_role("button", name="Join the event").click()
    other.get_by_text("You have joined.").wait_for()

    # The facilitator sees them by role, and checks one in.
    staff.get_by_role("link", name="Participants").click()
    assert staff.get_by_role("cell", name="Robin", exact=True).is_visible()
    assert staff.get_by_role("cell", name="Sam", exact=True).is_visible()
    staff.get_by_role("button", name="Check in Robin").click()
    staff.get_by_text("Robin is checked in.").wait_for()
    screenshot(staff, "events-participants")
