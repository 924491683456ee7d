"""Undoing a false automatic marker ("this is not personal data") and redacting it again
(issue 15 item 3): what the workspace, the marker review and reports show, who may do it,
bad input, undo, and report versions that could show re-redacted words."""

import uuid

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from cafes.models import Note, Round, Table
from events.identity import remember_participant
from events.models import StaffRole
from harvest.errors import HarvestError
from harvest.hooks import words_taken_back
from harvest.models import CurationChange, KeptWord
from harvest.redaction import redact
from harvest.selectors import harvest_for_report
from harvest.services import (
    build_themes,
    keep_words,
    redact_again,
    redact_phrase,
    undo_last_change,
)
from reports.models import ReportVersion
from reports.services import build_report, compile_report, request_report
from reports.tasks import compile_report as compile_task
from tests.factories import MembershipFactory, NoteFactory, UserFactory

HOPE = "We went to Hope for the weekend and it helped us all"
REDACTED_HOPE = "We went to [name] for the weekend and it helped us all"


def add_note(event, text: str) -> Note:
    participant = event.participants.get(pseudonym="Sarah")
    return Note.objects.create(
        event=event,
        round=Round.objects.get(event=event, number=1),
        table=Table.objects.get(event=event, number=1),
        participant=participant,
        role_code="BP",
        kind="story",
        text=text,
        client_id=uuid.uuid4(),
    )


def reported_texts(event) -> list[str]:
    return [n.text for t in harvest_for_report(event=event).themes for n in t.notes]


@pytest.fixture
def hope(fixture_event):
    """A note where "Hope", a pseudonym on the roster, is a village (Hope, Derbyshire)."""
    note = add_note(fixture_event, HOPE)
    build_themes(event=fixture_event)
    return note


@pytest.fixture
def heard():
    """The reasons the words-taken-back hook was called with."""
    reasons: list[str] = []

    def hook(*, event, reason):
        reasons.append(reason)

    with words_taken_back.connected(hook):
        yield reasons


def markers_url(event) -> str:
    return reverse("harvest:markers", args=[event.slug])


def test_redact_lets_kept_words_go_but_never_a_manual_redaction_or_a_longer_name():
    text = "we went to Hope with Hope Smith"
    assert redact(text, names=["Hope"]).text == "we went to [name] with [name]"
    kept = redact(text, names=["Hope"], kept=["HOPE "])
    assert kept.text == "we went to Hope with [name]"
    assert [(s.start, s.end, s.kind) for s in kept.kept] == [(11, 15, "name")]
    assert redact(text, names=["Hope"], phrases=["Hope"], kept=["hope"]).text == (
        "we went to [redacted] with [redacted] Smith"
    )


def test_a_false_name_marker_undone_shows_in_the_workspace_and_a_fresh_report(
    client, fixture_event, harvester, hope
):
    assert REDACTED_HOPE in reported_texts(fixture_event)
    assert REDACTED_HOPE.encode() in build_report(event=fixture_event, fmt="html")

    kept = keep_words(event=fixture_event, words=" hope ", seen_in=hope, user=harvester)

    assert (kept.text, kept.kept_by) == ("hope", harvester)
    assert HOPE in reported_texts(fixture_event)
    assert HOPE.encode() in build_report(event=fixture_event, fmt="html")
    assert HOPE.encode() in build_report(event=fixture_event, fmt="csv")
    client.force_login(harvester)
    page = client.get(reverse("harvest:workspace", args=[fixture_event.slug])).content.decode()
    assert '<mark class="kept" title="Shown: a harvester said this is not personal data">Hope' in (
        page
    )
    assert "07700 900123" not in page  # the workspace still shows markers, not what they hide
    change = CurationChange.objects.filter(event=fixture_event).first()
    assert change.action == "keep"
    assert change.user == harvester


def test_the_review_page_shows_what_each_marker_hides_with_an_undo_form(
    client, fixture_event, harvester, hope
):
    client.force_login(harvester)
    response = client.get(markers_url(fixture_event))
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f'id="note-{hope.id}"' in page
    assert "hides “Hope”, found as a name." in page
    assert "It holds the name of someone on this event\u2019s list of people." in page
    assert "Undo: this is not personal data" in page
    assert "csrfmiddlewaretoken" in page
    assert "hides “07700 900123”, found as a phone number." in page

    response = client.post(
        markers_url(fixture_event), {"do": "keep", "item": f"note-{hope.id}", "words": "Hope"}
    )
    assert response.status_code == 302
    assert response.url == f"{markers_url(fixture_event)}#note-{hope.id}"
    page = client.get(response.url).content.decode()
    assert "“Hope” is not personal data: it now shows everywhere in this event." in page
    assert "Redact again" in page
    assert KeptWord.objects.filter(event=fixture_event, text="Hope").exists()


def test_a_kept_word_does_not_undo_a_manual_redaction(fixture_event, harvester, hope):
    keep_words(event=fixture_event, words="Hope", seen_in=hope, user=harvester)
    redact_phrase(event=fixture_event, phrase="Hope", user=harvester)
    assert "We went to [redacted] for the weekend and it helped us all" in reported_texts(
        fixture_event
    )
    KeptWord.objects.all().delete()
    with pytest.raises(HarvestError, match="No automatic marker in that text hides"):
        keep_words(event=fixture_event, words="Hope", seen_in=hope, user=harvester)
    assert not KeptWord.objects.exists()


