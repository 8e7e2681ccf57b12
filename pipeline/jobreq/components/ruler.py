"""Shared base of the entity taggers: a spaCy SpanRuler plus named JSONL rule tables.

Each tagger keeps its patterns in the SpanRuler and its other rule data (taxonomy,
context rules) in `self.tables`, saved beside the patterns as `<table>.jsonl`.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments
# from their real annotations.

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

import jsonlines
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.training import Example
from spacy.util import ensure_path, registry


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """All objects of a JSONL file (blank lines skipped)."""
    with jsonlines.open(path) as reader:
        return list(reader.iter(type=dict, skip_empty=True))


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> None:
    """One object per line, UTF-8, in the order given."""
    with jsonlines.open(path, mode="w", compact=False) as writer:
        writer.write_all(rows)


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
            spans_filter=registry.misc.get("spacy.first_longest_spans_filter.v1")(),
            phrase_matcher_attr="LOWER",
            overwrite=True,
            scorer=scorer,
        )
        self.tables: dict[str, list[dict[str, Any]]] = {t: [] for t in self.table_names}
        self.compile_rules()

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        patterns: str | None = None,
        context: str | None = None,
    ) -> None:
        """Load the patterns and context rules (default: the files beside the module)."""
        self.set_rules(
            read_jsonl(patterns or self.patterns_path),
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
