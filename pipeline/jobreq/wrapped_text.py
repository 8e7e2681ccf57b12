"""Whitespace that only wraps text, read through as if the words were on one line.

A list item continued on an indented next line ("- 3+ years of machine\\n  learning") or
a double space gets a whitespace token of its own from spaCy's tokenizer, between words
that belong together. Phrase and token matchers do not skip it, so "machine learning" or
"nice to have" would not match. The taggers and the classifier's cue matcher match on
`unwrap(doc)`, the doc without such tokens, and map the matches back; the context rules
read the words beside a match with `next_word`, `words_around` and `plain_text`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import IS_SPACE
from spacy.tokens import Doc, Span, Token


def is_wrap(token: Token) -> bool:
    """Whitespace inside a line, or one line break (with its indent) inside a sentence or
    list item the segmenter did not cut there. A line break counts only in a doc whose
    sentence starts are set."""
    if not token.is_space:
        return False
    doc, i = token.doc, token.i
    if i == 0 or i + 1 == len(doc):
        return False
    if token.is_sent_start or doc[i + 1].is_sent_start:
        return False
    breaks = token.text.count("\n")
    return breaks == 0 or (breaks == 1 and doc[i + 1].is_sent_start is False)


@dataclass(frozen=True)
class Unwrapped:
    """A doc's tokens without its wrap whitespace, as a doc of their own."""

    doc: Doc  # the tokens' lexical attributes only: no sentences, spans or extensions
    kept: list[int]  # the index in the original doc of each token

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """The original doc's token range of tokens `start:end` of this one."""
        return self.kept[start], self.kept[end - 1] + 1


def unwrap(doc: Doc) -> Unwrapped | None:
    """The doc without its wrap whitespace; None when it has none."""
    spaces = np.flatnonzero(doc.to_array(IS_SPACE)).tolist()
    wraps = {i for i in spaces if is_wrap(doc[i])}
    if not wraps:
        return None
    kept = [i for i in range(len(doc)) if i not in wraps]
    tokens = [doc[i] for i in kept]
    words = [t.text for t in tokens]
    return Unwrapped(
        Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in tokens]), kept
    )


def next_word(doc: Doc, i: int, step: int, lo: int, hi: int) -> int | None:
    """The first token from `i` on, by `step`, within `lo:hi` that is not wrap whitespace."""
    while lo <= i < hi:
        if not is_wrap(doc[i]):
            return i
        i += step
    return None


def words_around(doc: Doc, start: int, end: int, n: int, lo: int, hi: int) -> tuple[int, int]:
    """The tokens `start:end` widened by up to `n` words either side (wrap whitespace not
    counted), within `lo:hi`."""
    for _ in range(n):
        i = next_word(doc, start - 1, -1, lo, hi)
        if i is None:
            break
        start = i
    for _ in range(n):
        i = next_word(doc, end, 1, lo, hi)
        if i is None:
            break
        end = i + 1
    return start, end


def word_count(span: Span) -> int:
    """Tokens in the span, wrap whitespace not counted."""
    return sum(1 for t in span if not is_wrap(t))


def plain_text(span: Span) -> str:
    """The span's text with each run of whitespace read as one space."""
    return " ".join(span.text.split())