def test_redacting_again_calls_the_words_taken_back_hook_and_hides_the_words(
    fixture_event, harvester, hope, heard
):
    kept = keep_words(event=fixture_event, words="Hope", seen_in=hope, user=harvester)
    assert heard == []  # showing words hides less in old versions, not more: none withdrawn
    redact_again(kept=kept, user=harvester)
    assert heard == ["A harvester redacted words in it again."]
    assert REDACTED_HOPE in reported_texts(fixture_event)
    assert CurationChange.objects.filter(event=fixture_event).first().action == "redact-again"
    with pytest.raises(HarvestError, match="already redacted again"):
        redact_again(kept=kept, user=harvester)


def test_undo_of_a_keep_redacts_again_and_calls_the_hook_undo_of_redact_again_does_not(
    fixture_event, harvester, hope, heard
):
    kept = keep_words(event=fixture_event, words="Hope", seen_in=hope, user=harvester)
    undo_last_change(event=fixture_event, user=harvester)
    assert not KeptWord.objects.exists()
    assert REDACTED_HOPE in reported_texts(fixture_event)
    assert heard == ["A harvester's undo redacted words in it again."]

    kept = keep_words(event=fixture_event, words="Hope", seen_in=hope, user=harvester)
    redact_again(kept=kept, user=harvester)
    undo_last_change(event=fixture_event, user=harvester)
    restored = KeptWord.objects.get()
    assert (restored.text, restored.kept_at) == ("Hope", kept.kept_at)
    assert HOPE in reported_texts(fixture_event)
    assert len(heard) == 2  # the redact-again itself, not its undo


def test_redacting_again_withdraws_finished_report_versions(
    fixture_event,
    harvester,
    hope,
    settings,
    tmp_path,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(compile_task, "delay", lambda version_id: None)
    kept = keep_words(event=fixture_event, words="Hope", seen_in=hope, user=harvester)
    v1 = compile_report(version=request_report(event=fixture_event, reason="test"))
    assert not v1.is_withdrawn

    with django_capture_on_commit_callbacks(execute=True):
        redact_again(kept=kept, user=harvester)

    v1.refresh_from_db()
    assert v1.is_withdrawn
    assert "redacted words in it again" in v1.withdrawn_reason
    assert all(not f.file for f in v1.files.all())
    assert ReportVersion.objects.filter(event=fixture_event, number=2).exists()


@pytest.mark.parametrize(
    ("post", "error"),
    [
        ({"do": "keep", "words": ""}, "no words were given"),
        ({"do": "keep", "words": "   "}, "no words were given"),
        ({"do": "keep", "words": "x" * 201}, "at most 200 characters"),
        ({"do": "keep", "words": "weekend"}, "No automatic marker in that text hides"),
        ({"do": "keep", "words": "Hope", "item": "note-0"}, "no longer in the harvest"),
        ({"do": "keep", "words": "Hope", "item": "theme-1"}, "no longer in the harvest"),
        ({"do": "redact-again", "kept": "nope"}, "already redacted again"),
        ({"do": "forget"}, "Choose “Undo” on a marker"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_stores_nothing(
    client, fixture_event, harvester, hope, post, error
):
    client.force_login(harvester)
    changes = CurationChange.objects.count()
    response = client.post(markers_url(fixture_event), {"item": f"note-{hope.id}", **post})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not KeptWord.objects.exists()
    assert CurationChange.objects.count() == changes


def test_a_note_of_another_event_cannot_be_used(client, fixture_event, harvester, hope):
    foreign = NoteFactory(text=HOPE, participant__pseudonym="Hope")
    client.force_login(harvester)
    response = client.post(
        markers_url(fixture_event), {"do": "keep", "item": f"note-{foreign.id}", "words": "Hope"}
    )
    assert response.status_code == 400
    assert "no longer in the harvest" in response.content.decode()
    with pytest.raises(HarvestError, match="belongs to another event"):
        keep_words(event=fixture_event, words="Hope", seen_in=foreign, user=harvester)
    assert not KeptWord.objects.exists()


def visitor(who: str, event) -> Client:
    client = Client()
    if who == "participant":
        session = SessionStore()
        remember_participant(session, event.participants.get(pseudonym="Sarah"))
        session.save()
        client.cookies["sessionid"] = session.session_key
        return client
    user = UserFactory(username=who.replace(" ", "-"))
    if who == "facilitator of another event":
        MembershipFactory(user=user, role=StaffRole.FACILITATOR)
    else:
        role = {"table host": StaffRole.TABLE_HOST, "review team": StaffRole.REVIEW_TEAM}[who]
        MembershipFactory(user=user, event=event, role=role)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "refused"),
    [
        ("participant", 302),  # to sign in
        ("table host", 403),
        ("review team", 403),
        ("facilitator of another event", 403),
    ],
)
def test_only_the_events_facilitators_see_markers_and_decide_on_them(
    fixture_event, harvester, hope, who, refused
):
    kept = keep_words(event=fixture_event, words="Hope", seen_in=hope, user=harvester)
    client = visitor(who, fixture_event)
    url = markers_url(fixture_event)
    get = client.get(url)
    assert get.status_code == refused
    assert b"Hope" not in get.content
    assert client.post(url, {"do": "redact-again", "kept": kept.id}).status_code == refused
    assert KeptWord.objects.filter(pk=kept.pk).exists()
    redact_again(kept=kept, user=harvester)
    posted = {"do": "keep", "item": f"note-{hope.id}", "words": "Hope"}
    assert client.post(url, posted).status_code == refused
    assert not KeptWord.objects.exists()
    if refused == 302:
        assert get.url.startswith(reverse("login"))
