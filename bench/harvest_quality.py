"""How good is automatic theming, by method, on notes written like real ones?

For each corpus of ``tests/harvest/fixtures`` (a birth parents' café, rounds 1-3, and a
42-note breakout) and each method (``minilm``, ``lexical``): agreement of the themes with
the human grouping (adjusted Rand index; 0 is chance), how many of the human themes'
concepts the titles and summaries name (key themes apart), the title checks (no one-word
title, none repeated in a round, 3-8 words, no truncated word) and the largest theme's
share of the round; then the time per 100 notes, and for 1,000 notes. Run from the
repository root:

    .venv/bin/python bench/harvest_quality.py [--methods minilm,lexical] [--scale 1000]

``--no-codebook`` drafts without the codebook's codes ("About power and fear."): the
codebook was written after reading this corpus's concepts, so what the notes' own words
name without it is the fairer guess at unseen notes.

``--samples N`` measures instead on N seeded samples of each round (café round 1: 67 notes,
the size of the real held-out event; the others 80 %), and prints the mean share of the
concepts (and key concepts) of the human themes present that are named, and the mean ARI:
figures of one run on four rounds move by a concept or two with any small change, means
over samples much less.
"""

import argparse
import csv
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import adjusted_rand_score

from harvest import embeddings
from harvest.redaction import redact
from harvest.theming import Item, build_draft_themes
from harvest.theming import rounds as theming_rounds

FIXTURES = ROOT / "tests" / "harvest" / "fixtures"
CORPORA = [
    ("café", "consultation_notes.csv", "consultation_themes.csv", ("1", "2", "3")),
    ("breakout", "breakout_notes.csv", "breakout_themes.csv", ("1",)),
]
ROSTER = ["Jo", "Dawn", "Sam"]


def rows(name: str) -> list[dict]:
    return list(csv.DictReader((FIXTURES / name).open(encoding="utf-8")))


def round_items(notes: list[dict], number: str) -> tuple[list[Item], list[str]]:
    picked = [r for r in notes if r["round"] == number and r["kind"] not in {"comment", "answer"}]
    items = [
        Item(i, redact(r["text"], names=ROSTER).text, f"Table {r['table']}")
        for i, r in enumerate(picked)
    ]
    return items, [r["theme"] for r in picked]


def named(concepts: str, text: str) -> bool:
    text = text.casefold()
    return any(re.search(r"\b" + re.escape(c.strip()), text) for c in concepts.split("|"))


def title_problems(themes, texts: dict[int, str]) -> list[str]:
    problems = []
    titles = [t.title for t in themes]
    for title in titles:
        words = title.split()
        if len(words) < 2:
            problems.append(f"one word: {title!r}")
        elif not 3 <= len(words) <= 8:
            problems.append(f"{len(words)} words: {title!r}")
        notes = " ".join(texts.values()).casefold()
        for word in re.findall(r"[^\W\d_]+", title.casefold()):
            if not re.search(r"(?<![^\W\d_])" + re.escape(word) + r"(?![^\W\d_])", notes):
                problems.append(f"word not in the notes: {word!r} in {title!r}")
    for title in {t for t in titles if titles.count(t) > 1}:
        problems.append(f"repeated: {title!r}")
    return problems


def measure(method: str) -> None:
    print(f"\n## {method}")
    for label, notes_file, themes_file, rounds in CORPORA:
        notes, human = rows(notes_file), rows(themes_file)
        for number in rounds:
            items, gold = round_items(notes, number)
            started = time.perf_counter()
            themes = build_draft_themes(items, method=method)
            took = time.perf_counter() - started
            label_of = {k: n for n, t in enumerate(themes) for k in t.keys}
            ari = adjusted_rand_score(gold, [label_of[i.key] for i in items])
            words = " ".join(f"{t.title} {t.summary}" for t in themes)
            wanted = [h for h in human if h["round"] == number]
            key = [h for h in wanted if h["key"] == "1"]
            got = sum(named(h["concepts"], words) for h in wanted)
            got_key = sum(named(h["concepts"], words) for h in key)
            share = max(len(t.keys) for t in themes) / len(items)
            problems = title_problems(themes, {i.key: i.text for i in items})
            print(
                f"{label} round {number}: {len(items)} notes -> {len(themes)} themes "
                f"(human {len({*gold})}), ARI {ari:.3f}, concepts named {got}/{len(wanted)}"
                f" (key {got_key}/{len(key)}), largest {share:.0%}, "
                f"title problems {len(problems)}, {took * 1000:.0f} ms"
            )
            for problem in problems:
                print(f"    {problem}")
            for t in themes:
                print(f"    [{len(t.keys):2d}] {t.title}  —  {t.summary[:110]}")


