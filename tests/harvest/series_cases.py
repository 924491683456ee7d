"""Realistic Explore themes of two stakeholder groups for the series tests: equal titles
that mean different things, and different words that mean the same.

Each entry is (title, [notes]); the notes are written as people type them at a café table.
"Allowance" is about allowances not made for a parent's disability or grief for the birth
parents, and about money for the carers; "Meetings" and "Reviews" both say that the
professionals decide without listening, in different words.
"""

import uuid
from dataclasses import dataclass

from cafes.models import Note
from events.models import Stage
from harvest.models import Theme, ThemeNote
from tests.factories import (
    EventFactory,
    ParticipantFactory,
    RoundFactory,
    SeriesFactory,
    StakeholderGroupFactory,
    TableFactory,
)

# Birth parents and families.
BIRTH_PARENTS = [
    (
        "Allowance",
        [
            "no allowance made for my learning disability at the meetings",
            "they made no allowance for me grieving my mum when they did the assessment",
            "nobody made allowances for my dyslexia, they just sent more letters",
        ],
    ),
    (
        "School",
        [
            "nobody from the school tells me how my son is getting on since he went into care",
            "the foster carer goes to parents evening and I am not even told when it is",
            "I asked for his school reports and was told I have no right to see them",
        ],
    ),
    (
        "Meetings",
        [
            "at the child protection conference they all talked about me as if I wasnt in the room",
            "nobody asked me what I thought my kids needed, the plan was decided before I sat down",
            "I felt judged before I opened my mouth, professionals had already made their minds up",
        ],
    ),
]

# Kinship, foster and adoptive carers.
CARERS = [
    (
        "Allowance",
        [
            "nobody told me I could ask for a kinship allowance, another nan did",
            "foster carers get an allowance twice what we get",
            "gave up my job for the grandkids, we live on nothing",
        ],
    ),
    (
        "School",
        [
            "the school keeps excluding him and doesnt understand he is a child in care",
            "teachers need training in trauma, his behaviour at school is about what "
            "happened to him",
            "the virtual school head has never once come to a meeting about her",
        ],
    ),
    (
        "Carers and evenings",
        [
            "all the training for carers is in the daytime when I am at work",
            "evening and online sessions so that working carers can actually attend",
            "the support group only meets at 11 on a tuesday morning, no good if you work",
        ],
    ),
    (
        "Reviews",
        [
            "at the looked after review the professionals decide everything and we just sit there",
            "they never ask the carers what the child is really like at home",
            "I was spoken about, not spoken to, and the decision was made before the review "
            "started",
        ],
    ),
]


@dataclass
class SeriesCase:
    series: object
    parents: object  # the birth parents' Explore event
    carers: object  # the carers' Explore event
    themes: dict  # (group code, title) -> Theme
    notes: dict  # (group code, title) -> [Note]


def explore_with_themes(series, group: str, roles: list[str], cases) -> tuple:
    """An Explore event of ``series`` whose one round holds ``cases`` as curated themes, the
    first two notes of each quoted; every note by its own participant."""
    event = EventFactory(
        series=series,
        stage=Stage.EXPLORE,
        title=f"Explore: {group.lower()}",
        stakeholder_group=StakeholderGroupFactory(series=series, name=group),
    )
    round_ = RoundFactory(event=event, number=1)
    table = TableFactory(event=event, number=1)
    themes, notes = {}, {}
    for position, (title, texts) in enumerate(cases):
        theme = Theme.objects.create(
            event=event, round=round_, title=title, position=position, is_curated=True
        )
        made = []
        for i, text in enumerate(texts):
            role = roles[i % len(roles)]
            note = Note.objects.create(
                event=event,
                round=round_,
                table=table,
                participant=ParticipantFactory(event=event, role_code=role),
                role_code=role,
                kind="problem",
                text=text,
                client_id=uuid.uuid4(),
            )
            ThemeNote.objects.create(theme=theme, note=note, is_quote=i < 2, position=i)
            made.append(note)
        themes[title], notes[title] = theme, made
    return event, themes, notes


def make_series_case(series=None) -> SeriesCase:
    """Two groups' Explore events: birth parents and carers (``BIRTH_PARENTS``, ``CARERS``)."""
    series = series or SeriesFactory(title="Bridge the Gap")
    parents, bp_themes, bp_notes = explore_with_themes(
        series, "Birth parents and families", ["BP", "BF"], BIRTH_PARENTS
    )
    carers, kc_themes, kc_notes = explore_with_themes(
        series, "Kinship, foster and adoptive carers", ["KC", "FC"], CARERS
    )
    return SeriesCase(
        series=series,
        parents=parents,
        carers=carers,
        themes={("bp", t): v for t, v in bp_themes.items()}
        | {("kc", t): v for t, v in kc_themes.items()},
        notes={("bp", t): v for t, v in bp_notes.items()}
        | {("kc", t): v for t, v in kc_notes.items()},
    )
