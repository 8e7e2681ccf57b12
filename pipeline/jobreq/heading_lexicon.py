"""Section names and cue phrases that say what a heading's section holds.

Rows of `components/headings.jsonl`: ``{"name": ..., "type": ...}`` for a whole heading
(``"field": true`` for a job-board field label such as "Location", which opens a
"Field: value" line, not a section) and ``{"cue": ..., "type": ...}`` for a phrase inside
one, tried in file order.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

SECTION_TYPES = ("duty", "basic", "preferred", "other", "unknown")
DEFAULT_HEADINGS_PATH = Path(__file__).parent / "components" / "headings.jsonl"


def normalise_heading(text: str) -> str:
    """Lower-case a heading, decode HTML entities ("What You&#39;ll Do") and drop punctuation
    so lexicon lookups are stable."""
    text = html.unescape(text).lower().replace("’", "'").replace("‘", "'").replace("&", " and ")
    text = re.sub(r"[^\w' ]+", " ", text)
    return " ".join(text.split())


class HeadingLexicon:
    """Section names and cue phrases mapping a heading to its section type."""

    def __init__(self, entries: Iterable[dict[str, str]]) -> None:
        self.entries = list(entries)
        self.names: dict[str, str] = {}
        self.fields: set[str] = set()  # names that open a "Field: value" line, not a section
        self.cues: list[tuple[re.Pattern[str], str]] = []
        # the words of each section name that is not a field label, for `name_length`
        self.name_words: dict[tuple[str, ...], str] = {}
        for entry in self.entries:
            if entry["type"] not in SECTION_TYPES:
                raise ValueError(f"heading lexicon: unknown type {entry['type']!r} in {entry}")
            if "name" in entry:
                norm = normalise_heading(entry["name"])
                self.names[norm] = entry["type"]
                if entry.get("field"):
                    self.fields.add(norm)
                else:
                    self.name_words[tuple(norm.split())] = entry["type"]
            else:
                phrase = re.escape(normalise_heading(entry["cue"]))
                self.cues.append((re.compile(rf"\b{phrase}\b"), entry["type"]))
        self.first_words = {words[0] for words in self.name_words}
        # any cue at all: most texts hold none, and one search settles them
        self.any_cue = re.compile("|".join(p.pattern for p, _ in self.cues) or r"(?!)")

    @classmethod
    def from_jsonl(cls, path: str | Path = DEFAULT_HEADINGS_PATH) -> HeadingLexicon:
        with open(path, encoding="utf-8") as fh:
            return cls(json.loads(line) for line in fh if line.strip())

    def is_name(self, heading: str) -> bool:
        return normalise_heading(heading) in self.names

    def starts_section(self, heading: str) -> bool:
        """A known section name that is not a field label such as "Location" or "Salary"."""
        norm = normalise_heading(heading)
        return norm in self.names and norm not in self.fields

    def opens_name(self, word: str) -> bool:
        """Whether a section name that is not a field label starts with this word: a cheap
        test that settles most words."""
        return word.lower().replace("’", "'") in self.first_words

    def name_length(self, words: Sequence[str]) -> int:
        """How many of `words` (plain words, as a regex for words finds them), from the
        first, make the longest section name that is not a field label (0 for none); a
        one-word name must also have a known type."""
        if not words or not self.opens_name(words[0]):
            return 0
        lowered = tuple(word.lower().replace("’", "'") for word in words)
        for n in range(len(lowered), 0, -1):
            section_type = self.name_words.get(lowered[:n])
            if section_type is not None:
                return n if n > 1 or section_type != "unknown" else 0
        return 0

    def type_of(self, heading: str) -> str:
        """The section type of a heading: its exact name if known, else its first cue."""
        norm = normalise_heading(heading)
        if norm in self.names:
            return self.names[norm]
        if not self.any_cue.search(norm):
            return "unknown"
        for pattern, section_type in self.cues:
            if pattern.search(norm):
                return section_type
        return "unknown"
