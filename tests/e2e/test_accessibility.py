"""axe-core finds no violation on the pages people use most (issue 17), as Chromium renders
them after their JavaScript ran: joining, a participant's café table live in round 1, the
facilitator console, the harvest workspace, the themes across a series and the reports page;
joining and the table also on a phone. Screenshots: docs/screenshots/a11y-*.png."""

import uuid

import pytest
from playwright.sync_api import expect

from cafes import services as cafe_services
from cafes.models import Seat
from harvest.services import build_themes
from reports.models import ReportFile, ReportFormat, ReportStatus, ReportVersion
from tests.cafes.conftest import make_event, participant_viewer, staff_viewer
from tests.e2e.conftest import PHONE
from tests.e2e.test_cafe_live import participant_session, sign_in, staff_session
from tests.factories import (
    EventFactory,
    MembershipFactory,
    ParticipantFactory,
    RoleCodeFactory,
    UserFactory,
)
from tests.harvest.conftest import load_event
from tests.harvest.series_cases import make_series_case
from tests.openspace.conftest import staff
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
NOTES = [
    ("BP", "story", "The family support worker really listened to me."),
    ("BF", "problem", "Nobody explained the child protection plan."),
    ("BP", "strength", "My mum stepped in when it mattered."),
    ("BF", "possibility", "A parent advocate at the first meeting."),
    ("BP", "problem", "Letters full of jargon, sent the day before court."),
    ("BF", "idea", "One worker who stays with the family."),
]


def check(page, name: str) -> None:
    screenshot(page, f"a11y-{name}")
    assert_no_axe_violations(page, name)


def live_cafe():
    """An Explore event live in round 1: two tables, a few notes at each."""
    event = make_event(table_size=3)
    facilitator = staff_viewer(event)
    people = [ParticipantFactory(event=event, role_code=role) for role, _, _ in NOTES]
    cafe_services.start_cafe(viewer=facilitator)
    cafe_services.open_round(viewer=facilitator, number=1, minutes=20)
    for person, (_, kind, text) in zip(people, NOTES, strict=True):
        cafe_services.post_note(
            viewer=participant_viewer(person), text=text, kind=kind, client_id=uuid.uuid4()
        )
    return event, facilitator, people


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_join_page(live_server_url, new_context, viewport):
    event = make_event()
    for code, label in (("BP", "Birth parent"), ("BF", "Wider birth family")):
        RoleCodeFactory(event=event, code=code, label=label)
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    page.goto(f"{live_server_url}/join/{event.code}/")
    check(page, f"join-{viewport}")

    page.get_by_role("button", name="Join the event").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check(page, f"join-errors-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_participant_table_page_live_in_round_one(live_server_url, new_context, viewport):
    event, _, people = live_cafe()
    context = new_context(viewport=VIEWPORTS[viewport])
    sign_in(context, live_server_url, participant_session(people[0]))
    page = context.new_page()
    page.goto(f"{live_server_url}/events/{event.slug}/cafe/")
    expect(page.locator("#connection")).to_have_text("Connected")
    table = Seat.objects.get(participant=people[0], round__number=1).table
    expect(page.locator("#cafe-title")).to_have_text(f"Table {table.number}")
    expect(page.locator("#notes-count")).to_have_text(str(table.notes.count()))
    check(page, f"table-round1-{viewport}")


def test_the_facilitator_console_live(live_server_url, new_context):
    event, facilitator, _ = live_cafe()
    context = new_context(viewport=DESKTOP)
    sign_in(context, live_server_url, staff_session(facilitator.user))
    page = context.new_page()
    page.goto(f"{live_server_url}/events/{event.slug}/cafe/console/")
    expect(page.locator("#connection")).to_have_text("Connected")
    expect(page.locator(".console-table")).to_have_count(2)
    check(page, "console-round1")


def test_the_harvest_workspace_with_themes(live_server_url, new_context):
    event = load_event()
    build_themes(event=event)
    harvester = event.memberships.get().user
    context = new_context(viewport=DESKTOP)
    sign_in(context, live_server_url, staff_session(harvester))
    page = context.new_page()
    page.goto(f"{live_server_url}/events/{event.slug}/harvest/")
    expect(page.locator(".theme").first).to_be_visible()
    check(page, "harvest-workspace")


def test_the_themes_across_a_series_with_their_create_agenda_buttons(live_server_url, new_context):
    """Two groups' themes side by side, linked by meaning; the Create event's facilitator
    puts one on its agenda from the keyboard and is told so."""
    case = make_series_case()
    create = EventFactory(series=case.series, stage="create", title="Create: ideas for change")
    facilitator = staff(create)
    context = new_context(viewport=DESKTOP)
    sign_in(context, live_server_url, staff_session(facilitator.user))
    page = context.new_page()
    page.goto(f"{live_server_url}/series/{case.series.slug}/harvest/")
    expect(page.get_by_role("heading", name="Birth parents and families")).to_be_visible()
    check(page, "series-themes")
    button = page.get_by_role("button", name="Add “School” (Birth parents and families)")
    button.focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("“School” is on the agenda of Create: ideas for change.")
    ).to_be_visible()
    check(page, "series-themes-added")


def test_the_series_reports_page_with_a_finished_version(live_server_url, new_context):
    """The page lists versions and their files; what the files hold is tested elsewhere, so a
    finished version is recorded here rather than compiled (which takes half a minute)."""
    event = EventFactory(stage="explore", status="closed", title="Explore: birth parents")
    reviewer = UserFactory(username="reviewer")
    MembershipFactory(user=reviewer, series=event.series, event=None, role="review_team")
    version = ReportVersion.objects.create(
        event=event,
        number=1,
        status=ReportStatus.DONE,
        progress=100,
        step="Ready",
        reason="The event was closed",
        note_count=97,
    )
    for fmt in ReportFormat.values:
        ReportFile.objects.create(
            version=version,
            format=fmt,
            file=f"reports/{event.slug}/v1/r.{fmt}",
            size=2048,
            sha256="0" * 64,
        )
    ReportVersion.objects.create(
        event=event, number=2, status=ReportStatus.RUNNING, progress=40, step="Writing the PDF"
    )
    context = new_context(viewport=DESKTOP)
    sign_in(context, live_server_url, staff_session(reviewer))
    page = context.new_page()
    page.goto(f"{live_server_url}/series/{event.series.slug}/reports/")
    expect(page.get_by_role("link", name="Web page (HTML) of version 1")).to_be_visible()
    check(page, "reports")
