"""Bullets about personal qualities, classified alone (the text-only model).

`trait_check.jsonl` holds 100 sentences written for this check by a writing session that
saw neither the corpus nor the classifier's cue lists: 50 requirement bullets about the
candidate's character or work style ("Unflappable under pressure."), 25 employer
self-descriptions in the same words ("Our crew is scrappy, kind and quick to laugh.") and 25
duties that name a quality of the work. A trait counts as right when it is labelled `basic`
or `preferred` (the level is its list's, which a lone bullet does not show), a
self-description when `other`, a duty when `duty`. Never used for fitting or model choice.

    python benchmarks/trait_check.py [--model PATH]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import jobreq

DATA = Path(__file__).with_name("trait_check.jsonl")
RIGHT = {"trait": {"basic", "preferred"}, "company": {"other"}, "duty": {"duty"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    nlp = jobreq.load(args.model)
    with DATA.open(encoding="utf-8") as fh:
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
    print(json.dumps(result))


if __name__ == "__main__":
    main()
