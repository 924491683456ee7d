"""The load generator shared by the benchmarks: N websocket clients seated at tables, each
posting notes at a steady rate, measuring send-to-arrival time at every other seat.

A ``Protocol`` says how to reach a seat and how to read frames, so the same load runs
against Bridgework and against the bare relay baseline.
"""

import asyncio
import gc
import json
import random
import socket
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol as TypingProtocol

import websockets


class Protocol(TypingProtocol):
    def url(self, seat: int) -> str: ...
    def headers(self, seat: int) -> dict[str, str]: ...
    def table_of(self, seat: int) -> int: ...
    def note_frame(self, seat: int, client_id: str, text: str) -> str: ...
    def watches(self, seat: int) -> bool:
        """A staff screen: sends nothing and sees every table's notes."""

    async def on_open(self, ws, seat: int) -> None: ...
    def read(self, frame: dict, seat: int) -> tuple[str, str] | None:
        """``("note", client_id)`` for a note arriving, ``("ack", client_id)`` for an ack."""


@dataclass
class Results:
    sent: dict[str, tuple[float, int]] = field(default_factory=dict)  # client_id -> (t, seat)
    delivered: Counter = field(default_factory=Counter)  # (client_id, seat) -> count
    latencies_ms: list[float] = field(default_factory=list)
    # (seconds after the load began that the note was sent, latency ms), for ``trace``.
    timeline: list[tuple[float, float]] = field(default_factory=list)
    ack_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    connected: int = 0
    last_arrival: float = 0.0
    # Staff screens (``watches``): every note at every table, counted apart.
    watched: Counter = field(default_factory=Counter)  # (client_id, seat) -> count
    watch_ms: list[float] = field(default_factory=list)


class PauseLog:
    """The load generator's own garbage-collection pauses (a pause here delays every
    arrival it would have read, and would be counted against the server)."""

    def __init__(self) -> None:
        self.pauses: list[tuple[float, int, float]] = []  # (when, generation, ms)
        self._started = 0.0

    def __enter__(self) -> "PauseLog":
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._started = now
        else:
            self.pauses.append((now, info["generation"], (now - self._started) * 1000))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def _seat(
    protocol,
    seat: int,
    results: Results,
    start: asyncio.Event,
    stop_at_box: list,
    rate: float,
    drain: float,
) -> None:
    try:
        ws = await websockets.connect(
            protocol.url(seat),
            additional_headers=protocol.headers(seat),
            open_timeout=60,
            max_queue=None,
            ping_interval=None,
        )
    except Exception as exc:
        results.errors[f"connect: {type(exc).__name__}"] += 1
        return
    try:
        await asyncio.wait_for(protocol.on_open(ws, seat), 120)
    except Exception as exc:
        results.errors[f"open: {type(exc).__name__}"] += 1
        await ws.close()
        return
    results.connected += 1
    watching = protocol.watches(seat)

    async def reader() -> None:
        async for raw in ws:
            frame = json.loads(raw)
            got = protocol.read(frame, seat)
            if got is None:
                if frame.get("type") == "error":
                    results.errors[f"frame: {frame.get('code')}"] += 1
                continue
            what, client_id = got
            sent = results.sent.get(client_id)
            if sent is None:
                continue
            now = time.perf_counter()
            if watching:
                results.watched[(client_id, seat)] += 1
                if results.watched[(client_id, seat)] == 1:
                    results.watch_ms.append((now - sent[0]) * 1000)
                continue
            if what == "ack" or (what == "note" and sent[1] == seat):
                results.ack_ms.append((now - sent[0]) * 1000)
                continue
            results.delivered[(client_id, seat)] += 1
            if results.delivered[(client_id, seat)] == 1:
                results.latencies_ms.append((now - sent[0]) * 1000)
                results.timeline.append((sent[0], (now - sent[0]) * 1000))
                results.last_arrival = max(results.last_arrival, now)

    read_task = asyncio.create_task(reader())
    await start.wait()
    await asyncio.sleep(random.random() / rate)  # spread the first notes
    number = 0
    try:
        while not watching and time.perf_counter() < stop_at_box[0]:
            client_id = str(uuid.uuid4())
            number += 1
            results.sent[client_id] = (time.perf_counter(), seat)
            await ws.send(protocol.note_frame(seat, client_id, f"Seat {seat} note {number}"))
            await asyncio.sleep(1 / rate)
    except Exception as exc:
        results.errors[f"send: {type(exc).__name__}"] += 1
    if watching:
        await asyncio.sleep(max(0.0, stop_at_box[0] - time.perf_counter()))
    await asyncio.sleep(drain)
    if read_task.done() and read_task.exception() is not None:
        results.errors[f"read: {type(read_task.exception()).__name__}"] += 1
    read_task.cancel()
    await ws.close()


