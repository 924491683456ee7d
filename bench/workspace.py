"""How big and how fast is the harvest workspace of a big event (issue 19)?

Imports a 1,000-note Explore event (3 rounds, 20 tables) with ``import_notes``, written in
the register of real consultation notes (``tests/harvest/fixtures``: each fixture note once
as written, then joined with another note of its round, as ``bench/harvest_quality.py``
does), drafts its themes, then measures the workspace as its facilitator opens it:

- the HTML of each view (the default view first), and of the folded board's biggest theme
  as it opens, and the server's time to render it (Django's test client, in process,
  median of ``--runs``);
- Chromium (Debian's, driven by Playwright) loading the default view from a real uvicorn:
  time to the first byte, to DOMContentLoaded (the page's module scripts have run: it
  answers the keyboard) and to load, and how many elements the page has.

Targets: under 300 KB of HTML and under 1 s to interactive. Runs on a fresh SQLite database
in a temporary folder; nothing of the developer's is touched. From the repository root:

    .venv/bin/python bench/workspace.py [--notes 1000] [--tables 20] [--runs 5]
"""

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "harvest" / "fixtures"
IMPORT_COLUMNS = ["round", "table", "kind", "text", "role", "question"]
PROMPTS = {
    1: "What has helped or hindered your experience of children's social care?",
    2: "What are the problems, strengths and possibilities?",
    3: "Choose up to three high-priority solutions",
}
ROLES = {"BP": "Birth parent", "BF": "Wider birth family", "KC": "Kinship carer"}
ROUND_SHARES = {1: 0.45, 2: 0.35, 3: 0.20}  # stories first, fewer priorities at the end
SLUG = "explore-bench-workspace"
FACILITATOR = "bench-harvester"
HTML_TARGET_KB = 300
INTERACTIVE_TARGET_S = 1.0


