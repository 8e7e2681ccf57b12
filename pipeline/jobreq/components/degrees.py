"""`jobreq_degrees`: degree mentions with their level, fields of study, equivalence and
whether they are still being studied for.

Patterns in `degree_patterns.jsonl` carry the level as their id (`high_school` <
`associate` < `bachelor` < `master` < `doctorate`, or `unspecified`). `degree_context.jsonl`
holds the context rules for short or ambiguous names ("MS Office", "Boston, MA"), the
fields some degrees imply (BSN -> Nursing), the phrases that accept equivalent
experience, where a list of fields of study stops, and the words that mark a degree still
being studied for ("pursuing a BS", "PhD program"). Each kept span in
``doc.spans["degrees"]`` gets ``span._.degree = {"level", "fields", "equivalent_experience",
"in_progress"}``.
A skill that only names a degree's field of study ("BS in Electrical Engineering") is
dropped from ``doc.spans[skills_key]``: it is reported once, as the degree's field.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments
# from their real annotations.

import itertools
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..degree_fields import (
    DEGREE_TAIL,
    PROGRAM_WORDS,
    FieldReader,
    FieldRegion,
    names_a_field,
    phrase_regex,
)
from ..sentences import Sentences
from ..wrapped_text import is_wrap, plain_text
from .ruler import NeighbourPhrases, RuleTagger, joins_words

PATTERNS_PATH = Path(__file__).parent / "degree_patterns.jsonl"
CONTEXT_PATH = Path(__file__).parent / "degree_context.jsonl"
LEVELS = ("high_school", "associate", "bachelor", "master", "doctorate")
# words between a degree and what marks it studied for: "degree program", "PhD's students"
DEGREE_WORDS = (DEGREE_TAIL - PROGRAM_WORDS) | {"'s", "’s"}
ARTICLES = {"a", "an", "any", "the"}
HYPHENS = {"-", "\u2013", "\u2014"}
# what sets a degree off as a qualifier of a title: "Research Intern, Speech (PhD)"
QUALIFIER_MARKS = {",", "(", ")", "/", "|", *HYPHENS}


class SentenceCues(NamedTuple):
    """What a sentence says of every degree in it, read once per sentence."""

    sent: Span
    equivalent_experience: bool  # "or equivalent experience"
    graduation_ahead: bool  # "with a graduation date between December 2026 and ..."
    student_role: bool  # "Research Intern", "Student Researcher"


if not Span.has_extension("degree"):
    Span.set_extension("degree", default=None)


def level_rank(level: str) -> int:
    """Order of a level; `unspecified` ranks below every named level."""
    return LEVELS.index(level) if level in LEVELS else -1


@Language.factory(
    "jobreq_degrees",
    assigns=["doc.spans"],
    default_config={
        "spans_key": "degrees",
        "skills_key": "skills",
        "scorer": {"@scorers": "spacy.overlapping_labeled_spans_scorer.v1"},
    },
    default_score_weights={"spans_degrees_f": 1.0},
)
def make_degree_tagger(
    nlp: Language,
    name: str,
    spans_key: str,
    skills_key: str | None,
    scorer: Callable[..., dict[str, Any]] | None,
) -> "DegreeTagger":
    return DegreeTagger(nlp, name, spans_key=spans_key, skills_key=skills_key, scorer=scorer)


class DegreeTagger(RuleTagger):
    """Tag degrees and attach level, fields of study and equivalent-experience flags."""

    table_names = ("degree_context",)
    patterns_path = PATTERNS_PATH
    context_path = CONTEXT_PATH

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        spans_key: str,
        skills_key: str | None = "skills",
        scorer: Callable[..., dict[str, Any]] | None = None,
    ) -> None:
        """`skills_key`: the span group whose skills that only name a field of study are
        dropped (None keeps them)."""
        self.skills_key = skills_key
        super().__init__(nlp, name, spans_key=spans_key, scorer=scorer)

    def compile_rules(self) -> None:
        rules: dict[str, Any] = {}
        for row in self.tables["degree_context"]:
            rules.update(row)
        self._needs_context = {a.lower() for a in rules.get("needs_context", [])}
        self._place_codes = set(rules.get("place_codes", []))  # "Boston, MA": a state
        self._rules = {
            key: NeighbourPhrases(rules.get(key, []))
            for key in (
                *("accept_next", "accept_prev", "reject_next", "reject_prev"),
                *("in_progress_prev", "in_progress_next", "held_prev"),
            )
        }
        self._progress_fillers = {w.lower() for w in rules.get("in_progress_fillers", [])}
        self._student_roles = {w.lower() for w in rules.get("student_roles", [])}
        self._graduation_ahead = phrase_regex(rules.get("in_progress_in_sentence", []))
        # aliases that count only before one of their own phrases ("Associate or bachelor's"),
        # or never before one ("high school students" are no degree; "PhD students" are)
        self._alias_accept_next, self._alias_reject_next = (
            {
                alias.lower(): NeighbourPhrases(phrases)
                for alias, phrases in rules.get(key, {}).items()
            }
            for key in ("alias_accept_next", "alias_reject_next")
        )
        self._implied_fields: dict[str, list[str]] = rules.get("implied_fields", {})
        equivalents = sorted(rules.get("equivalent_experience", []), key=len, reverse=True)
        # "or equivalent experience", not "or equivalent field"
        self._equivalent = phrase_regex(equivalents, rules.get("equivalent_not_before", []))
        self._fields = FieldReader(rules)

    def __call__(self, doc: Doc) -> Doc:
        doc = super().__call__(doc)
        spans = [_without_article(s) for s in doc.spans[self.key]]
        if not spans:
            return doc
        cues = self._sentence_cues(doc)
        starts, match_ends = sorted(s.start for s in spans), {s.end for s in spans}
        kept = [s for s in spans if self._accepts(doc, s, starts, match_ends, cues(s))]
        ends = {s.end: s for s in kept}
        named_fields: list[FieldRegion] = []
        implied: set[int] = set()  # starts of degrees whose fields only their name implies
        for i, span in enumerate(kept):
            sentence = cues(span)
            fields, region = self._fields.named_in(span, level_rank(span.id_) < 0)
            if not fields:
                # the list ends where the next degree begins ("in Accounting or an MBA")
                limit = kept[i + 1].start if i + 1 < len(kept) else len(doc)
                fields, region = self._fields.after(doc, span, min(sentence.sent.end, limit))
            if fields:
                named_fields.append((*region, fields))
            else:  # "MBA", "BSN": fields the name implies, unless it names its own
                fields = list(self._implied_fields.get(plain_text(span), []))
                if fields:
                    implied.add(span.start)
            span._.degree = {
                "level": span.id_,
                "fields": fields,
                "equivalent_experience": sentence.equivalent_experience,
                "in_progress": self._in_progress(doc, span, ends, sentence),
            }
        _share_along_lists(doc, kept, implied)
        doc.spans[self.key] = kept
        if named_fields and self.skills_key in doc.spans:
            skills = doc.spans[self.skills_key]
            doc.spans[self.skills_key] = SpanGroup(
                doc,
                name=skills.name,
                attrs=skills.attrs,
                spans=[s for s in skills if not names_a_field(s, named_fields)],
            )
        return doc

    def _sentence_cues(self, doc: Doc) -> Callable[[Span], SentenceCues]:
        """A lookup of the cues of a span's sentence, each sentence read once when first
        asked for: a run-on sentence of hundreds of degrees is not re-read per degree."""
        sentences = Sentences(doc)
        read: dict[tuple[int, int], SentenceCues] = {}

        def cues(span: Span) -> SentenceCues:
            bounds = sentences.bounds(span.start, span.end)
            if bounds not in read:
                sent = doc[bounds[0] : bounds[1]]
                text = sent.text
                read[bounds] = SentenceCues(
                    sent,
                    equivalent_experience=bool(self._equivalent.search(text)),
                    graduation_ahead=bool(self._graduation_ahead.search(text)),
                    student_role=any(t.lower_ in self._student_roles for t in sent),
                )
            return read[bounds]

        return cues

    def _accepts(
        self,
        doc: Doc,
        span: Span,
        starts: list[int],
        ends: set[int],
        sentence: SentenceCues,
    ) -> bool:
        """Whether a match is a degree, by its context rules. `starts` (sorted) and `ends`:
        those of every match; another in the same sentence accepts a short name."""
        rules = self._rules
        if rules["reject_next"].start_after(doc, span.end):
            return False
        if rules["reject_prev"].end_before(doc, span.start):
            return False
        if level_rank(span.id_) < 0 and span.start in ends:
            return False  # "MS degree", "B.S degree": the noun of the degree before it
        name = plain_text(span).lower()
        own_reject = self._alias_reject_next.get(name)
        if own_reject is not None and own_reject.start_after(doc, span.end):
            return False
        own = self._alias_accept_next.get(name)
        if own is not None:
            return own.start_after(doc, span.end)
        if name not in self._needs_context:
            return True
        if span.start > 1 and self._inside_name(doc, span):
            return False
        if span.start == 0 or rules["accept_next"].start_after(doc, span.end):
            return True
        if self._qualifies_a_role(span, sentence):  # "Software Engineering Intern, BS, Summer 2026"
            return True
        if rules["accept_prev"].end_before(doc, span.start):
            return True
        sent = sentence.sent
        return bisect_left(starts, sent.end) - bisect_left(starts, sent.start) > 1

    def _in_progress(
        self, doc: Doc, span: Span, ends: dict[int, Span], sentence: SentenceCues
    ) -> bool:
        """Whether a degree is still being studied for: a cue before it or its list
        ("pursuing a BS, MS or PhD"), or, unless a cue of a held degree comes first ("graduate
        of an accredited BSN program"), a word after it ("PhD program", "MSc students"),
        the degree qualifying a student role ("Research Intern, Speech (PhD)"), or a
        graduation still to come in its sentence."""
        rules, start, sent = self._rules, span.start, sentence.sent
        while start > sent.start:
            if rules["in_progress_prev"].end_before(doc, start):
                return True
            if rules["held_prev"].end_before(doc, start):
                return False
            if start in ends:  # an earlier degree of the same list
                start = ends[start].start
            elif doc[start - 1].lower_ in self._progress_fillers or is_wrap(doc[start - 1]):
                start -= 1
            else:
                break
        end = span.end
        while end < sent.end and (doc[end].lower_ in DEGREE_WORDS or is_wrap(doc[end])):
            end += 1
        if rules["in_progress_next"].start_after(doc, end):
            return True
        return self._qualifies_a_role(span, sentence) or sentence.graduation_ahead

    def _qualifies_a_role(self, span: Span, sentence: SentenceCues) -> bool:
        """Set off by commas, brackets or dashes in its sentence, which names a student
        role: the level an internship is for ("Student Researcher, PhD, 2025")."""
        doc, sent = span.doc, sentence.sent
        marks = [doc[i] for i in (span.start - 1, span.end) if sent.start <= i < sent.end]
        if not all(t.text in QUALIFIER_MARKS or t.is_space for t in marks):
            return False
        return sentence.student_role

    def _inside_name(self, doc: Doc, span: Span) -> bool:
        """Part of a longer name: the end of a hyphenated compound ("LC-MS", "GC-MS"), or a
        place code after its place name ("Boston, MA")."""
        before, word = doc[span.start - 1], doc[span.start - 2]
        compound = joins_words(before, HYPHENS)
        place = (
            before.text == ","
            and word.is_title
            and word.lower_ not in self._student_roles  # "Hardware Intern, MS, Summer 2026"
            and span.text in self._place_codes
        )
        return compound or place


def _without_article(span: Span) -> Span:
    """ "a technical degree" -> "technical degree": the mention, not its determiner (which
    a space follows: the "A" of "A-levels" is the name's)."""
    if len(span) > 1 and span[0].lower_ in ARTICLES and span[0].whitespace_:
        trimmed = span.doc[span.start + 1 : span.end]
        return Span(span.doc, trimmed.start, trimmed.end, label=span.label_, span_id=span.id_)
    return span


def _share_along_lists(doc: Doc, spans: list[Span], implied: set[int]) -> None:
    """Earlier degrees of a list, or a name before its abbreviation, share the last one's
    fields ("Bachelor's or Master's degree in Finance") and its being studied for ("a BS or
    MS program", "Master of Business Administration (MBA) program"). Fields that only a
    name implies stay with it: in "MS or MBA" the MS names no field. `implied`: the starts
    of such degrees."""
    for left, right in reversed(list(itertools.pairwise(spans))):
        between = plain_text(doc[left.end : right.start]).lower()
        if between not in ("or", "and", "and/or", "/", ",", "or a", "or an", "("):
            continue
        if not left._.degree["fields"] and right.start not in implied:
            left._.degree = {**left._.degree, "fields": list(right._.degree["fields"])}
        if right._.degree["in_progress"]:
            left._.degree = {**left._.degree, "in_progress": True}
