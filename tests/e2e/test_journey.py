"""A facilitator's whole day in Chromium (issue 17), on the real parts: an ASGI server and a
Celery worker as subprocesses, PostgreSQL and Redis.

A facilitator signs in and lands on the staff home, creates a series and an Explore event
with its agenda, prompts and closing questions, adds a reviewer, and opens it for joining.
Three participants join with the event code (one on a phone) and post live through three
rounds, with rotation, a participant host's read-back, chat, priorities and a vote, and
answer the closing questions. The facilitator ends the event from the console, after a
confirmation that says what happens next; the worker builds the draft themes and report
version 1; the facilitator renames a theme in the workspace and compiles version 2 there;
the reviewer signs in and downloads the PDF and DOCX of version 2.

Screenshots: docs/screenshots/journey-*.png.
"""

import io
import re
from datetime import timedelta

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cafes.models import Seat
from events.models import Event, EventStatus
from harvest.models import Theme
from reports.models import ReportStatus, ReportVersion
from tests.e2e.conftest import PHONE
from tests.e2e.test_events_flow import add_segment
from tests.factories import UserFactory
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import screenshot
from tests.support.servers import asgi_server, celery_worker, wait_until
from tests.support.services import require_postgres_and_redis

pytestmark = [pytest.mark.browser, pytest.mark.integration]

DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "pw-12345678"
ROUNDS = [
    ("Round 1: stories", "What has helped or hindered you with children's services?"),
    ("Round 2: the collective story", "What problems, strengths and possibilities do you hear?"),
    ("Round 3: priorities", "Which changes matter most?"),
]
QUESTIONS = ["What is the one thing that must change?", "How did you find taking part today?"]
NOTES = {
    1: [
        ("nobody explained anything to me at the start, i didnt know what a CP plan was", "story"),
        ("The SW changed 4 times in a year, had to tell my story again every time", "problem"),
        ("my mum stepped in when it mattered, kinship care kept us together", "strength"),
    ],
    2: [
        ("Meetings are all professionals and you sit there on your own", "problem"),
        ("parent advocate came to conference with me - first time i felt heard", "strength"),
        ("If they wrote to us in plain words it would help", "solution"),
    ],
}


@pytest.fixture
def day(transactional_db, tmp_path):
    """The web server and a Celery worker, both real, on the test database and Redis."""
    require_postgres_and_redis()
    with asgi_server(tmp_path) as server, celery_worker(tmp_path, name="journey") as worker:
        yield server.http_url, worker


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def wait_for_version(event: Event, number: int, worker) -> None:
    """Until the worker has compiled report version ``number`` of ``event``."""
    wait_until(
        lambda: ReportVersion.objects.filter(
            event=event, number=number, status=ReportStatus.DONE
        ).exists(),
        timeout=180,
        message=f"version {number} was not compiled:\n{worker.output()[-3000:]}",
    )


def join(page, base_url: str, code: str, name: str) -> None:
    page.goto(base_url)
    page.get_by_label("Event code").fill(code)
    page.get_by_role("button", name="Join").click()
    page.get_by_label("The name others will see").fill(name)
    page.get_by_label("Prefer not to say").check()
    page.get_by_label("I understand and agree").check()
    page.get_by_role("button", name="Join the event").click()
    page.get_by_text("You have joined.").wait_for()


def post_note(page, text: str, kind: str) -> None:
    page.get_by_label("Your note").fill(text)
    page.get_by_label("What kind of note is it?").select_option(kind)
    page.get_by_role("button", name="Post note").click()
    expect(page.locator("#notes")).to_contain_text(text[:30])


def seats(event: Event, number: int) -> dict[str, Seat]:
    return {
        s.participant.pseudonym: s
        for s in Seat.objects.filter(round__event=event, round__number=number).select_related(
            "participant", "table"
        )
    }


