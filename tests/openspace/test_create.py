"""Create: the agenda built from Explore themes, proposals with their provenance,
endorsements and concerns."""

import pytest

from cafes.errors import CafeError
from events.models import ParticipantStatus
from openspace import selectors, services
from openspace.models import Concern, Endorsement, Proposal, ThemeSource, Topic
from tests.openspace.conftest import (
    HOUSING,
    SIBLINGS,
    agenda_from_theme,
    cid,
    make_series,
    proposal_fields,
    propose,
)

pytestmark = pytest.mark.django_db


def test_the_series_view_lists_each_groups_themes_with_quotes(setup):
    columns = selectors.explore_columns(series=setup.series)
    assert [c.group for c in columns] == [
        "Birth parents and families",
        "Care-experienced young people",
    ]
    bp = columns[0]
    quoted = {q.text for t in bp.themes for q in t.quotes}
    assert quoted <= {text for text, _role in HOUSING}
    assert quoted
    assert {q.role for t in bp.themes for q in t.quotes} <= {"BP", "BF"}
    assert all(t.theme_id for t in bp.themes)  # stored themes, so they can be pointed at


def test_a_conversation_seeded_from_a_theme_keeps_its_provenance(setup):
    theme, topic = agenda_from_theme(setup, setup.explore_ce)
    source = ThemeSource.objects.get(topic=topic)
    assert source.explore_event == setup.explore_ce
    assert source.theme_id == theme.theme_id
    assert source.note_ids == theme.note_ids
    assert set(source.note_ids) <= {n.pk for n in setup.ce_notes}
    assert topic.title == theme.title
    assert topic.proposer is None
    views = selectors.topic_sources(topic=topic)
    assert views[0].group == "Care-experienced young people"
    assert {v.text for v in views[0].voices} <= {text for text, _ in SIBLINGS}


def test_only_a_facilitator_builds_the_agenda_and_only_from_this_series(setup):
    column = selectors.explore_columns(series=setup.series)[0]
    theme = column.themes[0]
    for viewer in (setup.people[0], setup.reviewer):
        with pytest.raises(CafeError) as error:
            services.add_conversation_from_theme(
                viewer=viewer, theme_key=theme.key, client_id=cid()
            )
        assert error.value.code == "forbidden"
    other = make_series()  # another series' theme, and a key that is no theme at all
    elsewhere = selectors.explore_columns(series=other.series)[0].themes[0]
    for key in (elsewhere.key, "no-such-theme", ""):
        with pytest.raises(CafeError) as error:
            services.add_conversation_from_theme(
                viewer=setup.facilitator, theme_key=key, client_id=cid()
            )
        assert error.value.code == "not_found"
    assert not Topic.objects.filter(event=setup.create).exists()
    assert not ThemeSource.objects.exists()


