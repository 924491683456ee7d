"""Faults during a live round, against a real uvicorn server, PostgreSQL and Redis.

Each test is bounded (about a minute at most): the waits below are limits, never figures;
how fast things happen is measured in ``bench/live.py`` and ``docs/benchmarks.md``.
"""

import asyncio
import json
import os

import pytest
import websockets
from django.db import connection

from cafes.models import Note, Presence, Seat
from tests.factories import ParticipantFactory
from tests.faults.conftest import LiveClient, Round, cookie_for, in_db_thread, settle
from tests.support.servers import asgi_server, redis_server, wait_until
from tests.support.services import require_program

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def clients_for(server, round_: Round, people) -> list[LiveClient]:
    return [LiveClient(server, round_.event.slug, cookie_for(p)) for p in people]


async def post_steadily(client: LiveClient, count: int, *, label: str, pause: float = 0.25):
    """Post ``count`` notes at a steady pace, reconnecting whenever the socket drops."""
    for number in range(count):
        if not client.connected:
            await client.drop()
            await client.connect()
        await client.post(f"{label} {number}")
        await asyncio.sleep(pause)


async def flush(client: LiveClient, *, timeout: float = 30) -> None:
    """Wait until every write the client made is acknowledged (reconnecting resends)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while client.pending and loop.time() < deadline:
        if not client.connected:
            await client.drop()
            await client.connect()
        await asyncio.sleep(0.2)
    assert not client.pending, f"never acknowledged: {list(client.pending)}"


def assert_stored_once(round_: Round, clients: list[LiveClient]) -> dict:
    """Every acknowledged note is in the database exactly once; returns the table's notes."""
    acked = set().union(*(c.acked for c in clients))
    stored = list(Note.objects.filter(event=round_.event).values_list("client_id", flat=True))
    stored = [str(c) for c in stored]
    assert len(stored) == len(set(stored))
    assert acked <= set(stored)
    return round_.table_notes(clients[0].table)


def test_redis_restarted_during_a_round_loses_and_repeats_nothing(tmp_path):
    program = require_program("redis-server")
    round_ = Round.open(people=4)
    with (
        redis_server(program, tmp_path) as redis,
        asgi_server(tmp_path, REDIS_URL=redis.url) as server,
    ):
        clients = clients_for(server, round_, round_.people)

        async def scenario() -> dict:
            for client in clients:
                await client.connect()
            writers = [
                asyncio.create_task(post_steadily(c, 24, label=f"seat {i}"))
                for i, c in enumerate(clients)
            ]
            await asyncio.sleep(2)
            redis.kill()
            await asyncio.sleep(1.5)
            redis.start()
            await asyncio.gather(*writers)
            for client in clients:
                await flush(client)
            expected = await in_db_thread(assert_stored_once, round_, clients)
            await settle(clients, expected)
            boards = [c.notes for c in clients]
            for client in clients:
                await client.drop()
            return {
                "expected": expected,
                "boards": boards,
                "twice": [c.applied_twice for c in clients],
            }

        result = asyncio.run(scenario())
        log = server.output()

    assert len(result["expected"]) == 4 * 24
    assert all(board == result["expected"] for board in result["boards"])
    assert result["twice"] == [0, 0, 0, 0]
    # What the operator reads: one warning when Redis went, one line when it was back and
    # the sockets had caught up; no traceback (those are for real bugs).
    assert log.count("The channel layer is unreachable") == 1, log
    back = [line for line in log.splitlines() if "The channel layer is back after" in line]
    assert len(back) == 1, log
    assert "4 sockets caught up from the database." in back[0]
    assert "Traceback" not in log


SERVER_APP_NAME = "bridgework-faults-asgi"


