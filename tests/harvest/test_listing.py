"""The workspace's list of notes and answers tab (issue 19): filters, search, paging, moving
many notes at once (and the refusals that change nothing), the answers by question, and
which view a big event opens on."""

import uuid
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils.html import escape

from cafes.models import ChatMessage, ClosingAnswer, Note
from events.models import StaffRole
from harvest import views
from harvest.errors import HarvestError
from harvest.listing import NoteFilters, note_page
from harvest.models import CurationChange, Theme, ThemeNote
from harvest.selectors import harvestable_messages, harvestable_notes
from harvest.services import build_themes, move_notes, undo_last_change
from tests.factories import (
    EventFactory,
    MembershipFactory,
    ParticipantFactory,
    RoundFactory,
    TableFactory,
    UserFactory,
)
from tests.harvest.conftest import load_event, withdraw


@pytest.fixture
def themed(fixture_event):
    build_themes(event=fixture_event)
    return fixture_event


@pytest.fixture
def signed_in(client, harvester):
    client.force_login(harvester)
    return client


def page_of(client, event, **params) -> str:
    url = reverse("harvest:workspace", args=[event.slug])
    response = client.get(url, {"view": "list", **params})
    assert response.status_code == 200
    return response.content.decode()


def placement(event) -> dict[int, int]:
    return dict(
        ThemeNote.objects.filter(theme__event=event, note__isnull=False).values_list(
            "note_id", "theme_id"
        )
    )


def two_themes(event, number: int = 1) -> tuple[Theme, Theme]:
    themes = Theme.objects.filter(event=event, kind="notes", round__number=number)
    first, second = list(themes.order_by("is_other", "position")[:2])
    return first, second


def notes_of(theme: Theme, count: int) -> list[int]:
    return list(theme.members.order_by("position").values_list("note_id", flat=True)[:count])


# --- the list: filters, search, paging ----------------------------------------------------


