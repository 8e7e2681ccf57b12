"""What the bullet classifier sees of a bullet: its text, its heading, and cue features.

The same function serves training (gold bullets) and inference (segmented bullets), so
the two can never drift apart.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

NO_HEADING = "none"
HIDDEN = "hidden"  # context withheld: no heading and no position, the text must decide
DIGITS = re.compile(r"\d")
HEADING_WORD = re.compile(r"[a-z][a-z']+")


@dataclass(frozen=True)
class BulletView:
    text: str  # lower-cased bullet text with digits folded to 0
    cues: dict[str, float]  # section type, heading words, cue phrases, position, entities


class CueMatcher:
    """Named regular expressions (from `classifier_cues.jsonl`) that flag cue phrases."""

    def __init__(self, rows: Iterable[dict[str, str]]) -> None:
        self.rows = list(rows)
        self.patterns = [
            (row["name"], re.compile(row["pattern"], re.IGNORECASE)) for row in self.rows
        ]

    def __call__(self, text: str) -> dict[str, float]:
        return {f"cue={name}": 1.0 for name, pattern in self.patterns if pattern.search(text)}


def section_of(doc: Doc, span: Span) -> tuple[str | None, str]:
    """The heading text above `span` and its section type (None, "none" when there is none)."""
    sections = list(doc.spans.get("sections", []))
    index = bisect.bisect_right([s.start for s in sections], span.start) - 1
    if index < 0:
        return None, NO_HEADING
    return sections[index].text, sections[index].label_


def bullet_view(
    doc: Doc, span: Span, index: int, count: int, cues: CueMatcher, hide_heading: bool = False
) -> BulletView:
    """Features of one bullet, the `index`-th of the posting's `count` bullets.

    With `hide_heading` the bullet's context (heading and position) is withheld, as for a
    bullet classified on its own.
    """
    heading, section_type = (None, HIDDEN) if hide_heading else section_of(doc, span)
    features: dict[str, Any] = {f"section={section_type}": 1.0, **cues(span.text)}
    heading_words = HEADING_WORD.findall((heading or "").lower())
    for n in (1, 2):
        for i in range(len(heading_words) - n + 1):
            features["h=" + " ".join(heading_words[i : i + n])] = 1.0
    if not hide_heading:
        if index == 0:  # a first bullet above any heading is usually the job title
            features[f"first_bullet_in={section_type}"] = 1.0
        if count >= 5:
            features[f"position={min(int(index / count * 5), 4)}"] = 1.0
    words = [t for t in span if not (t.is_punct or t.is_space)]
    if words:
        first = words[0]
        features[f"first={first.lemma_.lower() or first.lower_}"] = 1.0
        if first.lower_.endswith("s") and first.is_title and len(first) > 3:
            features["first_is_3rd_person"] = 1.0
    features[f"length={min(len(words) // 8, 5)}"] = 1.0
    for key in ("experience", "degrees"):
        if any(span.start <= e.start < span.end for e in doc.spans.get(key, [])):
            features[f"has_{key}"] = 1.0
    n_skills = sum(span.start <= e.start < span.end for e in doc.spans.get("skills", []))
    features[f"skills={min(n_skills, 3)}"] = 1.0
    return BulletView(text=DIGITS.sub("0", span.text.lower()), cues=features)
