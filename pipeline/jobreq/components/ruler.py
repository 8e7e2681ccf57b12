"""Shared base of the entity taggers: a spaCy SpanRuler plus named JSONL rule tables.

Each tagger keeps its patterns in the SpanRuler and its other rule data (taxonomy,
context rules) in `self.tables`, saved beside the patterns as `<table>.jsonl`. Context
rules read the words beside a match (`NeighbourPhrases`) and the section heading above it
(`SectionHeadings`).

Token patterns run only in windows around their anchors: every token pattern needs some
literal word ("years", "BS", "degree"), so the Matcher, whose cost grows with tokens times
patterns, runs only over the tokens within one match length of such a word. The anchors
are read off the patterns themselves; matches are the same as over the whole doc (as long
as a "+" or "*" token repeats at most REPEAT_BOUND times).

Names and phrases read through whitespace that only wraps text (`jobreq.wrapped_text`): a
list item continued on an indented next line ("machine\n  learning") or a double space.
Patterns are matched on the doc without it, and the context rules skip it.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments
# from their real annotations.

import itertools
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import jsonlines
import numpy as np
from spacy.attrs import LOWER, ORTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.strings import StringStore
from spacy.tokens import Doc, Span, Token
from spacy.training import Example
from spacy.util import ensure_path

from ..wrapped_text import unwrap, wraps_of
from .factored_matcher import FactoredMatcher, Rule, rule_of

EXACTLY_ONCE = (None, "1")  # token specs that can anchor: one token, never skipped
# How postings scraped as HTML source spell an apostrophe: "Bachelor&#39;s degree"
HTML_APOSTROPHES = ("&#39;", "&#x27;", "&apos;", "&rsquo;", "&#8217;")
REPEAT_BOUND = 8  # tokens a "+" or "*" spec is taken to cover when bounding a window


def first_longest_words(existing: Iterable[Span], new: Iterable[Span]) -> list[Span]:
    """spaCy's `first_longest_spans_filter`, with a span's length counted in words (its
    tokens less its wrap whitespace): a match read through a wrapped line is no longer than
    the same words on one line."""
    chosen: list[Span] = []
    seen: set[int] = set()
    spans = list(itertools.chain(existing, new))
    wraps = wraps_of(spans[0].doc) if spans else frozenset()

    def words(span: Span) -> int:
        if not wraps:
            return len(span)
        return len(span) - sum(i in wraps for i in range(span.start, span.end))

    for span in sorted(spans, key=lambda s: (words(s), -s.start), reverse=True):
        if span.start not in seen and span.end - 1 not in seen:
            chosen.append(span)
            seen.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def words_of(span: Span) -> str:
    """The span's words, lower-cased and joined by single spaces (wrap whitespace skipped)."""
    wraps = wraps_of(span.doc)
    return " ".join([t.lower_ for t in span if not wraps or t.i not in wraps])


def closing_bracket(doc: Doc, opening: int, limit: int) -> int | None:
    """The token that closes the "(" at `opening`, if one does before token `limit`."""
    return next((j for j in range(opening + 1, limit) if doc[j].text == ")"), None)


def joins_words(token: Token, hyphens: Container[str] = ("-",)) -> bool:
    """A hyphen with no space on either side, inside one word ("full-time", "LC-MS")."""
    return (
        token.text in hyphens
        and token.i > 0
        and not token.nbor(-1).whitespace_
        and not token.whitespace_
    )


NUMBER_SLOT = "#"  # a word of a context phrase that any number fills (": # years")


class NeighbourPhrases:
    """Context-rule phrases (`reject_next`, `accept_prev`, ...) that start right after a
    span or end right before it, compared word by word in lower case: the one way the
    taggers read the words beside a match. A "#" word in a phrase stands for any number."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.by_length: dict[int, set[str]] = {}
        for phrase in phrases:
            self.by_length.setdefault(phrase.count(" ") + 1, set()).add(phrase.lower())
        self.longest = max(self.by_length, default=0)
        self.numbered = any(NUMBER_SLOT in p.split() for g in self.by_length.values() for p in g)

    def start_after(self, doc: Doc, end: int) -> bool:
        """One of the phrases starts at token `end`."""
        words = self._words(doc, end, 1)
        return any(
            " ".join(words[:n]) in group for n, group in self.by_length.items() if n <= len(words)
        )

    def end_before(self, doc: Doc, start: int) -> bool:
        """One of the phrases ends right before token `start`."""
        words = self._words(doc, start - 1, -1)
        return any(
            " ".join(reversed(words[:n])) in group
            for n, group in self.by_length.items()
            if n <= len(words)
        )

    def _words(self, doc: Doc, first: int, step: int) -> list[str]:
        """Up to `longest` lower-cased words from token `first` on in direction `step`,
        skipping wrap whitespace."""
        words: list[str] = []
        wraps = wraps_of(doc)
        i = first
        while 0 <= i < len(doc) and len(words) < self.longest:
            if i not in wraps:
                number = self.numbered and doc[i].like_num
                words.append(NUMBER_SLOT if number else doc[i].lower_)
            i += step
        return words


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """All objects of a JSONL file (blank lines skipped)."""
    with jsonlines.open(path) as reader:
        return list(reader.iter(type=dict, skip_empty=True))


def with_html_apostrophes(patterns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The patterns, then each phrase pattern with an apostrophe spelled as each HTML
    entity; the tokenizer splits entities off, so each spelling needs its own pattern."""
    phrases = {p["pattern"] for p in patterns if isinstance(p["pattern"], str)}
    extra = []
    for pattern in patterns:
        text = pattern["pattern"]
        if not isinstance(text, str) or not ("'" in text or "’" in text):
            continue
        for entity in HTML_APOSTROPHES:
            variant = text.replace("'", entity).replace("’", entity)
            if variant not in phrases:
                phrases.add(variant)
                extra.append({**pattern, "pattern": variant})
    return patterns + extra


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> None:
    """One object per line, UTF-8, in the order given."""
    with jsonlines.open(path, mode="w", compact=False) as writer:
        writer.write_all(rows)


