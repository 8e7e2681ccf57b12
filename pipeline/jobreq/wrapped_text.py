"""Whitespace that only wraps text, read through as if the words were on one line.

A list item continued on an indented next line ("- 3+ years of machine\\n  learning") or
a double space gets a whitespace token of its own from spaCy's tokenizer, between words
that belong together. Phrase and token matchers do not skip it, so "machine learning" or
"nice to have" would not match. The taggers and the classifier's cue matcher match on
`unwrap(doc)`, the doc without such tokens, and map the matches back; the context rules
read the words beside a match with `is_wrap`, `next_word`, `words_around` and `plain_text`.

Wrap whitespace is a whitespace token inside a line, or one line break (with its indent)
inside a sentence or list item that the segmenter did not cut there: neither it nor the
next token starts a sentence, and a line break counts only in a doc whose sentence starts
are set. It is read once per doc and kept while the doc lives.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True)
class Unwrapped:
    """A doc's tokens without its wrap whitespace, as a doc of their own."""

    doc: Doc  # the tokens' lexical attributes only: no sentences, spans or extensions
    kept: list[int]  # the index in the original doc of each token
    wraps: frozenset[int]  # the indexes of the wrap whitespace in the original doc

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """The original doc's token range of tokens `start:end` of this one."""
        return self.kept[start], self.kept[end - 1] + 1


_UNWRAPPED: weakref.WeakKeyDictionary[Doc, Unwrapped | None] = weakref.WeakKeyDictionary()
_NONE: frozenset[int] = frozenset()
# the doc asked about last and its answer: the context rules ask many times in a row
_last: tuple[weakref.ref[Doc], Unwrapped | None] | None = None


def unwrap(doc: Doc) -> Unwrapped | None:
    """The doc without its wrap whitespace; None when it has none. Kept while the doc lives
    (three taggers, their context rules and the cue matcher ask for it); `forget` the doc
    after changing its tokens or sentence starts."""
    global _last
    if _last is not None and _last[0]() is doc:
        return _last[1]
    if doc not in _UNWRAPPED:
        _UNWRAPPED[doc] = _unwrap(doc)
    found = _UNWRAPPED[doc]
    _last = (weakref.ref(doc), found)
    return found


def forget(doc: Doc) -> None:
    """Drop what `unwrap` kept of the doc."""
    global _last
    _UNWRAPPED.pop(doc, None)
    _last = None


def wraps_of(doc: Doc) -> frozenset[int]:
    """The indexes of the doc's wrap whitespace tokens."""
    unwrapped = unwrap(doc)
    return _NONE if unwrapped is None else unwrapped.wraps


def is_wrap(token: Token) -> bool:
    """The token is wrap whitespace."""
    return token.is_space and token.i in wraps_of(token.doc)


def _unwrap(doc: Doc) -> Unwrapped | None:
    if len(doc) < 3:
        return None
    cols = doc.to_array([IS_SPACE, SENT_START]).astype(np.int64)
    starts = cols[:, 1]  # 1 a sentence start, -1 none, 0 not set
    candidates = (cols[1:-1, 0] == 1) & (starts[1:-1] != 1) & (starts[2:] != 1)
    wraps = set()
    for i in (np.flatnonzero(candidates) + 1).tolist():
        breaks = doc[i].text.count("\n")
        if breaks == 0 or (breaks == 1 and starts[i + 1] == -1):
            wraps.add(i)
    if not wraps:
        return None
    kept = [i for i in range(len(doc)) if i not in wraps]
    orth_spacy = doc.to_array([ORTH, SPACY])[kept].tolist()
    strings = doc.vocab.strings
    words = [strings[orth] for orth, _ in orth_spacy]
    spaces = [bool(space) for _, space in orth_spacy]
    return Unwrapped(Doc(doc.vocab, words=words, spaces=spaces), kept, frozenset(wraps))


def next_word(doc: Doc, i: int, step: int, lo: int, hi: int) -> int | None:
    """The first token from `i` on, by `step`, within `lo:hi` that is not wrap whitespace."""
    wraps = wraps_of(doc)
    while lo <= i < hi:
        if i not in wraps:
            return i
        i += step
    return None


def words_around(doc: Doc, start: int, end: int, n: int, lo: int, hi: int) -> tuple[int, int]:
    """The tokens `start:end` widened by up to `n` words either side (wrap whitespace not
    counted), within `lo:hi`."""
    if not wraps_of(doc):
        return max(lo, start - n), min(hi, end + n)
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


def plain_text(span: Span) -> str:
    """The span's text with each run of whitespace read as one space."""
    return " ".join(span.text.split())
