"""Split a posting's raw text into headed sections and bullets, by character offsets.

The text is never rewritten: HTML tags and entities are masked in a same-length copy (see
`jobreq.markup`; Windows-1252's C1 characters and invisible characters are repaired first, see
`jobreq.doc_text`), so every offset found on the copy is an offset into the text the user gave.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .doc_text import repair
from .heading_lexicon import HeadingLexicon
from .line_breaks import (
    BODY_CHARS,
    INLINE_HEADING,
    MINOR_WORDS,
    PLAIN_WORDS,
    SEPARATOR,
    WORD,
    LineBreaks,
)
from .markup import EMOJI_DECORATION, HN, LI, MARKER, PADDING, mask_markup

_MD_HEADING = re.compile(r"#{1,6}\s+(?P<h>.*?)\s*#*\s*$")
_BOLD_HEADING = re.compile(r"(\*\*|__)(?P<h>[^*_]+?)\1\s*:?\s*$")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_INITIALISM = re.compile(r"(?:[A-Za-z]{1,2}\.){2,}")
_TRAILING_ELLIPSIS = re.compile(r"(?:…|\.{2,})$")  # "This and more is awaiting you…"
LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # a bullet holds one: ". . .", "\u200d" hold none
# a wh-question can head a section ("What's in it for you?"); a yes/no one ("Interested?",
# "Do you speak German?") is a closing line or a requirement
_WH_QUESTION = re.compile(r"(?:what|who|why|how|where)\b[^?]*\?", re.I)


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    type: str


@dataclass(frozen=True)
class Bullet:
    start: int
    end: int


@dataclass(frozen=True)
class Segmentation:
    headings: list[Heading]
    bullets: list[Bullet]


@dataclass
class _Line:
    start: int  # first content character
    end: int  # one past the last content character
    indent: int
    html_item: bool
    html_heading: bool
    after_break: bool  # the first line, or the first after a blank line


def _lines(text: str, masked: str) -> Iterable[_Line | None]:
    """Content lines of the masked text; None stands for a blank line (a hard break)."""
    pos, after_break = 0, True
    for raw in masked.split("\n"):
        content = raw.strip(PADDING)
        if not content or SEPARATOR.fullmatch(content):
            yield None
            after_break = True
        else:
            lead = len(raw) - len(raw.lstrip(PADDING))
            start = pos + lead
            original_prefix = text[pos:start]
            yield _Line(
                start=start,
                end=start + len(content),
                indent=len(re.sub(r"\S", "", original_prefix).expandtabs(4)),
                html_item=LI in raw[:lead],
                html_heading=HN in raw[:lead],
                after_break=after_break,
            )
            after_break = False
        pos += len(raw) + 1


class Segmenter:
    """Find headings and bullets in posting text."""

    def __init__(
        self,
        lexicon: HeadingLexicon,
        abbreviations: Iterable[str] = (),
        max_heading_words: int = 8,
        max_name_words: int = 6,
        max_title_words: int = 4,
    ) -> None:
        self.lexicon = lexicon
        self.breaks = LineBreaks(lexicon, max_heading_words, max_name_words)
        self.abbreviations = {a.lower() for a in abbreviations if a.endswith(".")}
        self.max_heading_words = max_heading_words
        self.max_name_words = max_name_words
        self.max_title_words = max_title_words

    def __call__(self, text: str) -> Segmentation:
        masked = self.breaks.restore(mask_markup(repair(text)))
        headings: list[Heading] = []
        bullets: list[Bullet] = []
        item: list[int] | None = None  # [start, end, marker indent] of an open list item
        unit: list[int] | None = None  # [start, end] of an open run of running text

        def close() -> None:
            nonlocal item, unit
            if item is not None:
                bullets.append(Bullet(item[0], item[1]))
            if unit is not None:
                bullets.extend(self._sentences(masked, unit[0], unit[1]))
            item = unit = None

        lines = list(_lines(text, masked))
        is_item = [
            x is not None and (x.html_item or bool(MARKER.match(masked, x.start))) for x in lines
        ]
        # what the next content line is: a list item, or body text (an item or a long line)
        next_is_item, next_is_body = [False] * len(lines), [False] * len(lines)
        item_later = body_later = False
        for i in range(len(lines) - 1, -1, -1):
            next_is_item[i], next_is_body[i] = item_later, body_later
            x = lines[i]
            if x is not None:
                item_later = is_item[i]
                body_later = is_item[i] or x.end - x.start > BODY_CHARS
        first = True  # the first line is usually the job title, not a section
        for line, before_list, before_body in zip(lines, next_is_item, next_is_body, strict=True):
            if line is None:
                close()
                continue
            content = masked[line.start : line.end]
            continues = item is not None and line.indent > item[2]  # a wrapped list item
            heading = self._heading(content, line, before_list, before_body, first, continues)
            first = False
            if heading is not None:
                close()
                h_start, h_end, rest = heading
                h_text = content[h_start:h_end]
                h_start += len(h_text) - len(h_text.lstrip())
                h_end -= len(h_text) - len(h_text.rstrip())
                headings.append(
                    Heading(
                        line.start + h_start,
                        line.start + h_end,
                        self.lexicon.type_of(content[h_start:h_end]),
                    )
                )
                if rest is not None:
                    marker = MARKER.match(content, rest)  # "Requirements: • Python"
                    if marker:
                        item = [line.start + marker.end(), line.end, line.indent]
                    else:
                        unit = [line.start + rest, line.end]
                continue
            marker = MARKER.match(content)
            initial = content[marker.end() if marker else 0]
            if marker or line.html_item:
                close()
                item = [line.start + (marker.end() if marker else 0), line.end, line.indent]
            elif item is not None and (line.indent > item[2] or initial.islower()):
                item[1] = line.end
            elif unit is not None and initial.islower():
                unit[1] = line.end
            else:
                close()
                unit = [line.start, line.end]
        close()
        # a stray "." of a spaced ellipsis or a line of only a glyph is no sentence or item
        kept = [b for b in bullets if LETTER_OR_DIGIT.search(masked, b.start, b.end)]
        return Segmentation(headings, kept)

    def _heading(
        self,
        content: str,
        line: _Line,
        before_list: bool,
        before_body: bool,
        first: bool,
        continues: bool,
    ) -> tuple[int, int, int | None] | None:
        """(start, end, start of inline content or None) of a heading in this line, if it is one.

        `before_list` tells whether the next content line is a list item, `before_body`
        whether it is a list item or a long line. `first` marks the posting's first line
        (where a short title-case line is a job title) and `continues` the indented
        continuation of a list item: neither is taken for a heading by its shape alone, and a
        continuation that does not start with a capital is none at all, even one that names
        a section ("- Windows troubleshooting\n  experience", "... Technician\n  (Preferred)").
        """
        if line.html_heading:
            return 0, len(content), None
        md = _MD_HEADING.fullmatch(content) or _BOLD_HEADING.fullmatch(content)
        if md and md.group("h").strip():
            return md.start("h"), md.end("h"), None
        if line.html_item or (continues and not content[0].isupper()):
            return None
        if MARKER.match(content):
            # an emoji before a section's name or a colon line decorates a heading ("🚀 What
            # you'll do", "🎯 Must have:"); before anything else it marks a list item
            deco = EMOJI_DECORATION.match(content)
            if deco is None:
                return None
            rest = content[deco.end() :]
            words = WORD.findall(rest)
            colon_line = rest.endswith(":") and len(words) <= self.max_heading_words
            named = len(words) <= self.max_name_words and self.lexicon.is_name(rest)
            return (deco.end(), len(content), None) if colon_line or named else None
        first = first or continues
        inline = INLINE_HEADING.match(content)
        if inline and self.breaks.leads_in(inline.group("h")):
            return 0, inline.end("h"), inline.end()
        words = WORD.findall(content)
        if not words:
            return None
        # a lead-in that trails off before a list or paragraph ends as a colon line does
        trails_off = bool(_TRAILING_ELLIPSIS.search(content)) and not first and before_body
        if (content.endswith(":") or trails_off) and len(words) <= self.max_heading_words:
            return 0, len(content), None
        # a question heads a section only when it names one: "Who are we looking for?"
        asks = bool(_WH_QUESTION.fullmatch(content)) and not first and before_body
        if asks and self.breaks.names_section(content):
            return 0, len(content), None
        if content[-1] in ".,;!?":
            return None
        if len(words) <= self.max_name_words and self.lexicon.is_name(content):
            return 0, len(content), None
        short_name = (
            len(words) <= self.max_title_words
            and PLAIN_WORDS.fullmatch(content)
            and (
                before_list
                or (line.after_break and before_body)
                or all(w[0].isupper() or w.lower() in MINOR_WORDS for w in words)
            )
        )
        # a lead-in to a list: "Preferred qualifications (not required)"
        lead_in = before_list and len(words) <= self.max_heading_words
        letters = [c for c in content if c.isalpha()]
        all_caps = (
            len(letters) >= 4
            and all(c.isupper() for c in letters)
            and len(words) <= self.max_heading_words
        )
        shaped = (not first and (short_name or lead_in)) or all_caps
        # a shape counts only for a line that names a section: one lexicon lookup
        if shaped and self.lexicon.type_of(content) != "unknown":
            return 0, len(content), None
        return None

    def _sentences(self, masked: str, start: int, end: int) -> list[Bullet]:
        """Split running text into sentences, each trimmed of surrounding whitespace."""
        pieces: list[Bullet] = []
        piece_start = start
        for m in _SENTENCE_END.finditer(masked, start, end):
            if not self._ends_sentence(masked, m.start(), m.end(), end):
                continue
            pieces.append(Bullet(piece_start, m.end()))
            piece_start = m.end()
        pieces.append(Bullet(piece_start, end))
        trimmed = []
        for piece in pieces:
            chunk = masked[piece.start : piece.end]
            lead = len(chunk) - len(chunk.lstrip())
            trimmed.append(Bullet(piece.start + lead, piece.start + len(chunk.rstrip())))
        return trimmed

    def _ends_sentence(self, masked: str, punct: int, after: int, end: int) -> bool:
        rest = masked[after:end].lstrip()
        if rest and rest[0].islower():
            return False
        if masked[punct] != ".":
            return True
        word_start = punct
        while word_start > 0 and not masked[word_start - 1].isspace():
            word_start -= 1
        word = masked[word_start:after].rstrip("\"'”’)]").lstrip("\"'“‘([")  # "(i.e."
        return not (word.lower() in self.abbreviations or _INITIALISM.fullmatch(word))
