"""Skill tagging against SkillSpan KNOWLEDGE spans (real postings, MIT licence).

The data is not part of this repository; point the script at a SkillSpan JSONL file
(one sentence a line with "tokens" and "tags_knowledge" in BIO). A predicted skill counts
as correct when it overlaps a gold KNOWLEDGE span; a gold span counts as found when a
predicted skill overlaps it.

    python benchmarks/skillspan_eval.py ../shared/eval/skillspan_dev.jsonl

KNOWLEDGE spans leave many named skills unmarked (titles, tag lines, some whole sentences).
`--annotations FILE` scores only the sentences of a separate, blind annotation of named skills
instead: JSONL lines `{"line": N, "spans": [[start, end], ...]}` with token offsets into line N
of the SkillSpan file. Such a file is derived from SkillSpan and stays out of the repository.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

import jobreq


def gold_spans(tags: list[str]) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not tag.startswith("I"):
            spans.append((start, i))
            start = None
        if tag.startswith("B"):
            start = i
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--model", default=None)
    parser.add_argument("--show", type=int, default=0, help="print the N most frequent misses")
    parser.add_argument(
        "--exclude",
        nargs="*",
        default=["soft_skill"],
        help="skill categories not compared (KNOWLEDGE spans leave soft skills out)",
    )
    parser.add_argument("--annotations", default=None, help="blind named-skill annotation")
    args = parser.parse_args()
    nlp = jobreq.load(args.model)
    with open(args.path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    gold_by_row = [gold_spans(row["tags_knowledge"]) for row in rows]
    if args.annotations:
        with open(args.annotations, encoding="utf-8") as fh:
            annotated = [json.loads(line) for line in fh]
        rows = [rows[a["line"]] for a in annotated]
        gold_by_row = [[tuple(span) for span in a["spans"]] for a in annotated]
    texts, token_starts = [], []
    for row in rows:
        starts, pos = [], 0
        for token in row["tokens"]:
            starts.append(pos)
            pos += len(token) + 1
        texts.append(" ".join(row["tokens"]))
        token_starts.append(starts)
    tp_pred = n_pred = tp_gold = n_gold = 0
    misses, false = Counter(), Counter()
    docs = nlp.pipe(texts, batch_size=256)
    for row, gold, doc, starts in zip(rows, gold_by_row, docs, token_starts, strict=True):
        gold_chars = [(starts[s], starts[e - 1] + len(row["tokens"][e - 1])) for s, e in gold]
        pred = [
            (s.start_char, s.end_char)
            for s in doc.spans["skills"]
            if s._.skill["category"] not in args.exclude
        ]
        overlaps = lambda a, b: a[0] < b[1] and b[0] < a[1]  # noqa: E731
        n_pred += len(pred)
        n_gold += len(gold_chars)
        for p in pred:
            hit = any(overlaps(p, g) for g in gold_chars)
            tp_pred += hit
            if not hit:
                false[doc.text[p[0] : p[1]]] += 1
        for g in gold_chars:
            hit = any(overlaps(p, g) for p in pred)
            tp_gold += hit
            if not hit:
                misses[doc.text[g[0] : g[1]]] += 1
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(json.dumps({"sentences": len(rows), "gold_spans": n_gold, "predicted": n_pred,
                      "overlap_precision": round(precision, 4), "overlap_recall": round(recall, 4),
                      "overlap_f1": round(f1, 4)}))  # fmt: skip
    for text, count in misses.most_common(args.show):
        print("miss", count, text)
    for text, count in false.most_common(args.show):
        print("false", count, text)


if __name__ == "__main__":
    main()
