"""The load generator shared by the benchmarks: N websocket clients seated at tables, each
posting notes at a steady rate, measuring send-to-arrival time at every other seat.

A ``Protocol`` says how to reach a seat and how to read frames, so the same load runs
against Bridgework and against the bare relay baseline.

Staff sockets connect after the participants and post nothing. Each has a role
(``Protocol.staff``):

- ``"host"``, a table host at one table (``table_of``): every note of that table should
  reach it once; its send-to-arrival time is measured like a seat's, and a note of another
  table that reaches it is counted (``host_other_table_notes``, which should be 0).
- ``"console"``, a facilitator console: it should hear of every note through ``overview``
  frames (what each changed table's newest note is, at most about once a second). Each
  overview entry is recorded with its arrival time; after the run a note's latency at a
  console is the time from its send to the first overview there whose entry for the
  note's table has ``last_note_id`` at or past the note's id (from its author's ack).
  Note ``update`` frames a console receives (servers before the overview) are measured
  apart, as ``console_update_*``.

Every frame a staff socket receives, from its hello to its close, is counted by type and
in bytes.
"""

import asyncio
import gc
import json
import random
import socket
import statistics
import time
import uuid
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Protocol as TypingProtocol

import websockets


class Protocol(TypingProtocol):
    def url(self, seat: int) -> str: ...
    def headers(self, seat: int) -> dict[str, str]: ...
    def table_of(self, seat: int) -> int: ...
    def note_frame(self, seat: int, client_id: str, text: str) -> str: ...
    def staff(self, seat: int) -> str | None:
        """``"host"`` or ``"console"`` for a staff socket (it posts nothing), else None."""

    async def on_open(self, ws, seat: int) -> list:
        """Start the conversation; returns the raw frames it read doing so."""

    def read(self, frame: dict, seat: int) -> tuple | None:
        """``("note", client_id, table or None)`` for a note arriving,
        ``("ack", client_id, note id or None)`` for an ack, and
        ``("overview", None, [(table, last_note_id), ...])`` for a console's overview."""


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
    note_ids: dict[str, int] = field(default_factory=dict)  # client_id -> id, from the ack
    # Staff sockets, counted apart (see the module's docstring).
    staff_served: set[int] = field(default_factory=set)  # staff seats that got their state
    frames: dict = field(default_factory=lambda: defaultdict(Counter))  # seat -> type -> n
    frame_bytes: Counter = field(default_factory=Counter)  # seat -> bytes received
    host_delivered: Counter = field(default_factory=Counter)  # (client_id, seat) -> count
    host_ms: list[float] = field(default_factory=list)
    host_other_table: Counter = field(default_factory=Counter)  # seat -> notes of other tables
    # (console seat, table) -> [(arrival, last_note_id), ...] from overview frames
    overviews: dict = field(default_factory=lambda: defaultdict(list))
    console_updates: Counter = field(default_factory=Counter)  # (client_id, seat) -> count
    console_update_ms: list[float] = field(default_factory=list)


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


def _size(raw) -> int:
    return len(raw) if isinstance(raw, bytes) else len(raw.encode())


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
    role = protocol.staff(seat)
    try:
        opening = await asyncio.wait_for(protocol.on_open(ws, seat), 120)
    except Exception as exc:
        results.errors[f"open: {type(exc).__name__}"] += 1
        await ws.close()
        return
    results.connected += 1
    if role is not None:
        results.staff_served.add(seat)
        for raw in opening or ():
            results.frames[seat][json.loads(raw).get("type")] += 1
            results.frame_bytes[seat] += _size(raw)
    own_table = protocol.table_of(seat) if role == "host" else None

    def staff_read(frame: dict, got: tuple | None, now: float) -> None:
        if got is None:
            return
        what, client_id, extra = got
        if what == "overview":
            for table, last_note_id in extra:
                if last_note_id is not None:
                    results.overviews[(seat, table)].append((now, last_note_id))
            return
        if what != "note":
            return
        if role == "host" and extra != own_table:
            results.host_other_table[seat] += 1
            return
        sent = results.sent.get(client_id)
        if sent is None:
            return
        delivered = results.host_delivered if role == "host" else results.console_updates
        delivered[(client_id, seat)] += 1
        if delivered[(client_id, seat)] == 1:
            (results.host_ms if role == "host" else results.console_update_ms).append(
                (now - sent[0]) * 1000
            )

    async def reader() -> None:
        async for raw in ws:
            frame = json.loads(raw)
            now = time.perf_counter()
            got = protocol.read(frame, seat)
            if got is None and frame.get("type") == "error":
                results.errors[f"frame: {frame.get('code')}"] += 1
            if role is not None:
                results.frames[seat][frame.get("type")] += 1
                results.frame_bytes[seat] += _size(raw)
                staff_read(frame, got, now)
                continue
            if got is None:
                continue
            what, client_id, extra = got
            sent = results.sent.get(client_id)
            if sent is None:
                continue
            if what == "ack" or (what == "note" and sent[1] == seat):
                results.ack_ms.append((now - sent[0]) * 1000)
                if what == "ack" and extra is not None:
                    results.note_ids[client_id] = extra
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
        while role is None and time.perf_counter() < stop_at_box[0]:
            client_id = str(uuid.uuid4())
            number += 1
            results.sent[client_id] = (time.perf_counter(), seat)
            await ws.send(protocol.note_frame(seat, client_id, f"Seat {seat} note {number}"))
            await asyncio.sleep(1 / rate)
    except Exception as exc:
        results.errors[f"send: {type(exc).__name__}"] += 1
    if role is not None:
        await asyncio.sleep(max(0.0, stop_at_box[0] - time.perf_counter()))
    await asyncio.sleep(drain)
    if read_task.done() and read_task.exception() is not None:
        results.errors[f"read: {type(read_task.exception()).__name__}"] += 1
    read_task.cancel()
    await ws.close()