@dataclass(frozen=True)
class Anchors:
    """Words one of which every token pattern needs, and how far a match reaches from one."""

    orth: np.ndarray  # sorted string hashes, matched against token ORTH
    lower: np.ndarray  # sorted string hashes, matched against token LOWER
    before: int  # the most tokens a match can have before its anchor
    after: int  # ... and after it

    def windows(self, doc: Doc) -> Iterator[tuple[int, int]]:
        """Merged token ranges that hold every possible match in `doc`."""
        attrs = doc.to_array([ORTH, LOWER]).reshape(len(doc), 2)
        hits = np.flatnonzero(_among(attrs[:, 0], self.orth) | _among(attrs[:, 1], self.lower))
        lo = hi = -1
        for i in hits.tolist():
            start, end = max(0, i - self.before), min(len(doc), i + self.after + 1)
            if start > hi:
                if hi > lo:
                    yield lo, hi
                lo = start
            hi = end
        if hi > lo:
            yield lo, hi


def _among(values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """`np.isin` for a small sorted set of hashes: one binary search per value."""
    if not len(members):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(members, values), len(members) - 1)
    return members[at] == values


def find_anchors(patterns: list[dict[str, Any]], strings: StringStore) -> Anchors | None:
    """Anchors for these token patterns, or None when one has no required literal word.

    Each pattern is anchored on the required word set it shares with most other patterns
    (the unit words of "3+ years", "at least 3 years", ...), so the anchor set stays small;
    stop words anchor only a pattern that names no other word.
    """
    options = [_literal_specs(p["pattern"]) for p in patterns]
    if not all(options):
        return None
    # a stop word ("of" in "Master of <Name>") would open a window in nearly every sentence
    options = [[s for s in specs if not s[1][1] <= STOP_WORDS] or specs for specs in options]
    shared = Counter(spec for specs in options for _, spec in specs)
    words: dict[str, set[str]] = {"ORTH": set(), "LOWER": set()}
    before = after = 0
    for pattern, specs in zip(patterns, options, strict=True):
        index, (attr, values) = max(specs, key=lambda s: (shared[s[1]], -len(s[1][1]), -s[0]))
        words[attr].update(values if attr == "ORTH" else (v.lower() for v in values))
        before = max(before, _reach(pattern["pattern"][:index]))
        after = max(after, _reach(pattern["pattern"][index + 1 :]))
    return Anchors(
        orth=np.sort(np.array([strings.add(w) for w in words["ORTH"]], dtype=np.uint64)),
        lower=np.sort(np.array([strings.add(w) for w in words["LOWER"]], dtype=np.uint64)),
        before=before,
        after=after,
    )


def _literal_specs(pattern: list[dict[str, Any]]) -> list[tuple[int, tuple[str, frozenset[str]]]]:
    """(position, (attribute, words)) of each exactly-once token spec naming literal words."""
    specs = []
    for index, token in enumerate(pattern):
        if token.get("OP") not in EXACTLY_ONCE:
            continue
        for attr in ("ORTH", "LOWER"):
            value = token.get(attr)
            if isinstance(value, str):
                specs.append((index, (attr, frozenset([value]))))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                specs.append((index, (attr, frozenset(value["IN"]))))
    return specs


def _reach(tokens: list[dict[str, Any]]) -> int:
    return sum(REPEAT_BOUND if t.get("OP") in ("+", "*") else 1 for t in tokens)