def test_the_list_counts_and_pages_the_notes_then_the_chat(signed_in, themed):
    notes = harvestable_notes(event=themed).count()
    chat = harvestable_messages(event=themed).count()
    assert notes > 200
    assert chat > 10
    total = notes + chat
    counted = f"{notes} notes and {chat} chat messages"
    pages = -(-total // 100)
    assert pages > 2
    page = page_of(signed_in, themed)
    assert f"Showing 1\N{EN DASH}100 of {counted}." in page
    assert page.count('name="notes"') == 100
    assert f"Page 1 of {pages}" in page
    assert 'rel="next"' in page
    assert 'rel="prev"' not in page
    first = (pages - 1) * 100 + 1
    last = page_of(signed_in, themed, page=pages)
    assert f"Showing {first}\N{EN DASH}{total} of {counted}." in last
    # Notes first, then the chat: the last page ends with the chat's last messages.
    notes_on_last = max(0, notes - (pages - 1) * 100)
    assert last.count('name="notes"') == notes_on_last
    assert last.count('class="note-list__chat"') == total - first + 1 - notes_on_last
    # A page beyond the last shows the last.
    assert f"Showing {first}\N{EN DASH}{total} of {counted}" in page_of(signed_in, themed, page=99)


def test_the_list_filters_by_round_table_kind_and_theme(signed_in, themed):
    notes = harvestable_notes(event=themed)
    table = themed.tables.get(number=3)
    expected = notes.filter(round__number=2, table=table, kind="problem").count()
    assert expected
    page = page_of(signed_in, themed, round=2, table=table.id, kind="problem")
    assert f"Showing 1\N{EN DASH}{expected} of {expected} notes that match." in page
    assert page.count('name="notes"') == expected

    theme, _ = two_themes(themed, 2)
    in_theme = theme.members.count()
    page = page_of(signed_in, themed, theme=theme.id)
    assert f"of {in_theme} note{'s' if in_theme > 1 else ''} that match" in page
    # Nonsense values are ignored rather than refused: the whole list shows.
    page = page_of(signed_in, themed, round="x", kind="nonsense", theme="abc")
    chat = harvestable_messages(event=themed).count()
    assert f"Showing 1\N{EN DASH}100 of {notes.count()} notes and {chat} chat messages." in page


def late_note(event, *, table: int, text: str) -> Note:
    """A round-1 idea written after the themes were built: in no theme yet."""
    return Note.objects.create(
        event=event,
        round=event.rounds.get(number=1),
        table=event.tables.get(number=table),
        kind="idea",
        text=text,
        client_id=uuid.uuid4(),
    )


def test_the_list_shows_notes_not_yet_in_a_theme(signed_in, themed):
    late = late_note(themed, table=1, text="a late thought about respite care")
    page = page_of(signed_in, themed, theme="none")
    assert "Showing 1\N{EN DASH}1 of 1 note that match." in page
    assert "a late thought about respite care" in page
    assert "Not in a theme yet" in page
    assert f'value="{late.id}"' in page


def test_search_matches_the_redacted_text_case_aside(signed_in, themed):
    notes = harvestable_notes(event=themed)
    word = "Advocate"
    expected = [n for n in notes if word.casefold() in n.text.casefold()]
    assert expected
    page = page_of(signed_in, themed, q=word.upper())
    assert f"of {len(expected)} note" in page
    assert f"that match “{word.upper()}”" in page
    # Words a marker hides are not found: the search tells nothing of what it hides.
    for hidden in ("07700 900123", "sarah", "Davies"):
        page = page_of(signed_in, themed, q=hidden)
        assert f"No notes that match “{hidden}”." in page
        assert 'name="notes"' not in page


def test_the_search_selector_pages_what_it_found(themed):
    found = note_page(event=themed, filters=NoteFilters(q="social worker"), per_page=5)
    assert found.total > 5
    assert len(found.lines) == 5
    assert found.first == 1
    assert found.last == 5
    shown = ["".join(piece.text for piece in line.pieces) for line in found.lines]
    assert all("social worker" in text.casefold() for text in shown)


# --- the plenary chat in the list ---------------------------------------------------------


def chat_line(page: str, text: str) -> str:
    """The line of the list that holds ``text``."""
    start = page.index(text, page.index("<tbody>"))
    return page[page.rindex("<tr", 0, start) : page.index("</tr>", start)]


def test_the_chat_is_in_the_list_as_kind_chat_read_only(signed_in, themed):
    messages = harvestable_messages(event=themed)
    page = page_of(signed_in, themed, kind="chat")
    assert f"Showing 1\N{EN DASH}{messages.count()} of {messages.count()} chat messages" in page
    assert 'name="notes"' not in page  # chat moves on the board, between the chat's themes
    assert "Chat messages move on the board" in page
    assert page.count('<td data-label="Kind">Chat</td>') == messages.count()
    assert page.count('<td data-label="Table">Plenary chat</td>') == messages.count()
    assert '<option value="chat" selected>Chat</option>' in page
    line = chat_line(page, "Nobody explains the court process")
    assert "Facilitator" not in line
    theme = Theme.objects.get(members__message__text="Nobody explains the court process")
    assert f"theme={theme.id}" in line
    # By round, by the chat's theme (offered in the filter, never as a place to move notes).
    in_round = messages.filter(round__number=1).count()
    page = page_of(signed_in, themed, kind="chat", round=1)
    assert f"of {in_round} chat message" in page
    page = page_of(signed_in, themed, theme=theme.id)
    assert f"of {theme.members.count()} chat message" in page
    assert 'label="Round 1: plenary chat"' in page
    move_to = page[
        page.index('id="move-target"') : page.index("</select>", page.index('id="move-target"'))
    ]
    assert f'value="{theme.id}"' not in move_to
    # A table, or a kind of note, has no chat.
    assert "Nobody explains" not in page_of(signed_in, themed, table=themed.tables.first().id)
    assert "Nobody explains" not in page_of(signed_in, themed, kind="idea")


def test_the_chat_is_searched_and_redacted_as_the_notes_are(signed_in, themed):
    rounds = themed.rounds.get(number=1)
    said = ChatMessage.objects.create(
        event=themed,
        round=rounds,
        participant=themed.participants.get(pseudonym="Hope"),
        role_code="BP",
        text="Sarah told me to ring 07700 900777 about respite weekends",
        client_id=uuid.uuid4(),
    )
    page = page_of(signed_in, themed, q="respite weekends")
    line = chat_line(page, "respite weekends")
    assert '<mark class="redaction" title="Redacted: name">[name]</mark>' in line
    assert "07700 900777" not in page
    assert f"#message-{said.id}" in line  # "Check markers" of this message
    assert "Sarah" not in page_of(signed_in, themed, q="respite")
    assert "No notes that match “900777”." in page_of(signed_in, themed, q="900777")
    # Not themed yet: it waits under "Not in a theme yet" with the late notes.
    assert "respite weekends" in page_of(signed_in, themed, theme="none")


def test_the_facilitators_chat_is_theirs_and_withdrawn_words_are_not_shown(signed_in, themed):
    harvester = themed.memberships.get().user
    round_2 = themed.rounds.get(number=2)
    welcome = "Welcome back, the second round starts in two minutes"
    imported = "Please add your thoughts to the chat before the break"
    ChatMessage.objects.create(
        event=themed, round=round_2, author_user=harvester, text=welcome, client_id=uuid.uuid4()
    )
    ChatMessage.objects.create(  # staff chat of an imported event: no participant, FAC
        event=themed, round=round_2, role_code="FAC", text=imported, client_id=uuid.uuid4()
    )
    gone = themed.participants.get(pseudonym="Robin3")
    words = list(ChatMessage.objects.filter(participant=gone).values_list("text", flat=True))
    others = ChatMessage.objects.exclude(participant=gone).values_list("text", flat=True)
    words = [w for w in words if w not in set(others)]
    assert words
    withdraw(gone)
    page = page_of(signed_in, themed, kind="chat")
    for text in (welcome, imported):
        line = chat_line(page, text)
        assert '<span class="badge badge--staff">Facilitator</span>' in line
        assert "The facilitator's words: not themed" in line
    assert page.count("badge--staff") == 2
    assert not [w for w in words if escape(w) in page]
    expected = harvestable_messages(event=themed).count()
    assert f"of {expected} chat messages" in page
    # The staff's words are never themed: they are not among those waiting for a theme.
    waiting = page_of(signed_in, themed, theme="none")
    assert welcome not in waiting
    assert imported not in waiting


def test_every_note_and_message_is_on_a_page_of_the_list(themed):
    expected = {f"note-{pk}" for pk in harvestable_notes(event=themed).values_list("id", flat=True)}
    expected |= {
        f"message-{pk}" for pk in harvestable_messages(event=themed).values_list("id", flat=True)
    }
    seen, number = [], 1
    while True:
        page = note_page(event=themed, filters=NoteFilters(page=number), per_page=40)
        seen += [line.key for line in page.lines]
        if number == page.pages:
            break
        number += 1
    assert len(seen) == len(expected)
    assert set(seen) == expected


# --- moving many notes ------------------------------------------------------------------


def test_move_notes_is_one_change_and_one_undo(themed, harvester):
    target, source = two_themes(themed)
    chosen = notes_of(source, 3)
    before = placement(themed)
    changes = CurationChange.objects.count()
    moved = move_notes(event=themed, note_ids=chosen, target=target, user=harvester)
    assert [m.note_id for m in moved] == sorted(chosen)
    after = placement(themed)
    assert all(after[n] == target.id for n in chosen)
    assert CurationChange.objects.count() == changes + 1
    last = CurationChange.objects.latest("id")
    assert last.description == f"Moved 3 notes to “{target.title}”"
    positions = list(target.members.order_by("position").values_list("note_id", flat=True))
    assert positions[-3:] == sorted(chosen)
    undo_last_change(event=themed, user=harvester)
    assert placement(themed) == before


def test_the_move_form_moves_the_selection_and_goes_back_to_the_same_list(signed_in, themed):
    target, source = two_themes(themed)
    chosen = notes_of(source, 3)
    table = Note.objects.get(pk=chosen[0]).table_id
    url = reverse("harvest:notes_act", args=[themed.slug, "move"])
    next_query = f"view=list&round=1&table={table}"
    response = signed_in.post(url, {"notes": chosen, "target": target.id, "next": next_query})
    assert response.status_code == 302
    assert response.url == reverse("harvest:workspace", args=[themed.slug]) + "?" + next_query
    assert all(placement(themed)[n] == target.id for n in chosen)
    page = signed_in.get(response.url).content.decode()
    assert f"Moved 3 notes to “{target.title}”" in page


def test_the_script_gets_the_list_back_with_the_outcome(signed_in, themed, harvester):
    target, source = two_themes(themed)
    chosen = notes_of(source, 2)
    url = reverse("harvest:notes_act", args=[themed.slug, "move"])
    response = signed_in.post(
        url,
        {"notes": chosen, "target": target.id, "next": f"view=list&theme={target.id}"},
        headers={"X-Harvest-Partial": "1"},
    )
    assert response.status_code == 200
    assert unquote(response["X-Harvest-Message"]) == f"Moved 2 notes to “{target.title}”"
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="harvest-list"')
    assert "<html" not in body
    for note in chosen:
        assert f'value="{note}"' in body  # now listed under the target theme
    response = signed_in.post(
        reverse("harvest:notes_act", args=[themed.slug, "undo"]),
        {"next": "view=list"},
        headers={"X-Harvest-Partial": "1"},
    )
    assert unquote(response["X-Harvest-Message"]).startswith("Undid: Moved 2 notes")
    assert all(placement(themed)[n] == source.id for n in chosen)


def test_a_note_not_yet_in_a_theme_can_be_placed(themed, harvester):
    target, _ = two_themes(themed)
    late = late_note(themed, table=2, text="a buddy for every parent going to court")
    move_notes(event=themed, note_ids=[late.id], target=target, user=harvester)
    assert placement(themed)[late.id] == target.id


def refused(client, event, data: dict, message: str) -> None:
    """The move is refused with ``message`` (with and without the script), and nothing
    changed."""
    before, changes = placement(event), CurationChange.objects.count()
    url = reverse("harvest:notes_act", args=[event.slug, "move"])
    response = client.post(url, {"next": "view=list", **data}, headers={"X-Harvest-Partial": "1"})
    assert response.status_code == 400
    assert message in unquote(response["X-Harvest-Error"])
    response = client.post(url, {"next": "view=list", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert escape(message) in page
    assert placement(event) == before
    assert CurationChange.objects.count() == changes


def test_moving_nothing_or_to_no_theme_is_refused(signed_in, themed):
    target, source = two_themes(themed)
    refused(signed_in, themed, {"target": target.id}, "Select at least one note to move.")
    chosen = notes_of(source, 2)
    refused(signed_in, themed, {"notes": chosen}, "Choose the theme to move the selected notes to.")
    refused(signed_in, themed, {"notes": chosen, "target": 999999}, "That theme no longer exists")
    refused(signed_in, themed, {"notes": ["x"], "target": target.id}, "not understood")


def test_notes_of_another_event_or_round_are_refused_and_nothing_moves(signed_in, themed):
    target, source = two_themes(themed)
    other = load_event(EventFactory(slug="another-event"))
    stranger = harvestable_notes(event=other).first()
    chosen = [*notes_of(source, 2), stranger.id]
    refused(
        signed_in, themed, {"notes": chosen, "target": target.id}, "not in this event's harvest"
    )
    round_two = harvestable_notes(event=themed).filter(round__number=2).first()
    refused(
        signed_in,
        themed,
        {"notes": [*notes_of(source, 2), round_two.id], "target": target.id},
        "1 selected note(s) are of another round; nothing was moved",
    )
    build_themes(event=other)
    foreign_theme = Theme.objects.filter(event=other, kind="notes").first()
    refused(
        signed_in, themed, {"notes": notes_of(source, 1), "target": foreign_theme.id}, "no longer"
    )
    chat_theme = Theme.objects.filter(event=themed, kind="chat").first()
    refused(
        signed_in,
        themed,
        {"notes": notes_of(source, 1), "target": chat_theme.id},
        "not of chat",
    )


def test_a_withdrawn_participants_notes_cannot_be_moved(themed, harvester):
    target, source = two_themes(themed)
    note = Note.objects.filter(pk__in=notes_of(source, 5), participant__isnull=False).first()
    withdraw(note.participant)
    with pytest.raises(HarvestError, match="not in this event's harvest"):
        move_notes(event=themed, note_ids=[note.id], target=target, user=harvester)


# --- the answers tab ----------------------------------------------------------------------


def test_the_answers_tab_groups_answers_by_question_redacted_without_the_withdrawn(
    signed_in, fixture_event
):
    question = fixture_event.closing_questions.order_by("position").first()
    present, gone = ParticipantFactory(event=fixture_event), ParticipantFactory(event=fixture_event)
    ClosingAnswer.objects.create(
        question=question,
        participant=present,
        role_code="BF",
        text="Ring Sarah on 07700 900456, she runs the parents group",
        client_id=uuid.uuid4(),
    )
    ClosingAnswer.objects.create(
        question=question,
        participant=gone,
        text="words of someone who withdrew",
        client_id=uuid.uuid4(),
    )
    withdraw(gone)
    url = reverse("harvest:workspace", args=[fixture_event.slug])
    page = signed_in.get(url, {"view": "answers"}).content.decode()
    questions = list(fixture_event.closing_questions.order_by("position"))
    positions = [page.index(q.text) for q in questions]
    assert positions == sorted(positions)
    assert (
        page.count('class="answer-line"')
        == ClosingAnswer.objects.filter(question__event=fixture_event).count() - 1
    )
    assert "words of someone who withdrew" not in page
    assert "07700 900456" not in page
    assert "Sarah" not in page
    assert '<mark class="redaction" title="Redacted: phone">[phone]</mark>' in page
    assert "she runs the parents group" in page
    section = page[positions[0] : positions[1]]
    assert "An advocate for every parent" in section
    assert "she runs the parents group" in section


# --- which view opens, and who may see it -------------------------------------------------


def test_a_small_event_opens_on_the_board_and_a_big_one_on_the_list(signed_in, themed, monkeypatch):
    url = reverse("harvest:workspace", args=[themed.slug])
    page = signed_in.get(url).content.decode()
    assert 'id="harvest-board"' in page
    assert '<details class="theme-fold"' not in page
    assert 'href="?view=board" aria-current="page"' in page
    monkeypatch.setattr(views, "BIG_EVENT_NOTES", 100)
    page = signed_in.get(url).content.decode()
    assert 'id="harvest-list"' in page
    assert 'id="harvest-board"' not in page
    assert 'href="?view=list" aria-current="page"' in page
    board = signed_in.get(url, {"view": "board"}).content.decode()
    themes = Theme.objects.filter(event=themed).count()
    assert board.count('<details class="theme-fold"') == themes
    # Folded, the board holds no card: a theme's cards load as it opens (test_views.py).
    assert 'class="card note-card' not in board


def test_only_facilitators_use_the_list(client, fixture_event):
    reviewer = UserFactory(username="reviewer")
    MembershipFactory(user=reviewer, event=fixture_event, role=StaffRole.REVIEW_TEAM)
    client.force_login(reviewer)
    slug = fixture_event.slug
    assert client.get(reverse("harvest:notes", args=[slug])).status_code == 403
    move = reverse("harvest:notes_act", args=[slug, "move"])
    assert client.post(move, {"notes": [1], "target": 1}).status_code == 403
    url = reverse("harvest:workspace", args=[slug])
    assert client.get(url, {"view": "answers"}).status_code == 403


def test_the_list_alone_answers_no_content_when_nothing_changed(signed_in, themed):
    url = reverse("harvest:notes", args=[themed.slug])
    response = signed_in.get(url, {"view": "list", "round": 1})
    assert response.status_code == 200
    assert 'id="harvest-list"' in response.content.decode()
    version = response.content.decode().split('data-version="')[1].split('"')[0]
    assert signed_in.get(url, {"since": version}).status_code == 204


def test_unknown_list_action_is_not_found(signed_in, themed):
    url = reverse("harvest:notes_act", args=[themed.slug, "explode"])
    assert signed_in.post(url).status_code == 404


def test_a_round_without_themes_offers_none(signed_in, db):
    event = EventFactory(slug="empty-harvest")
    harvester = UserFactory(username="solo")
    MembershipFactory(user=harvester, event=event)
    RoundFactory(event=event, number=1)
    TableFactory(event=event, number=1)
    signed_in.force_login(harvester)
    page = page_of(signed_in, event)
    assert "No notes yet: they appear here as people post them at the tables" in page
    assert 'name="target"' in page
