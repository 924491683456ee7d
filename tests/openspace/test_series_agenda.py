"""From the series view to Create (issue 19): "Add to the Create agenda" on each theme,
for the Create event's facilitators only; once per theme; a plain message when the series
has no Create event; bad keys refused with nothing stored. And the journey: each theme
quoted in its own notes' words, each proposal naming the theme it came from, with equal
titles in two groups that mean different things."""

import pytest
from django.test import Client
from django.urls import reverse

from events.identity import SESSION_KEY
from events.models import EventStatus, ParticipantStatus, StaffRole, Stage
from harvest.models import ThemeNote
from harvest.services import move_note, rename_theme
from openspace import selectors, series, services
from openspace.models import ThemeSource, Topic
from tests.factories import EventFactory, MembershipFactory, ParticipantFactory, UserFactory
from tests.harvest.series_cases import make_series_case
from tests.openspace.conftest import cid, person, proposal_fields, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = make_series_case()
    case.create = EventFactory(
        series=case.series, stage=Stage.CREATE, title="Create", status=EventStatus.SCHEDULED
    )
    case.facilitator = staff(case.create)
    return case


def key_of(case, group: str, title: str) -> str:
    theme = case.themes[(group, title)]
    return f"{theme.event_id}-t{theme.pk}"


def page(client, case):
    return client.get(reverse("harvest:series", args=[case.series.slug]))


def add(client, case, key: str, **extra):
    url = reverse("openspace:add_theme", args=[case.create.slug])
    return client.post(url, {"theme": key, "client_id": str(cid()), **extra}, follow=True)


def test_a_facilitator_adds_a_theme_with_its_provenance_from_the_series_view(client, case):
    client.force_login(case.facilitator.user)
    shown = page(client, case).content.decode()
    assert shown.count("Add to the Create agenda</button>") == 7
    key = key_of(case, "bp", "Allowance")
    response = add(client, case, key)
    assert response.redirect_chain[-1][0].endswith(f"/series/{case.series.slug}/harvest/#e{key}")
    assert "“Allowance” is on the agenda of Create." in response.content.decode()
    [topic] = Topic.objects.filter(event=case.create)
    source = ThemeSource.objects.get(topic=topic)
    theme = case.themes[("bp", "Allowance")]
    assert (source.explore_event, source.theme_id, source.theme_title, source.theme_key) == (
        case.parents,
        theme.pk,
        "Allowance",
        key,
    )
    assert source.note_ids == [n.pk for n in case.notes[("bp", "Allowance")][:2]]
    assert topic.why == "A theme of Birth parents and families."
    after = page(client, case).content.decode()
    assert after.count("On the Create agenda.") == 1
    assert after.count("Add to the Create agenda</button>") == 6


def test_adding_a_theme_twice_says_it_is_already_there_and_adds_nothing(client, case):
    client.force_login(case.facilitator.user)
    key = key_of(case, "kc", "Allowance")
    add(client, case, key)
    again = add(client, case, key).content.decode()
    assert (
        "“Allowance” (Kinship, foster and adoptive carers) is already on the agenda of Create."
        in again
    )
    assert Topic.objects.filter(event=case.create).count() == 1
    # The other group's "Allowance" is another theme: it may still be added.
    add(client, case, key_of(case, "bp", "Allowance"))
    assert ThemeSource.objects.filter(topic__event=case.create).count() == 2


def test_without_a_create_event_the_page_says_how_to_make_one_and_offers_no_button(client):
    case = make_series_case()
    user = UserFactory()
    MembershipFactory(user=user, series=case.series, event=None, role=StaffRole.FACILITATOR)
    client.force_login(user)
    shown = page(client, case).content.decode()
    assert "This series has no Create event yet" in shown
    assert "Add a Create event" in shown
    assert reverse("events:series_overview", args=[case.series.slug]) in shown
    assert "Add to the Create agenda</button>" not in shown


