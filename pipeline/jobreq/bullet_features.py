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

from spacy.attrs import IS_PUNCT, IS_SPACE
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
        # matched against lower-cased text: much faster than re.IGNORECASE, same matches
        self.patterns = [(row["name"], re.compile(row["pattern"].lower())) for row in self.rows]

    def __call__(self, text: str) -> dict[str, float]:
        lowered = text.lower()
        return {f"cue={name}": 1.0 for name, pattern in self.patterns if pattern.search(lowered)}


class DocLookups:
    """What `bullet_view` needs from a doc, computed once per doc rather than per bullet."""

    def __init__(self, doc: Doc) -> None:
        sections = list(doc.spans.get("sections", []))
        self.section_starts = [s.start for s in sections]
        self.sections = [(s.text, s.label_) for s in sections]
        self.entity_starts = {
            key: sorted(e.start for e in doc.spans.get(key, []))
            for key in ("experience", "degrees", "skills")
        }
        self.is_word = ~doc.to_array([IS_PUNCT, IS_SPACE]).reshape(len(doc), 2).any(axis=1)

    def section_of(self, span: Span) -> tuple[str | None, str]:
        """The heading text above `span` and its section type (None, "none" when there is none)."""
        index = bisect.bisect_right(self.section_starts, span.start) - 1
        return self.sections[index] if index >= 0 else (None, NO_HEADING)

    def entities_in(self, key: str, span: Span) -> int:
        """How many `key` entities start inside `span`."""
        starts = self.entity_starts[key]
        return bisect.bisect_left(starts, span.end) - bisect.bisect_left(starts, span.start)


def bullet_view(
    lookups: DocLookups,
    span: Span,
    index: int,
    count: int,
    cues: CueMatcher,
    hide_heading: bool = False,
) -> BulletView:
    """Features of one bullet, the `index`-th of the posting's `count` bullets.

    With `hide_heading` the bullet's context (heading and position) is withheld, as for a
    bullet classified on its own.
    """
    heading, section_type = (None, HIDDEN) if hide_heading else lookups.section_of(span)
    text = span.text
    features: dict[str, Any] = {f"section={section_type}": 1.0, **cues(text)}
    heading_words = HEADING_WORD.findall((heading or "").lower())
    for n in (1, 2):
        for i in range(len(heading_words) - n + 1):
            features["h=" + " ".join(heading_words[i : i + n])] = 1.0
    if not hide_heading:
        if index == 0:  # a first bullet above any heading is usually the job title
            features[f"first_bullet_in={section_type}"] = 1.0
        if count >= 5:
            features[f"position={min(int(index / count * 5), 4)}"] = 1.0
    is_word = lookups.is_word[span.start : span.end]
    n_words = int(is_word.sum())
    if n_words:
        first = span.doc[span.start + int(is_word.argmax())]
        features[f"first={first.lemma_.lower() or first.lower_}"] = 1.0
        if first.lower_.endswith("s") and first.is_title and len(first) > 3:
            features["first_is_3rd_person"] = 1.0
    features[f"length={min(n_words // 8, 5)}"] = 1.0
    for key in ("experience", "degrees"):
        if lookups.entities_in(key, span):
            features[f"has_{key}"] = 1.0
    features[f"skills={min(lookups.entities_in('skills', span), 3)}"] = 1.0
    return BulletView(text=DIGITS.sub("0", text.lower()), cues=features)
