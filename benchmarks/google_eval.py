"""Bullet classification on real Google postings (responsibilities / minimum / preferred).

The data is not part of this repository. Each line of the file holds "title",
"responsibilities", "minimum_qualifications" and "preferred_qualifications"; the list a
bullet comes from is its gold label (duty, basic, preferred). The measurements:

- text only: every bullet classified alone, as a one-item list with no heading;
- whole posting: postings rebuilt with varied heading wordings and bullet markers, run
  through the whole pipeline, each source bullet compared with the bullet found there;
- inline lists: the same, with each section's heading and bullets run together on one line
  ("Requirements • BA/BS degree • 3 years of ..."), as pages that lost their list markup are,
  and with spaced hyphens ("Requirements - BA/BS degree - ...") or item numbers
  ("Requirements 1) BA/BS degree 2) ...") instead of the glyphs;
- flattened: no list markup at all, each section's heading and bullets run together as
  sentences on one line ("Requirements BA/BS degree ... 3 years of ..."), as text stripped of
  its tags is; and one line: the whole posting so, title included. Running text splits a
  source bullet of two sentences in two, so each source bullet takes the label of the found
  bullets that cover most of its characters.

The text-only figure comes with a 95% interval from resampling whole postings. With
``--reference`` the script also measures what the issue's yardstick, a word 1-2-gram
TF-IDF + logistic regression trained in-domain on Google bullets, reaches here: fitted on
the Google bullets themselves and scored by cross-validation, folds grouped by job
category (Google reuses bullets across postings of one category) and, for comparison,
grouped by posting. That model is only measured; nothing of it is kept.

    python benchmarks/google_eval.py ../shared/eval/google_postings_dev.jsonl [--reference]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable, Iterable
from functools import partial

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline

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
INLINE_GLYPHS = ["•", "▪", "●", "►"]
LABELS = ["duty", "basic", "preferred", "other"]


def rebuild(
    row: dict, rng: random.Random, headings: bool = True
) -> tuple[str, list[tuple[int, int, str]]]:
    """A posting text from the title and lists, with the offsets and labels of each bullet;
    without `headings`, the lists follow each other with only a blank line between them."""
    parts, spans, pos = [row["title"], ""], [], len(row["title"]) + 2
    marker = rng.choice(MARKERS)
    for field, label in FIELDS.items():
        if not row[field]:
            continue
        if headings:
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


def rebuild_inline(
    row: dict, rng: random.Random, item_mark: Callable[[int], str] | None = None
) -> tuple[str, list[tuple[int, int, str]]]:
    """The same, with each section on one line: its heading, then its bullets run together
    behind one bullet glyph each, as scraped pages that lost their list markup give them;
    `item_mark` gives the mark of the i-th item instead ("-", "1)")."""
    text, spans = row["title"] + "\n\n", []
    if item_mark is None:
        glyph = rng.choice(INLINE_GLYPHS)
        item_mark = lambda i: glyph  # noqa: E731
    for field, label in FIELDS.items():
        if not row[field]:
            continue
        text += rng.choice(HEADINGS[label]).lstrip("# ")
        for i, bullet in enumerate(row[field]):
            text += f" {item_mark(i)} "
            spans.append((len(text), len(text) + len(bullet), label))
            text += bullet
        text += "\n"
    return text, spans


def rebuild_flattened(
    row: dict, rng: random.Random, one_line: bool = False
) -> tuple[str, list[tuple[int, int, str]]]:
    """The same with no list markup at all: each section's heading and bullets run together
    as sentences on one line, or the whole posting on a single line (`one_line`), as text
    stripped of its HTML tags without line breaks leaves them."""
    end_of_section = " " if one_line else "\n"
    text, spans = row["title"] + (" " if one_line else "\n\n"), []
    for field, label in FIELDS.items():
        if not row[field]:
            continue
        text += rng.choice(HEADINGS[label]).lstrip("# ")
        for bullet in row[field]:
            text += " "
            spans.append((len(text), len(text) + len(bullet), label))
            text += bullet
        text += end_of_section
    return text, spans


def covering_label(bullets: list[tuple[int, int, str]], start: int, end: int) -> str:
    """The label of the found bullets that cover most characters of [start, end): running
    text splits a source bullet of two sentences in two."""
    covered: dict[str, int] = {}
    for b_start, b_end, label in bullets:
        overlap = min(end, b_end) - max(start, b_start)
        if overlap > 0:
            covered[label] = covered.get(label, 0) + overlap
    return max(covered, key=covered.__getitem__) if covered else "missed"


def macro_f1(
    gold: list[str] | np.ndarray, predicted: list[str] | np.ndarray, scored: list[str] = LABELS[:3]
) -> float:
    """Macro-F1 over the `scored` labels: by default the three the Google lists carry."""
    return float(f1_score(gold, predicted, labels=scored, average="macro", zero_division=0))


def report(
    name: str,
    gold: list[str],
    predicted: list[str],
    scored: list[str] = LABELS[:3],
    **extra: object,
) -> dict:
    result = {
        "bullets": len(gold),
        "macro_f1": round(macro_f1(gold, predicted, scored), 4),
        **extra,
        "labels": LABELS,
        "confusion": confusion_matrix(gold, predicted, labels=LABELS).tolist(),
    }
    print(name, json.dumps(result))
    return result


def posting_interval(
    gold: list[str], predicted: list[str], posting: list[int], draws: int = 1000
) -> list[float]:
    """95% interval of the macro-F1 over resampled postings (bullets of one posting move
    together, as they are not independent)."""
    gold_a, predicted_a, posting_a = np.array(gold), np.array(predicted), np.array(posting)
    members = [np.flatnonzero(posting_a == p) for p in range(posting_a.max() + 1)]
    rng = np.random.default_rng(0)
    scores = []
    for _ in range(draws):
        rows = np.concatenate([members[p] for p in rng.integers(0, len(members), len(members))])
        scores.append(macro_f1(gold_a[rows], predicted_a[rows]))
    return [round(float(x), 4) for x in np.percentile(scores, [2.5, 97.5])]


def in_domain_reference(texts: list[str], gold: list[str], groups: list[str]) -> float:
    """Macro-F1 of word 1-2-gram TF-IDF + logistic regression fitted on Google bullets,
    from 5-fold cross-validation with the folds grouped by ``groups``."""
    texts_a, gold_a = np.array(texts, dtype=object), np.array(gold)
    predicted = np.empty(len(texts), dtype=object)
    for fit, score in GroupKFold(5).split(texts_a, gold_a, groups):
        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(C=3, max_iter=2000, class_weight="balanced"),
        )
        model.fit(texts_a[fit], gold_a[fit])
        predicted[score] = model.predict(texts_a[score])
    return round(macro_f1(gold_a, predicted.astype(str)), 4)


def labels_alone(nlp, texts: Iterable[str]) -> list[str]:
    """The label of each text classified alone, as a one-item list with no heading; a text
    that reads as a heading alone ("Desired Experience") is no bullet and counts as other."""
    docs = nlp.pipe((f"- {text}" for text in texts), batch_size=128)
    return [doc.spans["bullets"][0].label_ if doc.spans["bullets"] else "other" for doc in docs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--model", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reference", action="store_true", help="also measure the in-domain model")
    args = parser.parse_args()
    nlp = jobreq.load(args.model)
    with open(args.path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    bullets = [
        (b, label, i)
        for i, row in enumerate(rows)
        for field, label in FIELDS.items()
        for b in row[field]
    ]
    texts, gold, posting = (list(column) for column in zip(*bullets, strict=True))
    predicted = labels_alone(nlp, texts)
    report("text_only", gold, predicted, interval_95=posting_interval(gold, predicted, posting))
    if args.reference:
        reference = {
            "folds_by_category": in_domain_reference(
                texts, gold, [rows[i]["category"] for i in posting]
            ),
            "folds_by_posting": in_domain_reference(texts, gold, posting),
        }
        print("in_domain_reference", json.dumps(reference))
    builds = {  # name: (rebuild, whether each source bullet is one list item to find exactly)
        "whole_posting": (rebuild, True),
        "no_headings": (partial(rebuild, headings=False), True),
        "inline_lists": (rebuild_inline, True),
        "dashed_lists": (partial(rebuild_inline, item_mark=lambda i: "-"), False),
        "numbered_lists": (partial(rebuild_inline, item_mark=lambda i: f"{i + 1})"), False),
        "flattened": (rebuild_flattened, False),
        "one_line": (partial(rebuild_flattened, one_line=True), False),
    }
    for name, (build, items) in builds.items():
        rng = random.Random(args.seed)
        rebuilt = [build(row, rng) for row in rows]
        gold, predicted = [], []
        for (_, spans), doc in zip(
            rebuilt, nlp.pipe((t for t, _ in rebuilt), batch_size=32), strict=True
        ):
            found = [(b.start_char, b.end_char, b.label_) for b in doc.spans["bullets"]]
            exact = {(start, end): label for start, end, label in found}
            for start, end, label in spans:
                gold.append(label)
                if items:
                    predicted.append(exact.get((start, end), "missed"))
                else:
                    predicted.append(covering_label(found, start, end))
        report(name, gold, predicted)


if __name__ == "__main__":
    main()
