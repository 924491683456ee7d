"""What the report receives: ``harvest_for_report`` on the fixture event."""

import re

from cafes.models import Note, NoteStatus
from harvest.selectors import harvest_for_report, harvestable_notes
from harvest.services import build_themes, rename_theme
from harvest.wording import as_sentence, marker_share
from tests.harvest.conftest import PSEUDONYMS, withdraw

# "Hope" and "Grace" are ordinary words too: a note that says just "Hope" keeps it.
NAMES = re.compile(
    r"\b(?:" + "|".join({*PSEUDONYMS, "Davies"} - {"Hope", "Grace"}) + r")\b", re.IGNORECASE
)


def all_texts(harvest) -> list[str]:
    texts = [harvest.conclusions]
    for theme in harvest.themes:
        texts += [theme.title, theme.summary, *(n.text for n in theme.notes + theme.quotes)]
    for group in harvest.answers:
        texts += [a.text for a in group.answers]
    return texts


def test_draft_themes_hold_every_note_once_with_no_personal_data(fixture_event):
    harvest = harvest_for_report(event=fixture_event)
    reported = [n.id for t in harvest.themes if t.kind == "notes" for n in t.notes]
    assert sorted(reported) == sorted(
        harvestable_notes(event=fixture_event).values_list("id", flat=True)
    )
    assert {t.round for t in harvest.themes} == {1, 2, 3}
    assert {t.kind for t in harvest.themes} == {"notes", "chat"}
    joined = "\n".join(all_texts(harvest))
    assert not NAMES.search(joined)
    assert "07700" not in joined
    assert "@example" not in joined
    assert "Acacia" not in joined
    assert "[phone]" in joined
    assert "[email]" in joined
    assert "[address]" in joined
    assert not harvest.curated
    assert next(a.question for a in harvest.answers).startswith("What one change")
    assert "A kind social worker called [name]" in [a.text for a in harvest.answers[1].answers]


def test_quotes_are_verbatim_redacted_notes_attributed_by_role_code_only(fixture_event):
    build_themes(event=fixture_event)
    harvest = harvest_for_report(event=fixture_event)
    quotes = [q for t in harvest.themes if t.kind == "notes" for q in t.quotes]
    assert quotes
    for theme in harvest.themes:
        assert {q.id for q in theme.quotes} <= {n.id for n in theme.notes}
        assert len(theme.quotes) <= 5
        for quote in theme.quotes:  # never mostly redaction, never the summary again
            assert marker_share(quote.text) <= 0.25
            assert as_sentence(quote.text) not in theme.summary
        distinct = {re.sub(r"\W+", " ", n.text.casefold()).strip() for n in theme.notes}
        if len(distinct) >= 6:
            assert len(theme.quotes) >= 2
    originals = dict(Note.objects.values_list("id", "text"))
    for quote in quotes:
        assert quote.role in {"BP", "BF", "KC"}
        kept = [part for part in re.split(r"\[\w+\]", quote.text) if part]
        assert all(part in originals[quote.id] for part in kept)


def test_withdrawn_participants_and_hidden_notes_never_appear(fixture_event):
    build_themes(event=fixture_event)
    person = fixture_event.participants.get(pseudonym="Marek")
    gone = set(person.notes.values_list("id", flat=True))
    hidden = Note.objects.filter(event=fixture_event).exclude(id__in=gone).first()
    hidden.status = NoteStatus.HIDDEN
    hidden.save()
    withdraw(person)
    harvest = harvest_for_report(event=fixture_event)
    reported = {n.id for t in harvest.themes if t.kind == "notes" for n in t.notes}
    assert gone
    assert not gone & reported
    assert hidden.id not in reported
    chat = {n.id for t in harvest.themes if t.kind == "chat" for n in t.notes}
    assert not set(person.chat_messages.values_list("id", flat=True)) & chat


def test_fingerprint_changes_with_curation_and_curated_is_reported(fixture_event, harvester):
    build_themes(event=fixture_event)
    before = harvest_for_report(event=fixture_event)
    assert before.fingerprint == harvest_for_report(event=fixture_event).fingerprint
    theme = fixture_event.themes.filter(kind="notes", is_other=False).first()
    rename_theme(theme=theme, title="Ringing Sarah on 07700 900123", user=harvester)
    after = harvest_for_report(event=fixture_event)
    assert after.fingerprint != before.fingerprint
    assert after.curated
    assert "Ringing [name] on [phone]" in [t.title for t in after.themes]
