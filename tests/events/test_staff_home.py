"""The staff home (/manage/) and the staff header (issue 17): where signing in leads, what
is live and what is next with each event's pages one click away, and a header that takes
staff back there from every page while participants' pages stay as they were."""

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import EventStatus, StaffRole, Stage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-123"


def page_of(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def words(element) -> str:
    """What a person reads in ``element``: its text with the spaces tidied."""
    return " ".join(element.text_content().split())


def section(page, heading: str):
    """The <section> a sighted reader finds under the heading ``heading``."""
    (found,) = page.xpath(
        "//section[./h2[normalize-space()=$heading]]",
        heading=heading,
    )
    return found


def links(element) -> dict[str, str]:
    """Link text → address, as a person (or a screen reader) meets them."""
    return {words(a): a.get("href") for a in element.iter("a")}


def header_links(page) -> dict[str, str]:
    (header,) = page.xpath("//header[@class='site-header']")
    return links(header)


def event_today(series, title: str, stage: str = Stage.EXPLORE):
    starts = timezone.now() - timedelta(minutes=30)
    return services.create_event(
        series=series,
        stage=stage,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )


@pytest.fixture
def live_event(series):
    event = event_today(series, "Explore: carers today")
    services.transition_event(event=event, to=EventStatus.SCHEDULED, by=None)
    services.transition_event(event=event, to=EventStatus.LIVE, by=None)
    return event


@pytest.fixture
def reviewer(series):
    user = UserFactory(username="rev")
    services.grant_role(user=user, role=StaffRole.REVIEW_TEAM, series=series)
    return user


# --- signing in ---------------------------------------------------------------------------------


def test_a_facilitator_who_signs_in_lands_on_their_staff_home(client, series):
    user = UserFactory(username="fac", password=PASSWORD)
    services.grant_role(user=user, role=StaffRole.FACILITATOR, series=series)
    response = client.post(reverse("login"), {"username": "fac", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/manage/"
    home = page_of(client.get(response["Location"]))
    assert words(home.xpath("//h1")[0]) == "Your events"
    assert "Bridge the Gap" in words(section(home, "Your series"))


def test_signing_in_from_a_staff_page_goes_back_to_that_page(client, open_event):
    UserFactory(username="fac", password=PASSWORD)
    target = reverse("cafes:console", kwargs={"slug": open_event.slug})
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": "fac", "password": PASSWORD, "next": target},
    )
    assert response["Location"] == target


# --- the staff home -----------------------------------------------------------------------------


def test_the_staff_home_shows_what_is_live_and_what_is_next_with_one_click_to_each_page(
    client, facilitator, live_event, open_event
):
    client.force_login(facilitator)
    home = page_of(client.get("/manage/"))

    live = section(home, "Live now")
    assert "Explore: carers today" in words(live)
    assert open_event.title not in words(live)
    assert links(live) == {
        "Explore: carers today": f"/manage/events/{live_event.slug}/",
        "Run the console: Explore: carers today": f"/events/{live_event.slug}/cafe/console/",
        "Harvest workspace: Explore: carers today": f"/events/{live_event.slug}/harvest/",
        "Reports: Bridge the Gap": f"/series/bridge-the-gap/reports/#event-{live_event.slug}",
        "Overview: Explore: carers today": f"/manage/events/{live_event.slug}/",
    }

    upcoming = section(home, "Next")
    assert open_event.title in words(upcoming)
    assert "Explore: carers today" not in words(upcoming)
    assert "10:00 (Europe/London)" in words(upcoming)  # the fixture's start, on its clock
    assert links(upcoming)[f"Run the console: {open_event.title}"] == (
        f"/events/{open_event.slug}/cafe/console/"
    )


def test_next_lists_the_soonest_event_first_and_leaves_out_drafts_and_past_events(
    client, facilitator, series, open_event
):
    later = services.duplicate_event(
        event=open_event,
        stakeholder_group=None,
        title="Explore: a week later",
        starts_at=open_event.starts_at + timedelta(days=7),
    )
    services.transition_event(event=later, to=EventStatus.SCHEDULED, by=None)
    services.duplicate_event(
        event=open_event,
        stakeholder_group=None,
        title="Explore: still a draft",
        starts_at=open_event.starts_at + timedelta(days=1),
    )
    past = event_today(series, "Explore: last month")
    past.starts_at -= timedelta(days=30)
    past.ends_at -= timedelta(days=30)
    past.save()
    services.transition_event(event=past, to=EventStatus.SCHEDULED, by=None)
    client.force_login(facilitator)
    upcoming = section(page_of(client.get("/manage/")), "Next")
    titles = [words(h) for h in upcoming.xpath(".//h3")]
    assert titles == [open_event.title, "Explore: a week later"]


def test_a_reviewer_may_watch_and_read_reports_but_is_offered_no_console_to_run(
    client, reviewer, live_event
):
    client.force_login(reviewer)
    live = section(page_of(client.get("/manage/")), "Live now")
    offered = links(live)
    assert offered["Watch live (read-only): Explore: carers today"] == (
        f"/events/{live_event.slug}/cafe/console/"
    )
    assert "Reports: Bridge the Gap" in offered
    assert not [text for text in offered if text.startswith("Run the console")]
    assert not [text for text in offered if text.startswith("Harvest workspace")]
    # Every link offered opens for them.
    for address in offered.values():
        assert client.get(address.split("#")[0]).status_code == 200


def test_the_harvest_workspace_is_offered_for_explore_events_only(client, facilitator, series):
    connect = event_today(series, "Connect: everyone", stage=Stage.CONNECT)
    services.transition_event(event=connect, to=EventStatus.SCHEDULED, by=None)
    services.transition_event(event=connect, to=EventStatus.LIVE, by=None)
    client.force_login(facilitator)
    offered = links(section(page_of(client.get("/manage/")), "Live now"))
    assert "Run the console: Connect: everyone" in offered
    assert not [text for text in offered if text.startswith("Harvest workspace")]


def test_events_of_another_series_are_not_shown_to_its_non_members(client, live_event, open_event):
    other = services.create_series(title="Other series")
    stranger = UserFactory(username="stranger")
    services.grant_role(user=stranger, role=StaffRole.FACILITATOR, series=other)
    client.force_login(stranger)
    home = page_of(client.get("/manage/"))
    assert "No event of yours is live right now." in words(section(home, "Live now"))
    assert "No scheduled event is coming up." in words(section(home, "Next"))
    everything = words(home)
    assert live_event.title not in everything
    assert open_event.title not in everything
    assert "Bridge the Gap" not in everything
    assert "Other series" in words(section(home, "Your series"))


def test_a_role_on_one_event_lists_that_event_but_not_the_other_events_of_its_series(
    client, series, live_event, open_event
):
    host = UserFactory(username="host")
    services.grant_role(user=host, role=StaffRole.TABLE_HOST, event=open_event)
    client.force_login(host)
    home = page_of(client.get("/manage/"))
    assert open_event.title in words(section(home, "Next"))
    assert "No event of yours is live right now." in words(section(home, "Live now"))


def test_a_superuser_sees_every_live_event(client, live_event):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert live_event.title in words(section(page_of(client.get("/manage/")), "Live now"))


# --- the header -----------------------------------------------------------------------------------


def test_the_console_header_leads_staff_back_to_their_events(client, facilitator, live_event):
    client.force_login(facilitator)
    console = page_of(client.get(reverse("cafes:console", kwargs={"slug": live_event.slug})))
    offered = header_links(console)
    assert offered["Bridgework"] == "/manage/"
    assert offered["Your events"] == "/manage/"
    nav = console.xpath("//header//nav[@aria-label='Main']")[0]
    assert "fac" in words(nav)
    assert "Sign out" in words(nav)


def test_the_harvest_and_reports_pages_carry_the_staff_header(client, facilitator, live_event):
    client.force_login(facilitator)
    for url in (
        reverse("harvest:workspace", kwargs={"slug": live_event.slug}),
        reverse("reports:series", kwargs={"slug": live_event.series.slug}),
    ):
        assert header_links(page_of(client.get(url)))["Your events"] == "/manage/", url


def test_the_staff_home_is_marked_as_the_current_page(client, facilitator):
    client.force_login(facilitator)
    home = page_of(client.get("/manage/"))
    (current,) = home.xpath("//nav[@aria-label='Main']//a[@aria-current='page']")
    assert words(current) == "Your events"


def test_a_signed_in_staff_member_on_the_home_page_is_offered_their_events(client, facilitator):
    client.force_login(facilitator)
    home = page_of(client.get("/"))
    assert links(home.xpath("//main")[0])["Go to your events"] == "/manage/"


def test_participant_pages_show_no_staff_links(client, open_event):
    for url in ("/", reverse("events:join", kwargs={"code": open_event.code})):
        page = page_of(client.get(url))
        offered = header_links(page)
        assert offered == {"Bridgework": "/", "Staff sign in": "/login/"}, url
        assert "Go to your events" not in words(page)


# --- one clock ---------------------------------------------------------------------------------


def test_pages_tell_the_browser_the_events_clock_or_else_the_servers(
    client, facilitator, live_event
):
    """static/js/cafes/ui.js formats times 24-hour on the zone named by <body data-time-zone>."""
    live_event.timezone = "America/New_York"
    live_event.save()
    client.force_login(facilitator)
    console = page_of(client.get(reverse("cafes:console", kwargs={"slug": live_event.slug})))
    assert console.xpath("//body/@data-time-zone") == ["America/New_York"]
    assert page_of(client.get("/manage/")).xpath("//body/@data-time-zone") == ["Europe/London"]
    client.logout()
    assert page_of(client.get("/")).xpath("//body/@data-time-zone") == ["Europe/London"]


def test_events_that_ended_lead_to_their_harvest_and_reports_not_to_a_console(
    client, facilitator, reviewer, live_event
):
    """After the day, the review team's work starts: the closed event is one click away."""
    services.transition_event(event=live_event, to=EventStatus.CLOSED, by=None)
    client.force_login(reviewer)
    ended = section(page_of(client.get("/manage/")), "Recently ended")
    offered = links(ended)
    assert offered["Reports: Bridge the Gap"] == (
        f"/series/{live_event.series.slug}/reports/#event-{live_event.slug}"
    )
    assert not [text for text in offered if "console" in text or "Watch live" in text]
    client.force_login(facilitator)
    ended = section(page_of(client.get("/manage/")), "Recently ended")
    assert links(ended)["Harvest workspace: Explore: carers today"] == (
        f"/events/{live_event.slug}/harvest/"
    )


def test_no_recently_ended_section_before_any_event_ended(client, reviewer, live_event):
    client.force_login(reviewer)
    page = page_of(client.get("/manage/"))
    assert not page.xpath("//h2[normalize-space()='Recently ended']")
