"""The series report's content: Connect topics, Explore themes per stakeholder group and
Create proposals, each proposal traceable to its voices (role codes, no names, nobody who
withdrew), as dataclasses, JSON and Markdown."""

import json
import re

import pytest

from events.models import ParticipantStatus
from openspace import series, services
from tests.openspace.conftest import SECRET, build_journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey_setup(setup):
    return build_journey(setup)


def all_names(setup) -> list[str]:
    from events.models import Participant

    return list(Participant.objects.values_list("pseudonym", flat=True))


def test_the_journey_runs_from_connect_topics_to_create_proposals(journey_setup):
    setup, source = journey_setup
    journey = series.series_journey(series=setup.series)
    assert journey.title == "Bridge the Gap"
    [connect] = journey.connect
    topics = {t.title: t for t in connect.topics}
    assert set(topics) == {"Just us", "Housing first"}
    assert topics["Housing first"].key_points == "Housing is the foundation"
    assert topics["Housing first"].sign_ups == 1
    assert not topics["Just us"].notes_shared
    assert [g.group for g in journey.explore] == [
        "Birth parents and families",
        "Care-experienced young people",
    ]
    [create] = journey.create
    [proposal] = create.proposals
    assert proposal.endorsements == 1
    assert [q.text for q in proposal.tensions_to_manage] == ["Speed versus stability"]
    [provenance] = proposal.provenance
    assert provenance.theme == source.theme_title
    assert provenance.group == "Birth parents and families"
    notes = {n.pk: n for n in setup.bp_notes}
    assert [(q.text, q.role) for q in provenance.voices] == [
        (notes[i].text, notes[i].role_code) for i in source.note_ids
    ]


def test_no_names_no_withdrawn_voices_and_no_unshared_staff_free_notes(journey_setup):
    setup, source = journey_setup
    withdrawn = next(n for n in setup.bp_notes if n.pk == source.note_ids[0])
    withdrawn.participant.status = ParticipantStatus.WITHDRAWN
    withdrawn.participant.save()
    journey = series.series_journey(series=setup.series)
    for text in (series.as_json(journey), series.as_markdown(journey)):
        for name in all_names(setup):
            assert not re.search(rf"\b{re.escape(name)}\b", text), name
        assert withdrawn.text not in text
        assert SECRET not in text
    voices = journey.create[0].proposals[0].provenance[0].voices
    assert withdrawn.text not in [v.text for v in voices]
    assert len(voices) == len(source.note_ids) - 1


def test_json_and_markdown_carry_the_same_journey(journey_setup):
    setup, source = journey_setup
    journey = series.series_journey(series=setup.series)
    data = json.loads(series.as_json(journey))
    assert data["fingerprint"] == journey.fingerprint
    assert data["create"][0]["proposals"][0]["provenance"][0]["theme"] == source.theme_title
    markdown = series.as_markdown(journey)
    assert markdown.startswith("# Bridge the Gap: from Connect to Create")
    for heading in ("## Connect", "## Explore", "## Create", "#### Proposal 1:"):
        assert heading in markdown
    assert f"Comes from the theme “{source.theme_title}” (Birth parents and families)" in markdown
    quote = data["create"][0]["proposals"][0]["provenance"][0]["voices"][0]
    assert f"> “{quote['text']}” ({quote['role']})" in markdown


def test_the_fingerprint_changes_when_the_content_does(journey_setup):
    setup, _source = journey_setup
    before = series.series_journey(series=setup.series).fingerprint
    assert series.series_journey(series=setup.series).fingerprint == before
    services.endorse(
        viewer=setup.people[3], proposal_id=setup.create.topics.get().proposals.get().pk
    )
    assert series.series_journey(series=setup.series).fingerprint != before


def test_an_automatic_theme_summary_never_quotes_someone_who_withdrew(setup):
    from harvest.selectors import harvest_for_report
    from harvest.wording import as_sentence

    before = {t.theme_id: t for t in harvest_for_report(event=setup.explore_bp).themes}
    summaries = " ".join(t.summary for t in before.values())
    quoted = next(n for n in setup.bp_notes if as_sentence(n.text) in summaries)
    quoted.participant.status = ParticipantStatus.WITHDRAWN
    quoted.participant.save()
    after = harvest_for_report(event=setup.explore_bp)
    assert as_sentence(quoted.text) not in " ".join(t.summary for t in after.themes)
    assert quoted.text not in [n.text for t in after.themes for n in t.notes]
    changed = next(
        t for t in after.themes if t.theme_id in before and t.summary != before[t.theme_id].summary
    )
    assert changed.summary == as_sentence(changed.notes[0].text)