def _rows(name: str) -> list[dict]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def scaled_notes(notes: int, tables: int) -> list[list[str]]:
    """``notes`` import rows (round, table, kind, text, role, ""): every fixture note of a
    round once as written, then pairs of that round's notes, spread over ``tables``."""
    pools: dict[int, list[dict]] = {1: [], 2: [], 3: []}
    for row in _rows("consultation_notes.csv"):
        if row["kind"] != "comment":
            pools[int(row["round"])].append(row)
    for row in _rows("breakout_notes.csv"):  # more stories and problems for round 1
        pools[1].append({**row, "role_code": "BP" if row["role_code"] not in ROLES else ""})
    counts = {n: round(notes * share) for n, share in ROUND_SHARES.items()}
    counts[1] += notes - sum(counts.values())
    out = []
    for number, count in counts.items():
        pool = pools[number]
        for i in range(count):
            base = pool[i % len(pool)]
            text = base["text"]
            if i >= len(pool):
                other = pool[(i * 7 + 3 + i // len(pool)) % len(pool)]
                text = f"{text} {other['text']}"
            role = base["role_code"] if base["role_code"] in ROLES else "BP"
            out.append([str(number), str(1 + i % tables), base["kind"], text, role, ""])
    return out


def write_import_file(path: Path, *, notes: int = 1000, tables: int = 20) -> Path:
    """A CSV in the import format (docs/import.md): the event's facts, ``notes`` notes, the
    fixture's plenary chat and its answers to the three closing questions."""
    rows = [
        ["", "", "meta", "2024-03-14", "", "date"],
        ["", "", "meta", "Bridge the Gap", "", "series"],
        ["", "", "meta", "Birth parents and families", "", "group"],
        *([str(n), "", "meta", prompt, "", "prompt"] for n, prompt in PROMPTS.items()),
        *(["", "", "meta", label, code, "role"] for code, label in ROLES.items()),
        *scaled_notes(notes, tables),
    ]
    for row in _rows("consultation_notes.csv"):
        if row["kind"] == "comment":
            rows.append([row["round"], "", "comment", row["text"], row["role_code"], ""])
    for row in _rows("consultation_answers.csv"):
        rows.append(["", "", "answer", row["text"], row["role_code"], row["question"]])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(IMPORT_COLUMNS)
        writer.writerows(rows)
    return path


def _setup(folder: Path, theming: str) -> None:
    os.environ["BRIDGEWORK_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["HARVEST_THEMING"] = theming
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_event(folder: Path, *, notes: int, tables: int):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from events.models import Event
    from harvest.services import build_themes

    get_user_model().objects.create_user(FACILITATOR, is_staff=True)  # signed in by session
    started = time.perf_counter()
    call_command(
        "import_notes",
        str(write_import_file(folder / "bench-import.csv", notes=notes, tables=tables)),
        create_event="Explore: birth parents and families (bench)",
        slug=SLUG,
        facilitator=FACILITATOR,
        stdout=io.StringIO(),
    )
    imported = time.perf_counter() - started
    event = Event.objects.get(slug=SLUG)
    started = time.perf_counter()
    build_themes(event=event)
    themed = time.perf_counter() - started
    print(f"imported {notes} notes at {tables} tables in {imported:.1f} s", end="; ")
    print(f"themed in {themed:.1f} s")
    return event


def server_side(event, runs: int) -> dict[str, tuple[int, float]]:
    """Per view: bytes of HTML and the median time the server took to answer."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from harvest.models import Theme

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=FACILITATOR))
    url = reverse("harvest:workspace", args=[event.slug])
    biggest = max(Theme.objects.filter(event=event), key=lambda t: t.members.count())
    views = {
        "default": url,
        "list": url + "?view=list",
        "list, one table": f"{url}?view=list&table={event.tables.order_by('number')[0].id}",
        "list, search": url + "?view=list&q=social+worker",
        "board": url + "?view=board",
        # A folded board's biggest theme, opened: its part of the board, fetched.
        f"theme of {biggest.members.count()}": reverse(
            "harvest:theme_cards", args=[event.slug, biggest.id]
        ),
        "answers": url + "?view=answers",
    }
    out = {}
    for name, address in views.items():
        times, size = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(address)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (name, response.status_code)
            size = len(response.content)
        out[name] = (size, statistics.median(times))
    return out


def in_chromium(event, folder: Path, runs: int) -> dict[str, float]:
    """Medians of Chromium loading the default view from a real uvicorn server."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.support.browser import chromium
    from tests.support.servers import asgi_server

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=FACILITATOR))
    session = client.cookies["sessionid"].value
    samples: dict[str, list[float]] = {}
    with asgi_server(folder) as server, chromium() as browser:
        for run in range(runs + 1):  # the first load warms the server and the cache
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": session, "url": server.http_url}])
            page = context.new_page()
            page.goto(f"{server.http_url}/events/{event.slug}/harvest/", wait_until="load")
            timing = page.evaluate(
                """() => {
                    const n = performance.getEntriesByType('navigation')[0];
                    return {
                        'first byte (s)': n.responseStart / 1000,
                        'DOMContentLoaded (s)': n.domContentLoadedEventEnd / 1000,
                        'load (s)': n.loadEventEnd / 1000,
                        'HTML (KB)': n.decodedBodySize / 1000,
                        'elements': document.getElementsByTagName('*').length,
                    };
                }"""
            )
            context.close()
            if run:
                for key, value in timing.items():
                    samples.setdefault(key, []).append(value)
    return {key: statistics.median(values) for key, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--theming", default="auto", help="auto, minilm or lexical")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-workspace-") as tmp:
        folder = Path(tmp)
        _setup(folder, args.theming)
        event = make_event(folder, notes=args.notes, tables=args.tables)
        print(f"\nserver (Django test client, median of {args.runs}):")
        for name, (size, took) in server_side(event, args.runs).items():
            print(f"  {name:<18} {size / 1000:7.1f} KB  {took * 1000:6.0f} ms")
        if not args.no_browser:
            print(f"\nChromium, default view from uvicorn (median of {args.runs}):")
            measured = in_chromium(event, folder, args.runs)
            for key, value in measured.items():
                print(f"  {key:<22} {value:8.2f}")
            html_ok = measured["HTML (KB)"] < HTML_TARGET_KB
            ready_ok = measured["DOMContentLoaded (s)"] < INTERACTIVE_TARGET_S
            print(
                f"\ntargets: HTML < {HTML_TARGET_KB} KB {'met' if html_ok else 'MISSED'}; "
                f"interactive < {INTERACTIVE_TARGET_S:.0f} s {'met' if ready_ok else 'MISSED'}"
            )


if __name__ == "__main__":
    main()
