"""Bullet labels on real SkillSpan postings, against a blind annotation made for this check.

SkillSpan (MIT licence) marks skills, not bullet labels, so the labels come from a separate
annotation: bullets drawn at random from the postings as the segmenter cuts them, each
labelled `duty`, `basic`, `preferred` or `other` by reading it in its posting, without
seeing jobreq's output. The annotation is derived from SkillSpan and stays out of the
repository. A posting's text is its SkillSpan lines (tokens joined by spaces) joined by
newlines, which is how the other benchmarks read them.

Draw bullets to annotate (JSONL, one posting a line with the bullets to label):

    python benchmarks/skillspan_labels.py SKILLSPAN_DEV.jsonl --draw 300 -o task.jsonl

(``--exclude gold.jsonl``, repeatable, keeps bullets of an earlier annotation out of a new draw.)

Score the pipeline (each annotated bullet takes the label of the found bullets covering most
of it) and, for comparison, the text-only model on each bullet alone; annotation lines are
``{"posting": "<source>/<idx>", "start": ..., "end": ..., "label": ...}``:

    python benchmarks/skillspan_labels.py SKILLSPAN_DEV.jsonl --annotations gold.jsonl

Annotated spans with no letter or digit (a stray "." that the segmenter cut before session
22) are no bullets and are left out; the output says how many.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict

import srsly
from google_eval import LABELS, covering_label, labels_alone, report
from sklearn.metrics import f1_score

import jobreq
from jobreq.segmentation import LETTER_OR_DIGIT


def posting_texts(path: str) -> dict[str, str]:
    lines: dict[str, list[str]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            lines[f"{row['source']}/{row['idx']}"].append(" ".join(row["tokens"]))
    return {key: "\n".join(rows) for key, rows in lines.items()}


def draw(
    nlp, texts: dict[str, str], n: int, seed: int, out: str, exclude: set[tuple[str, int]]
) -> None:
    """Write `n` bullets drawn at random, grouped by posting, numbered in posting order;
    bullets that start where an `exclude` bullet (posting, start) does are not drawn."""
    keys = list(texts)
    with nlp.select_pipes(enable=["jobreq_segmenter"]):
        found = [
            (i, b.start_char, b.end_char)
            for i, doc in enumerate(nlp.pipe(texts[k] for k in keys))
            for b in doc.spans["bullets"]
            if (keys[i], b.start_char) not in exclude
        ]
    chosen: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, start, end in sorted(random.Random(seed).sample(found, n)):
        chosen[i].append((start, end))
    number = 0
    with open(out, "w", encoding="utf-8") as fh:
        for i, spans in chosen.items():
            text = texts[keys[i]]
            bullets = []
            for start, end in spans:
                number += 1
                bullets.append({"n": number, "start": start, "end": end, "text": text[start:end]})
            fh.write(json.dumps({"posting": keys[i], "text": text, "bullets": bullets}) + "\n")


def report_all_labels(name: str, gold: list[str], predicted: list[str], **extra: object) -> None:
    """`google_eval.report` over all four labels (SkillSpan holds `other` bullets too), with
    each label's F1."""
    f1 = f1_score(gold, predicted, labels=LABELS, average=None, zero_division=0)
    per_label = dict(zip(LABELS, [round(float(x), 4) for x in f1], strict=True))
    report(name, gold, predicted, scored=LABELS, f1=per_label, **extra)


def score(nlp, texts: dict[str, str], annotations: list[dict]) -> None:
    worded = [
        a for a in annotations if LETTER_OR_DIGIT.search(texts[a["posting"]], a["start"], a["end"])
    ]
    left_out = len(annotations) - len(worded)
    keys = sorted({a["posting"] for a in worded})
    found = {
        key: [(b.start_char, b.end_char, b.label_) for b in doc.spans["bullets"]]
        for key, doc in zip(keys, nlp.pipe(texts[k] for k in keys), strict=True)
    }
    gold = [a["label"] for a in worded]
    report_all_labels(
        "in_posting",
        gold,
        [covering_label(found[a["posting"]], a["start"], a["end"]) for a in worded],
        wordless_left_out=left_out,
    )
    alone = (texts[a["posting"]][a["start"] : a["end"]] for a in worded)
    report_all_labels("text_only", gold, labels_alone(nlp, alone), wordless_left_out=left_out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--model", default=None)
    parser.add_argument("--draw", type=int, default=0, help="draw N bullets to annotate")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("-o", "--output", default="skillspan_label_task.jsonl")
    parser.add_argument("--annotations", default=None, help="blind bullet-label annotation")
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        help="with --draw: an earlier annotation whose bullets are not drawn again (repeatable)",
    )
    args = parser.parse_args()
    nlp = jobreq.load(args.model)
    texts = posting_texts(args.path)
    if args.draw:
        earlier = (a for path in args.exclude for a in srsly.read_jsonl(path))
        exclude = {(a["posting"], a["start"]) for a in earlier}
        draw(nlp, texts, args.draw, args.seed, args.output, exclude)
    if args.annotations:
        score(nlp, texts, list(srsly.read_jsonl(args.annotations)))


if __name__ == "__main__":
    main()