class RuleTagger(SpanRuler):
    """A SpanRuler (longest match wins) with extra rule tables that travel with the model."""

    table_names: ClassVar[tuple[str, ...]] = ()
    patterns_path: ClassVar[Path | None] = None  # default patterns, beside the subclass module
    context_path: ClassVar[Path | None] = None  # default rows of the first rule table

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        spans_key: str,
        scorer: Callable[..., dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(
            nlp,
            name,
            spans_key=spans_key,
            spans_filter=first_longest_words,
            phrase_matcher_attr="LOWER",
            overwrite=True,
            scorer=scorer,
        )
        self.tables: dict[str, list[dict[str, Any]]] = {t: [] for t in self.table_names}
        self._anchors: Anchors | None = None
        self._rules: dict[int, Rule] = {}  # match id -> sort keys and names
        self._token_matcher: FactoredMatcher | None = None
        self.compile_rules()

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        patterns: str | None = None,
        context: str | None = None,
    ) -> None:
        """Load the patterns (default: the file beside the module, plus the HTML spellings of
        its apostrophes) and context rules."""
        self.set_rules(
            with_html_apostrophes(read_jsonl(patterns or self.patterns_path)),
            **{self.table_names[0]: read_jsonl(context or self.context_path)},
        )

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        """Add patterns; phrase patterns are tokenised only (they match on LOWER), which
        keeps loading fast instead of running every earlier component over each pattern."""
        full = self.nlp
        tokenizer_only = type(full)(vocab=full.vocab)
        tokenizer_only.tokenizer = full.tokenizer
        self.nlp = tokenizer_only
        try:
            super().add_patterns(patterns)
        finally:
            self.nlp = full
        token_patterns = [p for p in self.patterns if isinstance(p["pattern"], list)]
        self._anchors = find_anchors(token_patterns, self.nlp.vocab.strings)
        self._token_matcher = (
            FactoredMatcher(self.nlp.vocab, token_patterns) if token_patterns else None
        )

    def clear(self) -> None:
        super().clear()
        self._anchors = None
        self._token_matcher = None
        self._rules = {}

    def match(self, doc: Doc) -> list[Span]:
        """The matches as spans, as spaCy's SpanRuler gives them."""
        return [
            Span(doc, start, end, label=label, span_id=span_id)
            for start, end, label, span_id in self.rule_matches(doc)
        ]

    def rule_matches(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """(start, end, label, id) of each match, deduplicated and in span order: phrase
        matches over the whole doc, token matches (as prefix + core, see `FactoredMatcher`)
        within the anchors' windows (or over the whole doc when the patterns have no
        anchors)."""
        self._require_patterns()
        unwrapped = unwrap(doc)
        words = doc if unwrapped is None else unwrapped.doc
        found = {(s, e, *self._rule_of(m)) for m, s, e in self.phrase_matcher(words) if s != e}
        windows = [(0, len(words))] if self._anchors is None else self._anchors.windows(words)
        for lo, hi in windows if self._token_matcher is not None else ():
            matches = self._token_matcher(words[lo:hi])
            found.update((lo + s, lo + e, *rule) for rule, s, e in matches if s != e)
        if unwrapped is not None:  # back to the doc's own token indexes
            found = {(*unwrapped.bounds(s, e), *rule) for s, e, *rule in found}
        # Span order: offsets, then the hashes of label and id
        return [(s, e, label, span_id) for s, e, _, _, label, span_id in sorted(found)]

    def _rule_of(self, match_id: int) -> Rule:
        """(label hash, id hash, label, id) of a match id, cached."""
        rule = self._rules.get(match_id)
        if rule is None:
            rule = self._rules[match_id] = rule_of(self._match_label_id_map[match_id])
        return rule

    def set_rules(self, patterns: list[dict[str, Any]], **tables: list[dict[str, Any]]) -> None:
        """Replace the patterns and rule tables."""
        self.clear()
        self.add_patterns(patterns)
        self.tables.update(tables)
        self.compile_rules()

    def compile_rules(self) -> None:
        """Build lookup structures from `self.tables` (subclasses override)."""

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        super().to_disk(path, exclude=exclude)
        path = ensure_path(path)
        for table, rows in self.tables.items():
            write_jsonl(path / f"{table}.jsonl", rows)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "RuleTagger":
        super().from_disk(path, exclude=exclude)
        path = ensure_path(path)
        for table in self.table_names:
            self.tables[table] = read_jsonl(path / f"{table}.jsonl")
        self.compile_rules()
        return self


class SectionHeadings:
    """A doc's section headings, looked up by token; they are read only when first asked
    for (most docs never need them)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.sections: list[Span] = []
        self.starts: list[int] | None = None
        self.words: dict[int, str] = {}

    def _last_from(self, token: int) -> int:
        """Index of the last heading that starts at or before `token`, or -1."""
        if self.starts is None:
            self.sections = list(self.doc.spans.get("sections", []))
            self.starts = [s.start for s in self.sections]
        return bisect_right(self.starts, token) - 1

    def holding(self, span: Span) -> Span | None:
        """The heading `span` lies inside, if any."""
        i = self._last_from(span.start)
        return self.sections[i] if i >= 0 and span.end <= self.sections[i].end else None

    def words_above(self, token: int) -> str:
        """The lower-cased words of the nearest heading before `token`, space-padded."""
        i = self._last_from(token)
        if i < 0 or self.sections[i].end > token:
            return ""
        if i not in self.words:
            self.words[i] = f" {words_of(self.sections[i])} "
        return self.words[i]
