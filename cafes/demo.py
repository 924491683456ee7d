# ruff: noqa: E501 -- the demo's notes are data, one per line
"""A finished café for the demo series: an Explore event with kinship, foster and adoptive
carers that has already taken place, with a small café's worth of notes, plenary chat,
priorities with votes and closing answers, then closed (which queues its harvest report).

Loaded by ``manage.py seed_demo_cafe`` after ``seed_demo``; does nothing the second time.
"""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cafes.models import ChatMessage, ClosingAnswer, Note, Priority, Vote
from cafes.services import ensure_rounds, ensure_table
from events import services as event_services
from events.demo import CLOSING_QUESTIONS, DEMO_SLUG, EXPLORE_AGENDA
from events.models import Event, EventStatus, Series, Stage

CAFE_SLUG = "bridge-the-gap-explore-carers"
GROUP = "Kinship, foster and adoptive carers"
# (pseudonym, role code); the last one withdraws after the event, so none of their words
# may reach the report.
PEOPLE = [
    ("Oakleaf", "KC"), ("Nan Jo", "KC"), ("Skylark", "FC"), ("Bramble", "FC"),
    ("River", "AP"), ("Kestrel", "KC"), ("Poppy", "FC"), ("Wren", "AP"),
    ("Hazel", "KC"), ("Moss", "FC"), ("Rowan", "AP"), ("Juniper", "KC"),
]  # fmt: skip
WITHDRAWS = "Juniper"

# round -> [(table, person index, kind, text)]
NOTES = {
    1: [
        (
            1,
            0,
            "story",
            "I took my grandson in overnight and heard nothing from the council for six weeks.",
        ),
        (
            1,
            1,
            "problem",
            "Nobody told me I could ask for an allowance, I found out from another nan at the school gate.",
        ),
        (
            1,
            2,
            "story",
            "Our supervising social worker changed three times in a year and each one asked the same questions.",
        ),
        (1, 3, "problem", "Training is always in the daytime when I am at work."),
        (
            2,
            4,
            "story",
            "After the adoption order the support just stopped, as if the trauma ended on that day.",
        ),
        (
            2,
            5,
            "problem",
            "I gave up my job to care for my sister's children and money has been tight ever since.",
        ),
        (
            2,
            6,
            "story",
            "The best thing was another foster carer who answered her phone at midnight.",
        ),
        (
            2,
            7,
            "problem",
            "We waited fourteen months for a therapy assessment through the support fund.",
        ),
        (
            3,
            8,
            "problem",
            "Contact with birth parents was arranged around the office, not around the children.",
        ),
        (3, 9, "story", "My social worker was brilliant, she always rang back the same day."),
        (3, 10, "problem", "School did not understand attachment and kept excluding our daughter."),
        (
            3,
            7,
            "story",
            "Call me on 07700 900456 if you want the full story of how we were treated.",
        ),
        (
            4,
            0,
            "problem",
            "Kinship carers get less training and less money than foster carers for the same children.",
        ),
        (4, 2, "problem", "Paperwork arrives with acronyms nobody explains."),
        (
            4,
            4,
            "story",
            "Our adoption support worker helped us get an education plan in place, it changed everything.",
        ),
        (4, 6, "problem", "Respite is promised but there is never anyone available."),
    ],
    2: [
        (
            1,
            1,
            "problem",
            "Financial support depends on which council you live in, it is a postcode lottery.",
        ),
        (1, 4, "strength", "Peer support groups run by carers are where we learn the most."),
        (1, 8, "possibility", "One named worker who stays with the family for the whole time."),
        (1, 3, "strength", "My local carers group at 14 Mill Lane kept me going."),
        (4, 11, "problem", "I was told to stop complaining or the placement would end."),
        (
            2,
            0,
            "strength",
            "Grandparents step in without a second thought; that commitment is a strength.",
        ),
        (2, 3, "possibility", "Training in the evenings and online so working carers can attend."),
        (
            2,
            5,
            "problem",
            "Kinship carers are treated as family helping out, not as carers doing a job.",
        ),
        (
            2,
            9,
            "possibility",
            "Therapy for the children should start at placement, not after a crisis.",
        ),
        (
            3,
            2,
            "strength",
            "Good supervising social workers who know the children make all the difference.",
        ),
        (
            3,
            6,
            "possibility",
            "A national allowance for kinship carers at the same rate as fostering.",
        ),
        (
            3,
            7,
            "problem",
            "Schools need training in trauma and attachment, exclusions make things worse.",
        ),
        (3, 10, "possibility", "Plain English letters and a glossary of the acronyms."),
        (4, 1, "possibility", "An advice line run by experienced carers, open in the evenings."),
        (4, 4, "strength", "Adoption support fund therapy works when you finally get it."),
        (
            4,
            8,
            "possibility",
            "Respite from a pool of approved family friends, not only strangers.",
        ),
    ],
    3: [
        (1, 0, "solution", "Pay kinship carers the same allowance as foster carers, everywhere."),
        (1, 4, "solution", "Every carer gets a named worker who stays for the whole placement."),
        (2, 3, "solution", "Therapy and support start on the day a child arrives."),
        (2, 6, "idea", "Peer mentors for every new carer in the first year."),
        (3, 2, "solution", "Trauma and attachment training for every school."),
        (3, 9, "idea", "Evening and online training for carers who work."),
        (4, 1, "solution", "An evening advice line run by carers."),
        (4, 5, "idea", "Respite from people the children already know."),
    ],
}
CHAT = {
    1: [
        (1, "So many of us heard nothing for weeks after taking the children in"),
        (2, "The midnight phone call from another carer, yes, that is what got me through"),
        (5, "Kinship carers are always the forgotten ones"),
        (7, "Fourteen months for therapy is shocking but not unusual"),
        (11, "Thank you all, it helps to hear I am not alone"),
    ],
    2: [
        (0, "Postcode lottery is exactly right"),
        (3, "Evening training would make such a difference"),
        (8, "A worker who stays, that is the one thing"),
    ],
    3: [
        (4, "Equal allowances gets my vote"),
        (6, "Peer mentors cost little and would help so much"),
    ],
}
# (table, text, votes)
PRIORITIES = [
    (1, "Equal allowances for kinship and foster carers, set nationally", 10),
    (1, "A named worker who stays with the family", 7),
    (2, "Therapeutic support from the day a child arrives", 8),
    (2, "Peer mentors for new carers", 5),
    (3, "Trauma-informed training for every school", 6),
    (4, "An evening advice line run by carers", 4),
]
ANSWERS = [
    [
        (0, "Equal money for kinship carers"),
        (2, "A social worker who stays"),
        (4, "Support that does not stop at the adoption order"),
        (6, "Respite that actually exists"),
        (8, "Being treated as a carer, not a relative doing a favour"),
        (10, "Schools that understand trauma"),
    ],
    [
        (1, "The peer support group"),
        (3, "Our supervising social worker"),
        (7, "The adoption support fund, once it came"),
        (9, "Family stepping in for each other"),
    ],
    [
        (0, "Hard to talk about but I felt heard"),
        (4, "Good to meet other carers"),
        (5, "Too short, we had more to say"),
        (9, "Better than any consultation I have been to"),
    ],
]


