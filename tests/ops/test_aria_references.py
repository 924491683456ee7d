"""Every id a page names in aria-describedby, aria-labelledby, aria-controls or <label for>
exists on that page (issue 17): every page of the site, for each kind of visitor, and every
form re-rendered with its errors.

A wrong id fails silently in a screen reader (the help text is never announced), so this
walks the URL patterns themselves: a new page is checked without anyone listing it. Pages
that JavaScript builds at runtime (the café table and console) are checked by axe in
tests/e2e/test_accessibility.py.
"""

import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from cafes import services as cafe_services
from cafes.permissions import Viewer
from events import services as event_services
from events.identity import remember_participant
from events.join_links import make_join_token
from events.models import EventStatus, Membership, Participant, StaffRole
from events.permissions import staff_roles
from openspace.models import Topic
from reports import services as report_services
from reports.models import ReportFile
from tests.cafes.conftest import make_event
from tests.factories import MembershipFactory, ParticipantFactory, RoleCodeFactory, UserFactory
from tests.openspace.conftest import build_journey, make_series
from tests.support.id_references import dangling_references

pytestmark = pytest.mark.django_db

ANONYMOUS, PARTICIPANT, FACILITATOR, REVIEWER = (
    "anonymous",
    "participant",
    "facilitator",
    "reviewer",
)
VISITORS = [ANONYMOUS, PARTICIPANT, FACILITATOR, REVIEWER]

# Some of the forms the crawl must have seen re-rendered with their errors.
SHOWN_WITH_ERRORS = (
    "login",
    "events:join_start",
    "events:join",
    "events:join_invited",
    "events:series_create",
    "events:event_create",
    "events:event_edit",
    "events:event_agenda",
    "events:event_invitations",
    "events:event_staff",
    "cafes:import_notes",
    "openspace:marketplace",
    "openspace:topic",
)
# Routes that answer no visitor with a page of their own, and why.
ONLY_REDIRECTS = {"admin_login": "the admin's sign-in sends everyone to /login/"}


# --- the checker can fail -----------------------------------------------------------------


def test_the_checker_reports_a_dangling_reference():
    page = """
      <label for="id_name">Name</label>
      <p id="id_name_help">Not your full name</p>
      <input id="id_name" aria-describedby="id_name_helptext id_name_error">
      <section aria-labelledby="h"><h2 id="h">Twice</h2><h2 id="h">Twice</h2></section>
      <button aria-controls="">Menu</button>
    """
    problems = dangling_references(page)
    assert len(problems) == 4, problems
    assert problems[0].startswith("missing: aria-describedby names id “id_name_helptext”")
    assert problems[1].startswith("missing: aria-describedby names id “id_name_error”")
    assert problems[2].startswith("on 2 elements: aria-labelledby names id “h”")
    assert problems[3].startswith("missing: aria-controls names an empty id")


def test_the_checker_accepts_a_page_whose_references_resolve():
    page = """
      <label for="id_name">Name</label><p id="id_name_helptext">Not your full name</p>
      <input id="id_name" aria-describedby="id_name_helptext"><br/>
      <img alt="" aria-labelledby="id_name"/>
    """
    assert dangling_references(page) == []


# --- a realistic world --------------------------------------------------------------------


@dataclass
class World:
    """A series with a Connect open space, Explore events with themes and a compiled report,
    a Create event with a proposal, and a live café (round 1, notes) with invitations."""

    series: object
    cafe: object
    events: list
    sessions: dict[str, str | None]
    invitation: object
    seated: Participant


def viewer_for(event, user) -> Viewer:
    return Viewer(event=event, user=user, roles=frozenset(staff_roles(user, event)))


