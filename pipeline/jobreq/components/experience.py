"""`jobreq_experience`: durations of experience ("3+ years", "three to five years").

Token patterns live in `experience_patterns.jsonl` (each pattern's id names its form);
`experience_context.jsonl` lists the words around a match that make it something else
("founded 10 years ago", "our 40 years of experience", "a 2-year contract", "18 years of
age", "commit to up to 6 months", "a two year full-time MBA program"). Each kept span in
``doc.spans["experience"]`` gets ``span._.years = {"min_years": float, "max_years":
float|None}``; a duration that names no number ("several years of experience", pattern id
`vague`) has both None, and counts only before an experience word, as does one unit
counted by its article ("a year of retail experience", "over a decade of experience").
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments
# from their real annotations.

from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..sentences import Sentences
from ..wrapped_text import is_wrap, plain_text
from .ruler import NeighbourPhrases, RuleTagger, closing_bracket, joins_words

PATTERNS_PATH = Path(__file__).parent / "experience_patterns.jsonl"
CONTEXT_PATH = Path(__file__).parent / "experience_context.jsonl"
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "twenty-five": 25, "thirty": 30, "forty": 40, "fifty": 50, "couple": 2,
}  # fmt: skip
VAGUE = "vague"  # the pattern id of durations with no number: "several years", "a few months"
ARTICLE_UNIT = "a-unit"  # in the ids of patterns of one unit counted by "a": "over a decade"
HALF = "and a half"  # "two and a half years", "a year and a half"
PLURAL_TOKENS = ["(", "s", ")"]  # "2 year(s)": part of the duration
VALUE_LABEL = "years-label"  # in the ids of "Years of experience: 5+", matched with its label
# pattern ids of upper bounds ("up to", "a maximum of", "no more than", "under" ...); "no
# less than" is a lower bound
UPPER_BOUND_FORMS = ("up-to", "maximum", "less-than", "no-more-than", "at-most", "under")
UNIT_YEARS = {  # each unit in years, written with or without a full stop
    **dict.fromkeys(("year", "years", "yr", "yrs"), 1.0),
    **dict.fromkeys(("month", "months", "mo", "mos"), 1 / 12),
    **dict.fromkeys(("decade", "decades"), 10.0),
}
RANGE_WORDS = {"-", "–", "—", "to", "or", "and"}
AHEAD_REACH = 8  # how many words after a match the phrase's last word may be
APOSTROPHES = {"'", "’"}
PHRASE_LINKS = {"in", "at", "with", "for", "and", "or", "to", "from", "that", "which"}

if not Span.has_extension("years"):
    Span.set_extension("years", default=None)


def parse_number(text: str) -> float | None:
    text = text.lower().replace(",", "")
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return None


def parse_years(span: Span) -> dict[str, float | None] | None:
    """min_years and max_years of a matched duration (in years; months and decades
    converted), if any."""
    words = [t.lower_ for t in span if not is_wrap(t)]
    numbers: list[tuple[int, float]] = []
    for i, word in enumerate(words):
        value = parse_number(word)
        if value is not None:
            numbers.append((i, value))
    if not numbers and ARTICLE_UNIT in span.id_:
        numbers.append((words.index("a"), 1.0))  # "a year", "over a decade"
    if numbers and HALF in " ".join(words):
        numbers[0] = (numbers[0][0], numbers[0][1] + 0.5)
    # each number in the first unit after it ("6 months to 1 year", "3-5 years", "6 months or
    # more"), or in the last unit when none follows it
    stems = [word.rstrip(".") for word in words]
    units = [(i, UNIT_YEARS[stem]) for i, stem in enumerate(stems) if stem in UNIT_YEARS]
    last = units[-1][1] if units else 1.0
    values = [round(v * next((s for j, s in units if j > i), last), 2) for i, v in numbers]
    if not values:
        return {"min_years": None, "max_years": None} if span.id_ == VAGUE else None
    if len(values) >= 2 and values[0] != values[1]:
        between = words[numbers[0][0] + 1 : numbers[1][0]]
        if any(w in RANGE_WORDS for w in between):
            # "3-5+ years" is open above, like "5+ years"
            open_above = words[numbers[1][0] + 1 : numbers[1][0] + 2] in (["+"], ["plus"])
            upper = None if open_above else max(values[:2])
            return {"min_years": min(values[:2]), "max_years": upper}
    if span.id_.startswith(UPPER_BOUND_FORMS):
        return {"min_years": 0.0, "max_years": values[0]}
    return {"min_years": values[0], "max_years": None}


@Language.factory(
    "jobreq_experience",
    assigns=["doc.spans"],
    default_config={
        "spans_key": "experience",
        "scorer": {"@scorers": "spacy.overlapping_labeled_spans_scorer.v1"},
    },
    default_score_weights={"spans_experience_f": 1.0},
)
def make_experience_tagger(
    nlp: Language, name: str, spans_key: str, scorer: Callable[..., dict[str, Any]] | None
) -> "ExperienceTagger":
    return ExperienceTagger(nlp, name, spans_key=spans_key, scorer=scorer)


class ExperienceTagger(RuleTagger):
    """Tag durations of experience and parse their years."""

    table_names = ("experience_context",)
    patterns_path = PATTERNS_PATH
    context_path = CONTEXT_PATH

    def compile_rules(self) -> None:
        rows = self.tables["experience_context"]

        def phrases(key: str) -> list[str]:
            return [phrase.lower() for row in rows for phrase in row.get(key, [])]

        self._owner_prev = NeighbourPhrases(phrases("owner_prev"))
        self._accept_next = NeighbourPhrases(phrases("accept_next"))
        self._accept_prev = NeighbourPhrases(phrases("accept_prev"))
        self._reject_next = NeighbourPhrases(phrases("reject_next"))
        self._reject_prev = NeighbourPhrases(phrases("reject_prev"))
        self._reject_ahead = set(phrases("reject_ahead"))
        self._reject_in_sentence = phrases("reject_in_sentence")
        self._vague_needs_ahead = set(phrases("vague_needs_ahead"))
        self._hyphenated_needs_accept = any(row.get("hyphenated_needs_accept") for row in rows)

    def __call__(self, doc: Doc) -> Doc:
        doc = super().__call__(doc)
        if not doc.spans[self.key]:
            return doc
        kept = []
        sentences = Sentences(doc)
        rejected: dict[int, bool] = {}  # sentence start -> a reject phrase is in it
        for span in doc.spans[self.key]:
            if span.id_.startswith(VALUE_LABEL):  # the duration is what follows the colon
                colon = next(i for i in range(span.start, span.end) if doc[i].text == ":")
                span = Span(doc, colon + 1, span.end, label=span.label, span_id=span.id)
            if [t.text for t in doc[span.end : span.end + 3]] == PLURAL_TOKENS:
                span = Span(doc, span.start, span.end + 3, label=span.label, span_id=span.id)
            years = parse_years(span)
            if years is not None and self._is_experience(doc, span, sentences, rejected):
                span._.years = years
                kept.append(span)
        doc.spans[self.key] = kept
        return doc

    def _is_experience(
        self, doc: Doc, span: Span, sentences: Sentences, rejected: dict[int, bool]
    ) -> bool:
        """Whether a matched duration is the candidate's experience; `rejected` remembers,
        per sentence start, whether a `reject_in_sentence` phrase is in that sentence."""
        if self._owner_prev.end_before(doc, span.start):
            return False  # "our 40 years of experience": the employer's, not the candidate's
        if span.id_ == VAGUE or ARTICLE_UNIT in span.id_:
            # "several years of finance experience", not "for several years"; "a year of
            # retail experience", not "twice a year"
            ahead = self._names_experience_ahead(doc, span.end)
            return ahead and not self._reject_prev.end_before(doc, span.start)
        if self._accept_next.start_after(doc, span.end):
            return True
        if self._accept_prev.end_before(doc, span.start):
            return True  # "looking for 7+ years", where "for 10 years" alone is a company's age
        start, end = sentences.bounds(span.start, span.end)
        if start not in rejected:
            sentence = plain_text(doc[start:end]).lower()
            rejected[start] = any(p in sentence for p in self._reject_in_sentence)
        if rejected[start]:
            return False
        ends_in_unit = span[-1].lower_.rstrip(".") in UNIT_YEARS
        hyphenated = len(span) > 1 and span[-2].text in ("-", "–") and ends_in_unit
        if self._hyphenated_needs_accept and hyphenated:
            return False  # "a 4-year program", "2-year contract": a duration of something else
        if self._head_ahead(doc, span.end) in self._reject_ahead:
            return False  # "two years of college coursework", "a two year full-time MBA program"
        rejected_before = self._reject_prev.end_before(doc, span.start)
        return not (rejected_before or self._reject_next.start_after(doc, span.end))

    def _names_experience_ahead(self, doc: Doc, start: int) -> bool:
        """One of `vague_needs_ahead` ("experience") within `AHEAD_REACH` words after a
        match, before punctuation."""
        words, i = 0, start
        while i < len(doc) and words < AHEAD_REACH:
            token = doc[i]
            if token.lower_ in self._vague_needs_ahead:
                return True
            if token.is_punct and not (joins_words(token) or token.text in APOSTROPHES):
                return False  # "a few years' experience" reads on
            words, i = words + (not is_wrap(token)), i + 1
        return False

    @staticmethod
    def _head_ahead(doc: Doc, start: int) -> str | None:
        """The last word of the phrase after a match ("program" in "two year full-time
        Master of Business Administration (MBA) program,"): the word before punctuation,
        a linking word or the doc's end, within `AHEAD_REACH` words; bracketed asides and
        hyphens inside words are skipped. None when the phrase runs on further."""
        last, words, i = None, 0, start
        while i < len(doc) and words < AHEAD_REACH:
            token = doc[i]
            if token.text == "(":
                close = closing_bracket(doc, i, len(doc))
                if close is None:
                    return None
                i = close + 1
            elif joins_words(token) or is_wrap(token):
                i += 1
            elif token.is_punct or token.lower_ in PHRASE_LINKS:
                return last
            else:
                last, words, i = token.lower_, words + 1, i + 1
        return last if i >= len(doc) else None
