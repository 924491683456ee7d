"""The workspace through the web client: who may see it, and changes as a browser makes them."""

import uuid
from urllib.parse import unquote

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import reverse
from django.utils.html import escape

from cafes.models import Note
from events.models import StaffRole
from harvest import views
from harvest.models import Theme, ThemeNote
from harvest.routing import websocket_urlpatterns
from harvest.selectors import Redactor, harvest_version
from harvest.services import build_themes, rename_theme
from tests.factories import (
    EventFactory,
    MembershipFactory,
    RoundFactory,
    SeriesFactory,
    StakeholderGroupFactory,
    TableFactory,
    UserFactory,
)
from tests.harvest.conftest import load_event


@pytest.fixture
def signed_in(client, harvester):
    client.force_login(harvester)
    return client


def test_only_facilitators_open_the_workspace(client, fixture_event):
    url = reverse("harvest:workspace", args=[fixture_event.slug])
    assert client.get(url).status_code == 302  # to sign in
    reviewer = UserFactory(username="reviewer")
    MembershipFactory(user=reviewer, event=fixture_event, role=StaffRole.REVIEW_TEAM)
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    assert client.post(reverse("harvest:act", args=[fixture_event.slug, "undo"])).status_code == 403


def test_the_workspace_shows_themes_and_redaction_markers(signed_in, fixture_event):
    build_themes(event=fixture_event)
    page = signed_in.get(reverse("harvest:workspace", args=[fixture_event.slug])).content.decode()
    assert "Round 1: notes from the tables" in page
    assert "Round 2: plenary chat" in page
    assert '<mark class="redaction" title="Redacted: phone">[phone]</mark>' in page
    assert "07700 900123" not in page
    assert "Undo last change" in page


def test_a_rename_saves_and_undo_restores(signed_in, fixture_event):
    build_themes(event=fixture_event)
    theme = Theme.objects.filter(event=fixture_event, is_other=False).first()
    act = lambda action, **data: signed_in.post(  # noqa: E731
        reverse("harvest:act", args=[fixture_event.slug, action]), data
    )
    response = act("rename", theme=theme.id, title="Being listened to")
    assert response.status_code == 200
    assert 'value="Being listened to"' in response.content.decode()
    assert "Renamed" in unquote(response["X-Harvest-Message"])
    response = act("rename", theme=theme.id, title="   ")
    assert response.status_code == 400
    assert unquote(response["X-Harvest-Error"]) == "Give the theme a title of a few words."
    act("undo")
    theme.refresh_from_db()
    assert theme.title != "Being listened to"


def test_rebuild_asks_before_replacing_curated_themes(signed_in, fixture_event, harvester):
    build_themes(event=fixture_event)
    theme = Theme.objects.filter(event=fixture_event, is_other=False).first()
    rename_theme(theme=theme, title="Mine", user=harvester)
    url = reverse("harvest:act", args=[fixture_event.slug, "rebuild"])
    response = signed_in.post(url)
    assert response.status_code == 400
    assert "keep them or replace them" in unquote(response["X-Harvest-Error"])
    assert Theme.objects.filter(title="Mine").exists()
    assert signed_in.post(url, {"mode": "keep"}).status_code == 200
    assert Theme.objects.filter(title="Mine").exists()


def test_the_board_answers_no_content_when_nothing_changed(signed_in, fixture_event):
    build_themes(event=fixture_event)
    url = reverse("harvest:board", args=[fixture_event.slug])
    version = harvest_version(event=fixture_event)
    assert version == 1
    assert signed_in.get(url, {"since": version}).status_code == 204
    assert signed_in.get(url, {"since": version - 1}).status_code == 200


# --- a big event's folded board: a theme's cards load as it opens ------------------------


@pytest.fixture
def folded(fixture_event, monkeypatch):
    """The fixture's event as a big one (its board folded), themed."""
    monkeypatch.setattr(views, "BIG_EVENT_NOTES", 100)
    build_themes(event=fixture_event)
    return fixture_event


