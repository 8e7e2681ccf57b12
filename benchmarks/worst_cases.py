"""Odd-shaped postings against ordinary ones: time per character, in one run.

A corpus of millions of postings holds a few odd ones: a run-on sentence of hundreds of
degrees, one bullet of hundreds of "name: N years" pairs, thousands of bullets, markup
with no whitespace. A step that re-reads a sentence, bullet or posting once per match is
quadratic on them and can hold a worker for minutes. For each shape this prints its size,
the seconds of each pipeline step (the tokenizer's first call on the text included) and
the ratio of its seconds per 1,000 characters to that of ordinary postings (generated from
the corpus, as in `throughput.py`) measured in the same run. A ratio near 1 means the
shape costs what its length says; one far above it names the step to look at.

    python benchmarks/worst_cases.py > /tmp/worst.md
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from throughput import generate_texts

from jobreq.engine.local import load_for_run
from jobreq.record import model_info, to_record

SKILL_NAMES = ("Python", "SQL", "Kubernetes", "Tableau", "Excel", "AWS", "React", "Spark")
WORDS = ("manage", "team", "customer", "the", "and", "build", "report", "with", "daily", "our")


def shapes(scale: int) -> dict[str, str]:
    """The odd shapes, each about `scale` times the size of one ordinary posting's list."""
    return {
        "run-on sentence of degrees": "Requirements:\n"
        + "BS/MS/PhD in Computer Science, Physics, Math, " * (25 * scale),
        "one bullet of name: N years pairs": "Requirements:\n- "
        + ", ".join(f"{SKILL_NAMES[i % 8]}: {i % 9 + 1} years" for i in range(20 * scale)),
        "thousands of duration bullets": "Requirements:\n"
        + "- 3+ years of Python and SQL, ideally Spark (a plus)\n" * (100 * scale),
        "nested tags, no whitespace": "<div>" * (50 * scale) + "Python" + "</div>" * (50 * scale),
        "one line of skill names": "Skills: "
        + ", ".join(SKILL_NAMES[i % 8] for i in range(150 * scale)),
        "words with no punctuation": " ".join(WORDS[(i * 7) % 10] for i in range(1000 * scale)),
        "a sentence of bare durations": " ".join(f"{i} years" for i in range(250 * scale)),
        "a divider line of '='": "About us\n" + "=" * (250 * scale) + "\nPython",
        "emoji with no spaces": "Perks: " + "🚀" * (100 * scale),
        "thousands of headings": "".join(
            f"Requirements:\n- Python {i}\nBenefits:\n- Dental\n" for i in range(25 * scale)
        ),
        "sentences of skill names and levels": " ".join(
            f"{SKILL_NAMES[i % 8]} is required and {SKILL_NAMES[(i + 3) % 8]} is a plus."
            for i in range(40 * scale)
        ),
        "one long bullet of degrees and durations": "Requirements:\n- "
        + "; ".join(
            f"Bachelor's degree in Finance or {i % 7 + 2}+ years of {SKILL_NAMES[i % 8]}"
            for i in range(15 * scale)
        ),
    }


def step_seconds(nlp: Any, text: str) -> dict[str, float]:
    """Seconds of each step on `text`: the tokenizer, each component, the output record."""
    timings: dict[str, float] = {}

    def timed(name: str, run: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = run()
        timings[name] = time.perf_counter() - start
        return result

    doc = timed("tokenizer", lambda: nlp.tokenizer(text))
    for name, pipe in nlp.pipeline:
        doc = timed(name, lambda pipe=pipe, doc=doc: pipe(doc))
    model = model_info(nlp)
    timed("record", lambda: to_record(doc, "worst-case", {}, model))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20, help="size of each odd shape")
    parser.add_argument("--ordinary", type=int, default=300, help="ordinary postings timed")
    args = parser.parse_args()
    nlp = load_for_run()
    ordinary = list(generate_texts(args.ordinary, seed=2))
    for text in ordinary[:20]:  # warm caches, as a long run would have them
        step_seconds(nlp, text)
    seconds = sum(sum(step_seconds(nlp, t).values()) for t in ordinary)
    per_kchar = seconds / sum(len(t) for t in ordinary) * 1000
    print(f"Ordinary postings ({args.ordinary}): {per_kchar * 1000:.2f} ms per 1,000 chars\n")
    print("| shape | chars | tokens | seconds | slowest step | ratio to ordinary |")
    print("|---|---:|---:|---:|---|---:|")
    for name, text in shapes(args.scale).items():
        timings = step_seconds(nlp, text)
        total = sum(timings.values())
        slowest = max(timings, key=timings.__getitem__)
        ratio = total / len(text) * 1000 / per_kchar
        tokens = len(nlp.tokenizer(text))
        print(
            f"| {name} | {len(text):,} | {tokens:,} | {total:.2f} "
            f"| {slowest} {timings[slowest]:.2f} s | {ratio:.1f} |"
        )


if __name__ == "__main__":
    main()
