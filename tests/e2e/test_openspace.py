"""A small Connect (two people propose topics, sign up, one walks to another space) and a
small Create (a conversation seeded from an Explore theme becomes a proposal that keeps
its quotes), each person in their own Chromium, with screenshots."""

import re

import pytest
from playwright.sync_api import expect

from cafes.models import Note, Seat
from openspace.models import Proposal, SignUp, ThemeSource, Topic
from tests.e2e.conftest import PHONE
from tests.e2e.test_cafe_live import participant_session, sign_in, staff_session
from tests.openspace.conftest import make_connect, make_series
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def open_page(new_context, base_url: str, session_key: str, viewport=PHONE):
    context = new_context(viewport=viewport)
    sign_in(context, base_url, session_key)
    return context.new_page()


def propose(page, title: str, why: str) -> None:
    page.get_by_label("Your topic").fill(title)
    page.get_by_label("Why it matters").fill(why)
    page.get_by_role("button", name="Propose this topic").click()
    expect(page.locator(".messages")).to_contain_text(f"Your topic “{title}” is on the board.")


def test_a_small_open_space_runs_live(live_server_url, new_context):
    room = make_connect(people=2)
    ana, ben = room.people
    marketplace = f"{live_server_url}/events/{room.event.slug}/openspace/"
    host = open_page(new_context, live_server_url, staff_session(room.facilitator.user), DESKTOP)
    host.goto(marketplace)
    for name, capacity in (("Garden room", "12"), ("Library", "4")):
        host.get_by_label("Space name").fill(name)
        host.get_by_label("How many people fit").fill(capacity)
        host.get_by_role("button", name="Add space").click()
        expect(host.locator(".messages")).to_contain_text(f"Space “{name}” added.")
    host.get_by_label("Time slot").fill("11:00 to 11:45")
    host.get_by_role("button", name="Add time slot").click()

    pages = {}
    for participant in (ana, ben):
        page = open_page(new_context, live_server_url, participant_session(participant))
        page.goto(marketplace)
        pages[participant.pseudonym] = page
    ana_page, ben_page = pages[ana.pseudonym], pages[ben.pseudonym]

    # Ana proposes; Ben's board shows it without a reload, and says so to screen readers.
    propose(ana_page, "Keeping siblings together", "Brothers and sisters are split up too often")
    expect(ben_page.locator("#board")).to_contain_text("Keeping siblings together")
    expect(ben_page.locator("#board-news")).to_have_text("New topic: Keeping siblings together")
    # Ana's group would rather talk without staff: she makes her topic a staff-free space.
    ana_page.get_by_role("link", name="Keeping siblings together").click()
    ana_page.get_by_role("button", name="Make this a staff-free space").click()
    expect(ana_page.locator(".messages")).to_contain_text("This is now a staff-free space.")
    ana_page.goto(marketplace)
    propose(ben_page, "Housing first", "Nobody can heal without a home")
    ana_page.get_by_role("button", name="Sign up for Housing first").click()
    expect(ana_page.get_by_role("button", name="Leave Housing first")).to_be_visible()

    # The facilitator places by interest (the popular topic gets the larger room) and opens.
    host.reload()
    host.get_by_role("button", name="Place the rest by interest").click()
    expect(host.locator(".messages")).to_contain_text("Topics placed by interest.")
    housing = Topic.objects.get(title="Housing first")
    assert housing.space.name == "Garden room"
    host.get_by_role("button", name="Open the spaces").click()
    expect(host.locator(".messages")).to_contain_text("The spaces are open.")
    screenshot(host, "openspace-marketplace-facilitator")

    # Ben goes to Ana's topic and writes a note; Ana joins him there and sees it live.
    ben_page.goto(marketplace)
    ben_page.get_by_role("button", name="Go to Keeping siblings together").click()
    expect(ben_page.locator("#cafe-title")).to_have_text("Keeping siblings together")
    ben_page.get_by_label("Your note").fill("My sister and I were placed an hour apart.")
    ben_page.get_by_role("button", name="Post note").click()
    expect(ben_page.locator("#notes")).to_contain_text("an hour apart")
    ana_page.goto(marketplace)
    ana_page.get_by_role("button", name="Go to Keeping siblings together").click()
    expect(ana_page.locator("#cafe-title")).to_have_text("Keeping siblings together")
    expect(ana_page.locator("#notes")).to_contain_text("an hour apart")
    screenshot(ana_page, "openspace-space-phone")

    # Staff watching the console see the space and its people, never its notes.
    host.goto(f"{marketplace.replace('openspace/', 'cafe/console/')}")
    private = host.get_by_role("article", name="Keeping siblings together")
    expect(private).to_contain_text("Staff-free: notes private until shared")
    expect(private).not_to_contain_text("an hour apart")
    screenshot(host, "openspace-console-staff-free")

    # The law of two feet: Ana walks to Housing first; its space does not show Ben's note.
    ana_page.get_by_role("link", name=re.compile("move to another space")).click()
    expect(ana_page.locator("#board")).to_contain_text("You are in Keeping siblings together")
    screenshot(ana_page, "openspace-marketplace-phone")
    ana_page.get_by_role("button", name="Go to Housing first").click()
    expect(ana_page.locator("#cafe-title")).to_have_text("Housing first")
    expect(ana_page.locator("#notes")).not_to_contain_text("an hour apart")
    assert Seat.objects.get(participant=ana).table == housing.table
    assert Note.objects.get().table.topic.title == "Keeping siblings together"
    signed = SignUp.objects.filter(participant=ana).values_list("topic__title", flat=True)
    assert sorted(signed) == ["Housing first", "Keeping siblings together"]


