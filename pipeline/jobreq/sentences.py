"""A doc's sentence bounds, read once from its SENT_START column.

``Span.sent`` builds a new Span, and Tokens to find its offsets, on every call; the skill
tagger asks for the sentence of each of its matches, several times. `Sentences` gives the
same bounds as ``Span.sent`` from one array read per doc.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.attrs import SENT_START
from spacy.tokens import Doc


class Sentences:
    """Sentence bounds of a doc whose sentence starts are set."""

    def __init__(self, doc: Doc) -> None:
        flags = doc.to_array([SENT_START]).reshape(-1)
        self.starts: list[int] = (flags == 1).nonzero()[0].tolist()
        self.length = len(doc)

    def start_of(self, token: int) -> int:
        """Start of the sentence holding `token`: the nearest start at or before it, or 0."""
        i = bisect_right(self.starts, token) - 1
        return self.starts[i] if i >= 0 else 0

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) of the sentence of tokens `start:end`, as ``doc[start:end].sent``."""
        i = bisect_left(self.starts, end)
        return self.start_of(start), self.starts[i] if i < len(self.starts) else self.length
