"""`jobreq_skills`: a span ruler over the skill taxonomy, with context rules for ambiguous names.

Patterns come from the taxonomy JSONL files (`taxonomy/*.jsonl` beside this module, plus
any files the config adds); each pattern's id is the canonical skill id. Aliases match
case-insensitively unless listed in `case_sensitive`. An alias's rejecting words in
`skill_context.jsonl` drop it right before or after them ("cup of Java", "Montreal, QC,
Canada"). Aliases listed in `needs_context` ("Go", "Excel", "Chef") are kept only when the
context accepts them: a cue word or another skill of the same family nearby in the same
sentence, or a phrase of the family's `accept_next` right after ("Ruby experience", "Java
is a plus"). One-word case-sensitive aliases also match in any other case
("java", "JAVA") but count only in a tag list ("mysql java hibernate jenkins", "cloud java
spring"), in a run of technologies with nothing between them ("Technologies java spring
spring-mvc Job description"; both in `skill_tag_lists.py`), or listed right beside an
accepted skill of the same family. Tag lists also spell technologies as hyphened slugs
("java-ee", "continuous-integration"). A skill of a family
with a `reject_next` list (soft skills, domains, certifications) right before one of its
words names a team or a role ("the sales team", "HR Generalist") and is dropped, as is any
skill inside the name of an organisation's unit ("Department of Public Health") or the
heading of an `other` section ("Compensation and benefits"), and a
name that needs context joined by "&" to a capitalised word in a business's name ("Sorrel &
Salt"). An alias with `senses` ("sourcing", "CDC") first takes the skill its posting's
words point to (`skill_alias_rules.py`). Spans go to ``doc.spans["skills"]``;
``span._.skill`` holds ``{"id", "name", "category"}``.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments
# from their real annotations.

import itertools
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import IDX, IS_ALPHA, IS_SPACE, IS_TITLE, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

from ..doc_text import doc_text
from ..sentences import Sentences
from ..taxonomy import TAXONOMY_DIR, Taxonomy
from ..wrapped_text import is_wrap, next_word, plain_text, words_around
from .ruler import NeighbourPhrases, RuleTagger, SectionHeadings, read_jsonl, words_of
from .skill_alias_rules import AliasRules
from .skill_spellings import PRODUCT_CATEGORIES, mark_common_words, spellings
from .skill_tag_lists import tag_list_members, tag_run_members

CONTEXT_PATH = Path(__file__).parent / "skill_context.jsonl"
WINDOW = 8  # words either side in which cues and anchor skills count
COORDINATORS = {",", "and", "or", "/", ", and", ", or", "&"}
MAX_COORDINATOR_TOKENS = max(len(c.split()) for c in COORDINATORS)
MAX_UNIT_NAME_WORDS = 6  # words between "Department of" and a skill in the unit's name
UNIT_NAME_JOINERS = {"and", "&", ","}
ANY_CASE = "SKILL_ANY_CASE"  # label of the other-case variants of case-sensitive aliases
AMPERSANDS = {"&", "&amp;"}  # as written, and as scraped HTML source spells it

if not Span.has_extension("skill"):
    Span.set_extension("skill", default=None)


class WordCase:
    """How many of a doc's words lie in a token range, and how many of them are in title
    case, from running counts read once per doc: a sentence's case is not re-read for each
    name in it (a one-line list of thousands of names)."""

    def __init__(self, doc: Doc) -> None:
        flags = doc.to_array([IS_ALPHA, IS_TITLE]).reshape(-1, 2).astype(np.int64)
        words, titles = flags[:, 0], flags[:, 0] * flags[:, 1]
        self._words = np.concatenate(([0], np.cumsum(words))).tolist()
        self._titles = np.concatenate(([0], np.cumsum(titles))).tolist()

    def counts(self, start: int, end: int) -> tuple[int, int]:
        """(words, title-case words) among tokens `start:end`."""
        return self._words[end] - self._words[start], self._titles[end] - self._titles[start]


@registry.misc("jobreq.skill_taxonomy.v1")
def make_taxonomy_paths(extra: Sequence[str] = ()) -> list[str]:
    """The bundled taxonomy files followed by a user's own (`extra`), in merge order."""
    return [str(p) for p in sorted(TAXONOMY_DIR.glob("*.jsonl"))] + [str(p) for p in extra]


@Language.factory(
    "jobreq_skills",
    assigns=["doc.spans"],
    default_config={
        "spans_key": "skills",
        "scorer": {"@scorers": "spacy.overlapping_labeled_spans_scorer.v1"},
    },
    default_score_weights={"spans_skills_f": 1.0, "spans_skills_p": 0.0, "spans_skills_r": 0.0},
)
def make_skill_tagger(
    nlp: Language, name: str, spans_key: str, scorer: Callable[..., dict[str, Any]] | None
) -> "SkillTagger":
    return SkillTagger(nlp, name, spans_key=spans_key, scorer=scorer)