def test_a_small_create_turns_a_theme_into_a_proposal(live_server_url, new_context):
    world = make_series()
    host = open_page(new_context, live_server_url, staff_session(world.facilitator.user), DESKTOP)
    host.goto(f"{live_server_url}/events/{world.create.slug}/openspace/agenda/")
    column = host.get_by_role("region", name="Birth parents and families")
    first_theme = column.locator("article").first
    title = first_theme.locator("h3").inner_text().replace(" key theme", "").strip()
    first_theme.get_by_role("button", name=re.compile("Add .* to the agenda")).click()
    expect(host.locator(".messages")).to_contain_text("is on the agenda")
    screenshot(host, "openspace-create-agenda")
    topic = Topic.objects.get(event=world.create)
    source = ThemeSource.objects.get(topic=topic)

    maker = world.people[0].participant
    page = open_page(new_context, live_server_url, participant_session(maker))
    page.goto(f"{live_server_url}/events/{world.create.slug}/openspace/")
    page.get_by_role("link", name=topic.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_label("The problem it answers").fill("Families lose their homes during care cases")
    page.get_by_label(re.compile(re.escape(source.theme_title))).check()
    page.get_by_label("The change we propose").fill(
        "A housing worker in every child protection plan"
    )
    page.get_by_label("Who should act").fill("Councils with their housing teams")
    page.get_by_label("A first step").fill("A pilot in two councils")
    page.get_by_label("How we would know it worked").fill("Fewer moves for families")
    page.get_by_role("button", name="Save proposal").click()
    expect(page.locator(".messages")).to_contain_text("Your proposal is saved.")
    proposal_card = page.locator(".proposal")
    expect(proposal_card).to_contain_text(f"From the theme “{source.theme_title}”")
    expect(proposal_card.locator(".voices .role").first).to_have_text(re.compile(r"\((BP|BF)\)"))
    proposal_card.get_by_role("button", name="Endorse").click()
    expect(page.locator(".proposal")).to_contain_text("1 endorsement")
    screenshot(page, "openspace-proposal-phone")
    assert Proposal.objects.get().sources.get().note_ids == source.note_ids

    host.goto(f"{live_server_url}/series/{world.series.slug}/journey/")
    expect(host.locator("#create-heading")).to_be_visible()
    expect(host.locator("main")).to_contain_text("A housing worker in every child protection plan")
    expect(host.locator("main")).to_contain_text(f"Comes from the theme “{source.theme_title}”")
    screenshot(host, "openspace-series-journey")
