"""Token patterns matched as prefix + core, with the same matches as one spaCy Matcher.

Rule files spell out every combination: "at least" + "N years", "a minimum of" + "N+
years", ... (the experience rules hold 284 patterns built from 46 cores). spaCy's Matcher
tries every pattern at every token, so its cost grows with that product. Here a pattern
that ends in another pattern of the same label (its core) is split: every core and every
distinct prefix is matched once, and a full match is a prefix match that ends where a
match of its core starts. Patterns that do not split this way are matched as they are.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

Rule = tuple[int, int, str, str]  # (label hash, id hash, label, id): sorts like spaCy spans
REQUIRED = (None, "+")  # token specs that always consume a token


def rule_of(pattern: dict[str, Any]) -> Rule:
    """The rule of a pattern (or of a SpanRuler match: a dict with "label" and "id")."""
    label, span_id = pattern["label"], pattern.get("id", "")
    return (get_string_id(label), get_string_id(span_id), label, span_id)


def _key(label: str, specs: list[dict[str, Any]]) -> str:
    return json.dumps([label, specs], sort_keys=True)


class FactoredMatcher:
    """Matches token patterns (SpanRuler pattern dicts) as (rule, start, end) triples."""

    def __init__(self, vocab: Vocab, patterns: Iterable[dict[str, Any]]) -> None:
        patterns = [p for p in patterns if isinstance(p["pattern"], list)]
        self.whole = Matcher(vocab)  # cores and the patterns that do not split
        self.prefixes = Matcher(vocab)
        self._rules: dict[int, Rule] = {}  # whole-matcher key -> the pattern's rule
        self._prefix_numbers: dict[int, int] = {}  # prefix-matcher key -> prefix number
        self.combinations: dict[tuple[int, int], list[Rule]] = defaultdict(list)
        numbers = {_key(p["label"], p["pattern"]): n for n, p in enumerate(patterns)}
        cores = {key for key, n in numbers.items() if not self._has_core(patterns[n], numbers)}
        prefixes: dict[str, int] = {}
        for number, pattern in enumerate(patterns):
            split = self._split(pattern, cores)
            if split is None:
                name = f"jobreq-whole-{number}"
                self.whole.add(name, [pattern["pattern"]])
                self._rules[vocab.strings.add(name)] = rule_of(pattern)
                continue
            prefix, core_key = split
            prefix_key = json.dumps(prefix, sort_keys=True)
            if prefix_key not in prefixes:
                prefixes[prefix_key] = len(prefixes)
                name = f"jobreq-prefix-{prefixes[prefix_key]}"
                self.prefixes.add(name, [prefix])
                self._prefix_numbers[vocab.strings.add(name)] = prefixes[prefix_key]
            core_name = f"jobreq-whole-{numbers[core_key]}"
            combination = (prefixes[prefix_key], vocab.strings.add(core_name))
            self.combinations[combination].append(rule_of(pattern))

    @staticmethod
    def _has_core(pattern: dict[str, Any], keys: dict[str, int]) -> bool:
        specs = pattern["pattern"]
        return any(_key(pattern["label"], specs[i:]) in keys for i in range(1, len(specs)))

    @staticmethod
    def _split(pattern: dict[str, Any], cores: set[str]) -> tuple[list[Any], str] | None:
        """(prefix, core key) by the longest core the pattern ends in, if its prefix has a
        token that must be there (an all-optional prefix could match nothing)."""
        specs = pattern["pattern"]
        for i in range(1, len(specs)):
            core_key = _key(pattern["label"], specs[i:])
            if core_key in cores:
                prefix = specs[:i]
                if any(spec.get("OP") in REQUIRED for spec in prefix):
                    return prefix, core_key
                return None
        return None

    def __call__(self, doclike: Doc | Span) -> list[tuple[Rule, int, int]]:
        whole = self.whole(doclike)
        found = [(self._rules[m], s, e) for m, s, e in whole]
        if not self.combinations:
            return found
        ending_at: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for m, s, e in self.prefixes(doclike):
            ending_at[e].append((self._prefix_numbers[m], s))
        for m, s, e in whole:
            for prefix, start in ending_at.get(s, ()):
                for rule in self.combinations.get((prefix, m), ()):
                    found.append((rule, start, e))
        return found
