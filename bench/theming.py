"""Measure automatic theming on ``notes.csv``: time per 100 notes, and agreement with the
fixture's human topics (adjusted Rand index). Run from the repository root:

    .venv/bin/python bench/theming.py
"""

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import adjusted_rand_score

from harvest.redaction import redact
from harvest.theming import Item, build_draft_themes

ROWS = list(
    csv.DictReader((ROOT / "tests" / "harvest" / "fixtures" / "notes.csv").open(encoding="utf-8"))
)
ROSTER = ["Sarah", "Robin3", "Hope", "Dee", "Marek", "Aisha", "Tom", "Grace", "Will", "Davies"]


def main(repeat: int = 5) -> None:
    total_notes, best = 0, float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for number in "123":
            rows = [r for r in ROWS if r["round"] == number]
            items = [
                Item(i, redact(r["text"], names=ROSTER).text, r["table"])
                for i, r in enumerate(rows)
            ]
            build_draft_themes(items)
        best = min(best, time.perf_counter() - started)
    for number in "123":
        rows = [r for r in ROWS if r["round"] == number]
        items = [
            Item(i, redact(r["text"], names=ROSTER).text, r["table"]) for i, r in enumerate(rows)
        ]
        themes = build_draft_themes(items)
        label = {k: n for n, t in enumerate(themes) for k in t.keys}
        ari = adjusted_rand_score([r["topic"] for r in rows], [label[i] for i in range(len(rows))])
        total_notes += len(rows)
        print(f"round {number}: {len(rows)} notes -> {len(themes)} themes, ARI {ari:.2f}")
    print(
        f"{total_notes} notes (redaction + theming) in {best * 1000:.0f} ms, "
        f"{best * 1000 / (total_notes / 100):.0f} ms per 100 notes (best of {repeat})"
    )


if __name__ == "__main__":
    main()
