"""Bullet forms the corpus once lacked, classified by the shipped pipeline.

Each check is a JSONL file of sentences written for it by a writing session that saw neither
the corpus nor the classifier's cue lists, with the kind of bullet each one is. A sentence is
placed in a template and counts as right when every bullet made of it gets a right label: a
`requirement` `basic` or `preferred` (the level is its list's, which the checks do not
show), a `duty` `duty`, an `other` `other`. Never used for fitting.

- `trait_check.jsonl` (session 12), each sentence alone (the text-only model): 50
  requirements about the candidate's character or work style ("Unflappable under
  pressure."), 25 employer self-descriptions in the same words and 25 duties that name a
  quality of the work.
- `noun_phrase_check.jsonl` (session 13), alone: 50 requirements written as a bare noun
  phrase ("Program management experience."), 25 duties led by a verb that is also a noun and
  25 lines that use "experience" or "skills" in another sense (pay, team names, benefits).
- `closing_check.jsonl` (session 13), as a plain line right after a short "Requirements"
  list, where employers put them with no heading of their own: 70 closing lines (questions,
  calls to action, what the company offers, sign-offs) and 30 requirements, 10 of them
  written as questions.
- `name_list_check.jsonl` (session 30), each a whole section as written, heading and list:
  45 requirement sections whose items are bare names (tools, languages, certifications,
  licences: "Requirements:\n- Kubernetes\n- AWS", "Qualifications\n- Active RN license\n-
  BLS"; 193 items) and 20 sections of bare names that are no requirements (benefits,
  locations, clients, schedules; 76 items). A section is right when all its items are; the
  `labels` counts are per item.

    python benchmarks/held_out_checks.py [--model PATH]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import jobreq

ALONE = "- {}"
AFTER_REQUIREMENTS = (
    "Requirements:\n- 3+ years of experience in a similar role.\n"
    "- Fluent written and spoken English.\n{}"
)
CHECKS = {
    "trait_check": ALONE,
    "noun_phrase_check": ALONE,
    "closing_check": AFTER_REQUIREMENTS,
    "name_list_check": "{}",
}
RIGHT = {"requirement": {"basic", "preferred"}, "duty": {"duty"}, "other": {"other"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    nlp = jobreq.load(args.model)
    for check, template in CHECKS.items():
        with Path(__file__).with_name(f"{check}.jsonl").open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        start = template.index("{}")
        docs = nlp.pipe(template.format(row["text"]) for row in rows)
        labels = [[b.label_ for b in doc.spans["bullets"] if b.start_char >= start] for doc in docs]
        result = {}
        for kind, right in RIGHT.items():
            got = [found for row, found in zip(rows, labels, strict=True) if row["kind"] == kind]
            result[kind] = {
                "right": sum(bool(found) and set(found) <= right for found in got),
                "of": len(got),
                "labels": dict(Counter(label for found in got for label in found)),
            }
        print(check, json.dumps(result))


if __name__ == "__main__":
    main()
