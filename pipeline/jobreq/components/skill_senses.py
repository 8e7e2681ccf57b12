"""Senses of skill aliases that name different things in different trades.

An alias rule in `skill_context.jsonl` may list `senses`, each a skill `id` (or null where
the word names no skill: "CDC guidelines", an "SDR" who books meetings) with `cues`, words
or phrases counted anywhere in the posting. "sourcing" is candidate sourcing in a
recruiter's posting and strategic sourcing in a buyer's; "CDC" is clock domain crossing
beside RTL and change data capture beside Kafka. The alias takes the sense whose cues occur
most often (the first listed on a tie); with none in the posting it takes the rule's
`default`, an id or null (no skill, if the rule names none). A sense chosen so still passes
the tagger's other context rules.
"""

from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Span

from ..taxonomy import Taxonomy
from ..wrapped_text import plain_text


class SkillSenses:
    """Choose each sensed alias's skill by the words of its posting."""

    def __init__(
        self, rules: Iterable[dict], taxonomy: Taxonomy, make_doc: Callable[[str], Doc]
    ) -> None:
        # lower-cased alias -> ([(id or None, cues as " word word ")], default id or None)
        self._senses: dict[str, tuple[list[tuple[str | None, list[str]]], str | None]] = {}

        def words(text: str) -> str:  # as `resolve` reads the posting: "over - the - counter"
            return f" {' '.join(t.lower_ for t in make_doc(text))} "

        for rule in rules:
            if "senses" not in rule:
                continue
            alias = rule["alias"]
            senses = [(s["id"], [words(c) for c in s["cues"]]) for s in rule["senses"]]
            default = rule.get("default")
            for skill_id in [default, *(skill_id for skill_id, _ in senses)]:
                if skill_id is not None and skill_id not in taxonomy:
                    raise ValueError(f"sense of alias {alias!r}: no skill {skill_id!r}")
            self._senses[alias.lower()] = (senses, default)

    def resolve(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """`spans` with each sensed alias given its sense's id, or dropped for no skill."""
        if not any(plain_text(s).lower() in self._senses for s in spans):
            return spans
        words = f" {' '.join(t.lower_ for t in doc if not t.is_space)} "
        chosen: dict[str, str | None] = {}  # alias -> its sense in this posting
        resolved = []
        for span in spans:
            alias = plain_text(span).lower()
            if alias not in self._senses:
                resolved.append(span)
                continue
            if alias not in chosen:
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
