"""Load benchmark of the live café: N websocket participants at T tables, each posting notes
at a steady rate, against the real ASGI server on PostgreSQL and Redis, with the event's
staff screens (table hosts and facilitator consoles) connected; then the same participant
load against ``bench/relay_asgi.py`` (the same channel layer, no database, no auth) as a
baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_live \\
    REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/live.py --participants 1000 --tables 250 --hosts 250 \\
        --consoles 3 --duration 30

The event is made through the services (``join_event``, ``start_cafe``, ``open_round``);
each participant's browser session is a real Django session carrying who they are, sent
as the ``sessionid`` cookie. Every note's send-to-arrival time is measured at every other
seat of its table, and its ack at its author: ``p50_ms``/``p99_ms`` (participants) stay
the headline figures.

Staff (signed-in Django sessions, as ``/login/`` leaves them) connect after the
participants, send a ``ping`` every 20 s like them, and post nothing:

- ``--hosts H``: H users with the TABLE_HOST role, each the host (``Table.host``) of one
  table (at most one per table), whose socket says ``hello`` with that ``table_id``. Each
  note's send-to-arrival time is measured at the host of its table: ``host_p50_ms``,
  ``host_p99_ms``, ``host_max_ms``, ``host_deliveries_expected``/``_received``,
  ``host_duplicates``; ``host_other_table_notes`` (and ``_max``, per socket) counts note
  frames a host received for another table (a host's view should show its own table only:
  0).
- ``--consoles C``: C users with the FACILITATOR role, ``hello`` without a table. A note
  reaches a console with the first ``overview`` frame there whose entry for the note's
  table has ``last_note_id`` at or past the note's id (from the author's ack):
  ``console_p50_ms``, ``console_p99_ms``, ``console_max_ms`` (null if the server sends no
  overview), ``console_notes_expected`` (per console) and ``console_notes_seen`` (one
  figure per console). Note ``update`` frames reaching a console (servers without the
  overview send every note to staff) are measured apart: ``console_update_deliveries``,
  ``console_update_p50_ms`` …
- For both, every frame a staff socket received from its hello to its close:
  ``host_frames_mean``/``_max`` and ``console_frames_mean``/``_max`` per socket,
  ``*_frames_by_type`` (mean per socket), ``*_bytes_mean``/``_max``; ``hosts``,
  ``consoles``, ``hosts_connected`` and ``consoles_connected`` say how many took part.

``--staff K`` (before: K table hosts each watching every table) is kept as a deprecated
alias of ``--hosts K``; the ``staff_*`` keys it gave are replaced by the ``host_*`` keys.
The last line printed is a JSON summary.
"""

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from bench.loadclient import free_port, run_load


def _refuse(message: str) -> None:
    print(f"bench/live.py: {message}", file=sys.stderr)
    sys.exit(2)