def build_world() -> World:
    setup = make_series()
    build_journey(setup)
    series = setup.series
    facilitator = UserFactory(username="facilitator", is_staff=True)
    reviewer = UserFactory(username="reviewer")
    MembershipFactory(user=facilitator, series=series, event=None, role=StaffRole.FACILITATOR)
    MembershipFactory(user=reviewer, series=series, event=None, role=StaffRole.REVIEW_TEAM)

    cafe = make_event(table_size=2)
    # One series holds every stage, so its journey, harvest and reports pages show them all.
    cafe.series, cafe.title = series, "Explore: kinship carers"
    cafe.save()
    for code, label in (("BP", "Birth parent"), ("KC", "Kinship carer")):
        RoleCodeFactory(event=cafe, code=code, label=label)
    [invitation, _] = event_services.invite_people(
        event=cafe, pasted_emails="ann@example.org\nben@example.org", invited_by=facilitator
    )
    people = [ParticipantFactory(event=cafe, role_code=c) for c in ("BP", "KC", "BP", "KC")]
    cafe.status = EventStatus.LIVE
    cafe.save()
    running = viewer_for(cafe, facilitator)
    cafe_services.start_cafe(viewer=running)
    cafe_services.open_round(viewer=running, number=1)
    words = ("We waited months for a visit.", "Grandma stepped in when it mattered.")
    for person, text in zip(people[:2], words, strict=True):
        cafe_services.post_note(
            viewer=Viewer(event=cafe, participant=person),
            text=text,
            kind="story",
            client_id=uuid.uuid4(),
        )

    for version in (
        report_services.request_report(event=setup.explore_bp, reason="The event was closed"),
        report_services.request_series_report(series=series, reason="Create was closed"),
    ):
        report_services.compile_report(version=version)

    session = SessionStore()
    for participant in (people[0], setup.connect.people[0], setup.people[0].participant):
        remember_participant(session, participant)
    session.save()
    sessions = {ANONYMOUS: None, PARTICIPANT: session.session_key}
    for who, user in ((FACILITATOR, facilitator), (REVIEWER, reviewer)):
        client = Client()
        client.force_login(user)
        sessions[who] = client.cookies["sessionid"].value
    events = [setup.connect.event, setup.explore_bp, setup.explore_ce, setup.create, cafe]
    return World(series, cafe, events, sessions, invitation, people[0])


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


# --- every URL of every route ---------------------------------------------------------------