def _cid() -> uuid.UUID:
    return uuid.uuid4()


@transaction.atomic
def load_demo_cafe() -> Event:
    """Create the finished carers' café in the demo series (once) and close it."""
    existing = Event.objects.filter(slug=CAFE_SLUG).first()
    if existing is not None:
        return existing
    series = Series.objects.get(slug=DEMO_SLUG)
    facilitator = get_user_model().objects.filter(username="facilitator").first()
    host = get_user_model().objects.filter(username="tablehost").first()
    start = (timezone.now() - timedelta(days=10)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    event = event_services.create_event(
        series=series,
        stage=Stage.EXPLORE,
        title="Explore: kinship, foster and adoptive carers",
        slug=CAFE_SLUG,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        stakeholder_group=series.stakeholder_groups.get(name=GROUP),
        description="A Collective Story Café for kinship, foster and adoptive carers.",
        context=(
            "The review's case for change asks how carers who step in for children can be "
            "given the support, money and recognition that keep placements stable."
        ),
    )
    for kind, title, minutes, prompt in EXPLORE_AGENDA:
        event_services.add_segment(
            event=event, kind=kind, title=title, planned_minutes=minutes, prompt=prompt
        )
    questions = [
        event_services.add_closing_question(event=event, text=text) for text in CLOSING_QUESTIONS
    ]
    event_services.transition_event(event=event, to=EventStatus.SCHEDULED, by=facilitator)
    people = [
        event_services.join_event(event=event, pseudonym=name, role_code=code, consent=True)
        for name, code in PEOPLE
    ]
    event_services.transition_event(event=event, to=EventStatus.LIVE, by=facilitator)
    rounds = {r.number: r for r in ensure_rounds(event=event)}
    tables = {n: ensure_table(event=event, number=n) for n in range(1, 5)}
    if host is not None:
        tables[1].host = host
        tables[1].save(update_fields=["host"])
    Note.objects.bulk_create(
        Note(
            event=event,
            round=rounds[number],
            table=tables[table],
            participant=people[who],
            role_code=people[who].role_code,
            kind=kind,
            text=text,
            client_id=_cid(),
        )
        for number, notes in NOTES.items()
        for table, who, kind, text in notes
    )
    ChatMessage.objects.bulk_create(
        ChatMessage(
            event=event,
            round=rounds[number],
            participant=people[who],
            role_code=people[who].role_code,
            text=text,
            client_id=_cid(),
        )
        for number, messages in CHAT.items()
        for who, text in messages
    )
    last = rounds[max(rounds)]
    for table, text, votes in PRIORITIES:
        priority = Priority.objects.create(
            round=last, table=tables[table], text=text, client_id=_cid()
        )
        Vote.objects.bulk_create(Vote(priority=priority, participant=p) for p in people[:votes])
    ClosingAnswer.objects.bulk_create(
        ClosingAnswer(
            question=question,
            participant=people[who],
            role_code=people[who].role_code,
            text=text,
            client_id=_cid(),
        )
        for question, answers in zip(questions, ANSWERS, strict=True)
        for who, text in answers
    )
    withdrawn = next(p for p in people if p.pseudonym == WITHDRAWS)
    event_services.withdraw_participant(participant=withdrawn)
    event_services.transition_event(event=event, to=EventStatus.CLOSED, by=facilitator)
    return event
