"""Rules for single skill aliases in `skill_context.jsonl`: senses, cues, rejecting words.

Senses: some names mean different skills in different trades. A rule's `senses` each give
a skill `id` (or null where the word names no skill: "CDC guidelines", an "SDR" who books
meetings) with `cues`, words or phrases counted anywhere in the posting. "sourcing" is
candidate sourcing in a recruiter's posting and strategic sourcing in a buyer's; "CDC" is
clock domain crossing beside RTL and change data capture beside Kafka. The alias takes the
sense whose cues occur most often (the first listed on a tie); with none in the posting it
takes the rule's `default`, an id or null (no skill, if the rule names none). A sense
chosen so still passes the tagger's other context rules.

Cues: a rule's `cues` vouch for an alias that needs context, like its family's cues, when
near it in its sentence ("goroutines" for "Go").

Rejecting words: `reject_prev` ends right before a match ("cup of" Java), `reject_next`
starts right after it (Java "beans"). A rule with `"currency": true` names a currency code
right before or after an amount ("CAD 112,000", "$155,000 CAD"), not the skill.
"""

import re
from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Span

from ..taxonomy import Taxonomy
from ..wrapped_text import next_word, plain_text
from .ruler import NeighbourPhrases, words_of

# A token that is an amount: "112,000", "$150,000", "90k", or a range joined by a hyphen or
# an en dash with no space ("125,000\u2013$150,000")
AMOUNT = re.compile(r"[$€£]?\d[\d,.]*[kK]?(?:[-\u2013][$€£]?\d[\d,.]*[kK]?)?")


class AliasRules:
    """Choose a sensed alias's skill by its posting; an alias's own cues; its rejecting words."""

    def __init__(
        self, rules: Iterable[dict], taxonomy: Taxonomy, make_doc: Callable[[str], Doc]
    ) -> None:
        # lower-cased alias -> ([(id or None, cues as " word word ")], default id or None)
        self._senses: dict[str, tuple[list[tuple[str | None, list[str]]], str | None]] = {}
        # lower-cased alias -> (reject_prev, reject_next)
        self._rejects: dict[str, tuple[NeighbourPhrases, NeighbourPhrases]] = {}
        self._currencies: set[str] = set()  # lower-cased aliases that are currency codes
        self._cues: dict[str, set[str]] = {}  # lower-cased alias -> its own context cues

        def words(text: str) -> str:  # as `resolve` reads the posting: "over - the - counter"
            return f" {' '.join(t.lower_ for t in make_doc(text))} "

        for rule in rules:
            if "alias" not in rule:
                continue
            alias = rule["alias"]
            self._rejects[alias.lower()] = (
                NeighbourPhrases(rule.get("reject_prev", [])),
                NeighbourPhrases(rule.get("reject_next", [])),
            )
            if rule.get("currency"):
                self._currencies.add(alias.lower())
            self._cues[alias.lower()] = {w.lower() for w in rule.get("cues", [])}
            if "senses" not in rule:
                continue
            senses = [(s["id"], [words(c) for c in s["cues"]]) for s in rule["senses"]]
            default = rule.get("default")
            for skill_id in [default, *(skill_id for skill_id, _ in senses)]:
                if skill_id is not None and skill_id not in taxonomy:
                    raise ValueError(f"sense of alias {alias!r}: no skill {skill_id!r}")
            self._senses[alias.lower()] = (senses, default)

    def resolve(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """`spans` with each sensed alias given its sense's id, or dropped for no skill."""
        words = ""  # the posting's words, read only once a sensed alias is found
        chosen: dict[str, str | None] = {}  # alias -> its sense in this posting
        resolved = []
        for span in spans:
            alias = plain_text(span).lower()
            if alias not in self._senses:
                resolved.append(span)
                continue
            if alias not in chosen:
                words = words or f" {words_of(doc[:])} "
                chosen[alias] = self._choose(words, *self._senses[alias])
            skill_id = chosen[alias]
            if skill_id is not None:
                resolved.append(
                    Span(doc, span.start, span.end, label=span.label_, span_id=skill_id)
                )
        return resolved

    @staticmethod
    def _choose(
        words: str, senses: list[tuple[str | None, list[str]]], default: str | None
    ) -> str | None:
        """The sense whose cues occur most often in `words` (the first on a tie), else
        `default`."""
        counts = [sum(words.count(cue) for cue in cues) for _, cues in senses]
        best = max(range(len(senses)), key=counts.__getitem__, default=None)
        return senses[best][0] if best is not None and counts[best] else default

    def cues(self, span: Span) -> set[str]:
        """The words that vouch for `span`'s alias near it, besides its family's."""
        return self._cues.get(plain_text(span).lower(), set())

    def rejects(self, doc: Doc, span: Span) -> bool:
        """A rejecting phrase right before or after `span`, or an amount beside a currency
        code."""
        alias = plain_text(span).lower()
        phrases = self._rejects.get(alias)
        if phrases is None:
            return False
        if phrases[0].end_before(doc, span.start) or phrases[1].start_after(doc, span.end):
            return True
        if alias not in self._currencies:
            return False
        beside = (
            next_word(doc, span.start - 1, -1, 0, len(doc)),
            next_word(doc, span.end, 1, 0, len(doc)),
        )
        return any(i is not None and AMOUNT.fullmatch(doc[i].text) for i in beside)