def _latency_keys(prefix: str, values: list[float]) -> dict:
    return {
        f"{prefix}_p50_ms": _round(percentile(values, 50)),
        f"{prefix}_p99_ms": _round(percentile(values, 99)),
        f"{prefix}_max_ms": round(max(values), 1) if values else None,
    }


def _frame_keys(prefix: str, results: Results, seats: list[int]) -> dict:
    """Frames (mean and max per socket, mean per socket by type) and bytes received by the
    staff sockets ``seats`` that were served."""
    served = [s for s in seats if s in results.staff_served]
    totals = [sum(results.frames[s].values()) for s in served]
    sizes = [results.frame_bytes[s] for s in served]
    by_type: Counter = Counter()
    for s in served:
        by_type.update(results.frames[s])
    return {
        f"{prefix}_frames_mean": round(statistics.fmean(totals), 1) if totals else None,
        f"{prefix}_frames_max": max(totals) if totals else None,
        f"{prefix}_frames_by_type": {
            str(kind): round(count / len(served), 1) for kind, count in by_type.most_common()
        },
        f"{prefix}_bytes_mean": round(statistics.fmean(sizes)) if sizes else None,
        f"{prefix}_bytes_max": max(sizes) if sizes else None,
    }


def _staff_summary(protocol, results: Results, participants: int, staff: int) -> dict:
    seats = range(participants, participants + staff)
    hosts = [s for s in seats if protocol.staff(s) == "host"]
    consoles = [s for s in seats if protocol.staff(s) == "console"]
    hosts_at = Counter(protocol.table_of(s) for s in hosts)
    host_expected = sum(hosts_at[protocol.table_of(seat)] for _, seat in results.sent.values())

    # A note reaches a console with the first overview there whose entry for the note's
    # table has reached the note's id (ids of a table's notes rise as they commit).
    reached: dict = {}
    for key, history in results.overviews.items():
        history.sort()
        highest, running = [], 0
        for _, last_note_id in history:
            running = max(running, last_note_id)
            highest.append(running)
        reached[key] = (highest, history)
    console_ms, seen = [], Counter()
    for client_id, (sent_at, author) in results.sent.items():
        note_id = results.note_ids.get(client_id)
        if note_id is None:
            continue
        for console in consoles:
            found = reached.get((console, protocol.table_of(author)))
            if found is None:
                continue
            highest, history = found
            at = bisect_left(highest, note_id)
            if at < len(history):
                console_ms.append((history[at][0] - sent_at) * 1000)
                seen[console] += 1
    return {
        "hosts": len(hosts),
        "hosts_connected": len(results.staff_served.intersection(hosts)),
        "host_deliveries_expected": host_expected,
        "host_deliveries_received": len(results.host_delivered),
        "host_duplicates": sum(count - 1 for count in results.host_delivered.values()),
        **_latency_keys("host", results.host_ms),
        "host_other_table_notes": sum(results.host_other_table[s] for s in hosts),
        "host_other_table_notes_max": max((results.host_other_table[s] for s in hosts), default=0),
        **_frame_keys("host", results, hosts),
        "consoles": len(consoles),
        "consoles_connected": len(results.staff_served.intersection(consoles)),
        **_latency_keys("console", console_ms),
        # Per console: every note sent should be seen by each.
        "console_notes_expected": len(results.sent),
        "console_notes_seen": [seen[s] for s in consoles],
        **_frame_keys("console", results, consoles),
        # Note ``update`` frames at consoles (a server without overview frames sends them).
        "console_update_deliveries": len(results.console_updates),
        **_latency_keys("console_update", results.console_update_ms),
    }


async def run_load(
    protocol,
    *,
    participants: int,
    duration: float,
    staff: int = 0,
    rate: float,
    drain: float = 5.0,
    connect_batch: int = 100,
    trace: str | None = None,
) -> dict:
    """Connect every seat (``participants`` who post, then ``staff`` staff sockets: seats
    ``participants`` onwards, each a host or a console by ``protocol.staff``), send for
    ``duration`` seconds, wait ``drain`` s, summarise.
    ``trace``: a CSV file to write every delivery to (send time from the start, latency),
    to see whether slow deliveries come together in time (a stall) or are spread out."""
    results = Results()
    start = asyncio.Event()
    stop_at_box = [0.0]
    tasks = []
    connecting = time.perf_counter()
    everyone = participants + staff
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
        **_staff_summary(protocol, results, participants, staff),
        # The load generator's own full garbage collections while it measured.
        "client_gc_full": len(full),
        "client_gc_full_max_ms": round(max(full), 1) if full else None,
        "client_gc_at_s": [round(when - began, 1) for when, g, ms in pauses.pauses if ms > 50],
        "errors": dict(results.errors),
    }