def test_a_facilitators_whole_day(day, new_context, tmp_path):
    base, worker = day
    UserFactory(username="facilitator", is_staff=True)  # password: PASSWORD
    UserFactory(username="reviewer")

    # --- Morning: sign in, land on the staff home, set the event up ----------------------
    staff = new_context(viewport=DESKTOP).new_page()
    staff.on("dialog", lambda dialog: dialog.accept())  # "Close this round for every table?"
    sign_in(staff, base, "facilitator")
    expect(staff).to_have_url(f"{base}/manage/")
    expect(staff.get_by_role("heading", name="Your events", level=1)).to_be_visible()
    nav = staff.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Your events")).to_be_visible()
    screenshot(staff, "journey-01-staff-home")
    assert_no_axe_violations(staff, "journey-01-staff-home")

    staff.get_by_role("link", name="Create a series").click()
    staff.get_by_label("Title").fill("Bridge the Gap")
    staff.get_by_label("Description").fill("Listening to people with lived experience of care.")
    staff.get_by_role("button", name="Create series").click()
    staff.get_by_role("heading", name="Bridge the Gap", level=1).wait_for()
    series_url = staff.url

    staff.get_by_role("link", name="Add Explore: Birth parents and families").click()
    # Under way on its own clock whatever the hour the test runs (a fixed 00:05-23:55 had
    # ended by 23:56, and the staff home rightly offered no console for it).
    now = timezone.localtime()
    starts, ends = now - timedelta(minutes=10), now + timedelta(hours=4)
    staff.get_by_label("Starts").fill(f"{starts:%Y-%m-%dT%H:%M}")
    staff.get_by_label("Ends").fill(f"{ends:%Y-%m-%dT%H:%M}")
    staff.get_by_label("People per table").fill("2")
    staff.get_by_role("button", name="Create event").click()
    staff.get_by_text("created as a draft").wait_for()
    event_url = staff.url  # the new event's agenda
    for title, prompt in ROUNDS:
        add_segment(staff, kind="Café round", title=title, minutes=30, prompt=prompt)
        add_segment(staff, kind="Plenary", title=f"Plenary after {title[:7]}", minutes=10)
    staff.get_by_role("link", name="Prompts & questions").click()
    for question in QUESTIONS:
        staff.get_by_label("Question", exact=True).fill(question)
        staff.get_by_role("button", name="Add question").click()
        staff.get_by_text("Closing question added.").wait_for()
    # Headings say "Round 1: stories", not "Round 1: Round 1: stories".
    expect(staff.get_by_role("heading", name="Round 1: stories", exact=True)).to_be_visible()
    screenshot(staff, "journey-02-prompts-and-questions")

    # The reviewer joins the series' staff.
    staff.goto(f"{series_url}staff/")
    staff.get_by_label("Staff member's username").fill("reviewer")
    staff.get_by_label("Role").select_option("review_team")
    staff.get_by_role("button", name="Add to the series").click()
    expect(staff.locator("main")).to_contain_text("reviewer")

    staff.goto(event_url)
    staff.get_by_role("link", name="Overview").click()
    staff.get_by_role("button", name="Schedule: open for joining").click()
    staff.get_by_text("is now scheduled").wait_for()
    code = staff.locator(".event-code").first.inner_text()
    event = Event.objects.get(code=code)

    # --- Participants join, one on a phone -----------------------------------------------
    people = {}
    for name, viewport in (("Ana", PHONE), ("Ben", DESKTOP), ("Cai", DESKTOP)):
        options = {"viewport": viewport}
        if viewport is PHONE:
            options.update(is_mobile=True, has_touch=True)
        page = new_context(**options).new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        join(page, base, code, name)
        page.get_by_role("link", name="Go to your café table").click()
        expect(page.locator("#round-line")).to_have_text("The café has not started yet.")
        # Nothing on the page above to read yet: the waiting text does not pretend so.
        expect(page.locator("#waiting-text")).not_to_contain_text("question above")
        people[name] = page
    screenshot(people["Ana"], "journey-03-waiting-phone")
    assert_no_axe_violations(people["Ana"], "journey-03-waiting-phone")

    # --- The facilitator runs the café from the staff home -------------------------------
    staff.goto(f"{base}/manage/")
    staff.get_by_role("link", name=re.compile("Run the console")).click()
    console = staff
    expect(console.locator("#connection")).to_have_text("Connected")
    console.get_by_role("button", name="Start the café and seat everyone").click()
    expect(console.locator(".console-table")).to_have_count(2)
    # The agenda says 30 minutes a round, so the console offers 30.
    expect(console.get_by_label("Minutes")).to_have_value("30")
    console.get_by_role("button", name="Open round").click()
    expect(console.locator("#round-line")).to_have_text("Round 1 of 3")

    first = seats(event, 1)
    hosts = {name for name, seat in first.items() if hasattr(seat, "hosting")}
    assert len(hosts) == 2, first  # a participant host at each table with no staff host
    for page, (text, kind) in zip(people.values(), NOTES[1], strict=True):
        expect(page.locator("#prompt")).to_have_text(ROUNDS[0][1])
        post_note(page, text, kind)
    screenshot(people["Ana"], "journey-04-round1-phone")
    assert_no_axe_violations(people["Ana"], "journey-04-round1-phone")
    screenshot(console, "journey-05-console-round1")
    assert_no_axe_violations(console, "journey-05-console-round1")

    # Plenary and chat.
    console.get_by_role("button", name="Close round").click()
    console.get_by_role("button", name="Close round").wait_for(state="hidden")
    people["Ben"].get_by_label("Your message to everyone").fill("Being listened to came up a lot.")
    people["Ben"].get_by_role("button", name="Send").click()
    expect(people["Ana"].locator("#chat")).to_contain_text("Being listened to")

    # Round 2 rotates: participant hosts stay and write the read-back for newcomers.
    console.get_by_role("button", name="Open round").click()
    expect(console.locator("#round-line")).to_have_text("Round 2 of 3")
    second = seats(event, 2)
    # The host whose table someone new sat down at.
    host, newcomer = next(
        (h, n)
        for h in sorted(hosts)
        for n, seat in second.items()
        if n != h and seat.table_id == second[h].table_id and seat.table_id != first[n].table_id
    )
    host_page = people[host]
    host_page.get_by_label("Read-back for newcomers").fill(
        "We talked about not being told anything and workers changing all the time."
    )
    host_page.get_by_role("button", name="Save read-back").click()
    expect(people[newcomer].locator("#readback-summary")).to_contain_text(
        "workers changing all the time"
    )
    screenshot(host_page, "journey-06-participant-host-readback")
    assert_no_axe_violations(host_page, "journey-06-participant-host-readback")
    screenshot(people[newcomer], "journey-07-newcomer-reads-back")
    for page, (text, kind) in zip(people.values(), NOTES[2], strict=True):
        post_note(page, text, kind)
    console.get_by_role("button", name="Close round").click()
    console.get_by_role("button", name="Close round").wait_for(state="hidden")

    # Round 3: priorities and votes; only the author (or a host) may remove one.
    console.get_by_label("Seating").select_option("original")
    console.get_by_role("button", name="Open round").click()
    expect(console.locator("#round-line")).to_have_text("Round 3 of 3")
    third = seats(event, 3)
    author = next(n for n in people if n not in hosts)
    mate = next(n for n in people if n != author and third[n].table_id == third[author].table_id)
    people[author].get_by_label("A new priority").fill("A parent advocate at every meeting")
    people[author].get_by_role("button", name="Add priority").click()
    expect(people[mate].locator("#priorities")).to_contain_text("A parent advocate")
    people[mate].get_by_role("button", name="Vote for this").click()
    expect(people[author].locator("#priorities")).to_contain_text("1 vote")
    expect(
        people[author].locator("#priorities").get_by_role("button", name=re.compile("Remove"))
    ).to_be_visible()
    screenshot(people[author], "journey-08-priorities")
    console.get_by_role("button", name="Close round").click()
    console.get_by_role("button", name="Close round").wait_for(state="hidden")

    # Closing questions, answered on each person's own.
    console.get_by_role("button", name="Closing questions").click()
    for name, page in people.items():
        panel = page.locator("#closing-panel")
        expect(panel).to_be_visible()
        expect(page.locator("#readback-panel")).not_to_contain_text("round 4")
        panel.get_by_label(QUESTIONS[0]).fill(f"{name}: one worker who stays, and plain letters.")
        panel.locator("form").first.get_by_role("button", name="Save answer").click()
        expect(panel.locator("form").first.locator(".saved")).to_have_text("Saved")
    screenshot(people["Ana"], "journey-09-closing-phone")
    assert_no_axe_violations(people["Ana"], "journey-09-closing-phone")

    # --- The facilitator ends the event from the console ---------------------------------
    console.get_by_role("button", name="End the event").click()
    dialog = console.get_by_role("dialog", name=re.compile("End"))
    expect(dialog).to_contain_text("Draft themes are built from the notes, then report version 1")
    screenshot(console, "journey-10-end-confirmation")
    dialog.get_by_role("button", name="End the event").click()
    expect(console.locator("#after-end")).to_be_visible()
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED
    expect(people["Cai"].locator("#round-line")).to_have_text(
        "The event has ended. Thank you for taking part."
    )

    # The worker builds the draft themes, then version 1.
    wait_for_version(event, 1, worker)
    assert Theme.objects.filter(event=event, kind="notes").exists()
    console.get_by_role("link", name=re.compile("Open the harvest")).click()
    expect(console.locator(".theme").first).to_be_visible()
    expect(console.locator("#report-events")).to_contain_text("Version 1")
    screenshot(console, "journey-11-workspace-v1")
    assert_no_axe_violations(console, "journey-11-workspace-v1")

    # Curate one theme, then compile version 2 from the workspace.
    theme = Theme.objects.filter(event=event, kind="notes", is_other=False).order_by("id").first()
    title = console.locator(f"#title-{theme.id}")
    title.fill("Nobody explained anything")
    title.press("Enter")
    console.get_by_role("status").filter(has_text="Saved").wait_for()
    console.get_by_role("button", name="Compile a new version").click()
    expect(console.locator("#report-events")).to_contain_text("Version 2")
    screenshot(console, "journey-12-workspace-compiling-v2")
    wait_for_version(event, 2, worker)
    expect(
        console.locator("#report-events").get_by_role("link", name=re.compile("PDF"))
    ).not_to_have_count(0)

    # --- The reviewer downloads version 2 -------------------------------------------------
    review = new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    sign_in(review, base, "reviewer")
    expect(review).to_have_url(f"{base}/manage/")
    screenshot(review, "journey-13-reviewer-home")
    ended = review.locator(
        "section", has=review.get_by_role("heading", name="Recently ended", level=2)
    )
    ended.get_by_role("link", name=re.compile("^Reports")).click()
    expect(review.get_by_role("heading", name="Harvest reports", level=1)).to_be_visible()
    screenshot(review, "journey-13-reviewer-reports")
    assert_no_axe_violations(review, "journey-13-reviewer-reports")
    files = {}
    for key, label in (("pdf", "PDF"), ("docx", r"Word \(DOCX\)")):
        with review.expect_download() as download:
            review.get_by_role("link", name=re.compile(f"{label}.* of version 2")).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        files[key] = path
    pdf_text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"].read_bytes())).pages
    )
    assert "Nobody explained anything" in pdf_text
    assert "Ana" not in pdf_text.split()  # no names in the report
    word = docx.Document(str(files["docx"]))
    assert any("Nobody explained anything" in p.text for p in word.paragraphs)