# How to find the object a route's <int:pk> stands for, given its event or series.
PK_OF = {
    "events:series_staff_remove": lambda series: Membership.objects.filter(series=series),
    "events:segment_edit": lambda event: event.segments.all(),
    "events:segment_move": lambda event: event.segments.all(),
    "events:segment_delete": lambda event: event.segments.all(),
    "events:prompt_edit": lambda event: event.segments.filter(kind="cafe_round"),
    "events:question_edit": lambda event: event.closing_questions.all(),
    "events:question_move": lambda event: event.closing_questions.all(),
    "events:question_delete": lambda event: event.closing_questions.all(),
    "events:role_code_delete": lambda event: event.role_codes.all(),
    "events:invitation_resend": lambda event: event.invitations.all(),
    "events:participant_check_in": lambda event: event.participants.all(),
    "events:event_staff_remove": lambda event: event.memberships.all(),
    "harvest:theme_cards": lambda event: event.themes.all(),
    "openspace:topic": lambda event: Topic.objects.filter(event=event),
    "openspace:topic_action": lambda event: Topic.objects.filter(event=event),
    "reports:download": lambda _: ReportFile.objects.all(),
}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def routes(patterns=None, namespace: str = "", prefix: str = ""):
    """(name, route) of every URL pattern of the site, the admin's own aside: its pages are
    Django's, behind a sign-in only superusers pass."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                inner = f"{pattern.namespace}:" if pattern.namespace else namespace
                yield from routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def urls_of(name: str, route: str, world: World) -> list[str]:
    """Every URL of the route the world has something for: each event, series, code..."""
    parameters = set(PARAMETER.findall(route))
    if not parameters:
        return [reverse(name)]
    if "token" in parameters:
        token = make_join_token(world.invitation)
        return [reverse(name, kwargs={"code": world.cafe.code, "token": token})]
    if parameters == {"key"}:
        return [reverse(name, kwargs={"key": world.seated.key})]
    if parameters == {"code"}:
        return [reverse(name, kwargs={"code": event.code}) for event in world.events]
    if parameters == {"pk"}:
        return [reverse(name, kwargs={"pk": pk}) for pk in _pks(name, None)]
    assert "slug" in parameters, f"{name}: how do the pages of {route} find their objects?"
    owners = [world.series] if route.startswith(("series/", "manage/series/")) else world.events
    urls = []
    for owner in owners:
        kwargs = {"slug": owner.slug}
        if "action" in parameters:
            kwargs["action"] = "any"  # an action is POST only: the GET must say 405
        if "pk" in parameters:
            urls += [reverse(name, kwargs=kwargs | {"pk": pk}) for pk in _pks(name, owner)]
        else:
            urls.append(reverse(name, kwargs=kwargs))
    return urls


def _pks(name: str, owner) -> list[int]:
    assert name in PK_OF, f"{name}: add to PK_OF how the world finds an object for its <int:pk>"
    return list(PK_OF[name](owner).values_list("pk", flat=True)[:1])


# --- forms, submitted empty ----------------------------------------------------------------

BUTTONS = {"submit", "button", "reset", "image"}


@dataclass
class Form:
    method: str
    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    submit: tuple[str, str] | None = None

    def empty(self) -> dict[str, str]:
        """What a person sends who fills nothing in: hidden values kept, every field blank."""
        data = dict(self.hidden) | dict.fromkeys(self.fields, "")
        if self.submit:
            data[self.submit[0]] = self.submit[1]
        return data


class _Forms(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = urljoin(self.page_url, values.get("action") or self.page_url)
            self.current = Form(values.get("method", "get").lower(), action)
            # A form with neither is sent by JavaScript (the café, the harvest board).
            if "method" in values or "action" in values:
                self.forms.append(self.current)
        elif self.current is None or "name" not in values or "disabled" in values:
            return
        elif tag == "input" and values.get("type") == "hidden":
            self.current.hidden[values["name"]] = values.get("value", "")
        elif tag == "button" or (tag == "input" and values.get("type") in BUTTONS):
            if values.get("type", "submit") == "submit" and self.current.submit is None:
                self.current.submit = (values["name"], values.get("value", ""))
        elif tag in ("input", "textarea", "select") and values["name"] not in self.current.fields:
            self.current.fields.append(values["name"])  # radios and checkboxes share a name

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def forms_of(html: str, page_url: str) -> list[Form]:
    """The forms of a page a person fills in (not the buttons that act at once)."""
    parser = _Forms(page_url)
    parser.feed(html)
    return [form for form in parser.forms if form.fields]


# --- the test ------------------------------------------------------------------------------


@dataclass
class Crawl:
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    answered: dict[str, set[int]] = field(default_factory=dict)
    forms: dict[tuple, Form] = field(default_factory=dict)
    with_errors: set[str] = field(default_factory=set)

    def check(self, who: str, how: str, url: str, response) -> None:
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        self.pages += 1
        html = response.content.decode()
        self.problems += [f"{who} {how} {url}: {p}" for p in dangling_references(html)]
        if how == "GET":
            for form in forms_of(html, url):
                # The same form on another event's page is the same template and form class.
                view = resolve(urlsplit(form.action).path).view_name
                self.forms.setdefault((who, form.method, view, *form.fields), form)
        elif 'aria-invalid="true"' in html or 'class="error-summary"' in html:
            self.with_errors.add(resolve(urlsplit(response.request["PATH_INFO"]).path).view_name)


def client_for(world: World, who: str) -> Client:
    client = Client()
    if world.sessions[who]:
        client.cookies["sessionid"] = world.sessions[who]
    return client


def submit_empty(client: Client, form: Form):
    """Send the form blank; whatever the view writes is rolled back for the next form."""
    with transaction.atomic():
        if form.method == "post":
            response = client.post(form.action, form.empty(), follow=True)
        else:
            response = client.get(form.action, form.empty(), follow=True)
        transaction.set_rollback(True)
    return response


def test_every_id_a_page_refers_to_exists_on_it(world):
    crawl = Crawl()
    for name, route in routes():
        urls = urls_of(name, route, world)
        assert urls, f"{name}: the world has nothing to show at {route}"
        for who in VISITORS:
            client = client_for(world, who)
            for url in urls:
                response = client.get(url)
                crawl.answered.setdefault(name, set()).add(response.status_code)
                crawl.check(who, "GET", url, response)
    for (who, *_), form in crawl.forms.items():
        response = submit_empty(client_for(world, who), form)
        crawl.check(who, f"{form.method.upper()} empty to", form.action, response)

    assert not crawl.problems, f"{len(crawl.problems)} dangling references:\n" + "\n".join(
        crawl.problems[:40]
    )
    unseen = {
        name: codes
        for name, codes in crawl.answered.items()
        if not codes & {200, 405} and name not in ONLY_REDIRECTS
    }
    assert unseen == {}, "no visitor reached these pages: give the world what they need"
    assert crawl.pages > 150, crawl.pages
    assert set(SHOWN_WITH_ERRORS) <= crawl.with_errors, sorted(crawl.with_errors)
