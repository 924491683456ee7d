"""Measure compiling a harvest report (every format) for synthetic events of N notes.

Each size runs in a child process of its own (so its peak memory is its own), on the
database ``DATABASE_URL`` names (it must exist; tables are migrated), or on a scratch SQLite
file when it is unset. The child generates an Explore event with N notes over three rounds
(about 40 notes per table, four people per table; each note two sentences of the harvest
fixture, so nearly all are different), plenary chat, priorities with votes and
closing answers, then runs ``reports.services.compile_report`` synchronously, the code the
Celery task runs. Run from the repository root:

    .venv/bin/python bench/report.py --notes 1000,10000,100000

Prints a line per size (time, peak memory, time per step) and, last, a JSON summary. A size
that exceeds ``--memory-limit`` or ``--timeout`` is reported as not finished.
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "tests" / "harvest" / "fixtures" / "notes.csv"
NOTES_PER_TABLE = 40


def note_text(texts: list[str], i: int) -> str:
    """Two fixture sentences joined: about 80,000 different notes, as unique as real ones
    (repeating a few hundred texts would let theming skip nearly every note as a duplicate)."""
    n = len(texts)
    first, second = texts[i % n], texts[(i // n * 7 + i * 3 + 1) % n]
    return first if first == second else f"{first.rstrip('.')}. {second}"


def _pdf_pages(version) -> int | None:
    from pypdf import PdfReader

    pdf = version.files.filter(format="pdf").first()
    return len(PdfReader(pdf.file.path).pages) if pdf else None


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(notes: int) -> dict:
    """Generate one event of ``notes`` notes and compile its report; runs in the child."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from cafes.models import ChatMessage, ClosingAnswer, Note, Priority, Round, Table, Vote
    from events.models import ClosingQuestion, Event, EventStatus, Participant, Series, Stage
    from reports import services
    from reports.models import ReportVersion

    call_command("migrate", verbosity=0)
    texts = [row["text"] for row in csv.DictReader(FIXTURE.open(encoding="utf-8"))]
    kinds = {1: ["story", "problem"], 2: ["problem", "strength", "possibility"], 3: ["solution"]}
    started = time.perf_counter()
    stamp = uuid.uuid4().hex[:8]
    series = Series.objects.create(title=f"Bench {stamp}", slug=f"bench-{stamp}")
    now = timezone.now()
    event = Event.objects.create(
        series=series,
        stage=Stage.EXPLORE,
        title=f"Explore: {notes:,} notes",
        slug=f"bench-{stamp}-{notes}",
        starts_at=now - timedelta(days=1),
        ends_at=now - timedelta(days=1) + timedelta(hours=3),
        status=EventStatus.CLOSED,
        capacity=10**6,
    )
    tables = [
        Table.objects.create(event=event, number=n)
        for n in range(1, max(4, notes // (3 * NOTES_PER_TABLE)) + 1)
    ]
    people = Participant.objects.bulk_create(
        Participant(
            event=event, pseudonym=f"P{i}", role_code=("BP", "BF", "KC")[i % 3], consented_at=now
        )
        for i in range(4 * len(tables))
    )
    rounds = [
        Round.objects.create(event=event, number=n, prompt=f"Prompt of round {n}?")
        for n in (1, 2, 3)
    ]
    Note.objects.bulk_create(
        (
            Note(
                event=event,
                round=rounds[i % 3],
                table=tables[(i // 3) % len(tables)],
                participant=people[i % len(people)],
                role_code=people[i % len(people)].role_code,
                kind=kinds[i % 3 + 1][i % len(kinds[i % 3 + 1])],
                text=note_text(texts, i),
                client_id=uuid.uuid4(),
            )
            for i in range(notes)
        ),
        batch_size=2000,
    )
    ChatMessage.objects.bulk_create(
        ChatMessage(
            event=event,
            round=rounds[i % 3],
            participant=people[i % len(people)],
            role_code="BP",
            text=texts[(i * 7) % len(texts)],
            client_id=uuid.uuid4(),
        )
        for i in range(max(10, notes // 20))
    )
    for position in (1, 2, 3):
        question = ClosingQuestion.objects.create(
            event=event, position=position, text=f"Closing question {position}?"
        )
        ClosingAnswer.objects.bulk_create(
            ClosingAnswer(
                question=question,
                participant=p,
                role_code=p.role_code,
                text=texts[(i * 13) % len(texts)],
                client_id=uuid.uuid4(),
            )
            for i, p in enumerate(people)
        )
    for table in tables:
        for k in range(3):
            priority = Priority.objects.create(
                round=rounds[2], table=table, text=texts[(table.number * 3 + k) % len(texts)],
                client_id=uuid.uuid4(),
            )  # fmt: skip
            Vote.objects.bulk_create(Vote(priority=priority, participant=p) for p in people[:k])
    generated = time.perf_counter() - started

    steps: list[tuple[str, float]] = []
    record = services._progress

    def timed_progress(version, attempt, percent, step):
        steps.append((step, time.perf_counter()))
        record(version, attempt, percent, step)

    services._progress = timed_progress
    # Created directly: request_report would hand the version to a Celery worker.
    version = ReportVersion.objects.create(event=event, number=1)
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    version = services.compile_report(version=version)
    elapsed = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    marks = [*steps, ("end", started + elapsed)]
    per_step = {key: round(marks[i + 1][1] - at, 2) for i, (key, at) in enumerate(marks[:-1])}
    return {
        "notes": notes,
        "status": version.status,
        "seconds": round(elapsed, 2),
        # CPU time of the compile: what the wall time would be on an idle machine (the
        # shared development machine's other work inflates the wall time).
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "steps_seconds": per_step,
        "files_kb": {f.format: round(f.size / 1024) for f in version.files.all()},
        "pdf_pages": _pdf_pages(version),
        "generate_seconds": round(generated, 1),
        "database": django.db.connection.vendor,
    }


def run_size(notes: int, *, memory_limit_gb: float, timeout: int, env: dict) -> dict:
    limit = int(memory_limit_gb * 1024**3)

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(notes)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=cap_memory,
        )
    except subprocess.TimeoutExpired:
        return {"notes": notes, "status": f"not finished within {timeout} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"notes": notes, "status": f"not finished: {reason[:200]}"}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", default="1000,10000", help="sizes, comma-separated")
    parser.add_argument("--memory-limit", type=float, default=6.0, help="GB per size")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per size")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="false")
    scratch = None
    if "DATABASE_URL" not in env:
        scratch = tempfile.TemporaryDirectory(prefix="bench-report-")
        env["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
        env["MEDIA_ROOT"] = f"{scratch.name}/media"
    env.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-report-media-"))
    results = []
    for notes in [int(n) for n in args.notes.split(",")]:
        result = run_size(notes, memory_limit_gb=args.memory_limit, timeout=args.timeout, env=env)
        results.append(result)
        if "seconds" in result:
            print(
                f"{notes:>7,} notes: {result['seconds']:7.2f} s"
                f" ({result['cpu_seconds']:.2f} s CPU),"
                f" peak {result['peak_rss_mb']:,} MB ({result['database']});"
                f" steps {result['steps_seconds']}"
            )
        else:
            print(f"{notes:>7,} notes: {result['status']}")
    print(
        json.dumps(
            {
                "bench": "report",
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg(),
                "results": results,
            }
        )
    )
    if scratch:
        scratch.cleanup()


if __name__ == "__main__":
    main()
