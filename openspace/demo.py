"""Open Space and Create for the demo series: the Connect launch running with a few topics
(sign-ups, notes, one staff-free space that keeps its notes, key points shared), and the
Create event with a conversation seeded from a theme of the demo café, one proposal, an
endorsement and a concern, so the series report has a whole journey to show.

Everything goes through the services, as people would do it in the browser. Loaded by
``manage.py seed_demo_series`` after ``seed_demo`` and ``seed_demo_cafe``; does nothing
the second time.
"""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction

from cafes import services as cafe_services
from cafes.permissions import Viewer
from events import services as event_services
from events.demo import DEMO_SLUG, STAKEHOLDER_GROUPS
from events.models import Event, EventStatus, Series, Stage
from events.permissions import staff_roles
from openspace import selectors, services
from openspace.models import ThemeSource, Topic

# (pseudonym, role code) of the people at Connect and at Create.
CONNECT_PEOPLE = [
    ("Larch", "BP"), ("Comet", "CEYP"), ("Tansy", "KC"), ("Pebble", "SW"), ("Aster", "BF"),
]  # fmt: skip
CREATE_PEOPLE = [("Marlow", "KC"), ("Sorrel", "FC"), ("Quill", "SW")]
# (proposer, title, why, [(author, kind, note)], key points, staff-free, also signed up)
TOPICS = [
    (
        0,
        "Being listened to at the first meeting",
        "The first meeting decides everything that follows.",
        [
            (0, "story", "At the first meeting nobody asked what I thought my son needed."),
            (4, "problem", "Families are told what will happen, not asked."),
        ],
        "Ask families first; bring an advocate to the first meeting.",
        False,
        [3],
    ),
    (
        2,
        "Money for kinship carers",
        "We take the children in and then struggle for years.",
        [
            (2, "problem", "I only found out about allowances from another carer."),
            (3, "idea", "One national rate would end the postcode lottery."),
        ],
        "Same allowance as foster carers, everywhere.",
        False,
        [0, 4],
    ),
    (
        1,
        "Just for care-experienced young people",
        "",
        [(1, "story", "Things I have never said in front of a social worker.")],
        "Young people want a space of their own at every stage.",
        True,
        [],
    ),
]
PROPOSAL = {
    "problem": "Kinship carers get less money and support than foster carers for the same "
    "children, and it depends on where they live.",
    "change": "A national kinship allowance at the same rate as fostering, from the day a "
    "child arrives.",
    "who_acts": "The Department for Education, with local authorities paying it out",
    "first_step": "Publish the national rate and fund councils to pay it from next April",
    "impact": "Fewer kinship placements breaking down for money reasons; carers' hardship "
    "survey repeated after a year",
    "open_questions": "How are carers who stepped in years ago brought in?",
}
MONEY = "Money for kinship carers"
CONCERN = ("tension", "Paying it quickly versus checking every placement properly.")


def _cid() -> uuid.UUID:
    return uuid.uuid4()


def _staff(event: Event, user) -> Viewer:
    return Viewer(event=event, user=user, roles=frozenset(staff_roles(user, event)))


def _people(event: Event, people: list[tuple[str, str]], facilitator) -> list[Viewer]:
    codes = [code for _group, codes in STAKEHOLDER_GROUPS for code in codes]
    for code, label in codes:
        if not event.role_codes.filter(code=code).exists():
            event_services.add_role_code(event=event, code=code, label=label)
    if event.status == EventStatus.DRAFT:
        event_services.transition_event(event=event, to=EventStatus.SCHEDULED, by=facilitator)
    return [
        Viewer(
            event=event,
            participant=event_services.join_event(
                event=event, pseudonym=name, role_code=code, consent=True
            ),
        )
        for name, code in people
    ]


def _connect(event: Event, facilitator) -> None:
    people = _people(event, CONNECT_PEOPLE, facilitator)
    services.open_space(viewer=_staff(event, facilitator))
    for proposer, title, why, notes, key_points, staff_free, also in TOPICS:
        host = people[proposer]
        topic = services.propose_topic(viewer=host, title=title, why=why, client_id=_cid())
        if staff_free:
            services.set_staff_free(viewer=host, topic_id=topic.pk, staff_free=True)
        for author, kind, text in notes:
            services.go_to_topic(viewer=people[author], topic_id=topic.pk)
            cafe_services.post_note(viewer=people[author], text=text, kind=kind, client_id=_cid())
        for person in also:
            services.sign_up(viewer=people[person], topic_id=topic.pk)
        services.share_key_points(
            viewer=host, topic_id=topic.pk, text=key_points, share_notes=False
        )


def _create(event: Event, facilitator) -> None:
    people = _people(event, CREATE_PEOPLE, facilitator)
    host = _staff(event, facilitator)
    services.open_space(viewer=host)
    # The proposal is about kinship allowances: it comes from the theme whose own quotes
    # speak of them most, or from no theme if none does (never from an unrelated one).
    themes = [t for c in selectors.explore_columns(series=event.series) for t in c.themes]
    mentions = {t.key: sum("allowance" in q.text.lower() for q in t.quotes) for t in themes}
    theme = max(themes, key=lambda t: mentions[t.key], default=None)
    if theme is not None and mentions[theme.key]:
        topic = services.add_conversation_from_theme(
            viewer=host, theme_key=theme.key, client_id=_cid()
        )
    else:
        topic = services.propose_topic(viewer=host, title=MONEY, client_id=_cid())
    sources = [s.pk for s in ThemeSource.objects.filter(topic=topic)]
    proposal = services.add_proposal(
        viewer=people[0], topic_id=topic.pk, source_ids=sources, client_id=_cid(), **PROPOSAL
    )
    services.endorse(viewer=people[1], proposal_id=proposal.pk)
    kind, text = CONCERN
    services.raise_concern(
        viewer=people[2], proposal_id=proposal.pk, kind=kind, text=text, client_id=_cid()
    )


@transaction.atomic
def load_demo_openspace() -> Series:
    """Fill the demo series' Connect and Create events (once); both are left running."""
    series = Series.objects.get(slug=DEMO_SLUG)
    connect = Event.objects.get(series=series, stage=Stage.CONNECT)
    create = Event.objects.get(series=series, stage=Stage.CREATE)
    if Topic.objects.filter(event__in=[connect, create]).exists():
        return series
    facilitator = get_user_model().objects.get(username="facilitator")
    _connect(connect, facilitator)
    _create(create, facilitator)
    return series