@pytest.mark.parametrize("who", ["review team", "table host", "stranger", "participant"])
def test_only_the_create_events_facilitators_may_add(client, case, who):
    key = key_of(case, "bp", "Meetings")
    if who == "participant":
        joined = ParticipantStatus.JOINED
        _join(client, ParticipantFactory(event=case.create, role_code="BP", status=joined))
    else:
        role = {"review team": StaffRole.REVIEW_TEAM, "table host": StaffRole.TABLE_HOST}
        viewer = staff(case.create, role[who]) if who in role else None
        client.force_login(viewer.user if viewer else UserFactory())
        if viewer is not None:  # staff who may see the page see no button
            assert "Add to the Create agenda</button>" not in page(client, case).content.decode()
    url = reverse("openspace:add_theme", args=[case.create.slug])
    assert client.post(url, {"theme": key, "client_id": str(cid())}).status_code == 403
    assert not Topic.objects.filter(event=case.create).exists()


def _join(client, participant) -> None:
    """A participant's browser: the session that joining the event leaves."""
    session = client.session
    session[SESSION_KEY] = {str(participant.event_id): participant.pk}
    session.save()


def test_the_button_needs_the_csrf_token(case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(case.facilitator.user)
    url = reverse("openspace:add_theme", args=[case.create.slug])
    response = client.post(url, {"theme": key_of(case, "bp", "School"), "client_id": str(cid())})
    assert response.status_code == 403
    assert not Topic.objects.exists()


def test_an_unknown_key_or_another_series_theme_is_refused_and_nothing_stored(client, case):
    client.force_login(case.facilitator.user)
    elsewhere = make_series_case()
    for key in ("123-t999999", "not a key", "", key_of(elsewhere, "bp", "Allowance")):
        shown = add(client, case, key).content.decode()
        assert "is not one of this series&#x27; Explore themes" in shown, key
    assert not Topic.objects.exists()
    assert not ThemeSource.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, case):
    url = reverse("openspace:add_theme", args=[case.create.slug])
    response = client.post(url, {"theme": key_of(case, "bp", "School")})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- the journey -----------------------------------------------------------------------


def own_texts(case, group: str, title: str) -> set[str]:
    return {n.text for n in case.notes[(group, title)]}


def test_each_theme_of_the_journey_quotes_its_own_notes(case):
    journey = series.series_journey(series=case.series)
    codes = {"Birth parents and families": "bp", "Kinship, foster and adoptive carers": "kc"}
    seen = 0
    for group in journey.explore:
        for theme in group.themes:
            assert theme.quotes
            assert {q.text for q in theme.quotes} <= own_texts(
                case, codes[group.group], theme.title
            )
            seen += 1
    assert seen == 7


def test_a_proposal_names_the_theme_it_came_from_and_quotes_only_its_notes(case):
    """Two "Allowance" themes: the carers' one is on the agenda, the proposal about money
    comes from it, and only its notes are quoted, also after a harvester moves one of the
    quoted notes to another theme and renames the theme."""
    facilitator = case.facilitator
    kc = key_of(case, "kc", "Allowance")
    topic = services.add_conversation_from_theme(viewer=facilitator, theme_key=kc, client_id=cid())
    services.add_conversation_from_theme(
        viewer=facilitator, theme_key=key_of(case, "bp", "Allowance"), client_id=cid()
    )
    maker = person(ParticipantFactory(event=case.create, role_code="KC"))
    source = ThemeSource.objects.get(topic=topic)
    services.add_proposal(
        viewer=maker,
        topic_id=topic.pk,
        source_ids=[source.pk],
        client_id=cid(),
        **proposal_fields(problem="Kinship carers get less money than foster carers"),
    )
    carers_money = own_texts(case, "kc", "Allowance")

    def provenance():
        [create] = series.series_journey(series=case.series).create
        [proposal] = create.proposals
        [where] = proposal.provenance
        return where

    where = provenance()
    assert (where.theme, where.group) == ("Allowance", "Kinship, foster and adoptive carers")
    assert where.voices
    assert {v.text for v in where.voices} <= carers_money

    # The harvester moves the first quoted note to "School" and renames the theme.
    moved = ThemeNote.objects.get(note=case.notes[("kc", "Allowance")][0])
    move_note(member=moved, target=case.themes[("kc", "School")], user=None)
    rename_theme(
        theme=case.themes[("kc", "Allowance")], title="Money for kinship carers", user=None
    )
    where = provenance()
    assert where.theme == "Money for kinship carers"
    assert moved.note.text not in {v.text for v in where.voices}
    assert {v.text for v in where.voices} <= carers_money - {moved.note.text}
    # The key still finds the renamed theme: it is on the agenda, not offered again.
    assert kc in selectors.agenda_theme_keys(event=case.create)
