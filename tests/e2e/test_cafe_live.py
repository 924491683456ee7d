"""Three participants and a facilitator, each in their own Chromium, run a café together:
seated, notes appearing live in the others' browsers, rotation, a priority, closing answers."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from playwright.sync_api import expect

from cafes.models import ClosingAnswer, Note, Priority, Seat
from events.identity import remember_participant
from tests.cafes.conftest import make_event, staff_viewer
from tests.e2e.conftest import PHONE
from tests.factories import ParticipantFactory
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def sign_in(context, base_url: str, session_key: str) -> None:
    """Put a session cookie in a browser context (stands in for the join flow / login)."""
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": base_url}])


def participant_session(participant) -> str:
    session = SessionStore()
    remember_participant(session, participant)
    session.save()
    return session.session_key


def staff_session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def table_of(participant, number: int) -> int:
    return Seat.objects.get(participant=participant, round__number=number).table.number


def post_note(page, text: str, kind: str = "story") -> None:
    page.get_by_label("Your note").fill(text)
    page.get_by_label("What kind of note is it?").select_option(kind)
    page.get_by_role("button", name="Post note").click()


def test_a_cafe_runs_live_across_four_browsers(live_server_url, new_context):
    event = make_event(table_size=2, questions=2)
    facilitator = staff_viewer(event)
    ana, ben, cai = (
        ParticipantFactory(event=event, pseudonym=name, role_code=role)
        for name, role in (("Ana", "BP"), ("Ben", "BF"), ("Cai", "BP"))
    )
    table_url = f"{live_server_url}/events/{event.slug}/cafe/"

    console_context = new_context(viewport=DESKTOP)
    sign_in(console_context, live_server_url, staff_session(facilitator.user))
    console = console_context.new_page()
    console.on("dialog", lambda dialog: dialog.accept())
    console.goto(f"{table_url}console/")
    expect(console.locator("#connection")).to_have_text("Connected")

    pages = {}
    for person, viewport in ((ana, PHONE), (ben, PHONE), (cai, DESKTOP)):
        context = new_context(viewport=viewport)
        sign_in(context, live_server_url, participant_session(person))
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(table_url)
        expect(page.locator("#round-line")).to_have_text("The café has not started yet.")
        pages[person.pseudonym] = page

    # The facilitator starts the café: everyone is seated at once, without reloading.
    console.get_by_role("button", name="Start the café and seat everyone").click()
    expect(console.locator(".console-table")).to_have_count(2)
    first_tables = {p.pseudonym: table_of(p, 1) for p in (ana, ben, cai)}
    mates = [name for name, t in first_tables.items() if t == first_tables["Ana"] and name != "Ana"]
    assert len(mates) == 1, first_tables
    mate = mates[0]
    alone = next(name for name in first_tables if name not in ("Ana", mate))
    for name, page in pages.items():
        expect(page.locator("#cafe-title")).to_have_text(f"Table {first_tables[name]}")

    console.get_by_label("Minutes").fill("15")
    console.get_by_role("button", name="Open round").click()
    for page in pages.values():
        expect(page.locator("#countdown")).to_have_text(re.compile(r"1[45]:\d\d left"))
        expect(page.locator("#prompt")).to_have_text("What has helped or hindered you?")

    # Notes appear live at the same table, and only there.
    post_note(pages["Ana"], "The family support worker really listened to me.")
    expect(pages[mate].locator("#notes")).to_contain_text("really listened to me")
    expect(pages[mate].locator("#announcer")).to_contain_text("New note from Ana")
    post_note(pages[mate], "Nobody explained the child protection plan.", "problem")
    expect(pages["Ana"].locator("#notes")).to_contain_text("Nobody explained")
    post_note(pages[alone], "My mum stepped in when it mattered.", "strength")
    expect(console.get_by_role("article", name=f"Table {first_tables[alone]}")).to_contain_text(
        "1 note"
    )
    expect(pages[alone].locator("#notes")).not_to_contain_text("really listened")
    assert Note.objects.count() == 3
    screenshot(pages["Ana"], "cafe-table-round1-phone")
    screenshot(console, "cafe-console-round1")

    # Plenary: the chat reaches every table and the facilitator pins a message.
    console.get_by_role("button", name="Close round").click()
    expect(pages["Ana"].locator("#round-line")).to_have_text("Plenary after round 1")
    pages["Ana"].get_by_label("Your message to everyone").fill(
        "Our table talked about being listened to."
    )
    pages["Ana"].get_by_role("button", name="Send").click()
    expect(pages[alone].locator("#chat")).to_contain_text("being listened to")
    console.locator("#chat").get_by_role("button", name="Pin").click()
    expect(pages[mate].locator("#chat-pinned")).to_contain_text("being listened to")
    pages[mate].locator("#chat-panel").get_by_role("button", name=re.compile("Agree")).click()
    expect(
        pages["Ana"].locator("#chat-panel").get_by_role("button", name="Agree (1)")
    ).to_be_visible()
    screenshot(pages["Ben"], "cafe-plenary-chat-phone")

    # Round 2 rotates: table hosts (here the first person at each table) stay, others move.
    console.get_by_role("button", name="Open round").click()
    expect(console.locator("#round-line")).to_have_text("Round 2 of 3")
    second_tables = {p.pseudonym: table_of(p, 2) for p in (ana, ben, cai)}
    movers = [n for n in second_tables if second_tables[n] != first_tables[n]]
    assert movers, (first_tables, second_tables)
    for name, page in pages.items():
        expect(page.locator("#cafe-title")).to_have_text(f"Table {second_tables[name]}")
    mover = movers[0]
    readback = pages[mover].locator("#readback-panel")
    expect(readback).to_be_visible()
    expect(readback).to_contain_text("What this table talked about in round 1")
    readback.get_by_text(re.compile("Show the notes from the last round")).click()
    screenshot(pages[mover], "cafe-readback-round2")

    # Round 3: priorities and a dot vote.
    console.get_by_role("button", name="Close round").click()
    expect(console.get_by_role("button", name="Open round")).to_be_visible()
    console.get_by_label("Seating").select_option("original")
    console.get_by_role("button", name="Open round").click()
    ana_page = pages["Ana"]
    expect(ana_page.locator("#priorities-panel")).to_be_visible()
    ana_page.get_by_label("A new priority").fill("A parent advocate at every meeting")
    ana_page.get_by_role("button", name="Add priority").click()
    expect(pages[mate].locator("#priorities")).to_contain_text("A parent advocate")
    pages[mate].get_by_role("button", name="Vote for this").click()
    expect(ana_page.locator("#priorities")).to_contain_text("1 vote")
    expect(console.locator(".console-priorities")).to_contain_text(
        "A parent advocate at every meeting · 1 vote"
    )
    assert Priority.objects.get().votes.count() == 1
    screenshot(ana_page, "cafe-priorities-phone")
    screenshot(console, "cafe-console-priorities")

    # Closing questions, answered individually.
    console.get_by_role("button", name="Close round").click()
    console.get_by_role("button", name="Closing questions").click()
    for name, page in pages.items():
        panel = page.locator("#closing-panel")
        expect(panel).to_be_visible()
        question = event.closing_questions.first()
        panel.get_by_label(question.text).fill(f"{name}: families need one trusted worker.")
        panel.locator("form").first.get_by_role("button", name="Save answer").click()
        expect(panel.locator("form").first.locator(".saved")).to_have_text("Saved")
    assert ClosingAnswer.objects.filter(question__event=event).count() == 3
    screenshot(pages["Cai"], "cafe-closing-questions")
