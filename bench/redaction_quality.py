"""Measure name redaction on ``tests/harvest/fixtures/redaction_sentences.csv``: precision and
recall of name redaction by word, the share of sentences redacted exactly as a careful
data-protection officer would, and the time per 1,000 sentences. Run from the repository
root:

    .venv/bin/python bench/redaction_quality.py [--misses]

``--misses`` lists every sentence not redacted exactly as expected.
"""

import csv
import difflib
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harvest.redaction import redact

CORPUS = ROOT / "tests" / "harvest" / "fixtures" / "redaction_sentences.csv"
# A marker, a word (letters and digits) or one other character: "Jo's" is Jo ' s, so that
# "[name]'s" lines up with it.
PIECE = re.compile(r"\[(?:name|email|phone|postcode|address|redacted)\]|[^\W_]+|[^\w\s]")


@dataclass(frozen=True)
class Sentence:
    text: str
    roster: list[str]
    expected: str


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int
    exact: int
    sentences: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def exact_rate(self) -> float:
        return self.exact / self.sentences


def load(path: Path = CORPUS) -> list[Sentence]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Sentence(row["text"], [n for n in row["roster"].split("|") if n], row["expected"])
            for row in csv.DictReader(f)
        ]


def name_words(original: str, redacted: str) -> set[int]:
    """The positions of the original's words that ``redacted`` replaced by [name]: the words
    of each changed stretch of the text whose replacement holds a [name] marker."""
    before = PIECE.findall(original)
    after = PIECE.findall(redacted)
    named = set()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if op != "equal" and "[name]" in after[b_start:b_end]:
            named.update(i for i in range(a_start, a_end) if before[i][0].isalnum())
    return named


def score(sentences: list[Sentence], redact_text=None) -> Score:
    """Word-level precision and recall of [name], and exact matches, of ``redact_text``
    (default: ``harvest.redaction.redact``) against each sentence's expected text."""
    redact_text = redact_text or (lambda text, names: redact(text, names=names).text)
    tp = fp = fn = exact = 0
    for sentence in sentences:
        got = redact_text(sentence.text, sentence.roster)
        wanted = name_words(sentence.text, sentence.expected)
        found = name_words(sentence.text, got)
        tp += len(wanted & found)
        fp += len(found - wanted)
        fn += len(wanted - found)
        exact += got == sentence.expected
    return Score(tp, fp, fn, exact, len(sentences))


def misses(sentences: list[Sentence]) -> list[tuple[Sentence, str]]:
    out = []
    for sentence in sentences:
        got = redact(sentence.text, names=sentence.roster).text
        if got != sentence.expected:
            out.append((sentence, got))
    return out


def time_per_thousand(sentences: list[Sentence], repeat: int = 5) -> float:
    """Best of ``repeat`` passes over the corpus, in milliseconds per 1,000 sentences."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for sentence in sentences:
            redact(sentence.text, names=sentence.roster)
        best = min(best, time.perf_counter() - started)
    return best * 1000 / len(sentences) * 1000


def time_for_a_report(notes: int = 10_000) -> tuple[float, float]:
    """Seconds to redact ``notes`` notes of the café corpus (longer than the sentences) with
    a roster of 150 names, as one report of a large event does; and their mean length."""
    with (ROOT / "tests" / "harvest" / "fixtures" / "consultation_notes.csv").open() as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    texts = (texts * (notes // len(texts) + 1))[:notes]
    roster = [f"Person{n}" for n in range(146)] + ["Nan", "May", "Will", "Sarah Jones"]
    started = time.perf_counter()
    for text in texts:
        redact(text, names=roster)
    return time.perf_counter() - started, sum(map(len, texts)) / len(texts)


def main() -> None:
    sentences = load()
    result = score(sentences)
    no_data = sum(1 for s in sentences if s.expected == s.text)
    print(f"{len(sentences)} sentences ({no_data} with no personal data)")
    print(
        f"names by word: precision {result.precision:.3f}, recall {result.recall:.3f} "
        f"(TP {result.true_positives}, FP {result.false_positives}, "
        f"FN {result.false_negatives})"
    )
    print(f"exact match: {result.exact}/{result.sentences} = {result.exact_rate:.3f}")
    print(f"time: {time_per_thousand(sentences):.1f} ms per 1,000 sentences (best of 5)")
    seconds, length = time_for_a_report()
    print(f"10,000 notes of {length:.0f} characters on average, roster of 150: {seconds:.2f} s")
    if "--misses" in sys.argv[1:]:
        for sentence, got in misses(sentences):
            print(
                f"\n  text:     {sentence.text}\n  expected: {sentence.expected}\n  got:      {got}"
            )


if __name__ == "__main__":
    main()
