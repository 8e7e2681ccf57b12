"""Requirement levels stated clause by clause inside one bullet.

A bullet gets one label, but a requirement bullet often states two levels: "Bachelor's
degree required; MBA preferred", "OSHA 10 required, OSHA 30 preferred", "2-4 years of SEO
experience, agency experience preferred". `ClauseLevels` splits a bullet's text into
clauses (at semicolons, sentence ends, dashes, and commas that do not join a list of
skills) and reads the level cues of each clause ("preferred", "a plus", "required",
"must": rows of `linker_rules.jsonl`). A cue covers the entities of its clause that come
before it ("MBA preferred"), or after it for leading and capitalised cues ("ideally SaaS",
"Preferred: MBA"), within `cue_reach` characters, so a run-on paragraph is not covered
whole. An entity whose
covering cues all name one level takes that level. A cue in parentheses applies to the
entities of its clause inside them ("SQL (Snowflake preferred)"), or, alone there, to the
entity right before them ("Kubernetes (a plus)"); where every cue of a bullet is of that
kind, the bullet's other entities take the level of its section when the caller gives one
("Requirements: 3+ years of Python with Kubernetes (a plus)": Python is basic), and so do
those of a clause that a forward cue follows ("AWS or GCP, ideally Kubernetes"). Any other
entity keeps its bullet's label.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

# Clause ends: ";" and dashes between words, and the space after a sentence end.
_HARD_BREAK = re.compile(r"[;—]|(?<=[.!?])\s+|(?<=[^\d\s])\s[–-]\s(?=\D)")
_PARENTHESIS_OPEN = re.compile(r"\(\s*(?:\w+\s+)?$")  # "(" and at most one word before a cue

Offsets = tuple[int, int]  # start and end character of an entity in the bullet's text


class ClauseLevels:
    """Level cues and clause breaks, read from the linker's rule rows."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.level_of = {
            phrase.lower(): level
            for level, phrases in rules.get("level_cues", {}).items()
            for phrase in phrases
        }
        adjectives = {word.lower() for word in rules.get("adjective_cues", [])}
        followers = "|".join(re.escape(word) for word in rules.get("cue_followers", []))
        # "preferred" names a level unless it is an adjective before its noun ("preferred
        # vendor"); "preferred by", "preferred but not required" still name one
        guard = rf"(?!\s+(?!(?:{followers})\b)[a-z])" if followers else r"(?!\s+[a-z])"
        phrases = sorted(self.level_of, key=len, reverse=True)  # "not required" before "required"
        parts = [re.escape(p) + (guard if p in adjectives else "") for p in phrases]
        self.cue = re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])", re.I) if parts else None
        # the last word of every cue: a bullet without one of them states no level
        self.last_words = sorted({re.findall(r"\w+", p)[-1] for p in phrases})
        joiners = "|".join(
            re.escape(word) for word in sorted(rules.get("list_joiners", []), key=len, reverse=True)
        )
        self.comma = re.compile(rf",\s*(?:(?:{joiners})\s+)?" if joiners else r",\s*", re.I)
        scope = rules.get("cue_scope", {})
        self.scope = {p.lower(): side for side in ("after", "both") for p in scope.get(side, [])}
        self.reach = int(rules.get("cue_reach", 150))

    def levels(
        self,
        text: str,
        entities: Sequence[Offsets],
        skills: Sequence[Offsets],
        section: str | None = None,
    ) -> list[str | None]:
        """The level each entity's clause states (None where it states none or both);
        `skills` are the skill offsets, whose lists ("Python, Java, or Go") are not split;
        `section` is the level of the bullet's section, for the entities that no cue
        reaches when every cue is one entity's own."""
        found = [] if self.cue is None else list(self.cue.finditer(text))
        if not found:
            return [None] * len(entities)
        skill_ends, skill_starts = {end for _, end in skills}, {start for start, _ in skills}
        commas = {
            m.start()
            for m in self.comma.finditer(text)
            if not (m.start() in skill_ends and m.end() in skill_starts)
        }
        breaks = sorted([m.start() for m in _HARD_BREAK.finditer(text)] + list(commas))
        clause_cues: dict[int, list[tuple[re.Match[str], str]]] = {}
        own: dict[int, str] = {}  # entity index -> level of a cue in parentheses
        contrasted: set[int] = set()  # clauses a forward cue follows: "AWS, ideally EKS"
        for match in found:
            level = self.level_of[match.group().lower()]
            clause = bisect_right(breaks, match.start())
            targets = self._in_parenthesis(text, match, entities, breaks, clause)
            targets = targets or self._parenthesised_after(text, match, entities)
            own.update(dict.fromkeys(targets, level))
            if not targets:
                clause_cues.setdefault(clause, []).append((match, level))
                comma = breaks[clause - 1] if clause else None
                opens = comma in commas and not text[comma : match.start()].strip(" ,")
                if opens and self.scope.get(match.group().lower()) != "after":
                    # "Docker, a plus": a cue that opens a comma clause also looks back
                    clause_cues.setdefault(clause - 1, []).append((match, level))
                elif opens:
                    contrasted.add(clause - 1)
        rest = section if own and not clause_cues else None
        levels: list[str | None] = []
        for i, (start, end) in enumerate(entities):
            clause = bisect_right(breaks, start)
            cues = clause_cues.get(clause, [])
            stated = {level for match, level in cues if self._covers(match, start, end)}
            unstated = section if clause in contrasted and not cues else rest
            levels.append(own.get(i) or (next(iter(stated)) if len(stated) == 1 else unstated))
        return levels

    def _covers(self, cue: re.Match[str], start: int, end: int) -> bool:
        """Whether a cue reaches the entity at `start:end` of its clause."""
        phrase = cue.group()
        # a capitalised cue opens what it qualifies ("Preferred: MBA", "Good to have ...")
        side = "after" if phrase[0].isupper() else self.scope.get(phrase.lower(), "before")
        before = end <= cue.start() and cue.start() - start <= self.reach
        after = start >= cue.end() and end - cue.end() <= self.reach
        return (side != "after" and before) or (side != "before" and after)

    @staticmethod
    def _in_parenthesis(
        text: str,
        match: re.Match[str],
        entities: Sequence[Offsets],
        breaks: list[int],
        clause: int,
    ) -> list[int]:
        """The entities of the cue's clause (number `clause` among `breaks`) inside the
        parenthesis that holds the cue ("Strong SQL (Snowflake preferred)")."""
        opening = text.rfind("(", 0, match.start())
        closing = text.find(")", match.end())
        if opening < 0 or closing < 0 or ")" in text[opening : match.start()]:
            return []
        return [
            i
            for i, (start, end) in enumerate(entities)
            if opening < start and end <= closing and bisect_right(breaks, start) == clause
        ]

    @staticmethod
    def _parenthesised_after(
        text: str, match: re.Match[str], entities: Sequence[Offsets]
    ) -> list[int]:
        """The entities just before "(" when the cue sits alone in that parenthesis."""
        opening = _PARENTHESIS_OPEN.search(text, 0, match.start())
        if opening is None or not text[match.end() :].lstrip().startswith(")"):
            return []
        at = opening.start()
        return [i for i, (_, end) in enumerate(entities) if end <= at and not text[end:at].strip()]