def card_texts(theme: Theme) -> list[str]:
    """The texts of the theme's notes as a page holds them (HTML-escaped), but not those
    with a marker (a marker cuts the text in pieces) or of three words or fewer."""
    redactor = Redactor(theme.event)
    notes = Note.objects.filter(theme_memberships__theme=theme)
    # Notes of a word or two ("Advocacy") can also be a theme's title.
    return [
        escape(n.text) for n in notes if redactor.note(n).text == n.text and len(n.text.split()) > 3
    ]


def big_theme(event) -> Theme:
    themes = Theme.objects.filter(event=event, kind="notes", is_other=False)
    return max(themes, key=lambda t: t.members.count())


def test_a_folded_board_has_titles_and_counts_and_no_cards(signed_in, folded):
    url = reverse("harvest:workspace", args=[folded.slug])
    board = signed_in.get(url, {"view": "board"}).content.decode()
    theme = big_theme(folded)
    texts = card_texts(theme)
    assert len(texts) >= 3
    assert 'class="card note-card' not in board
    assert not [text for text in texts if text in board]
    assert board.count('<details class="theme-fold"') == Theme.objects.filter(event=folded).count()
    count = theme.members.count()
    assert f'<span class="theme-fold__count">{count} notes</span>' in board
    # Without the script, an opened fold links to the list filtered by that theme.
    assert f'?view=list&amp;theme={theme.id}">Its {count} notes in the list of notes' in board
    cards = reverse("harvest:theme_cards", args=[folded.slug, theme.id])
    assert f'data-cards-url="{cards}"' in board


def test_the_folded_board_is_a_fraction_of_the_open_one(signed_in, folded, monkeypatch):
    url = reverse("harvest:workspace", args=[folded.slug])
    board = signed_in.get(url, {"view": "board"}).content.decode()
    monkeypatch.setattr(views, "BIG_EVENT_NOTES", 10**6)  # the same event, a small one
    open_board = signed_in.get(url, {"view": "board"}).content.decode()
    assert '<details class="theme-fold"' not in open_board
    assert all(text in open_board for text in card_texts(big_theme(folded)))
    assert open_board.count('class="card note-card') == ThemeNote.objects.count()
    assert len(board) < len(open_board) / 3


def test_a_theme_opens_with_its_cards_and_tools(signed_in, folded):
    theme = big_theme(folded)
    response = signed_in.get(reverse("harvest:theme_cards", args=[folded.slug, theme.id]))
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert all(text in fragment for text in card_texts(theme))
    members = ThemeNote.objects.filter(theme=theme)
    assert fragment.count('class="card note-card') == members.count()
    for member in members:
        assert f'data-member="{member.id}"' in fragment
        assert f'data-move-dialog="{member.id}"' in fragment  # the keyboard's "Move…"
    assert 'data-action="rename"' in fragment
    assert f'<select id="merge-{theme.id}"' in fragment
    # Redacted as on the open board.
    phoned = Theme.objects.get(members__note__text__contains="07700 900123")
    url = reverse("harvest:theme_cards", args=[folded.slug, phoned.id])
    fragment = signed_in.get(url).content.decode()
    assert '<mark class="redaction" title="Redacted: phone">[phone]</mark>' in fragment
    assert "07700 900123" not in fragment