class SkillTagger(RuleTagger):
    """Tag taxonomy skills; drop ambiguous aliases that their context does not support."""

    table_names = ("taxonomy", "skill_context")

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        taxonomy: list[str] | None = None,
        context: str | None = None,
        common_word_logprob: float | None = -13.5,
    ) -> None:
        """Build the patterns from taxonomy files (default: the bundled ones).

        One-word aliases whose lower-case form is a common English word (log-probability
        above `common_word_logprob` in spacy-lookups-data's `lexeme_prob` table) are
        guarded: acronyms ("IDEA", "FAR", "HR") become `case_sensitive`; aliases of generic
        categories ("sales", "leadership") and products named by dictionary words
        ("Navigate", "Float") become `needs_context`. None disables this.
        """
        merged = Taxonomy.from_paths(taxonomy if taxonomy is not None else make_taxonomy_paths())
        if common_word_logprob is not None:
            mark_common_words(merged, common_word_logprob)
        self.set_rules(
            self._patterns_from_taxonomy(merged),
            taxonomy=merged.entries(),
            skill_context=read_jsonl(context or CONTEXT_PATH),
        )

    def _patterns_from_taxonomy(self, taxonomy: Taxonomy) -> list[dict[str, Any]]:
        """One lower-case phrase pattern per alias; `match` then applies the case rules.

        Phrase patterns only: a token pattern per case-sensitive alias would make the
        token matcher the slowest part of the pipeline.
        """
        patterns: list[dict[str, Any]] = []
        seen: set[str] = set()
        for skill in taxonomy.skills.values():
            for alias in spellings(skill):
                key = alias.lower()
                if key not in seen:
                    seen.add(key)
                    patterns.append({"label": "SKILL", "pattern": alias, "id": skill.id})
        return patterns

    def compile_rules(self) -> None:
        self.taxonomy = Taxonomy(self.tables["taxonomy"])
        # An alias belongs to the first entry that claims it, exact-case claims first.
        self._exact: dict[str, str] = {}  # case-sensitive alias, as written -> id
        self._caseless: dict[str, str] = {}  # lower-cased alias -> id
        self._other_case: dict[str, str] = {}  # lower-cased one-word case-sensitive alias -> id
        for skill in self.taxonomy.skills.values():
            for alias in spellings(skill):
                form = " ".join(t.text for t in self.nlp.make_doc(alias))
                if alias in skill.case_sensitive:
                    self._exact.setdefault(form, skill.id)
                    if " " not in form and len(form) > 1:
                        self._other_case.setdefault(form.lower(), skill.id)
                else:
                    self._caseless.setdefault(form.lower(), skill.id)
        self._ambiguous = {
            (skill.id, alias.lower())
            for skill in self.taxonomy.skills.values()
            for alias in skill.needs_context
        }
        self._family_of: dict[str, str] = {}
        self._family_cues: dict[str, set[str]] = {}
        self._heading_cues: dict[str, set[str]] = {}  # words that vouch in a section heading
        self._accept_next: dict[str, NeighbourPhrases] = {}  # family -> phrases right after
        self._anchoring: set[str] = set()  # families in which a nearby skill vouches for another
        self._unit_words: dict[str, NeighbourPhrases] = {}  # family -> its `reject_next`
        self._unit_names: set[str] = set()  # "Department" (of ...), as written
        self._unit_links: set[str] = set()  # "of", "for"
        self._function_words: set[str] = set()  # words that make a sentence prose, not a list
        for rule in self.tables["skill_context"]:
            if "function_words" in rule:
                self._function_words = set(rule["function_words"])
            elif "unit_names" in rule:
                self._unit_names = set(rule["unit_names"])
                self._unit_links = {w.lower() for w in rule["links"]}
            elif "family" in rule:
                for category in rule["categories"]:
                    self._family_of.setdefault(category, rule["family"])
                self._family_cues[rule["family"]] = {c.lower() for c in rule["cues"]}
                self._heading_cues[rule["family"]] = {
                    c.lower() for c in rule.get("heading_cues", [])
                }
                if rule.get("anchors", True):
                    self._anchoring.add(rule["family"])
                self._unit_words[rule["family"]] = NeighbourPhrases(rule.get("reject_next", []))
                self._accept_next[rule["family"]] = NeighbourPhrases(rule.get("accept_next", []))
        self._alias_rules = AliasRules(
            self.tables["skill_context"], self.taxonomy, self.nlp.make_doc
        )

    def match(self, doc: Doc) -> list[Span]:
        """Phrase matches with their skill id, case rules applied; other-case variants of
        case-sensitive aliases are labelled `ANY_CASE` for `__call__` to judge."""
        text = doc_text(doc)
        bounds = doc.to_array([IDX, LENGTH, IS_SPACE]).reshape(-1, 3).tolist()
        resolved = []
        for start, end, _, _ in self.rule_matches(doc):
            # a match holds whitespace only where it wraps ("machine\n  learning")
            form = " ".join(text[i : i + n] for i, n, space in bounds[start:end] if not space)
            if form in self._exact:
                label, skill_id = "SKILL", self._exact[form]
            elif form.lower() in self._caseless:
                label, skill_id = "SKILL", self._caseless[form.lower()]
            elif form.lower() in self._other_case:
                label, skill_id = ANY_CASE, self._other_case[form.lower()]
            else:
                continue
            resolved.append(Span(doc, start, end, label=label, span_id=skill_id))
        return resolved

    def __call__(self, doc: Doc) -> Doc:
        doc = super().__call__(doc)
        spans = self._alias_rules.resolve(doc, list(doc.spans[self.key]))
        sentences, starts = Sentences(doc), [s.start for s in spans]  # spans are in order
        any_case = [s.label_ == ANY_CASE for s in spans]
        ambiguous = [
            other or (s.id_, plain_text(s).lower()) in self._ambiguous
            for s, other in zip(spans, any_case, strict=True)
        ]
        units = [self._names_a_unit(doc, s) or self._in_unit_name(doc, s) for s in spans]
        rejected = [
            unit
            or self._alias_rules.rejects(doc, s)
            or (amb and self._in_ampersand_name(doc, s, spans))
            for s, amb, unit in zip(spans, ambiguous, units, strict=True)
        ]
        case = WordCase(doc)
        accepted = [
            not rej and (not amb or (not other and self._named_in_prose(doc, sentences, case, s)))
            for s, amb, other, rej in zip(spans, ambiguous, any_case, rejected, strict=True)
        ]
        headings = SectionHeadings(doc)
        for _ in range(2):  # an accepted ambiguous skill can anchor its neighbours
            for i, span in enumerate(spans):
                if not accepted[i] and not rejected[i] and not any_case[i]:
                    accepted[i] = self._context_accepts(
                        doc, sentences, headings, span, (spans, starts), accepted
                    )
        for i, j in itertools.pairwise(range(len(spans))):
            if units[i] or units[j] or not self._coordinated(doc, sentences, spans[i], spans[j]):
                continue
            if rejected[i] != rejected[j]:
                # "Python or Go for tooling": a named skill listed beside it outweighs the
                # word after it ("go for"); not for a name in another case ("Python or go")
                k, other = (i, j) if rejected[i] else (j, i)
                if accepted[other] and not any_case[k]:
                    accepted[k], rejected[k] = True, False
                continue
            if rejected[i]:
                continue
            if not (accepted[i] or accepted[j] or any_case[i] or any_case[j]):
                # "Word and Excel", "Scala, Java": ambiguous names listed together vouch
                accepted[i] = accepted[j] = True
            elif accepted[i] != accepted[j]:  # "Python, java": an accepted neighbour vouches
                accepted[i] = accepted[j] = True
        for i in tag_list_members(doc, sentences, spans, accepted, self._function_words):
            accepted[i] = accepted[i] or not rejected[i]
        if not all(accepted):
            families = [self._family(s) for s in spans]
            for i in tag_run_members(doc, spans, families, accepted):
                accepted[i] = accepted[i] or not rejected[i]
        kept = [
            Span(doc, s.start, s.end, label="SKILL", span_id=s.id_) if other else s
            for s, other, ok in zip(spans, any_case, accepted, strict=True)
            if ok
        ]
        # a skill in the heading of an `other` section: "Compensation and benefits" names its
        # section, not a skill asked for; other headings keep theirs (a job title read as
        # one, a requirement line taken for the heading of a list)
        kept = [s for s in kept if (h := headings.holding(s)) is None or h.label_ != "other"]
        for span in kept:
            skill = self.taxonomy[span.id_]
            span._.skill = {"id": skill.id, "name": skill.name, "category": skill.category}
        doc.spans[self.key] = kept
        return doc

    def _named_in_prose(self, doc: Doc, sentences: Sentences, case: WordCase, span: Span) -> bool:
        """A product's name capitalised inside a sentence that is not in title case: "charting
        in Epic" and "comfort with Excel" name the software; "Epic" opening a sentence, in a
        job title or in a longer name ("National Assembly") may not."""
        text = span.text
        if not text[:1].isupper() or text.isupper():
            return False
        if self.taxonomy[span.id_].category not in PRODUCT_CATEGORIES:
            return False  # "Sales", "English", "Foundation": subjects, markets, organisations
        start, end = sentences.bounds(span.start, span.end)
        if span.start == start:
            return False
        before = next_word(doc, span.start - 1, -1, start + 1, end)  # not the opener
        after = next_word(doc, span.end, 1, start, end)
        if any(i is not None and doc[i].is_title for i in (before, after)):
            return False
        words, titles = case.counts(start, end)
        own_words, own_titles = case.counts(span.start, span.end)
        return (titles - own_titles) * 2 < words - own_words

    def _family(self, span: Span) -> str | None:
        return self._family_of.get(self.taxonomy[span.id_].category)

    def _names_a_unit(self, doc: Doc, span: Span) -> bool:
        """Right before one of its family's `reject_next` words, a generic skill names a
        team or a role, not a skill the job asks for ("the sales team", "HR Generalist")."""
        unit_words = self._unit_words.get(self._family(span) or "")
        return unit_words is not None and unit_words.start_after(doc, span.end)

    def _in_unit_name(self, doc: Doc, span: Span) -> bool:
        """Inside the capitalised name of an organisation's unit ("Department of Public
        Health", "Center for Data Science", "Department of Chemistry and Biochemistry")."""
        if not span.text[:1].isupper():
            return False
        for i in range(span.start - 1, max(span.start - 1 - MAX_UNIT_NAME_WORDS, 0), -1):
            token = doc[i]
            if is_wrap(token):
                continue
            if token.lower_ in self._unit_links:
                name = next_word(doc, i - 1, -1, 0, i)
                return name is not None and doc[name].text in self._unit_names
            if not (token.text[:1].isupper() or token.lower_ in UNIT_NAME_JOINERS):
                return False
        return False

    def _in_ampersand_name(self, doc: Doc, span: Span, spans: list[Span]) -> bool:
        """Joined by "&" to a capitalised word that names no skill: a business's name
        ("Sorrel & Salt", "Juniper & Vine"), not the product ("Word & Excel" are both)."""
        if not span.text[:1].isupper():
            return False
        for i, step in ((span.start - 1, -1), (span.end, 1)):
            amp = next_word(doc, i, step, 0, len(doc))
            if amp is None or doc[amp].text not in AMPERSANDS:
                continue
            name = next_word(doc, amp + step, step, 0, len(doc))
            if name is not None and doc[name].is_title:
                return not any(o.start <= name < o.end for o in spans)
        return False

    def _coordinated(self, doc: Doc, sentences: Sentences, left: Span, right: Span) -> bool:
        """Adjacent, joined by a coordinator, of one family and in one sentence."""
        between = doc[left.end : right.start]
        if len(between) > 2 * MAX_COORDINATOR_TOKENS + 1:  # with a wrap on either side of each
            return False
        if words_of(between) not in COORDINATORS:
            return False
        same_family = self._family(left) == self._family(right)
        return same_family and sentences.start_of(left.start) == sentences.start_of(right.start)

    def _context_accepts(
        self,
        doc: Doc,
        sentences: Sentences,
        headings: SectionHeadings,
        span: Span,
        matches: tuple[list[Span], list[int]],
        accepted: list[bool],
    ) -> bool:
        """One of the family's `accept_next` phrases right after `span` ("Ruby experience",
        "Java is a plus"), a cue word or an accepted skill of the same family near it in its
        sentence, or one of the family's heading cues in its section's heading ("Languages:"
        above "- Spanish (Preferred)"). `matches`: every match and its start, in order."""
        family = self._family(span)
        accept_next = self._accept_next.get(family or "")
        if accept_next is not None and accept_next.start_after(doc, span.end):
            return True
        start, end = sentences.bounds(span.start, span.end)
        lo, hi = words_around(doc, span.start, span.end, WINDOW, start, end)
        spans, starts = matches
        if family in self._anchoring:
            for i in range(bisect_left(starts, lo), bisect_left(starts, hi)):
                if accepted[i] and spans[i] is not span and self._family(spans[i]) == family:
                    return True
        window = f" {words_of(doc[lo:hi])} "
        cues = self._alias_rules.cues(span) | self._family_cues.get(family or "", set())
        if any(f" {cue} " in window for cue in cues):
            return True
        heading_cues = self._heading_cues.get(family or "", set())
        heading = headings.words_above(span.start) if heading_cues else ""
        return any(f" {cue} " in heading for cue in heading_cues)
