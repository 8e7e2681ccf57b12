"""`jobreq_linker`: ties entities to their requirement level, durations to the skills they
qualify, and builds the posting summary.

Sets ``span._.requirement`` on every skill, duration and degree (the label of the bullet
holding it, or None outside bullets; in a `basic` or `preferred` bullet, the level its own
clause states, as in "Bachelor's degree required; MBA preferred", see `clause_levels`),
``span._.link`` on durations
(``{"skills", "applies_to", "exclusions"}``) and ``doc._.summary``. Its word lists live in
`linker_rules.jsonl`.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments
# from their real annotations.

import bisect
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import ensure_path

from ..clause_levels import ClauseLevels
from ..doc_text import doc_text
from ..record import ENTITY_KEYS
from .degrees import level_rank
from .ruler import closing_bracket, read_jsonl, write_jsonl

RULES_PATH = Path(__file__).parent / "linker_rules.jsonl"
# trimmed off a phrase's ends: ") and SQL (3 years)", "4 years of Java or 2 years ..."
COORDINATORS = {"and", "or", "&"}
# what joins a duration's phrase to the next duration: "10 years of marketing experience
# with 2 years of ...", "... including 3 years ..."
PHRASE_JOINERS = COORDINATORS | {"with", "including", "plus", "of", "in"}
LISTED_VALUE_MARKERS = {":", "-", "–"}  # "Java: 5 years, Go: 2 years"
RULES_FILE = "linker_rules.jsonl"
PHRASE_REACH = 25  # words a duration's phrase runs at most (the corpus gold links reach 17)
STRENGTH = ("basic", "preferred", "duty", "other", "unknown")  # strongest first
STATED_LEVELS = ("basic", "preferred")  # bullet labels a clause's own cue may refine

for _name in ("requirement", "link"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("summary"):
    Doc.set_extension("summary", default=None)


@Language.factory("jobreq_linker", assigns=["span._.requirement", "span._.link", "doc._.summary"])
def make_linker(nlp: Language, name: str) -> "RequirementLinker":
    return RequirementLinker(nlp, name)


class RequirementLinker(Pipe):
    """Link durations to skills and entities to requirement levels; summarise the posting."""

    def __init__(self, nlp: Language, name: str = "jobreq_linker") -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.set_rules(read_jsonl(RULES_PATH))

    def set_rules(self, rows: list[dict[str, Any]]) -> None:
        self.rules_rows = rows
        rules: dict[str, Any] = {}
        for row in rows:
            rules.update(row)
        self._clause_levels = ClauseLevels(rules)
        words = [get_string_id(word.lower()) for word in self._clause_levels.last_words]
        self._cue_words = np.array(sorted(words), dtype=np.uint64)
        self._experience_words = set(rules.get("experience_words", []))
        self._leading_words = set(rules.get("leading_words", []))
        self._clause_breaks = set(rules.get("clause_breaks", []))
        self._phrase_reach = int(rules.get("phrase_reach", PHRASE_REACH))
        self._value_markers = set(rules.get("value_markers", []))
        self._label_breaks = self._clause_breaks | set(rules.get("label_breaks", []))
        self._exclusion = re.compile("|".join(rules.get("exclusion_patterns", [])) or "(?!)", re.I)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        rules: str | None = None,
    ) -> None:
        self.set_rules(read_jsonl(rules or RULES_PATH))

    def __call__(self, doc: Doc) -> Doc:
        bullets = list(doc.spans.get("bullets", []))
        starts = [b.start for b in bullets]
        groups = {key: list(doc.spans.get(key, [])) for key in ENTITY_KEYS}

        def index_of(span: Span) -> int | None:
            i = bisect.bisect_right(starts, span.start) - 1
            return i if i >= 0 and span.end <= bullets[i].end else None

        def bullet_of(span: Span) -> Span | None:
            i = index_of(span)
            return None if i is None else bullets[i]

        held: dict[int, list[Span]] = {}
        for spans in groups.values():
            for span in spans:
                i = index_of(span)
                span._.requirement = None if i is None else bullets[i].label_
                if i is not None and bullets[i].label_ in STATED_LEVELS:
                    held.setdefault(i, []).append(span)
        cues = self._cue_tokens(doc) if held else []
        sections = list(doc.spans.get("sections", []))
        section_starts = [s.start for s in sections]
        for i, spans in held.items():
            k = bisect.bisect_left(cues, bullets[i].start)
            if k < len(cues) and cues[k] < bullets[i].end:
                j = bisect.bisect_right(section_starts, bullets[i].start) - 1
                section = sections[j].label_ if j >= 0 else None
                level = section if section in STATED_LEVELS else None
                self._refine_levels(doc, bullets[i], spans, level)
        durations = groups["experience"]
        skills = sorted(groups["skills"], key=lambda s: s.start)
        skill_starts = [s.start for s in skills]
        holders = [bullet_of(span) for span in durations]
        bounds: list[tuple[int, int]] = []  # (first, limit): where each one's words may lie
        for i, (span, bullet) in enumerate(zip(durations, holders, strict=True)):
            holder = bullet if bullet is not None else span.sent
            first, limit = holder.start, holder.end
            if i > 0 and durations[i - 1].end > first:
                # what comes between two durations is the first one's, unless the second is
                # an aside about it ("Python (5+ years) and SQL (3+ years)") or a clause
                # break ends the first's ("Python - 3 years; SQL - 2 years", "Java: 5
                # years, Go: 2 years")
                first = self._after_last_break(doc, durations[i - 1].end, span)
                previous_first, previous_limit = bounds[-1]
                cut = first if first > durations[i - 1].end else span.start
                bounds[-1] = (previous_first, min(previous_limit, cut))
            bounds.append((first, limit))
        exclusions: dict[int, list[str]] = {}  # bullet start -> its exclusion sentences
        for span, bullet, span_bounds in zip(durations, holders, bounds, strict=True):
            key = bullet.start if bullet is not None else -1
            if key not in exclusions:
                exclusions[key] = self._exclusions(bullet)
            first, limit = span_bounds  # only the skills within them can be linked
            near = skills[
                bisect.bisect_left(skill_starts, first) : bisect.bisect_left(skill_starts, limit)
            ]
            span._.link = self._link(doc, span, span_bounds, near, exclusions[key])
        doc._.summary = summarise(groups["skills"], durations, groups["degrees"])
        return doc

    def _cue_tokens(self, doc: Doc) -> list[int]:
        """Tokens that may end a level cue: only bullets holding one are read closely."""
        if not len(self._cue_words):
            return []
        lower = doc.to_array([LOWER]).reshape(-1)
        at = np.minimum(np.searchsorted(self._cue_words, lower), len(self._cue_words) - 1)
        return np.flatnonzero(self._cue_words[at] == lower).tolist()

    def _refine_levels(
        self, doc: Doc, bullet: Span, spans: list[Span], section: str | None
    ) -> None:
        """Give each entity of a requirement bullet (`spans`: all the bullet holds) the level
        its own clause states; `section` is its section's level (basic or preferred), if any."""
        base = bullet.start_char
        text = doc_text(doc)[base : bullet.end_char]
        offsets = [(s.start_char - base, s.end_char - base) for s in spans]
        skill_offsets = [o for o, s in zip(offsets, spans, strict=True) if s._.skill]
        for span, level in zip(
            spans, self._clause_levels.levels(text, offsets, skill_offsets, section), strict=True
        ):
            if level is not None:
                span._.requirement = level

    def _link(
        self,
        doc: Doc,
        span: Span,
        bounds: tuple[int, int],
        skills: list[Span],
        exclusions: list[str],
    ) -> dict[str, Any]:
        """The skills a duration measures, read in tokens `bounds` (its clause, up to the next
        duration), the phrase they were read from, and its bullet's `exclusions`."""
        first, limit = bounds
        start = span.end
        while start < limit and doc[start].lower_ in self._experience_words:
            start += 1
        # "Python (5+ years)": the duration is an aside about what comes before the bracket
        aside = start < limit and doc[start].text == ")" and _after_bracket(doc, span)
        start += aside
        while start < limit and doc[start].lower_ in self._leading_words:
            start += 1
        end, words = start, 0
        while end < limit and doc[end].text not in self._clause_breaks:
            if end > start and self._opens_run_in_item(doc, end, skills):
                break
            if doc[end].text == "(":  # an aside belongs to the phrase: "(BigQuery, Hive)"
                close = closing_bracket(doc, end, limit)
                if close is None:  # never closed: the phrase ends before it
                    break
                end = close
            elif not (doc[end].is_punct or doc[end].is_space):
                words += 1
                if words > self._phrase_reach:  # a list run on into the rest of the text
                    break
            end += 1
        # "4 years of Java or 2 years ...": the next duration leaves its joining word behind
        end = _end_trimmed(doc, start, end, skills, PHRASE_JOINERS)
        phrase = doc[start:end]
        linked = _ids_within(skills, start, end)
        # "Dentrix: 1 year", "Python developer with 3+ years of experience", "SQL (3 years)"
        label = self._label_before(doc, span, first, skills) if aside or not linked else None
        if label is not None:
            named = _ids_within(skills, label.start, label.end)
            # an aside is about what its brackets follow, never what comes after them:
            # "a related technical field (3 or 5 years) Very good knowledge of JavaScript"
            if named or not linked or aside:
                phrase, linked = label, named
        return {
            "skills": linked,
            "applies_to": phrase.text if len(phrase) else None,
            "exclusions": list(exclusions),
        }

    def _exclusions(self, bullet: Span | None) -> list[str]:
        """The bullet's sentences that exclude some experience ("Internship experience does
        not apply.")."""
        if bullet is None:
            return []
        sentences = re.split(r"(?<=[.!?])\s+", bullet.text)
        return [s.strip() for s in sentences if self._exclusion.search(s)]

    def _after_last_break(self, doc: Doc, start: int, span: Span) -> int:
        """Where the words that may name what `span` measures begin, from token `start` (the
        end of the duration before it): after a bracket, all of them; else those after the
        last clause break, not counting a value marker right before the span, or after the
        last comma when a colon or dash is that marker ("Java: 5 years, Go: 2 years"; not
        "..., along with three years of teaching")."""
        if _after_bracket(doc, span):
            return start
        listed = span.start > 0 and doc[span.start - 1].text in LISTED_VALUE_MARKERS
        ends = {*self._clause_breaks, ","} if listed else self._clause_breaks
        breaks = [j for j in range(start, span.start - 1) if doc[j].text in ends]
        return breaks[-1] + 1 if breaks else span.start

    def _opens_run_in_item(self, doc: Doc, i: int, skills: list[Span]) -> bool:
        """Token `i` opens the next item of a list that lost its markers and full stops: a
        capitalised stop word or experience word between a lower-case content word and a
        lower-case word ("... preferably with MS SQL server Work experience in ...",
        "... developing microservices Proven track record ..."), not inside a skill."""
        if i + 1 >= len(doc):
            return False
        before, token, after = doc[i - 1], doc[i], doc[i + 1]
        if not (token.is_title and before.is_lower and not before.is_stop and after.is_lower):
            return False
        if not (token.is_stop or token.lower_ in self._experience_words):
            return False  # "high school English teaching experience"
        return not _in_skill(skills, i)

    def _label_before(self, doc: Doc, span: Span, first: int, skills: list[Span]) -> Span | None:
        """The phrase a duration is the value of: what comes before it in its clause (from
        token `first` on) when a value marker (":", "(", "with") stands right before it."""
        end = span.start - 1
        if end < first or doc[end].lower_ not in self._value_markers:
            return None
        start = end
        while start > first and doc[start - 1].text not in self._label_breaks:
            start -= 1
        while start < end and (doc[start].is_punct or doc[start].lower_ in COORDINATORS):
            start += 1
        end = _end_trimmed(doc, start, end, skills, set())
        return doc[start:end] if start < end else None

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_jsonl(path / RULES_FILE, self.rules_rows)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "RequirementLinker":
        self.set_rules(read_jsonl(ensure_path(path) / RULES_FILE))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps(self.rules_rows).encode("utf-8")

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> "RequirementLinker":
        self.set_rules(json.loads(bytes_data.decode("utf-8")))
        return self


