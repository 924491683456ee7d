"""Two browsers at once on PostgreSQL: the same topic sent twice (a retry racing the first
attempt) is stored once, and two facilitators placing topics into one place never both win."""

import threading

import pytest
from django.db import close_old_connections, connection

from cafes.errors import CafeError
from openspace import services
from openspace.models import Topic
from tests.openspace.conftest import cid, make_connect, propose
from tests.support.services import require_postgres_and_redis

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    """Run the calls in two threads released together; their results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        close_old_connections()
        try:
            barrier.wait()
            results[index] = call()
        except CafeError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_retry_racing_the_first_attempt_stores_one_topic():
    require_postgres_and_redis()
    room = make_connect()
    client_id = cid()

    def send():
        return services.propose_topic(
            viewer=room.viewers[0], title="Housing", why="", client_id=client_id
        ).pk

    first, second = at_once(send, send)
    assert first == second
    assert Topic.objects.filter(event=room.event).count() == 1
    assert room.event.tables.count() == 1


def test_two_facilitators_placing_into_one_place_never_both_win():
    require_postgres_and_redis()
    room = make_connect()
    space = services.add_space(viewer=room.facilitator, name="Room", capacity=8)
    slot = services.add_time_slot(viewer=room.facilitator, label="11:00")
    topics = [propose(room.viewers[i], title) for i, title in enumerate(["Housing", "School"])]

    def place(topic):
        return lambda: services.place_topic(
            viewer=room.facilitator, topic_id=topic.pk, space_id=space.pk, slot_id=slot.pk
        )

    results = at_once(place(topics[0]), place(topics[1]))
    errors = [r for r in results if isinstance(r, CafeError)]
    assert [e.code for e in errors] == ["place_taken"]
    assert Topic.objects.filter(space=space, slot=slot).count() == 1