async def run_load(
    protocol,
    *,
    participants: int,
    duration: float,
    watchers: int = 0,
    rate: float,
    drain: float = 5.0,
    connect_batch: int = 100,
    trace: str | None = None,
) -> dict:
    """Connect every seat (``participants`` who post, then ``watchers`` staff screens),
    send for ``duration`` seconds, wait ``drain`` s, summarise.
    ``trace``: a CSV file to write every delivery to (send time from the start, latency),
    to see whether slow deliveries come together in time (a stall) or are spread out."""
    results = Results()
    start = asyncio.Event()
    stop_at_box = [0.0]
    tasks = []
    connecting = time.perf_counter()
    everyone = participants + watchers
    for first in range(0, everyone, connect_batch):
        for seat in range(first, min(everyone, first + connect_batch)):
            tasks.append(
                asyncio.create_task(_seat(protocol, seat, results, start, stop_at_box, rate, drain))
            )
        await asyncio.sleep(0.2)
    deadline = time.perf_counter() + 120
    while results.connected + sum(results.errors.values()) < everyone:
        if time.perf_counter() > deadline:
            break
        await asyncio.sleep(0.1)
    served_at = time.perf_counter()
    await asyncio.sleep(1)
    # The load generator's own garbage collector would pause every socket it reads (a full
    # pass took 150-260 ms here) and count the pause against the server: what it has built
    # so far is frozen, and collection waits until the measurement is over.
    gc.collect()
    gc.freeze()
    gc.disable()
    began = time.perf_counter()
    stop_at_box[0] = began + duration
    start.set()
    try:
        with PauseLog() as pauses:
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        gc.enable()
        gc.unfreeze()
    full = [ms for when, generation, ms in pauses.pauses if generation == 2]

    if trace:
        with open(trace, "w") as out:
            out.write("sent_s,latency_ms\n")
            for sent_at, latency in sorted(results.timeline):
                out.write(f"{sent_at - began:.3f},{latency:.1f}\n")
    table_sizes = Counter(protocol.table_of(s) for s in range(participants))
    expected = sum(table_sizes[protocol.table_of(seat)] - 1 for _, seat in results.sent.values())
    received = len(results.delivered)
    duplicates = sum(count - 1 for count in results.delivered.values())
    lat = results.latencies_ms
    # Delivery throughput: deliveries over the time from the first send to the last arrival,
    # so a server that falls behind (and catches up in the drain) scores lower.
    active_s = max(results.last_arrival - began, duration) if results.last_arrival else duration
    staff = {}
    if watchers:
        staff = {
            "staff": watchers,
            "staff_deliveries_expected": len(results.sent) * watchers,
            "staff_deliveries_received": len(results.watched),
            "staff_duplicates": sum(count - 1 for count in results.watched.values()),
            "staff_p50_ms": _round(percentile(results.watch_ms, 50)),
            "staff_p99_ms": _round(percentile(results.watch_ms, 99)),
            "staff_max_ms": round(max(results.watch_ms), 1) if results.watch_ms else None,
        }
    return {
        "participants": participants,
        "connected": results.connected,
        # From the first connection attempt until every seat had its state (or gave up).
        "connect_s": round(served_at - connecting, 1),
        "notes_sent": len(results.sent),
        "acks": len(results.ack_ms),
        "deliveries_expected": expected,
        "deliveries_received": received,
        "duplicates": duplicates,
        "p50_ms": _round(percentile(lat, 50)),
        "p99_ms": _round(percentile(lat, 99)),
        "max_ms": round(max(lat), 1) if lat else None,
        "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
        "ack_p50_ms": _round(percentile(results.ack_ms, 50)),
        "ack_p99_ms": _round(percentile(results.ack_ms, 99)),
        "notes_per_s": round(len(results.sent) / duration, 1),
        "active_s": round(active_s, 2),
        "deliveries_per_s": round(received / active_s, 1),
        **staff,
        # The load generator's own full garbage collections while it measured.
        "client_gc_full": len(full),
        "client_gc_full_max_ms": round(max(full), 1) if full else None,
        "client_gc_at_s": [round(when - began, 1) for when, g, ms in pauses.pauses if ms > 50],
        "errors": dict(results.errors),
    }
