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
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..wrapped_text import is_wrap, plain_text
from .ruler import NeighbourPhrases, RuleTagger, closing_bracket, joins_words

PATTERNS_PATH = Path(__file__).parent / "degree_patterns.jsonl"
CONTEXT_PATH = Path(__file__).parent / "degree_context.jsonl"
LEVELS = ("high_school", "associate", "bachelor", "master", "doctorate")
FIELD_SEPARATORS = re.compile(r",|;|/|\bor\b|\band\b|&|\bsuch\s+as\b|\bincluding\b|\be\.g\.")
PROGRAM_WORDS = {"program", "programme", "programs", "programmes"}
DEGREE_NOUNS = {"degree", "degrees"}
# words between a degree and "in": "Bachelor's degree program in ...", "degree(s) in ..."
DEGREE_TAIL = DEGREE_NOUNS | {"(", ")", "s"} | PROGRAM_WORDS
# words between a degree and what marks it studied for: "degree program", "PhD's students"
DEGREE_WORDS = (DEGREE_TAIL - PROGRAM_WORDS) | {"'s", "’s"}
# words between a degree and the "in" of its fields: "BSc or MSc level in" ("PhD students in
# the lab" names a place, not a field)
FIELD_LEAD = DEGREE_TAIL | {"level"}
MAX_FIELD_WORDS = 5
MAX_ASIDE_TOKENS = 6  # a bracketed aside between a degree and its fields: "(or higher)"
ARTICLES = {"a", "an", "any", "the"}
HYPHENS = {"-", "\u2013", "\u2014"}
# what sets a degree off as a qualifier of a title: "Research Intern, Speech (PhD)"
QUALIFIER_MARKS = {",", "(", ")", "/", "|", *HYPHENS}
ARTICLE = re.compile(r"^(?:a|an|the|any)\s+", re.IGNORECASE)

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
        self._graduation_ahead = _phrase_regex(rules.get("in_progress_in_sentence", []))
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
        self._equivalent = _phrase_regex(equivalents)
        self._field_stop = _phrase_regex(rules.get("field_stops", []))
        self._not_fields = {w.lower() for w in rules.get("not_field_words", [])}
        # words before "degree" that say what kind of degree, not its field ("advanced degree")
        self._qualifiers = {w.lower() for w in rules.get("degree_qualifiers", [])}
        # "Master of Science": the name of a degree names no field ("Master of Social Work" does)
        self._generic_names = {w.lower() for w in rules.get("generic_degree_names", [])}
        self._modifiers = {w.lower() for w in rules.get("field_modifiers", [])}
        self._modifier_suffixes = tuple(rules.get("field_modifier_suffixes", []))

    def __call__(self, doc: Doc) -> Doc:
        doc = super().__call__(doc)
        spans = [_without_article(s) for s in doc.spans[self.key]]
        kept = [s for s in spans if self._accepts(doc, s, spans)]
        ends = {s.end: s for s in kept}
        named_fields: list[tuple[int, int, list[str]]] = []
        implied: set[int] = set()  # starts of degrees whose fields only their name implies
        for i, span in enumerate(kept):
            fields, region = self._fields_named_in(span)
            if not fields:
                # the list ends where the next degree begins ("in Accounting or an MBA")
                limit = kept[i + 1].start if i + 1 < len(kept) else len(doc)
                fields, region = self._fields_after(doc, span, limit)
            if fields:
                named_fields.append((*region, fields))
            else:  # "MBA", "BSN": fields the name implies, unless it names its own
                fields = list(self._implied_fields.get(plain_text(span), []))
                if fields:
                    implied.add(span.start)
            sent = span.sent
            sentence = sent.text
            span._.degree = {
                "level": span.id_,
                "fields": fields,
                "equivalent_experience": bool(self._equivalent.search(sentence)),
                "in_progress": self._in_progress(doc, span, ends, sent, sentence),
            }
        _share_along_lists(doc, kept, implied)
        doc.spans[self.key] = kept
        if named_fields and self.skills_key in doc.spans:
            skills = doc.spans[self.skills_key]
            doc.spans[self.skills_key] = SpanGroup(
                doc,
                name=skills.name,
                attrs=skills.attrs,
                spans=[s for s in skills if not _names_a_field(s, named_fields)],
            )
        return doc

    def _accepts(self, doc: Doc, span: Span, spans: list[Span]) -> bool:
        rules = self._rules
        if rules["reject_next"].start_after(doc, span.end):
            return False
        if rules["reject_prev"].end_before(doc, span.start):
            return False
        if level_rank(span.id_) < 0 and any(o.end == span.start for o in spans):
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
        sent = span.sent
        if self._qualifies_a_role(span, sent):  # "Software Engineering Intern, BS, Summer 2026"
            return True
        if rules["accept_prev"].end_before(doc, span.start):
            return True
        return any(o is not span and sent.start <= o.start < sent.end for o in spans)

    def _in_progress(
        self, doc: Doc, span: Span, ends: dict[int, Span], sent: Span, sentence: str
    ) -> bool:
        """Whether a degree is still being studied for: a cue before it or its list
        ("pursuing a BS, MS or PhD"), or, unless a cue of a held degree comes first ("graduate
        of an accredited BSN program"), a word after it ("PhD program", "MSc students"),
        the degree qualifying a student role ("Research Intern, Speech (PhD)"), or a
        graduation still to come in its sentence (`sent`, whose text is `sentence`)."""
        rules, start = self._rules, span.start
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
        if rules["in_progress_next"].start_after(doc, end) or self._qualifies_a_role(span, sent):
            return True
        # "Bachelor's degree in Finance, with a graduation date between December 2026 and ..."
        return bool(self._graduation_ahead.search(sentence))

    def _qualifies_a_role(self, span: Span, sent: Span) -> bool:
        """Set off by commas, brackets or dashes in its sentence `sent`, which names a student
        role: the level an internship is for ("Student Researcher, PhD, 2025")."""
        doc = span.doc
        marks = [doc[i] for i in (span.start - 1, span.end) if sent.start <= i < sent.end]
        if not all(t.text in QUALIFIER_MARKS or t.is_space for t in marks):
            return False
        return any(t.lower_ in self._student_roles for t in sent)

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

    def _fields_named_in(self, span: Span) -> tuple[list[str], tuple[int, int]]:
        """The field a degree's own name holds ("Master of Social Work", "Doctor of
        Pharmacy"), unless the name is generic ("Bachelor of Science"), or that the words
        before a degree of no named level hold ("Computer Science degree", "a business or
        finance degree", not "a technical degree"), and its characters."""
        words = [t.lower_ for t in span]
        if level_rank(span.id_) < 0 and len(span) > 1 and words[-1] in DEGREE_NOUNS:
            before = span[:-1]
            fields = [f for f in self._listed_fields(plain_text(before)) if not self._qualifies(f)]
            return fields, (before.start_char, before.end_char)
        if "of" not in words[1:-1]:
            return [], (span.end_char, span.end_char)
        name = span[words.index("of") + 1 :]
        if plain_text(name).lower() in self._generic_names:
            return [], (span.end_char, span.end_char)
        return [plain_text(name)], (name.start_char, name.end_char)

    def _fields_after(self, doc: Doc, span: Span, limit: int) -> tuple[list[str], tuple[int, int]]:
        """Fields of study named right after the degree ("in Computer Science or Physics"),
        before token `limit`, and the characters (start, end) of the text they were read
        from."""
        start, end = span.end, min(span.sent.end, limit)
        while start < end:
            token = doc[start]
            if token.text == "(" and start + 1 < end and doc[start + 1].lower_ not in ("in", "of"):
                # an aside: "degree (or higher) in", "BEng (Hons) in"
                close = closing_bracket(doc, start, min(end, start + MAX_ASIDE_TOKENS))
                if close is not None:
                    start = close + 1
                    continue
            if not (token.lower_ in FIELD_LEAD or is_wrap(token)):
                break
            start += 1
        if start + 1 >= end or doc[start].lower_ not in ("in", "of"):
            return [], (span.end_char, span.end_char)
        listed = doc[start + 1 : end]
        text = listed.text
        stop = self._field_stop.search(text)
        text = text[: stop.start()] if stop else text
        region = (listed.start_char, listed.start_char + len(text))
        return self._listed_fields(text), region

    def _listed_fields(self, text: str) -> list[str]:
        """The fields of study a list names ("Computer Science or Physics", "business or
        finance")."""
        parts = [  # a wrapped line's break and indent read as one space
            ARTICLE.sub("", " ".join(p.split()).strip(",.()").strip())
            for p in FIELD_SEPARATORS.split(text)
        ]
        fields = [p for p in parts if p and self._names_a_field(p)]
        # "Electrical or Computer Engineering": a lone modifier shares the next field's noun;
        # one left alone ("a technical or analytical field") names no field
        for i, (field, following) in enumerate(itertools.pairwise(fields)):
            if " " not in field and " " in following and self._is_modifier(field):
                fields[i] = f"{field} {following.split()[-1]}"
        return [f for f in fields if " " in f or not self._is_modifier(f)]

    def _names_a_field(self, part: str) -> bool:
        """A field of study ("Computer Science", "accounting"), not a generic or trailing
        phrase ("a related field", "completed by start date"); lower-case parts must be
        words only."""
        words = part.split()
        if any(w.lower() in self._not_fields for w in words):
            return False
        return part[0].isupper() or (
            len(words) <= MAX_FIELD_WORDS and all(w.replace("-", "").isalpha() for w in words)
        )

    def _qualifies(self, part: str) -> bool:
        """Words that say what kind a degree is ("advanced", "university"), not its field;
        lone modifiers ("technical") `_listed_fields` already leaves out."""
        return all(w in self._qualifiers for w in part.lower().split())

    def _is_modifier(self, word: str) -> bool:
        """An adjective that qualifies a field ("Electrical", "quantitative"), by suffix."""
        lower = word.lower()
        return lower in self._modifiers or lower.endswith(self._modifier_suffixes)