def _server_env(prefix: str, settings_module: str, extra: dict[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "CHANNEL_LAYER_PREFIX": prefix,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def _ensure_database(url: str) -> None:
    """Create the benchmark's database if it does not exist yet (never drops anything)."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        _refuse("DATABASE_URL must point at PostgreSQL (the benchmark measures the real stack).")
    admin = psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def _staff_session(user) -> str:
    """A signed-in browser session (what ``/login/`` leaves behind) for ``user``."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def make_event(
    participants: int, tables: int, hosts: int = 0, consoles: int = 0, late: int = 0
) -> dict:
    """An open Explore event with everyone joined, seated for round 1 and the round open
    (except the last ``late`` participants, who join after it opened and are seated by the
    server when they connect, as late arrivals are);
    ``hosts`` table hosts (the TABLE_HOST role, each the host of one table: ``Table.host``)
    and ``consoles`` facilitators (the FACILITATOR role), all signed in.

    Returns the slug and, per seat (participants, then hosts, then consoles), the session
    cookie, the participant id (``None`` for staff), the table id (a host's own table;
    ``None`` for a console) and ``staff``: ``None``, ``"host"`` or ``"console"``."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from cafes import services as cafe_services
    from cafes.models import Seat, Table
    from cafes.permissions import Viewer
    from events import services as event_services
    from events.identity import remember_participant
    from events.models import EventStatus, StaffRole, Stage
    from events.permissions import staff_roles

    call_command("migrate", verbosity=0, interactive=False)
    run = uuid.uuid4().hex[:8]
    users = get_user_model().objects
    owner = users.create_user(username=f"bench-{run}", password=None)
    series = event_services.create_series(title=f"Bench {run}", created_by=owner)
    starts = timezone.now()
    size = max(2, min(12, -(-participants // tables)))
    event = event_services.create_event(
        series=series,
        stage=Stage.EXPLORE,
        title=f"Load {participants} at {tables}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=participants,
        table_size=size,
    )
    for status in (EventStatus.SCHEDULED, EventStatus.LIVE):
        event = event_services.transition_event(event=event, to=status, by=owner)
    people = [
        event_services.join_event(event=event, pseudonym=f"Seat {n}", role_code="", consent=True)
        for n in range(participants - late)
    ]
    # Table hosts granted before the café starts are given tables by ``start_cafe``.
    host_users = []
    for number in range(hosts):
        user = users.create_user(username=f"bench-{run}-host-{number}")
        event_services.grant_role(user=user, role=StaffRole.TABLE_HOST, event=event)
        host_users.append(user)
    facilitator = Viewer(event=event, user=owner, roles=frozenset(staff_roles(owner, event)))
    cafe_services.start_cafe(viewer=facilitator)
    cafe_services.open_round(viewer=facilitator, number=1, minutes=240)
    people += [
        event_services.join_event(event=event, pseudonym=f"Seat {n}", role_code="", consent=True)
        for n in range(participants - late, participants)
    ]
    table_of = dict(
        Seat.objects.filter(round__event=event, round__number=1).values_list(
            "participant_id", "table_id"
        )
    )
    # Whoever ``start_cafe`` did not make a table's host gets a table without one.
    event_tables = list(Table.objects.filter(event=event).order_by("pk"))
    hosted = {t.host_id: t.pk for t in event_tables if t.host_id is not None}
    free = [t for t in event_tables if t.host_id is None]
    host_table = {}
    for user in host_users:
        if user.pk not in hosted and free:
            table = free.pop(0)
            table.host = user
            table.save(update_fields=["host"])
            hosted[user.pk] = table.pk
        if user.pk in hosted:
            host_table[user.pk] = hosted[user.pk]
    if len(host_table) < hosts:
        print(
            f"bench/live.py: {hosts} hosts asked for, but the event has {len(event_tables)} "
            f"tables: {len(host_table)} hosts take part",
            file=sys.stderr,
        )
    seats = []
    for participant in people:
        session = SessionStore()
        remember_participant(session, participant)
        session.save()
        seats.append(
            {
                "cookie": session.session_key,
                "participant": participant.pk,
                "table": table_of.get(participant.pk),  # a late arrival's: once seated
                "staff": None,
            }
        )
    for user in host_users:
        if user.pk in host_table:
            seats.append(
                {
                    "cookie": _staff_session(user),
                    "participant": None,
                    "table": host_table[user.pk],
                    "staff": "host",
                }
            )
    for number in range(consoles):
        user = users.create_user(username=f"bench-{run}-console-{number}")
        event_services.grant_role(user=user, role=StaffRole.FACILITATOR, event=event)
        seats.append(
            {"cookie": _staff_session(user), "participant": None, "table": None, "staff": "console"}
        )
    return {
        "slug": event.slug,
        "seats": seats,
        "tables": len(set(table_of.values())),
        "hosts": len(host_table),
        "consoles": consoles,
    }


class CafeProtocol:
    """The café protocol (docs/protocol.md) as the load client speaks it."""

    def __init__(self, port: int, slug: str, seats: list[dict]) -> None:
        self.port, self.slug, self.seats = port, slug, seats

    def url(self, seat: int) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/events/{self.slug}/live/"

    def headers(self, seat: int) -> dict[str, str]:
        return {
            "Cookie": f"sessionid={self.seats[seat]['cookie']}",
            "Origin": f"http://127.0.0.1:{self.port}",
        }

    def table_of(self, seat: int) -> int:
        return self.seats[seat]["table"]

    def note_frame(self, seat: int, client_id: str, text: str) -> str:
        return json.dumps(
            {"type": "note.post", "client_id": client_id, "text": text, "kind": "idea"}
        )

    async def on_open(self, ws, seat: int) -> list:
        # Like the reference client: a ping every 20 s, or the server's heartbeat watchdog
        # closes a socket that stays silent while the others connect (staff sockets too).
        self._keepalives = getattr(self, "_keepalives", set())
        task = asyncio.create_task(self._keepalive(ws))
        self._keepalives.add(task)
        task.add_done_callback(self._keepalives.discard)
        hello = {"type": "hello", "last_update_id": None}
        if self.seats[seat]["staff"] == "host":
            hello["table_id"] = self.seats[seat]["table"]  # a host's view of their table
        await ws.send(json.dumps(hello))
        frames = []
        while True:
            raw = await ws.recv()
            frames.append(raw)
            frame = json.loads(raw)
            # A late arrival learns their table from the server (seated on connect).
            participant = self.seats[seat]["staff"] is None
            if frame.get("type") == "state" and participant and frame["table"]:
                self.seats[seat]["table"] = frame["table"]["id"]
            if frame.get("type") == "synced":
                return frames

    @staticmethod
    async def _keepalive(ws) -> None:
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(20)
                await ws.send(json.dumps({"type": "ping"}))

    def staff(self, seat: int) -> str | None:
        return self.seats[seat]["staff"]

    def read(self, frame: dict, seat: int) -> tuple | None:
        kind = frame.get("type")
        if kind == "ack":
            return ("ack", frame["client_id"], frame.get("id"))
        if kind == "update" and frame.get("kind") == "note":
            note = frame["payload"]["note"]
            if note["participant"] == self.seats[seat]["participant"]:
                return None  # the author's own copy; the ack measures the author's side
            return ("note", note["client_id"], frame.get("table", note.get("table")))
        if kind == "overview":
            return (
                "overview",
                None,
                [(entry["id"], entry.get("last_note_id")) for entry in frame.get("tables", ())],
            )
        return None


class RelayProtocol:
    """The baseline: a frame sent to ``/ws/relay/<table>/`` comes back to every seat there,
    the sender's own copy being its ack."""

    def __init__(self, port: int, seats: list[dict]) -> None:
        self.port, self.seats = port, seats

    def url(self, seat: int) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/relay/{self.seats[seat]['table']}/"

    def headers(self, seat: int) -> dict[str, str]:
        return {}

    def table_of(self, seat: int) -> int:
        return self.seats[seat]["table"]

    def note_frame(self, seat: int, client_id: str, text: str) -> str:
        return json.dumps({"client_id": client_id, "text": text})

    def staff(self, seat: int) -> str | None:
        return None

    async def on_open(self, ws, seat: int) -> list:
        return []

    def read(self, frame: dict, seat: int) -> tuple | None:
        return ("note", frame["client_id"], None)


SERVERS = ("uvicorn", "hypercorn", "daphne")


def server_command(kind: str, app: str, port: int, workers: int, ws: str | None) -> list[str]:
    """How each ASGI server is started on loopback. uvicorn is what ``scripts/serve.sh`` and
    the Docker image run; daphne has no worker processes of its own (one process only)."""
    if kind == "uvicorn":
        command = [str(BIN / "uvicorn"), app, "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", str(workers), "--log-level", "warning", "--backlog", "4096"]
        # As scripts/serve.sh and docker-compose.yml run it (docs/operations.md).
        command += ["--ws-per-message-deflate", "false"]
        return command + (["--ws", ws] if ws else [])
    if kind == "hypercorn":
        command = [str(BIN / "hypercorn"), app, "--bind", f"127.0.0.1:{port}", "--backlog", "4096"]
        return [*command, "--workers", str(workers), "--log-level", "warning"]
    if workers != 1:
        _refuse("daphne runs one process: use --workers 1 with --server daphne")
    return [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "-v", "0", app]


class Server:
    """An ASGI server on loopback (uvicorn unless ``--server`` says otherwise)."""

    def __init__(
        self,
        app: str,
        workers: int,
        env: dict[str, str],
        log: Path,
        kind: str = "uvicorn",
        ws: str | None = None,
    ) -> None:
        self.port = free_port()
        self.log = log
        self.workers = workers
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                server_command(kind, app, self.port, workers, ws),
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, path: str | None) -> None:
        import socket

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log.read_text(errors='replace')}")
            try:
                if path:
                    urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2)
                else:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                time.sleep(1.0 if self.workers > 1 else 0.2)  # let every worker boot
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("server did not start within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def _throughput(result: dict) -> float:
    return result["deliveries_received"] / max(result["active_s"], 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--tables", type=int, default=250)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument(
        "--rate", type=float, default=0.1, help="notes per second per participant (0.1)"
    )
    parser.add_argument(
        "--hosts", type=int, default=0, help="table hosts, each at a table of their own (0)"
    )
    parser.add_argument("--consoles", type=int, default=0, help="facilitator consoles (0)")
    parser.add_argument(
        "--late",
        type=int,
        default=0,
        help="participants who join after round 1 opened, seated by the server on connect (0)",
    )
    parser.add_argument("--staff", type=int, help="deprecated: the same as --hosts")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--server", choices=SERVERS, default="uvicorn", help="ASGI server")
    parser.add_argument(
        "--ws", help="uvicorn's websocket implementation (websockets, websockets-sansio, wsproto)"
    )
    parser.add_argument("--drain", type=float, default=10, help="seconds to wait after sending")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="run the server under py-spy and write collapsed stacks (py-spy raw format) to FILE",
    )
    parser.add_argument(
        "--trace", metavar="FILE", help="write every delivery (send time, latency) to a CSV FILE"
    )
    args = parser.parse_args()
    if args.staff is not None:
        print("bench/live.py: --staff is deprecated, use --hosts", file=sys.stderr)
        args.hosts = args.staff

    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url or not redis_url:
        _refuse(
            "set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark measures the real "
            "stack, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_live "
            "REDIS_URL=redis://127.0.0.1:6379/6"
        )
    if not redis_url.startswith("redis"):
        _refuse("REDIS_URL must be a redis:// URL")
    _ensure_database(database_url)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # The sessions made here are read by the server: both must sign with the same key.
    os.environ.setdefault("SECRET_KEY", "bench-only-" + uuid.uuid4().hex * 2)
    started = time.perf_counter()
    event = make_event(args.participants, args.tables, args.hosts, args.consoles, args.late)
    setup_s = time.perf_counter() - started
    print(
        f"event {event['slug']}: {args.participants} participants at {event['tables']} tables, "
        f"{event['hosts']} table hosts, {event['consoles']} consoles (set up in {setup_s:.1f} s)",
        file=sys.stderr,
    )
    logs = ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    load = {
        "participants": args.participants,
        "duration": args.duration,
        "rate": args.rate,
        "drain": args.drain,
    }

    def start(app: str, name: str, log: str) -> Server:
        env = _server_env(name, "config.settings.production", {})
        return Server(app, args.workers, env, logs / log, kind=args.server, ws=args.ws)

    server = start("config.asgi:application", prefix, "live-server.log")
    spy = None
    try:
        server.wait_ready("/healthz")
        if args.profile:
            spy = subprocess.Popen(
                [
                    str(BIN / "py-spy"),
                    "record",
                    "--subprocesses",
                    # Only threads holding the GIL: where the server's CPU goes, not where
                    # its threads wait; and without pausing the server to sample it.
                    "--gil",
                    "--nonblocking",
                    "--format",
                    "raw",
                    "--output",
                    args.profile,
                    "--pid",
                    str(server.process.pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        ours = asyncio.run(
            run_load(
                CafeProtocol(server.port, event["slug"], event["seats"]),
                **load,
                staff=event["hosts"] + event["consoles"],
                trace=args.trace,
            )
        )
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
        server.stop()
    print(f"bridgework: {json.dumps(ours)}", file=sys.stderr)

    baseline = None
    if not args.skip_baseline:
        relay = start("bench.relay_asgi:application", prefix + "-relay", "relay.log")
        try:
            relay.wait_ready(None)
            baseline = asyncio.run(run_load(RelayProtocol(relay.port, event["seats"]), **load))
        finally:
            relay.stop()
        print(f"baseline: {json.dumps(baseline)}", file=sys.stderr)

    summary = {
        **ours,
        # Where everyone sat in the end (late arrivals were seated as they connected).
        "tables": len({s["table"] for s in event["seats"] if s["staff"] is None and s["table"]}),
        "late": args.late,
        "unseated": sum(1 for s in event["seats"] if s["staff"] is None and not s["table"]),
        "rate_per_participant": args.rate,
        "workers": args.workers,
        "server": args.server + (f" --ws {args.ws}" if args.ws else ""),
        "baseline_ratio": round(_throughput(ours) / _throughput(baseline), 3) if baseline else None,
        "baseline": {
            k: baseline[k]
            for k in ("deliveries_received", "deliveries_expected", "p50_ms", "p99_ms", "max_ms")
        }
        if baseline
        else None,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
