"""Fields of study of a degree mention, read from its name or the words after it.

`FieldReader` holds the rows of `degree_context.jsonl` that say where a list of fields
stops ("field_stops"), which words name no field ("not_field_words", "degree_qualifiers",
"generic_degree_names") and which adjectives share the next field's noun
("field_modifiers", "field_modifier_suffixes": "Electrical or Computer Engineering").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.tokens import Doc, Span

from .components.ruler import closing_bracket
from .wrapped_text import is_wrap, plain_text

FIELD_SEPARATORS = re.compile(r",|;|/|\bor\b|\band\b|&|\bsuch\s+as\b|\bincluding\b|\be\.g\.")
PROGRAM_WORDS = {"program", "programme", "programs", "programmes"}
DEGREE_NOUNS = {"degree", "degrees"}
# words between a degree and "in": "Bachelor's degree program in ...", "degree(s) in ..."
DEGREE_TAIL = DEGREE_NOUNS | {"(", ")", "s"} | PROGRAM_WORDS
# words between a degree and the "in" of its fields: "BSc or MSc level in" ("PhD students in
# the lab" names a place, not a field)
FIELD_LEAD = DEGREE_TAIL | {"level"}
MAX_FIELD_WORDS = 5
MAX_ASIDE_TOKENS = 6  # a bracketed aside between a degree and its fields: "(or higher)"
# an aside that more capitalised fields follow: "(e.g., interaction, graphic), HCI, CS"
LISTED_ASIDE = re.compile(r"\([^()]*\)(?=\s*,\s*(?:(?:or|and)\s+)?[A-Z])")
ARTICLE = re.compile(r"^(?:a|an|the|any)\s+", re.IGNORECASE)

# (start_char, end_char, fields): the characters a degree's fields were read from
FieldRegion = tuple[int, int, list[str]]


class FieldReader:
    """Read the fields of study a degree names, with the rules of `degree_context.jsonl`."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self._field_stop = phrase_regex(rules.get("field_stops", []))
        self._not_fields = {w.lower() for w in rules.get("not_field_words", [])}
        # words before "degree" that say what kind of degree, not its field ("advanced degree")
        self._qualifiers = {w.lower() for w in rules.get("degree_qualifiers", [])}
        # "Master of Science": the name of a degree names no field ("Master of Social Work" does)
        self._generic_names = {w.lower() for w in rules.get("generic_degree_names", [])}
        self._modifiers = {w.lower() for w in rules.get("field_modifiers", [])}
        self._modifier_suffixes = tuple(rules.get("field_modifier_suffixes", []))

    def named_in(self, span: Span, unnamed_level: bool) -> tuple[list[str], tuple[int, int]]:
        """The field a degree's own name holds ("Master of Social Work", "Doctor of
        Pharmacy"), unless the name is generic ("Bachelor of Science"), or, for a degree of
        no named level (`unnamed_level`), that the words before its noun hold ("Computer
        Science degree", "a business or finance degree", not "a technical degree"), and
        its characters."""
        words = [t.lower_ for t in span]
        if unnamed_level and len(span) > 1 and words[-1] in DEGREE_NOUNS:
            before = span[:-1]
            fields = [f for f in self.listed(plain_text(before)) if not self._qualifies(f)]
            return fields, (before.start_char, before.end_char)
        if "of" not in words[1:-1]:
            return [], (span.end_char, span.end_char)
        name = span[words.index("of") + 1 :]
        if plain_text(name).lower() in self._generic_names:
            return [], (span.end_char, span.end_char)
        return [plain_text(name)], (name.start_char, name.end_char)

    def after(self, doc: Doc, span: Span, limit: int) -> tuple[list[str], tuple[int, int]]:
        """Fields of study named right after the degree ("in Computer Science or Physics"),
        before token `limit` (at most the end of its sentence), and the characters (start,
        end) of the text they were read from."""
        start, end = span.end, limit
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
        # a bracketed aside inside the list is passed over, the same length in spaces:
        # "in Design (e.g., interaction, graphic), HCI, CS or a related field"
        text = LISTED_ASIDE.sub(lambda m: " " * len(m.group()), listed.text)
        stop = self._field_stop.search(text)
        text = text[: stop.start()] if stop else text
        region = (listed.start_char, listed.start_char + len(text))
        return self.listed(text), region

    def listed(self, text: str) -> list[str]:
        """The fields of study a list names ("Computer Science or Physics", "business or
        finance")."""
        parts = [  # a wrapped line's break and indent read as one space
            ARTICLE.sub("", " ".join(p.split()).strip(",.()").strip())
            for p in FIELD_SEPARATORS.split(text)
        ]
        fields = [p for p in parts if p and self._names_a_field(p)]
        # "Electrical or Computer Engineering": a lone modifier shares the next field's noun,
        # read from the last so a chain shares it ("Electrical/Mechanical/Computer
        # Engineering"); one left alone ("a technical or analytical field") names no field
        for i in reversed(range(len(fields) - 1)):
            field, following = fields[i], fields[i + 1]
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
        lone modifiers ("technical") `listed` already leaves out."""
        return all(w in self._qualifiers for w in part.lower().split())

    def _is_modifier(self, word: str) -> bool:
        """An adjective that qualifies a field ("Electrical", "quantitative"), by suffix."""
        lower = word.lower()
        return lower in self._modifiers or lower.endswith(self._modifier_suffixes)


def names_a_field(skill: Span, regions: list[FieldRegion]) -> bool:
    """The skill lies in a degree's list of fields and its words are (part of) one field."""
    words = f" {plain_text(skill).lower()} "
    return any(
        start <= skill.start_char and skill.end_char <= end
        and any(words in f" {field.lower()} " for field in fields)
        for start, end, fields in regions
    )  # fmt: skip


def phrase_regex(phrases: Iterable[str], not_before: Iterable[str] = ()) -> re.Pattern[str]:
    """One case-blind regex for whole phrases, none of them right before a word of
    `not_before`; a space in a phrase matches any run of whitespace (a wrapped line, a
    double space)."""
    escaped = [r"\s+".join(re.escape(w) for w in p.split(" ")) for p in phrases]
    body = "|".join(rf"(?<!\w){p}(?!\w)" if p[0].isalnum() else p for p in escaped) or "(?!)"
    words = "|".join(re.escape(w) for w in not_before)
    after = rf"(?!\s+(?:{words})(?!\w))" if words else ""
    return re.compile(f"(?:{body}){after}", re.IGNORECASE)