def _after_bracket(doc: Doc, span: Span) -> bool:
    """The span comes right after an opening bracket."""
    return span.start > 0 and doc[span.start - 1].text == "("


def _end_trimmed(doc: Doc, start: int, end: int, skills: list[Span], words: set[str]) -> int:
    """The end of tokens start..end without the punctuation, spaces and `words` that close
    them, short of cutting into a skill ("C#" keeps its "#")."""
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].lower_ in words
    ):
        if _in_skill(skills, end - 1):
            break
        end -= 1
    return end


def _in_skill(skills: list[Span], i: int) -> bool:
    """Token `i` lies inside one of the skills."""
    return any(s.start <= i < s.end for s in skills)


def _ids_within(skills: list[Span], start: int, end: int) -> list[str]:
    """Ids of the skills inside tokens start..end, in order, each once."""
    ids = [s._.skill["id"] for s in skills if start <= s.start and s.end <= end and s._.skill]
    return list(dict.fromkeys(ids))


def _strongest(levels: Iterable[str | None]) -> str:
    ranked = [STRENGTH.index(level) if level in STRENGTH else len(STRENGTH) - 1 for level in levels]
    return STRENGTH[min(ranked)] if ranked else "unknown"


def summarise(skills: list[Span], durations: list[Span], degrees: list[Span]) -> dict[str, Any]:
    """Per-skill strongest requirement and linked years; the posting's minimum years and degree
    (from a doc's skill, experience and degree spans, with requirements and links set; a
    degree still being studied for is no minimum degree)."""
    by_skill: dict[str, dict[str, Any]] = {}
    levels: dict[str, list[str | None]] = {}
    for span in skills:
        info = span._.skill
        by_skill.setdefault(info["id"], {**info, "requirement": None, "min_years": None})
        levels.setdefault(info["id"], []).append(span._.requirement)
    for span in durations:
        years = span._.years["min_years"]
        if years is None:  # "several years" names no number
            continue
        for skill_id in span._.link["skills"]:
            current = by_skill[skill_id]["min_years"]
            by_skill[skill_id]["min_years"] = years if current is None else min(current, years)
    for skill_id, entry in by_skill.items():
        entry["requirement"] = _strongest(levels[skill_id])
    years_at = {
        level: [s._.years["min_years"] for s in durations if s._.requirement == level]
        for level in ("basic", "preferred")
    }
    # a basic "several years" names no number, and a preferred one does not stand in for it
    asked_years = [y for y in years_at["basic"] or years_at["preferred"] if y is not None]
    basic_levels = [
        d._.degree["level"]
        for d in degrees
        if d._.requirement == "basic"
        and level_rank(d._.degree["level"]) >= 0
        and not d._.degree["in_progress"]
    ]
    named_levels = {d._.degree["level"] for d in degrees if level_rank(d._.degree["level"]) >= 0}
    return {
        "skills": list(by_skill.values()),
        "min_years": min(asked_years) if asked_years else None,
        "min_degree": min(basic_levels, key=level_rank) if basic_levels else None,
        "degree_levels": sorted(named_levels, key=level_rank),
    }