def _terminate_server_connections() -> int:
    """What a PostgreSQL restart or failover does to the server's pooled connections (only
    the server's: it names itself with PGAPPNAME)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SERVER_APP_NAME],
        )
        return cursor.fetchone()[0]


def test_a_dropped_database_connection_gives_an_error_frame_then_recovers(tmp_path):
    round_ = Round.open(people=2)
    with asgi_server(tmp_path, PGAPPNAME=SERVER_APP_NAME) as server:
        client, mate = clients_for(server, round_, round_.people)

        async def scenario() -> dict:
            await client.connect()
            await mate.connect()
            await client.post("before the database went away")
            await flush(client, timeout=10)
            killed = await in_db_thread(_terminate_server_connections)
            socket = client.ws
            client_id = await client.post("while the database is away")
            for _ in range(40):  # the client resends an unacknowledged write until acked
                await asyncio.sleep(0.25)
                if client_id in client.acked:
                    break
                await client.ws.send(json.dumps(client.pending[client_id]))
            expected = await in_db_thread(assert_stored_once, round_, [client])
            await settle([client, mate], expected)
            return {
                "killed": killed,
                "same_socket": client.ws is socket and client.connected,
                "errors": [e["code"] for e in client.errors],
                "acked": client_id in client.acked,
                "boards": [client.notes, mate.notes],
                "expected": expected,
            }

        result = asyncio.run(scenario())
        log = server.output()

    assert result["killed"] >= 1
    assert "unavailable" in result["errors"], log
    assert set(result["errors"]) == {"unavailable"}
    assert result["acked"]
    assert result["same_socket"]
    assert len(result["expected"]) == 2
    assert result["boards"] == [result["expected"], result["expected"]]


def test_a_client_that_reconnects_fifty_times_ends_with_the_same_notes(tmp_path):
    round_ = Round.open(people=3)
    with asgi_server(tmp_path) as server:
        steady, flapping, writer = clients_for(server, round_, round_.people)

        async def scenario() -> dict:
            for client in (steady, flapping, writer):
                await client.connect()
            writing = asyncio.create_task(post_steadily(writer, 40, label="writer", pause=0.2))
            for number in range(50):
                await flapping.drop()
                await flapping.connect()
                if number % 10 == 0:
                    await flapping.post(f"flapping {number}")
                await asyncio.sleep(0.05)
            await writing
            for client in (steady, flapping, writer):
                await flush(client)
            expected = await in_db_thread(assert_stored_once, round_, [flapping, writer])
            await settle([steady, flapping, writer], expected)
            return {
                "expected": expected,
                "steady": steady.notes,
                "flapping": flapping.notes,
                "twice": steady.applied_twice + flapping.applied_twice,
            }

        result = asyncio.run(scenario())

    assert len(result["expected"]) == 40 + 5
    assert result["flapping"] == result["steady"] == result["expected"]
    assert result["twice"] == 0


# The pub/sub layer (the default) and the list-based one with a tiny capacity and expiry, so
# the slow socket's queue overflows at once and channels-redis drops doorbells silently, as
# it would under real load.
LAYERS = {
    "pubsub": {"CHANNEL_LAYER": "pubsub"},
    "core-overflowing": {
        "CHANNEL_LAYER": "core",
        "CHANNEL_LAYER_CAPACITY": "2",
        "CHANNEL_LAYER_EXPIRY": "1",
    },
}


@pytest.mark.parametrize("layer", LAYERS)
def test_a_slow_client_makes_nobody_miss_a_note_and_catches_up_on_everything(tmp_path, layer):
    round_ = Round.open(people=4)
    with asgi_server(tmp_path, **LAYERS[layer]) as server:
        slow, *busy = clients_for(server, round_, round_.people)

        async def scenario() -> dict:
            for client in (slow, *busy):
                await client.connect()
            slow.reader.cancel()  # reads nothing from now on
            slow.reader = None
            await asyncio.gather(
                *(post_steadily(c, 15, label=f"busy {i}", pause=0.2) for i, c in enumerate(busy))
            )
            for client in busy:
                await flush(client)
            expected = await in_db_thread(assert_stored_once, round_, busy)
            await settle(busy, expected)
            on_time = [c.notes == expected for c in busy]
            await asyncio.sleep(float(os.environ.get("SLOW_CLIENT_PAUSE", "5")))
            slow.reader = asyncio.create_task(slow._read())  # catches up
            await settle([slow], expected)
            return {"expected": expected, "on_time": on_time, "slow": slow.notes}

        result = asyncio.run(scenario())

    assert len(result["expected"]) == 3 * 15
    assert result["on_time"] == [True, True, True]
    assert result["slow"] == result["expected"]


def test_a_connect_storm_seats_and_serves_everyone(tmp_path, record_property):
    """``STORM_SOCKETS`` sockets (1,000) open within ``STORM_SECONDS`` (10 s), all late
    arrivals, so every one of them is seated on connecting; each gets its table and posts a
    note. How long serving them took is printed (``-s``) and recorded, not asserted: the
    figures belong in docs/benchmarks.md."""
    sockets = int(os.environ.get("STORM_SOCKETS", "1000"))
    spread = float(os.environ.get("STORM_SECONDS", "10"))
    round_ = Round.open(people=0, table_size=4)
    people = ParticipantFactory.create_batch(sockets, event=round_.event)
    with asgi_server(tmp_path, workers=2) as server:
        clients = clients_for(server, round_, people)

        async def arrive(client: LiveClient, number: int) -> float:
            await asyncio.sleep(spread * number / sockets)
            await client.connect()
            return asyncio.get_running_loop().time()

        async def scenario() -> tuple[list, float]:
            began = asyncio.get_running_loop().time()
            served = await asyncio.gather(*(arrive(c, n) for n, c in enumerate(clients)))
            await asyncio.gather(*(c.post("here") for c in clients))
            for client in clients:
                await flush(client)
            tables = [c.table for c in clients]
            for client in clients:
                await client.drop()
            return tables, max(served) - began

        tables, served_s = asyncio.run(scenario())

    record_property("storm_served_s", round(served_s, 1))
    print(f"\nstorm: {sockets} sockets opened within {spread:g} s, all served by {served_s:.1f} s")
    seats = Seat.objects.filter(round__event=round_.event)
    assert seats.count() == sockets
    assert all(tables)
    assert sorted(seats.values_list("table_id", flat=True)) == sorted(tables)
    assert max(tables.count(t) for t in set(tables)) <= 4
    assert Note.objects.filter(event=round_.event).count() == sockets


def test_a_half_open_connection_is_noticed_by_the_heartbeat_and_leaves_the_table(tmp_path):
    round_ = Round.open(people=2)
    ghost_person = round_.people[0]

    def ghost_present(frame: dict) -> bool:
        return {p["participant"]: p["present"] for p in frame["people"]}[ghost_person.pk]

    with asgi_server(tmp_path, CAFES_HEARTBEAT_TIMEOUT="2") as server:
        ghost, mate = clients_for(server, round_, round_.people)

        async def scenario() -> tuple:
            await ghost.connect()
            ghost.reader.cancel()  # a browser that vanished: it neither reads nor sends
            ghost.reader = None
            await mate.connect()
            presence = []
            original = mate.apply

            def watch(frame: dict) -> None:
                if frame["type"] == "presence":
                    presence.append(frame)
                original(frame)

            def mate_sees_ghost_leave() -> bool:
                # Presence is gathered for a moment before it is sent: wait for the frame
                # after the ghost left, not just any presence frame.
                return bool(presence) and not ghost_present(presence[-1])

            mate.apply = watch
            here = await in_db_thread(
                lambda: Presence.objects.filter(participant=ghost_person).exists()
            )
            for _ in range(60):  # the live mate pings, as the reference client does
                await mate.ping()
                await asyncio.sleep(0.5)
                gone = await in_db_thread(
                    lambda: not Presence.objects.filter(participant=ghost_person).exists()
                )
                if gone and mate_sees_ghost_leave():
                    break
            closed = "still open"
            try:
                async with asyncio.timeout(5):
                    while True:  # what the server sent before closing, then the close
                        await ghost.ws.recv()
            except websockets.ConnectionClosed as exc:
                closed = exc.rcvd.code if exc.rcvd else None
            except TimeoutError:
                pass
            mate_still_here = await in_db_thread(
                lambda: Presence.objects.filter(participant=round_.people[1]).exists()
            )
            return here, presence, closed, mate_still_here

        here, presence, closed, mate_still_here = asyncio.run(scenario())

    assert here
    wait_until(lambda: not Presence.objects.filter(participant=ghost_person).exists(), timeout=5)
    assert mate_still_here  # the mate's pings kept it connected and present
    assert ghost_present(presence[-1]) is False
    assert closed in (4408, None)  # closed by the watchdog (or the TCP dropped first)
