"""Bullet forms the corpus once lacked, each bullet classified alone (the text-only model).

Each check is a JSONL file of sentences written for it by a writing session that saw neither
the corpus nor the classifier's cue lists, with the kind of bullet each one is. A
`requirement` counts as right when labelled `basic` or `preferred` (the level is its list's,
which a lone bullet does not show), a `duty` when `duty`, an `other` when `other`. Never used
for fitting or model choice.

- `trait_check.jsonl` (session 12): 50 requirements about the candidate's character or work
  style ("Unflappable under pressure."), 25 employer self-descriptions in the same words and
  25 duties that name a quality of the work.
- `noun_phrase_check.jsonl` (session 13): 50 requirements written as a bare noun phrase
  ("Program management experience."), 25 duties led by a verb that is also a noun and 25
  lines that use "experience" or "skills" in another sense (pay, team names, benefits).

    python benchmarks/held_out_checks.py [--model PATH]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import jobreq

CHECKS = ("trait_check", "noun_phrase_check")
RIGHT = {"requirement": {"basic", "preferred"}, "duty": {"duty"}, "other": {"other"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    nlp = jobreq.load(args.model)
    for check in CHECKS:
        with Path(__file__).with_name(f"{check}.jsonl").open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        docs = nlp.pipe(f"- {row['text']}" for row in rows)
        labels = [doc.spans["bullets"][0].label_ for doc in docs]
        result = {}
        for kind, right in RIGHT.items():
            got = [label for row, label in zip(rows, labels, strict=True) if row["kind"] == kind]
            result[kind] = {
                "right": sum(label in right for label in got),
                "of": len(got),
                "labels": dict(Counter(got)),
            }
        print(check, json.dumps(result))


if __name__ == "__main__":
    main()