def test_a_proposal_links_back_to_the_themes_and_quotes_it_came_from(setup):
    _theme, topic = agenda_from_theme(setup, setup.explore_bp)
    source = ThemeSource.objects.get(topic=topic)
    proposal = services.add_proposal(
        viewer=setup.people[0],
        topic_id=topic.pk,
        source_ids=[source.pk],
        client_id=cid(),
        **proposal_fields(),
    )
    assert proposal.author == setup.people[0].participant
    copied = ThemeSource.objects.get(proposal=proposal)
    assert (copied.explore_event, copied.theme_id, copied.note_ids) == (
        source.explore_event,
        source.theme_id,
        source.note_ids,
    )
    [view] = selectors.proposals_for(topic=topic)
    assert view.proposal == proposal
    voices = view.sources[0].voices
    assert voices
    assert all(v.role in {"BP", "BF"} for v in voices)
    assert {v.text for v in voices} <= {text for text, _ in HOUSING}


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"problem": ""}, "empty"),
        ({"change": "   "}, "empty"),
        ({"who_acts": "x" * 2001}, "too_long"),
        ({"first_step": "<a href='x'>click</a>"}, "html_not_allowed"),
        ({"impact": None}, "invalid"),
        ({"open_questions": "<script>"}, "html_not_allowed"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_stored(setup, overrides, code):
    _theme, topic = agenda_from_theme(setup, setup.explore_bp)
    with pytest.raises(CafeError) as error:
        services.add_proposal(
            viewer=setup.people[0],
            topic_id=topic.pk,
            client_id=cid(),
            **proposal_fields(**overrides),
        )
    assert error.value.code == code
    assert not Proposal.objects.exists()
    assert not ThemeSource.objects.filter(proposal__isnull=False).exists()


def test_a_proposal_cannot_claim_another_conversations_themes(setup):
    _theme, housing = agenda_from_theme(setup, setup.explore_bp)
    _theme, siblings = agenda_from_theme(setup, setup.explore_ce)
    foreign = ThemeSource.objects.get(topic=siblings)
    with pytest.raises(CafeError) as error:
        services.add_proposal(
            viewer=setup.people[0],
            topic_id=housing.pk,
            source_ids=[foreign.pk],
            client_id=cid(),
            **proposal_fields(),
        )
    assert error.value.code == "not_found"
    assert not Proposal.objects.exists()


def test_a_retried_proposal_is_stored_once_and_the_review_team_cannot_propose(setup):
    topic = propose(setup.people[1], "Care leavers and housing")
    client_id = cid()
    first = services.add_proposal(
        viewer=setup.people[1], topic_id=topic.pk, client_id=client_id, **proposal_fields()
    )
    again = services.add_proposal(
        viewer=setup.people[1], topic_id=topic.pk, client_id=client_id, **proposal_fields()
    )
    assert first.pk == again.pk
    with pytest.raises(CafeError) as error:
        services.add_proposal(
            viewer=setup.people[2], topic_id=topic.pk, client_id=client_id, **proposal_fields()
        )
    assert error.value.code == "duplicate_client_id"
    with pytest.raises(CafeError):
        services.add_proposal(
            viewer=setup.reviewer, topic_id=topic.pk, client_id=cid(), **proposal_fields()
        )
    assert Proposal.objects.count() == 1


def test_endorsements_count_each_person_once(setup):
    topic = propose(setup.people[0], "Housing")
    proposal = services.add_proposal(
        viewer=setup.people[0], topic_id=topic.pk, client_id=cid(), **proposal_fields()
    )
    for viewer in setup.people[:3]:
        services.endorse(viewer=viewer, proposal_id=proposal.pk)
    services.endorse(viewer=setup.people[0], proposal_id=proposal.pk)
    services.endorse(viewer=setup.people[2], proposal_id=proposal.pk, on=False)
    assert Endorsement.objects.filter(proposal=proposal).count() == 2
    [view] = selectors.proposals_for(topic=topic, viewer=setup.people[1])
    assert view.endorsements == 2
    assert view.endorsed_by_me
    with pytest.raises(CafeError):
        services.endorse(viewer=setup.facilitator, proposal_id=proposal.pk)
    # Someone who withdraws no longer counts.
    p = setup.people[1].participant
    p.status = ParticipantStatus.WITHDRAWN
    p.save()
    assert selectors.proposals_for(topic=topic)[0].endorsements == 1


def test_concerns_are_problems_to_solve_or_tensions_to_manage(setup):
    topic = propose(setup.people[0], "Housing")
    proposal = services.add_proposal(
        viewer=setup.people[0], topic_id=topic.pk, client_id=cid(), **proposal_fields()
    )
    services.raise_concern(
        viewer=setup.people[1],
        proposal_id=proposal.pk,
        kind="problem",
        text="Housing teams have no budget for this",
        client_id=cid(),
    )
    services.raise_concern(
        viewer=setup.people[2],
        proposal_id=proposal.pk,
        kind="tension",
        text="Speed of proceedings versus stability",
        client_id=cid(),
    )
    for kind, text, code in (
        ("worry", "Something", "bad_kind"),
        ("problem", "", "empty"),
        ("tension", "<i>no</i>", "html_not_allowed"),
    ):
        with pytest.raises(CafeError) as error:
            services.raise_concern(
                viewer=setup.people[3],
                proposal_id=proposal.pk,
                kind=kind,
                text=text,
                client_id=cid(),
            )
        assert error.value.code == code
    assert Concern.objects.count() == 2
    [view] = selectors.proposals_for(topic=topic)
    assert [(v.text, v.role) for v in view.problems_to_solve] == [
        ("Housing teams have no budget for this", "CE")
    ]
    assert [(v.text, v.role) for v in view.tensions_to_manage] == [
        ("Speed of proceedings versus stability", "SW")
    ]


def test_a_withdrawn_voice_drops_out_of_a_proposals_provenance(setup):
    _theme, topic = agenda_from_theme(setup, setup.explore_bp)
    source = ThemeSource.objects.get(topic=topic)
    services.add_proposal(
        viewer=setup.people[0],
        topic_id=topic.pk,
        source_ids=[source.pk],
        client_id=cid(),
        **proposal_fields(),
    )
    before = selectors.proposals_for(topic=topic)[0].sources[0].voices
    quoted = next(n for n in setup.bp_notes if n.pk == source.note_ids[0])
    quoted.participant.status = ParticipantStatus.WITHDRAWN
    quoted.participant.save()
    after = selectors.proposals_for(topic=topic)[0].sources[0].voices
    assert quoted.text in [v.text for v in before]
    assert quoted.text not in [v.text for v in after]
    assert len(after) == len(before) - 1