def test_the_board_keeps_open_the_themes_the_harvester_opened(signed_in, folded):
    theme, target = Theme.objects.filter(event=folded, kind="notes", round__number=1)[:2]
    texts = card_texts(theme)
    board = signed_in.get(reverse("harvest:board", args=[folded.slug]), {"open": [theme.id]})
    page = board.content.decode()
    assert f'data-fold="{theme.id}" data-cards-url' in page
    assert all(text in page for text in texts)
    assert page.count('class="card note-card') == theme.members.count()
    # A move from an opened theme answers with the board, that theme and its target open.
    member = theme.members.order_by("position").first()
    response = signed_in.post(
        reverse("harvest:act", args=[folded.slug, "move"]),
        {"member": member.id, "target": target.id, "open": [theme.id, target.id, "x"]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="card note-card') == theme.members.count() + target.members.count()
    assert f'data-member="{member.id}" data-theme="{target.id}"' in page


def test_only_facilitators_open_a_folded_theme(client, folded):
    theme = big_theme(folded)
    url = reverse("harvest:theme_cards", args=[folded.slug, theme.id])
    assert client.get(url).status_code == 302  # to sign in
    for role in (StaffRole.REVIEW_TEAM, StaffRole.TABLE_HOST):
        other = UserFactory(username=f"someone-{role}")
        MembershipFactory(user=other, event=folded, role=role)
        client.force_login(other)
        response = client.get(url)
        assert response.status_code == 403
        assert card_texts(theme)[0] not in response.content.decode()


def test_an_unknown_theme_or_another_events_is_not_found(signed_in, folded, db):
    other = EventFactory(slug="another-event")
    theirs = Theme.objects.create(event=other, title="Theirs")
    url = lambda pk: reverse("harvest:theme_cards", args=[folded.slug, pk])  # noqa: E731
    assert signed_in.get(url(theirs.id)).status_code == 404
    assert signed_in.get(url(10**6)).status_code == 404
    # Another event's address with this event's theme: refused before anything is looked up.
    elsewhere = reverse("harvest:theme_cards", args=[other.slug, big_theme(folded).id])
    assert signed_in.get(elsewhere).status_code == 403


def test_series_view_links_recurring_themes_across_groups(client, db):
    series = SeriesFactory(slug="bridge")
    parents = load_event(
        EventFactory(
            series=series,
            slug="parents",
            stakeholder_group=StakeholderGroupFactory(series=series, name="Birth parents"),
        )
    )
    carers = EventFactory(
        series=series,
        slug="carers",
        stakeholder_group=StakeholderGroupFactory(series=series, name="Kinship carers"),
    )
    copy_notes(parents, carers)  # the same notes: every theme recurs in the other group
    client.force_login(parents.memberships.get().user)
    response = client.get(reverse("harvest:series", args=[series.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Birth parents" in page
    assert "Kinship carers" in page
    assert "Also raised by" in page
    assert 'href="#e' in page


def copy_notes(source, target):
    rounds = {n: RoundFactory(event=target, number=n) for n in (1, 2, 3)}
    table = TableFactory(event=target, number=1)
    Note.objects.bulk_create(
        Note(
            event=target,
            round=rounds[n.round.number],
            table=table,
            kind=n.kind,
            text=n.text,
            client_id=uuid.uuid4(),
        )
        for n in source.notes.select_related("round")
    )


@pytest.mark.django_db(transaction=True)
async def test_harvesters_hear_each_others_changes_live(settings):
    from asgiref.sync import sync_to_async

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    event = await sync_to_async(load_event)()
    harvester = await sync_to_async(lambda: event.memberships.get().user)()
    stranger = await sync_to_async(UserFactory)(username="stranger")
    app = URLRouter(websocket_urlpatterns)

    refused = WebsocketCommunicator(app, f"/ws/harvest/{event.slug}/")
    refused.scope["user"] = stranger
    connected, _ = await refused.connect()
    assert not connected

    watcher = WebsocketCommunicator(app, f"/ws/harvest/{event.slug}/")
    watcher.scope["user"] = harvester
    connected, _ = await watcher.connect()
    assert connected
    assert (await watcher.receive_json_from())["type"] == "hello"
    await sync_to_async(build_themes)(event=event, user=harvester)
    news = await watcher.receive_json_from(timeout=5)
    assert news["type"] == "changed"
    assert news["version"] == 1
    assert news["by"] == "harvester"
    await watcher.disconnect()


def test_the_series_page_and_every_explore_workspace_lead_to_the_themes_across_groups(client, db):
    event = EventFactory(stage="explore")
    facilitator = UserFactory()
    MembershipFactory(user=facilitator, series=event.series, event=None, role=StaffRole.FACILITATOR)
    client.force_login(facilitator)
    across = reverse("harvest:series", args=[event.series.slug])
    series_page = client.get(reverse("events:series_overview", args=[event.series.slug]))
    assert f'href="{across}"' in series_page.text
    workspace = client.get(reverse("harvest:workspace", args=[event.slug]))
    assert f'href="{across}"' in workspace.text
    assert client.get(across).status_code == 200
