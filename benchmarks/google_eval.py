"""Bullet classification on real Google postings (responsibilities / minimum / preferred).

The data is not part of this repository. Each line of the file holds "title",
"responsibilities", "minimum_qualifications" and "preferred_qualifications"; the list a
bullet comes from is its gold label (duty, basic, preferred). Two measurements:

- text only: every bullet classified alone, as a one-item list with no heading;
- whole posting: postings rebuilt with varied heading wordings and bullet markers, run
  through the whole pipeline, each source bullet compared with the bullet found there.

    python benchmarks/google_eval.py ../shared/eval/google_postings_dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import random

from sklearn.metrics import confusion_matrix, f1_score

import jobreq

FIELDS = {
    "responsibilities": "duty",
    "minimum_qualifications": "basic",
    "preferred_qualifications": "preferred",
}
HEADINGS = {
    "duty": [
        "Responsibilities", "What you'll do:", "Your role", "RESPONSIBILITIES", "## Key duties",
        "In this role you will:",
    ],
    "basic": [
        "Minimum qualifications:", "Basic Qualifications", "Requirements", "What you'll need:",
        "MINIMUM QUALIFICATIONS", "## Must have",
    ],
    "preferred": [
        "Preferred qualifications:", "Nice to have", "Bonus points if you have:",
        "PREFERRED QUALIFICATIONS", "## Nice to have", "Ideally you also have:",
    ],
}  # fmt: skip
MARKERS = ["- ", "• ", "* ", "· ", "1. "]
LABELS = ["duty", "basic", "preferred", "other"]


def rebuild(row: dict, rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """A posting text from the title and lists, with the offsets and labels of each bullet."""
    parts, spans, pos = [row["title"], ""], [], len(row["title"]) + 2
    marker = rng.choice(MARKERS)
    for field, label in FIELDS.items():
        if not row[field]:
            continue
        heading = rng.choice(HEADINGS[label])
        parts.append(heading)
        pos += len(heading) + 1
        for i, bullet in enumerate(row[field]):
            prefix = f"{i + 1}. " if marker == "1. " else marker
            spans.append((pos + len(prefix), pos + len(prefix) + len(bullet), label))
            parts.append(prefix + bullet)
            pos += len(prefix) + len(bullet) + 1
        parts.append("")
        pos += 1
    return "\n".join(parts), spans


def report(name: str, gold: list[str], predicted: list[str]) -> dict:
    result = {
        "bullets": len(gold),
        "macro_f1": round(
            float(f1_score(gold, predicted, labels=LABELS[:3], average="macro", zero_division=0)), 4
        ),
        "labels": LABELS,
        "confusion": confusion_matrix(gold, predicted, labels=LABELS).tolist(),
    }
    print(name, json.dumps(result))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--model", default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    nlp = jobreq.load(args.model)
    with open(args.path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    bullets = [(b, label) for row in rows for field, label in FIELDS.items() for b in row[field]]
    docs = nlp.pipe((f"- {text}" for text, _ in bullets), batch_size=128)
    predicted = [
        doc.spans["bullets"][0].label_ if len(doc.spans["bullets"]) else "other" for doc in docs
    ]
    report("text_only", [label for _, label in bullets], predicted)
    rng = random.Random(args.seed)
    rebuilt = [rebuild(row, rng) for row in rows]
    gold, predicted = [], []
    for (_, spans), doc in zip(
        rebuilt, nlp.pipe((t for t, _ in rebuilt), batch_size=32), strict=True
    ):
        found = {(b.start_char, b.end_char): b.label_ for b in doc.spans["bullets"]}
        for start, end, label in spans:
            gold.append(label)
            predicted.append(found.get((start, end), "missed"))
    report("whole_posting", gold, predicted)


if __name__ == "__main__":
    main()
