"""What wrapping list items onto indented lines changes in the shipped pipeline's output.

Plain-text postings (emails, PDF and word-processor exports, fixed-width job boards) wrap
long list items onto an indented next line, which splits names ("machine\\n  learning",
"Master of\\n  Science") and phrases ("nice to\\n  have"). Each corpus posting is run as
written and with every list item longer than `--width` characters wrapped, and the entities
(id and attributes) and bullet labels of the two are compared. `--double-spaces` instead
writes every space inside a list item twice.

    python benchmarks/wrapped_lines.py [--model PATH] [--width 40] [--double-spaces]
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc

import jobreq

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ("train", "dev", "test")
LIST_ITEM = re.compile(r"^(\s*(?:[-•*▪]|\d+[.)])\s+)(.*)$")
ENTITY_KEYS = ("skills", "experience", "degrees")


def wrap_list_items(text: str, width: int = 40, double_spaces: bool = False) -> str:
    """Each list item longer than `width` wrapped onto lines indented under its text (or,
    with `double_spaces`, with its spaces doubled instead)."""
    lines = []
    for line in text.split("\n"):
        item = LIST_ITEM.match(line)
        if item is None or len(line) <= width:
            lines.append(line)
            continue
        marker, body = item.groups()
        if double_spaces:
            lines.append(marker + body.replace(" ", "  "))
            continue
        indent = re.sub(r"[^\t]", " ", marker)  # a tab stays a tab, so indents compare
        lines.append(
            textwrap.fill(
                body,
                width=width,
                initial_indent=marker,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines)


def entities(doc: Doc) -> Counter[tuple[str, str, str]]:
    """(kind, id, attributes) of every entity of the doc, counted."""
    return Counter(
        (key, s.id_, json.dumps(s._.years or s._.degree, sort_keys=True))
        for key in ENTITY_KEYS
        for s in doc.spans[key]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="pipeline directory (default: bundled)")
    parser.add_argument("--width", type=int, default=40)
    parser.add_argument("--double-spaces", action="store_true")
    args = parser.parse_args()
    nlp = jobreq.load(args.model)
    texts = []
    for split in SPLITS:
        with open(ROOT / "corpus" / f"{split}.jsonl", encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"] for line in fh)
    changed = [wrap_list_items(t, args.width, args.double_spaces) for t in texts]
    found: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    gained: Counter[str] = Counter()
    same_labels = 0
    for doc, other in zip(nlp.pipe(texts), nlp.pipe(changed), strict=True):
        before, after = entities(doc), entities(other)
        for counter, diff in ((found, before), (lost, before - after), (gained, after - before)):
            for (key, _, _), n in diff.items():
                counter[key] += n
        labels = [b.label_ for b in doc.spans["bullets"]]
        same_labels += labels == [b.label_ for b in other.spans["bullets"]]
    print(
        json.dumps(
            {
                "postings": len(texts),
                "postings_changed": sum(a != b for a, b in zip(texts, changed, strict=True)),
                "entities": dict(found),
                "lost": dict(lost),
                "gained": dict(gained),
                "postings_with_the_same_bullet_labels": same_labels,
            }
        )
    )


if __name__ == "__main__":
    main()
