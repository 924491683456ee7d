"""Curation: what a harvester does to themes, undo, and two harvesters at once."""

import itertools
import threading

import pytest
from django.db import close_old_connections, connection

from harvest.errors import HarvestError
from harvest.models import CurationChange, Theme, ThemeNote
from harvest.selectors import harvest_for_report
from harvest.services import (
    build_themes,
    has_curated_themes,
    mark_theme,
    merge_themes,
    move_note,
    redact_phrase,
    rename_theme,
    reorder_theme,
    rewrite_summary,
    set_quote,
    snapshot,
    split_theme,
    undo_last_change,
    write_conclusions,
)


def round_themes(event, number=1):
    return list(
        Theme.objects.filter(event=event, kind="notes", round__number=number).order_by(
            "is_other", "position", "id"
        )
    )


def note_placement(event) -> list[int]:
    return sorted(
        ThemeNote.objects.filter(theme__event=event, note__isnull=False).values_list(
            "note_id", flat=True
        )
    )


@pytest.fixture
def built(fixture_event):
    build_themes(event=fixture_event)
    return fixture_event


def test_build_themes_places_every_visible_note_once(built):
    assert note_placement(built) == sorted(built.notes.values_list("id", flat=True))
    assert Theme.objects.filter(event=built, kind="chat").exists()
    assert not has_curated_themes(event=built)


def test_rename_rewrite_mark_and_reorder_show_in_the_report(built, harvester):
    first, second = round_themes(built)[:2]
    rename_theme(theme=second, title="  Being heard  in meetings ", user=harvester)
    rewrite_summary(theme=second, summary="Parents felt unheard in meetings.", user=harvester)
    mark_theme(theme=second, is_key=True, is_emerging=True, user=harvester)
    reorder_theme(theme=second, position=0, user=harvester)
    reported = [
        t for t in harvest_for_report(event=built).themes if t.round == 1 and t.kind == "notes"
    ]
    assert reported[0].title == "Being heard in meetings"
    assert reported[0].summary == "Parents felt unheard in meetings."
    assert reported[0].key
    assert reported[0].emerging
    assert reported[0].curated
    assert reported[1].title == first.title


def test_merge_moves_every_note_and_removes_the_theme(built, harvester):
    a, b = round_themes(built)[:2]
    notes = {m.note_id for m in a.members.all()} | {m.note_id for m in b.members.all()}
    merged = merge_themes(source=a, target=b, user=harvester)
    assert not Theme.objects.filter(pk=a.pk).exists()
    assert {m.note_id for m in merged.members.all()} == notes
    assert merged.is_curated


def test_themes_of_different_rounds_cannot_be_merged(built, harvester):
    with pytest.raises(HarvestError, match="same round"):
        merge_themes(
            source=round_themes(built, 1)[0], target=round_themes(built, 2)[0], user=harvester
        )


def test_split_makes_a_new_theme_after_the_old_one(built, harvester):
    theme = round_themes(built)[0]
    chosen = list(theme.members.order_by("position")[:2])
    new = split_theme(theme=theme, members=chosen, title="Turnover of workers", user=harvester)
    row = round_themes(built)
    assert row.index(new) == row.index(theme) + 1
    assert sorted(new.members.values_list("id", flat=True)) == sorted(m.id for m in chosen)
    assert note_placement(built) == sorted(built.notes.values_list("id", flat=True))


def test_move_note_to_a_position_and_not_across_rounds(built, harvester):
    a, b = round_themes(built)[:2]
    member = a.members.last()
    move_note(member=member, target=b, position=0, user=harvester)
    assert b.members.order_by("position").first() == member
    with pytest.raises(HarvestError, match="same round"):
        move_note(member=member, target=round_themes(built, 2)[0], user=harvester)


def test_quotes_are_pinned_and_unpinned_up_to_five(built, harvester):
    theme = round_themes(built)[0]
    theme.members.update(is_quote=False)
    members = list(theme.members.all())
    for member in members[:5]:
        set_quote(member=member, is_quote=True, user=harvester)
    with pytest.raises(HarvestError, match="at most 5 quotes"):
        set_quote(member=members[5], is_quote=True, user=harvester)
    set_quote(member=members[0], is_quote=False, user=harvester)
    assert theme.members.filter(is_quote=True).count() == 4