def _without_article(span: Span) -> Span:
    """ "a technical degree" -> "technical degree": the mention, not its determiner (which
    a space follows: the "A" of "A-levels" is the name's)."""
    if len(span) > 1 and span[0].lower_ in ARTICLES and span[0].whitespace_:
        trimmed = span.doc[span.start + 1 : span.end]
        return Span(span.doc, trimmed.start, trimmed.end, label=span.label_, span_id=span.id_)
    return span


def _names_a_field(skill: Span, named_fields: list[tuple[int, int, list[str]]]) -> bool:
    """The skill lies in a degree's list of fields and its words are (part of) one field."""
    words = f" {plain_text(skill).lower()} "
    return any(
        start <= skill.start_char and skill.end_char <= end
        and any(words in f" {field.lower()} " for field in fields)
        for start, end, fields in named_fields
    )  # fmt: skip


def _share_along_lists(doc: Doc, spans: list[Span], implied: set[int]) -> None:
    """Earlier degrees of a list, or a name before its abbreviation, share the last one's
    fields ("Bachelor's or Master's degree in Finance") and its being studied for ("a BS or
    MS program", "Master of Business Administration (MBA) program"). Fields that only a
    name implies stay with it: in "MS or MBA" the MS names no field. `implied`: the starts
    of such degrees."""
    for left, right in reversed(list(itertools.pairwise(spans))):
        between = plain_text(doc[left.end : right.start]).lower()
        if between not in ("or", "and", "/", ",", "or a", "or an", "("):
            continue
        if not left._.degree["fields"] and right.start not in implied:
            left._.degree = {**left._.degree, "fields": list(right._.degree["fields"])}
        if right._.degree["in_progress"]:
            left._.degree = {**left._.degree, "in_progress": True}


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    # a space in a phrase matches any run of whitespace: a wrapped line, a double space
    escaped = [r"\s+".join(re.escape(w) for w in p.split(" ")) for p in phrases]
    body = "|".join(rf"(?<!\w){p}(?!\w)" if p[0].isalnum() else p for p in escaped) or "(?!)"
    return re.compile(body, re.IGNORECASE)