def sampled(method: str, samples: int) -> None:
    named_share, key_share, aris = [], [], []
    for label, notes_file, themes_file, numbers in CORPORA:
        notes, human = rows(notes_file), rows(themes_file)
        for number in numbers:
            all_items, all_gold = round_items(notes, number)
            size = 67 if (label, number) == ("café", "1") else round(0.8 * len(all_items))
            got = wanted = got_key = wanted_key = 0
            round_aris = []
            for seed in range(samples):
                pick = sorted(random.Random(seed).sample(range(len(all_items)), size))
                items, gold = [all_items[i] for i in pick], [all_gold[i] for i in pick]
                themes = build_draft_themes(items, method=method)
                label_of = {k: n for n, t in enumerate(themes) for k in t.keys}
                round_aris.append(adjusted_rand_score(gold, [label_of[i.key] for i in items]))
                words = " ".join(f"{t.title} {t.summary}" for t in themes)
                present = [h for h in human if h["round"] == number and h["theme"] in gold]
                key = [h for h in present if h["key"] == "1"]
                got += sum(named(h["concepts"], words) for h in present)
                got_key += sum(named(h["concepts"], words) for h in key)
                wanted, wanted_key = wanted + len(present), wanted_key + len(key)
            named_share.append(got / wanted)
            key_share += [got_key / wanted_key] if wanted_key else []
            aris += round_aris
            print(
                f"{label} round {number}, {samples} samples of {size}: concepts named "
                f"{got / wanted:.3f}"
                + (f" (key {got_key / wanted_key:.3f})" if wanted_key else "")
                + f", ARI {sum(round_aris) / len(round_aris):.3f}"
            )
    print(
        f"{method}: mean concepts named {sum(named_share) / len(named_share):.3f}, key "
        f"{sum(key_share) / len(key_share):.3f}, ARI {sum(aris) / len(aris):.3f}"
    )


def timing(method: str, scale: int) -> None:
    texts = [r["text"] for r in rows("consultation_notes.csv") if r["kind"] != "comment"]
    texts += [r["text"] for r in rows("breakout_notes.csv")]
    # Different notes, as real ones are: each fixture note joined with another one.
    many = [f"{texts[i % len(texts)]} {texts[(i * 7 + 3) % len(texts)]}" for i in range(scale)]
    items = [Item(i, t, f"Table {i % 40}") for i, t in enumerate(many)]
    build_draft_themes(items[:20], method=method)  # load the model outside the timing
    for n in (100, scale):
        started = time.perf_counter()
        build_draft_themes(items[:n], method=method)
        took = time.perf_counter() - started
        print(f"{method}: {n} notes themed in {took:.2f} s ({took * 100 / n:.2f} s per 100)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--methods", default="minilm,lexical")
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--no-codebook", action="store_true")
    parser.add_argument("--samples", type=int, default=0)
    args = parser.parse_args()
    if args.no_codebook:
        theming_rounds.theme_codes = lambda drafts, space, *_, **__: [[] for _ in drafts]
    methods = [m for m in args.methods.split(",") if m]
    if "minilm" in methods and not embeddings.available():
        print("minilm: the model is not installed (make install); measuring the others")
        methods.remove("minilm")
    for method in methods:
        if args.samples:
            print(f"\n## {method}")
            sampled(method, args.samples)
        else:
            measure(method)
    if not args.no_timing and not args.samples:
        print()
        for method in methods:
            timing(method, args.scale)


if __name__ == "__main__":
    main()