def test_manual_redaction_reaches_the_report(built, harvester):
    note = built.notes.get(text__startswith="We lived at")
    redact_phrase(event=built, note=note, phrase="took the children", user=harvester)
    redact_phrase(event=built, phrase="family centre", user=harvester)
    texts = [n.text for t in harvest_for_report(event=built).themes for n in t.notes]
    assert "We lived at [address], [postcode] when they [redacted]." in texts
    assert not any("family centre" in t.casefold() for t in texts)
    with pytest.raises(HarvestError, match="not in the note"):
        redact_phrase(event=built, note=note, phrase="not there", user=harvester)


def test_undo_restores_each_change_in_reverse_order(built, harvester):
    original = snapshot(event=built)
    a, b = round_themes(built)[:2]
    rename_theme(theme=a, title="First", user=harvester)
    after_rename = snapshot(event=built)
    merge_themes(source=a, target=b, user=harvester)
    write_conclusions(event=built, text="Keep the same social worker.", user=harvester)

    undo_last_change(event=built, user=harvester)
    assert snapshot(event=built)["conclusions"] == ""
    undo_last_change(event=built, user=harvester)
    assert snapshot(event=built) == after_rename
    assert Theme.objects.get(pk=a.pk).title == "First"
    undo_last_change(event=built, user=harvester)
    undo_last_change(event=built, user=harvester)  # the build itself
    assert not Theme.objects.filter(event=built).exists()
    with pytest.raises(HarvestError, match="nothing to undo"):
        undo_last_change(event=built, user=harvester)
    assert original["themes"]


def test_rebuild_keeps_curated_themes_unless_asked(built, harvester):
    theme = round_themes(built)[0]
    rename_theme(theme=theme, title="Kept by the harvester", user=harvester)
    kept = set(theme.members.values_list("note_id", flat=True))
    build_themes(event=built, user=harvester)
    assert Theme.objects.get(pk=theme.pk).title == "Kept by the harvester"
    assert set(Theme.objects.get(pk=theme.pk).members.values_list("note_id", flat=True)) == kept
    assert note_placement(built) == sorted(built.notes.values_list("id", flat=True))
    build_themes(event=built, replace_curated=True, user=harvester)
    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert not has_curated_themes(event=built)
    assert CurationChange.objects.filter(event=built, action="build").count() == 3


def test_a_change_to_a_theme_merged_away_meanwhile_is_refused(built, harvester):
    a, b = round_themes(built)[:2]
    stale = Theme.objects.get(pk=a.pk)
    merge_themes(source=a, target=b, user=harvester)
    with pytest.raises(HarvestError, match="another harvester"):
        rename_theme(theme=stale, title="Too late", user=harvester)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
def test_two_harvesters_at_once_never_lose_or_duplicate_a_note(django_db_blocker):
    from tests.harvest.conftest import load_event

    event = load_event()
    build_themes(event=event)
    harvester = event.memberships.get().user
    themes = round_themes(event)
    members = list(ThemeNote.objects.filter(theme__in=themes).order_by("id"))
    errors = []
    barrier = threading.Barrier(2)

    def one_harvester(moves):
        close_old_connections()
        try:
            barrier.wait()
            for member, target in moves:
                try:
                    move_note(member=member, target=target, user=harvester)
                except HarvestError as error:
                    errors.append(error)
        finally:
            connection.close()

    # both harvesters move the same notes, to different themes, at the same time
    first = [(m, themes[0]) for m in members[:15]]
    second = [(m, themes[1]) for m in members[:15]]
    threads = [threading.Thread(target=one_harvester, args=(moves,)) for moves in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert note_placement(event) == sorted(event.notes.values_list("id", flat=True))
    changes = list(CurationChange.objects.filter(event=event).order_by("id"))
    assert [c.version for c in changes] == list(range(1, len(changes) + 1))
    for earlier, later in itertools.pairwise(changes):
        assert later.before == earlier.after  # each change saw the one before it
