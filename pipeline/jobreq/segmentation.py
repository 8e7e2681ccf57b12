"""Split a posting's raw text into headed sections and bullets, by character offsets.

The text is never rewritten: HTML tags and entities are masked in a same-length copy (see
`jobreq.markup`; Windows-1252's C1 characters are repaired first, see `jobreq.doc_text`), so
every offset found on the copy is an offset into the text the user gave.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .doc_text import repair_c1
from .heading_lexicon import HeadingLexicon
from .markup import HN, LI, MARKER, PADDING, mask_markup

# Bullet glyphs that open list items run together on one line ("Requirements • 3+ years of
# Python • BS degree"); not "·", which also separates the parts of a title line.
_INLINE_GLYPHS = "•▪◦●■►▸‣⁃✓✔➢➤"
_INLINE_GLYPH = re.compile(rf"[{_INLINE_GLYPHS}](?=\s*\S)")
# a spaced dash runs a list together only behind a section name, or a lead-in to preferred
# items with its colon ("Requirements - BA/BS degree - 3 years ...", "Bonus points if you
# have: - Go"); elsewhere it is punctuation ("$78,000 - $92,000", "Bonus - paid yearly")
_INLINE_DASH = re.compile(r" [-–—] (?=\S)")  # its start is the space before the dash
# numbered items run together ("Requirements 1) BA/BS degree 2) 3 years ..."): cut where the
# numbers on a line count up from 1 (or from 2 behind a line that opens with "1.")
_INLINE_NUMBER = re.compile(r" (\d{1,2})[.)] (?=\S)")  # the same
_OPENING_ONE = re.compile(r"\(?1[.)]\s")
_MD_HEADING = re.compile(r"#{1,6}\s+(?P<h>.*?)\s*#*\s*$")
_BOLD_HEADING = re.compile(r"(\*\*|__)(?P<h>[^*_]+?)\1\s*:?\s*$")
_INLINE_HEADING = re.compile(r"(?P<h>[^:\n]{2,60}:)[ \t]+(?=\S)")
_SEPARATOR = re.compile(r"[-_=*~#•·–—▪.\s]+")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_INITIALISM = re.compile(r"(?:[A-Za-z]{1,2}\.){2,}")
_PLAIN_WORDS = re.compile(r"[\w\s'’&/-]+")
_MINOR_WORDS = {"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with", "&"}
_WORD = re.compile(r"\w+(?:['’]\w+)?")
_TRAILING_ELLIPSIS = re.compile(r"(?:…|\.{2,})$")  # "This and more is awaiting you…"
# a wh-question can head a section ("What's in it for you?"); a yes/no one ("Interested?",
# "Do you speak German?") is a closing line or a requirement
_WH_QUESTION = re.compile(r"(?:what|who|why|how|where)\b[^?]*\?", re.I)
_BODY_CHARS = 40  # a line longer than this is body text, not a short heading or label
# where a section name can run into prose: after a sentence end, or in capitals after a word
_AFTER_SENTENCE = re.compile(r"[.!?]+[\"'”’)\]]*[ \t]+(?=[A-Z])")
_CAPS_AFTER_WORD = re.compile(r"(?<=[a-z0-9,;)][ \t])[A-Z][A-Z]")
_PROSE_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
# a name with a subject in it ("You have", "We offer") also opens a plain sentence; it runs
# into prose as a heading only in capitals or with its colon
_SUBJECTS = re.compile(r"\b(?:i|you|we|they)(?:['’]\w+)?\b", re.I)


def _line_end(text: str, at: int) -> int:
    """Where the line holding position `at` ends: its line break, or the text's end."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end


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
        if not content or _SEPARATOR.fullmatch(content):
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
        self.abbreviations = {a.lower() for a in abbreviations if a.endswith(".")}
        self.max_heading_words = max_heading_words
        self.max_name_words = max_name_words
        self.max_title_words = max_title_words

    def __call__(self, text: str) -> Segmentation:
        masked = self._cut_run_in_headings(self._cut_inline_lists(mask_markup(repair_c1(text))))
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
                body_later = is_item[i] or x.end - x.start > _BODY_CHARS
        first = True  # the first line is usually the job title, not a section
        for line, before_list, before_body in zip(lines, next_is_item, next_is_body, strict=True):
            if line is None:
                close()
                continue
            content = masked[line.start : line.end]
            continues = item is not None and line.indent > item[2]  # a wrapped list item
            heading = self._heading(content, line, before_list, before_body, first or continues)
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
        return Segmentation(headings, [b for b in bullets if b.end > b.start])

    def _cut_inline_lists(self, masked: str) -> str:
        """Same-length copy of `masked` with a line break before each item of a list run
        together on one line: bullet glyphs (two or more, or one behind a section heading:
        "Responsibilities • Lead the team"), item numbers that count up ("1) ... 2) ..."),
        and spaced hyphens behind a section name ("Requirements - BA/BS - 3 years ...")."""
        by_line: dict[int, list[int]] = {}  # line start -> where each inline glyph starts
        for m in _INLINE_GLYPH.finditer(masked):
            at = m.start()
            if at and masked[at - 1].isspace() and masked[at - 1] != "\n":
                line_start = masked.rfind("\n", 0, at) + 1
                if masked[line_start:at].strip():  # content before it on its line
                    by_line.setdefault(line_start, []).append(at)
        dashes: dict[int, list[int]] = {}  # the same for spaced dashes
        for m in _INLINE_DASH.finditer(masked):
            if m.start() and not masked[m.start() - 1].isspace():
                dashes.setdefault(masked.rfind("\n", 0, m.start()) + 1, []).append(m.start() + 1)
        numbered = self._numbered_items(masked)
        if not (by_line or dashes or numbered):
            return masked
        chars = list(masked)
        for line_start, glyphs in by_line.items():
            lead = masked[line_start : glyphs[0]].strip()
            opened = lead[0] in _INLINE_GLYPHS  # the line opens with a glyph of its own
            if len(glyphs) + opened >= 2 or self._names_section(lead):
                for at in glyphs:
                    chars[at - 1] = "\n"  # the space before the glyph
        for at in (at for items in numbered.values() for at in items):
            chars[at - 1] = "\n"
        for line_start, at_dashes in dashes.items():
            lead = masked[line_start : at_dashes[0]].strip()
            line_end = _line_end(masked, at_dashes[0])
            items = len(_WORD.findall(masked, at_dashes[0], line_end)) >= 3  # not "- essential:"
            named = self.lexicon.starts_section(lead) or (lead[-1] == ":" and self._leads_in(lead))
            if line_start not in by_line and items and named:
                for at in at_dashes:
                    chars[at - 1] = "\n"
        return "".join(chars)

    @staticmethod
    def _numbered_items(masked: str) -> dict[int, list[int]]:
        """Line start -> where each inline item number starts, for lines whose inline
        numbers count up 1, 2, 3 ... (2, 3 ... after a line's own opening "1.")."""
        numbers: dict[int, list[tuple[int, int]]] = {}
        for m in _INLINE_NUMBER.finditer(masked):
            if m.start() and not masked[m.start() - 1].isspace():
                line_start = masked.rfind("\n", 0, m.start()) + 1
                numbers.setdefault(line_start, []).append((m.start() + 1, int(m.group(1))))
        found: dict[int, list[int]] = {}
        for line_start, items in numbers.items():
            lead = masked[line_start : items[0][0]].lstrip(PADDING)
            expected = 2 if _OPENING_ONE.match(lead) else 1
            run = []
            for at, number in items:
                if number == expected:
                    run.append(at)
                    expected += 1
            if len(run) >= 2:
                found[line_start] = run
        return found

    def _cut_run_in_headings(self, masked: str) -> str:
        """Same-length copy of `masked` with line breaks around each section name that runs
        into prose on its line, as text flattened from a web page leaves it: at the start of
        a long line ("Your profile You have ..."), after a sentence end ("... uptime record.
        Requirements BA/BS degree ...") or in capitals after a word ("... Engineering
        RESPONSIBILITIES Lead a team ..."). The name must be followed by a colon, or by a
        capitalised word or a digit, and then by prose; the lines are then read as usual."""
        starts: list[tuple[int, bool]] = []  # (where a name may start, only in capitals)
        pos = 0
        for raw in masked.split("\n"):
            content = raw.strip(PADDING)
            lead = pos + len(raw) - len(raw.lstrip(PADDING))
            if content and not (_SEPARATOR.fullmatch(content) or MARKER.match(content)):
                end = lead + len(content)
                if len(content) > _BODY_CHARS and LI not in raw:
                    starts.append((lead, False))
                starts.extend((m.end(), False) for m in _AFTER_SENTENCE.finditer(masked, lead, end))
                starts.extend(
                    (m.start(), True) for m in _CAPS_AFTER_WORD.finditer(masked, lead, end)
                )
            pos += len(raw) + 1
        chars: list[str] | None = None
        for start, caps in starts:
            for at in self._run_in_breaks(masked, start, caps):
                if at >= 0 and masked[at] in " \t":
                    chars = chars if chars is not None else list(masked)
                    chars[at] = "\n"
        return masked if chars is None else "".join(chars)

    def _run_in_breaks(self, masked: str, start: int, caps: bool) -> tuple[int, ...]:
        """Where line breaks go (before and after the name) if a section name starts at
        `start` and runs into prose; before only for a name with its colon ("... the team.
        Requirements: BA/BS ..."), which reads as an inline heading once it starts a line."""
        line_end = _line_end(masked, start)
        inline = _INLINE_HEADING.match(masked, start, line_end)
        if inline and self._leads_in(inline.group("h")):
            return (start - 1,)
        opener = _WORD.match(masked, start, line_end)
        if opener is None or not self.lexicon.opens_name(opener.group()):
            return ()
        words = list(itertools.islice(_WORD.finditer(masked, start, line_end), 16))
        joined = 1  # the leading words joined by spaces or "&" only, as a name's words are
        while joined < min(len(words) - 1, self.max_name_words) and not masked[
            words[joined - 1].end() : words[joined].start()
        ].strip(" \t&/-"):
            joined += 1
        n = self.lexicon.name_length([w.group() for w in words[: min(joined, len(words) - 1)]])
        if not n:
            return ()
        end, body = words[n - 1].end(), words[n].start()
        capitals = all(w.group().isupper() for w in words[:n])
        if (caps and not capitals) or not (masked[body].isupper() or masked[body].isdigit()):
            return ()
        if masked[end:body].strip() or (not capitals and _SUBJECTS.search(masked, start, end)):
            return ()
        prose = [w.group() for w in words[n:] if _PROSE_WORD.fullmatch(w.group())]
        return (start - 1, end) if sum(w not in _MINOR_WORDS for w in prose) >= 2 else ()

    def _leads_in(self, text: str) -> bool:
        """The part before a colon starts a section: a known section name, or a short plain
        lead-in that announces preferred items ("Bonus points if you have:", "Will be a
        plus:"). Lead-ins of other types are left out: "Required: ...", "License: ..." and
        "You'll own the platform: ..." open items, not sections."""
        if self.lexicon.starts_section(text):
            return True
        words = _WORD.findall(text)
        plain = _PLAIN_WORDS.fullmatch(text.rstrip(":")) and len(words) <= self.max_name_words
        return bool(plain) and self.lexicon.type_of(text) == "preferred"

    def _names_section(self, text: str) -> bool:
        """A short text whose words name a section type ("Key duties", "Requirements:")."""
        words = _WORD.findall(text)
        return 0 < len(words) <= self.max_heading_words and self.lexicon.type_of(text) != "unknown"

    def _heading(
        self, content: str, line: _Line, before_list: bool, before_body: bool, first: bool
    ) -> tuple[int, int, int | None] | None:
        """(start, end, start of inline content or None) of a heading in this line, if it is one.

        `before_list` tells whether the next content line is a list item, `before_body`
        whether it is a list item or a long line. `first` marks the posting's first line
        (where a short title-case line is a job title) and the indented continuation of a
        list item: neither is taken for a heading by its shape alone.
        """
        if line.html_heading:
            return 0, len(content), None
        md = _MD_HEADING.fullmatch(content) or _BOLD_HEADING.fullmatch(content)
        if md and md.group("h").strip():
            return md.start("h"), md.end("h"), None
        if line.html_item or MARKER.match(content):
            return None
        inline = _INLINE_HEADING.match(content)
        if inline and self._leads_in(inline.group("h")):
            return 0, inline.end("h"), inline.end()
        words = _WORD.findall(content)
        if not words:
            return None
        # a lead-in that trails off before a list or paragraph ends as a colon line does
        trails_off = bool(_TRAILING_ELLIPSIS.search(content)) and not first and before_body
        if (content.endswith(":") or trails_off) and len(words) <= self.max_heading_words:
            return 0, len(content), None
        # a question heads a section only when it names one: "Who are we looking for?"
        asks = bool(_WH_QUESTION.fullmatch(content)) and not first and before_body
        if (
            asks
            and len(words) <= self.max_heading_words
            and self.lexicon.type_of(content) != "unknown"
        ):
            return 0, len(content), None
        if content[-1] in ".,;!?":
            return None
        if len(words) <= self.max_name_words and self.lexicon.is_name(content):
            return 0, len(content), None
        short_name = (
            len(words) <= self.max_title_words
            and _PLAIN_WORDS.fullmatch(content)
            and (
                before_list
                or (line.after_break and before_body)
                or all(w[0].isupper() or w.lower() in _MINOR_WORDS for w in words)
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
        word = masked[word_start:after].rstrip("\"'”’)]")
        return not (word.lower() in self.abbreviations or _INITIALISM.fullmatch(word))
