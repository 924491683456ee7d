"""The Open Space and Create pages: who may see and do what (a matrix over every role),
and what the forms do with good and bad input."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from events.identity import remember_participant
from openspace import services
from openspace.models import SignUp, Space, Topic
from tests.factories import EventFactory, ParticipantFactory
from tests.openspace.conftest import cid, make_series, propose

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "other_participant", "participant", "table_host", "facilitator", "reviewer"]


def client_for(role: str, world) -> Client:
    client = Client()
    connect = world.connect
    if role in ("participant", "other_participant"):
        participant = (
            connect.people[0]
            if role == "participant"
            else ParticipantFactory(event=EventFactory(series=world.series, stage="connect"))
        )
        session = SessionStore()
        remember_participant(session, participant)
        session.save()
        client.cookies["sessionid"] = session.session_key
    elif role != "anonymous":
        viewer = {
            "table_host": connect.table_host,
            "facilitator": connect.facilitator,
            "reviewer": connect.reviewer,
        }[role]
        client.force_login(viewer.user)
    return client


@pytest.fixture
def world(db):
    world = make_series()
    world.topic = propose(world.connect.viewers[1], "Housing first")
    return world


def url(name, world, *args):
    return reverse(f"openspace:{name}", args=[world.connect.event.slug, *args])


# (what, method, url builder, expected status per role in ROLES order)
MATRIX = [
    ("marketplace", "get", lambda w: url("marketplace", w), [403, 403, 200, 200, 200, 200]),
    ("board", "get", lambda w: url("board", w), [403, 403, 200, 200, 200, 200]),
    ("topic", "get", lambda w: url("topic", w, w.topic.pk), [403, 403, 200, 200, 200, 200]),
    ("harvest", "get", lambda w: url("harvest", w), [302, 302, 302, 200, 200, 200]),
    (
        "journey",
        "get",
        lambda w: reverse("openspace:journey", args=[w.series.slug]),
        [302, 302, 302, 200, 200, 200],
    ),
    (
        "agenda",
        "get",
        lambda w: reverse("openspace:agenda", args=[w.create.slug]),
        [302, 302, 302, 403, 403, 403],
    ),
    ("add space", "post", lambda w: url("arrange", w, "space"), [302, 302, 302, 403, 302, 403]),
]


@pytest.mark.parametrize(("what", "method", "make_url", "expected"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role, what, method, make_url, expected):
    client = client_for(role, world)
    data = {"space-name": "Room A", "space-capacity": "8"} if method == "post" else None
    response = getattr(client, method)(make_url(world), data)
    assert response.status_code == expected[ROLES.index(role)], (role, what)
    if what == "add space":
        assert Space.objects.exists() == (role == "facilitator")
    if response.status_code == 302 and role in ("anonymous", "other_participant", "participant"):
        assert "/login/" in response["Location"]


def test_the_facilitator_of_the_create_event_builds_its_agenda(world):
    client = Client()
    client.force_login(world.facilitator.user)
    page = client.get(reverse("openspace:agenda", args=[world.create.slug]))
    assert page.status_code == 200
    assert "Birth parents and families" in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_people_taking_part_propose_topics(world, role):
    client = client_for(role, world)
    before = Topic.objects.count()
    response = client.post(
        url("marketplace", world), {"title": "Schools", "why": "", "client_id": cid()}
    )
    created = Topic.objects.count() - before
    if role in ("participant", "facilitator"):
        assert response.status_code == 302
        assert created == 1
    else:
        assert response.status_code == 403
        assert created == 0


@pytest.mark.parametrize("role", ROLES)
def test_only_participants_sign_up(world, role):
    client = client_for(role, world)
    response = client.post(url("topic_action", world, world.topic.pk, "sign-up"))
    assert response.status_code in (302, 403)
    signed = set(SignUp.objects.filter(topic=world.topic).values_list("participant", flat=True))
    assert (world.connect.people[0].pk in signed) == (role == "participant")
    assert len(signed) == (2 if role == "participant" else 1)


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Please write the topic title first."),
        ("<b>Loud</b>", "plain words"),
        ("x" * 121, "at most 120"),
    ],
)
def test_a_bad_topic_form_says_what_is_wrong_and_stores_nothing(world, title, message):
    client = client_for("participant", world)
    response = client.post(url("marketplace", world), {"title": title, "client_id": cid()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Topic.objects.count() == 1


def test_a_double_submitted_topic_form_stores_one_topic(world):
    client = client_for("participant", world)
    data = {"title": "Schools", "why": "Because", "client_id": cid()}
    client.post(url("marketplace", world), data)
    client.post(url("marketplace", world), data)
    assert Topic.objects.filter(title="Schools").count() == 1


def test_the_board_shows_new_topics_for_the_page_to_announce(world):
    client = client_for("participant", world)
    propose(world.connect.viewers[2], "Contact with siblings")
    html = client.get(url("board", world)).content.decode()
    assert "Contact with siblings" in html
    assert "Housing first" in html
    assert 'data-topics="' in html


def test_going_to_a_topic_leads_to_its_live_table(world):
    services.open_space(viewer=world.connect.facilitator)
    client = client_for("participant", world)
    response = client.post(url("topic_action", world, world.topic.pk, "go"))
    assert response.status_code == 302
    assert response["Location"] == reverse("cafes:table", args=[world.connect.event.slug])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "move to another space" in page.content.decode()


def test_the_welcome_and_staff_pages_link_to_open_space(world):
    client = client_for("participant", world)
    event = world.connect.event
    welcome = client.get(reverse("events:welcome", args=[event.code])).content.decode()
    assert url("marketplace", world) in welcome
    staff = Client()
    staff.force_login(world.connect.facilitator.user)
    overview = staff.get(reverse("events:event_overview", args=[event.slug])).content.decode()
    assert url("marketplace", world) in overview
    assert url("harvest", world) in overview


def test_a_proposal_form_with_a_theme_shows_its_provenance(world):
    from tests.openspace.conftest import agenda_from_theme

    _theme, topic = agenda_from_theme(world, world.explore_bp)
    source = topic.sources.get()
    client = Client()
    session = SessionStore()
    remember_participant(session, world.people[0].participant)
    session.save()
    client.cookies["sessionid"] = session.session_key
    page = reverse("openspace:topic", args=[world.create.slug, topic.pk])
    data = {
        "form": "proposal",
        "client_id": cid(),
        "problem": "Families lose their homes",
        "sources": [str(source.pk)],
        "change": "A housing worker in every plan",
        "who_acts": "Councils",
        "first_step": "A pilot",
        "impact": "Fewer moves",
        "open_questions": "",
    }
    assert client.post(page, data).status_code == 302
    html = client.get(page).content.decode()
    assert "A housing worker in every plan" in html
    assert f"From the theme “{source.theme_title}”" in html
    bad = client.post(page, data | {"client_id": cid(), "problem": ""})
    assert bad.status_code == 400
    assert "Please write the problem first." in bad.content.decode()
    assert topic.proposals.count() == 1
