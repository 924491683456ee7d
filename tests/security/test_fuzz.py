"""Fuzzing with hypothesis: random and malformed websocket frames, and random form posts.

Whatever arrives, the server answers (an error frame, or a page), never crashes or 500s,
keeps the socket open and usable, and stores nothing that breaks the rules.
"""

import json
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cafes.checks import check_text
from cafes.live.frames import WRITES
from cafes.models import ChatMessage, Note, Priority
from config.asgi import application
from events.identity import remember_participant
from events.models import EventStatus, Participant
from events.services import check_plain_text
from tests.security.test_matrix import World

pytestmark = pytest.mark.django_db(transaction=True)
FUZZ = settings(
    max_examples=20,
    deadline=None,
    # A failing batch is reported whole: shrinking 200 frames through a socket takes minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=60),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "client_id", "text", "kind", "table_id", "note_id", "into_id", "tags", "hidden",
        "message_id", "reaction", "on", "pinned", "priority_id", "source_note_id",
        "question_id", "number", "minutes", "strategy", "phase", "participant_id",
        "last_update_id",
    ]
)  # fmt: skip
nasty_text = st.sampled_from(
    ["<script>alert(1)</script>", "javascript:alert(1)", "<b>hi</b>", "\x00\x01", "", " ",
     "x" * 3000, "I <3 my kids", "<!-- c -->", "<img src=x onerror=alert(1)>"]
)  # fmt: skip
frames = st.one_of(
    # Shaped like real frames, with random or hostile values.
    st.fixed_dictionaries(
        {"type": st.sampled_from([*WRITES, "hello", "ping", "nope", ""])},
        optional={
            "client_id": st.one_of(st.uuids().map(str), st.text(max_size=40), json_values),
        },
    ).flatmap(
        lambda base: st.dictionaries(
            field_names, st.one_of(json_values, nasty_text), max_size=5
        ).map(lambda extra: {**extra, **base})
    ),
    # Any JSON at all.
    json_values.map(lambda v: v),
).map(json.dumps)
raw_frames = st.one_of(
    frames.map(lambda text: ("text", text)),
    # (channels' test client cannot send an empty frame)
    st.text(min_size=1, max_size=200).map(lambda text: ("text", text)),
    st.binary(min_size=1, max_size=100).map(lambda data: ("bytes", data)),
    st.just(("text", "{" * 5000)),
    st.just(("text", json.dumps({"type": "note.post", "text": "x" * 9000}))),
)


@pytest.fixture
def world():
    return World()


def _stored_words_are_clean(event) -> None:
    for text in Note.objects.filter(event=event).values_list("text", flat=True):
        assert check_text(text) == text
    for text in ChatMessage.objects.filter(event=event).values_list("text", flat=True):
        assert check_text(text) == text
    for text in Priority.objects.filter(round__event=event).values_list("text", flat=True):
        assert check_text(text) == text


async def _fuzz_socket(slug: str, cookie: str, batch: list) -> dict:
    communicator = WebsocketCommunicator(
        application,
        f"/ws/events/{slug}/live/",
        headers=[(b"origin", b"http://localhost"), (b"cookie", f"sessionid={cookie}".encode())],
    )
    connected, _ = await communicator.connect()
    assert connected
    for kind, payload in batch:
        if kind == "bytes":
            await communicator.send_to(bytes_data=payload)
        else:
            await communicator.send_to(text_data=payload)
    marker = str(uuid.uuid4())
    await communicator.send_json_to(
        {"type": "chat.post", "client_id": marker, "text": "Still here"}
    )
    seen = {"error": 0, "ack": 0}
    while True:  # the socket stays open and answers a good frame after all that
        output = await communicator.receive_output(timeout=10)
        assert output["type"] == "websocket.send", output
        frame = json.loads(output["text"])
        if frame["type"] in seen:
            seen[frame["type"]] += 1
        if frame["type"] in ("ack", "error") and frame.get("client_id") == marker:
            break  # answered (an error only if the fuzzing facilitator ended the café)
    await communicator.disconnect()
    return seen


@pytest.mark.parametrize("who", ["participant", "facilitator"])
def test_random_and_malformed_frames_never_break_the_socket_or_store_garbage(
    world, who, django_settings
):
    django_settings.CAFES_RATE_LIMIT = {"burst": 10_000, "per_second": 10_000}
    cookie = world.cookie(who)
    totals = {"frames": 0, "error": 0}

    @FUZZ
    @given(batch=st.lists(raw_frames, min_size=60, max_size=150))
    def run(batch):
        seen = async_to_sync(_fuzz_socket)(world.event.slug, cookie, batch)
        totals["frames"] += len(batch)
        totals["error"] += seen["error"]

    run()
    _stored_words_are_clean(world.event)
    assert totals["frames"] >= 1000
    assert totals["error"] > 0


@pytest.fixture
def django_settings(settings):
    return settings


# --- HTTP forms ------------------------------------------------------------------------------

form_text = st.one_of(st.text(max_size=300), nasty_text)


def test_random_join_forms_never_500_and_store_only_clean_participants(world):
    world.event.status = EventStatus.SCHEDULED
    world.event.save()
    url = reverse("events:join", args=[world.event.code])

    @FUZZ
    @given(
        pseudonym=form_text,
        role=form_text,
        consent=st.sampled_from(["", "on", "yes", "0"]),
        needs=form_text,
        email=form_text,
    )
    def run(pseudonym, role, consent, needs, email):
        data = {
            "pseudonym": pseudonym,
            "role_code": role,
            "consent": consent,
            "accessibility_needs": needs,
            "contact_email": email,
        }
        response = Client().post(url, data)
        assert response.status_code < 500

    run()
    for participant in Participant.objects.filter(event=world.event):
        check_plain_text(participant.pseudonym, field="pseudonym", label="name")


def test_random_questionnaire_and_sign_in_posts_never_500(world):
    questionnaire = reverse("cafes:questionnaire", args=[world.participant.key])
    questions = list(world.event.closing_questions.values_list("pk", flat=True))

    @FUZZ
    @given(answers=st.lists(form_text, min_size=len(questions), max_size=len(questions)),
           username=form_text, password=form_text)  # fmt: skip
    def run(answers, username, password):
        data = {f"q-answer_{pk}": text for pk, text in zip(questions, answers, strict=True)}
        assert Client().post(questionnaire, data).status_code < 500
        login = Client().post(reverse("login"), {"username": username, "password": password})
        assert login.status_code < 500

    run()
    for text in world.participant.answers.values_list("text", flat=True):
        assert check_text(text) == text


def test_a_participant_session_only_ever_reaches_its_own_event(world):
    """A forged session that names another event's participant id is refused."""
    session = SessionStore()
    remember_participant(session, world.other)
    session["bridgework_participants"] = {str(world.event.pk): world.other.pk}
    session.save()
    client = Client()
    client.cookies["sessionid"] = session.session_key
    assert client.get(reverse("cafes:table", args=[world.event.slug])).status_code == 403


@pytest.mark.parametrize("number", [[[True]], "1", 1.5, True, 2**70, -1, None])
def test_a_round_number_that_is_not_a_whole_number_is_refused(world, number):
    """Found by the fuzzer: a list as ``number`` used to crash the socket."""
    from cafes import services
    from cafes.errors import CafeError

    with pytest.raises(CafeError) as refused:
        services.seat_round(viewer=world.facilitator, number=number)
    assert refused.value.code == "invalid"
