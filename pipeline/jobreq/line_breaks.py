"""Line breaks that text flattened from a web page lost, put back into the segmenter's mask.

A list run together on one line ("Requirements • BA/BS degree • 3 years ...", with hyphens
or item numbers instead of the glyphs) is cut before each item, and a section name that runs
into prose ("... uptime record. Requirements BA/BS degree ...") gets a break before and after
it. Breaks replace a space in the same-length mask, so every offset stays an offset into the
user's text; the segmenter then reads the new lines as usual.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from .heading_lexicon import HeadingLexicon
from .markup import LI, MARKER, PADDING, start_of_line

# patterns the segmenter reads lines with too
INLINE_HEADING = re.compile(r"(?P<h>[^:\n]{2,60}:)[ \t]+(?=\S)")
SEPARATOR = re.compile(r"[-_=*~#•·–—▪.\s]+")
PLAIN_WORDS = re.compile(r"[\w\s'’&/-]+")
MINOR_WORDS = {"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with", "&"}
WORD = re.compile(r"\w+(?:['’]\w+)?")
BODY_CHARS = 40  # a line longer than this is body text, not a short heading or label

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
# where a section name can run into prose: after a sentence end, or in capitals after a word
_AFTER_SENTENCE = re.compile(r"[.!?]+[\"'”’)\]]*[ \t]+(?=[A-Z])")
_CAPS_AFTER_WORD = re.compile(r"(?<=[a-z0-9,;)][ \t])[A-Z][A-Z]")
_PROSE_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
# a name with a subject in it ("You have", "We offer") also opens a plain sentence; it runs
# into prose as a heading only in capitals, with its colon, or before a word that is
# capitalised only where a sentence starts ("Who we are The department ...")
_SUBJECTS = re.compile(r"\b(?:i|you|we|they)(?:['’]\w+)?\b", re.I)
_SENTENCE_OPENERS = {"The", "A", "An", "Our", "Your", "This", "These", "We", "You", "It", "They"}


def _after_words(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """Matches of `pattern`, which starts with a space, that follow a word on their line,
    with the start of that line."""
    for m in pattern.finditer(text):
        if m.start() and not text[m.start() - 1].isspace():
            yield start_of_line(text, m.start()), m


def _line_end(text: str, at: int) -> int:
    """Where the line holding position `at` ends: its line break, or the text's end."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end


class LineBreaks:
    """Puts back the line breaks of lists and headings run together, using the heading
    lexicon to tell a section name from other words."""

    def __init__(self, lexicon: HeadingLexicon, max_heading_words: int, max_name_words: int):
        self.lexicon = lexicon
        self.max_heading_words = max_heading_words
        self.max_name_words = max_name_words

    def restore(self, masked: str) -> str:
        """`masked` with line breaks before inline list items and around run-in headings."""
        return self.cut_run_in_headings(self.cut_inline_lists(masked))

    def cut_inline_lists(self, masked: str) -> str:
        """Same-length copy of `masked` with a line break before each item of a list run
        together on one line: bullet glyphs (two or more, or one behind a section heading:
        "Responsibilities • Lead the team"), item numbers that count up ("1) ... 2) ..."),
        and spaced hyphens behind a section name ("Requirements - BA/BS - 3 years ...")."""
        by_line: dict[int, list[int]] = {}  # line start -> where each inline glyph starts
        for m in _INLINE_GLYPH.finditer(masked):
            at = m.start()
            if at and masked[at - 1].isspace() and masked[at - 1] != "\n":
                line_start = start_of_line(masked, at)
                if masked[line_start:at].strip():  # content before it on its line
                    by_line.setdefault(line_start, []).append(at)
        dashes: dict[int, list[int]] = {}  # the same for spaced dashes
        for line_start, m in _after_words(_INLINE_DASH, masked):
            dashes.setdefault(line_start, []).append(m.start() + 1)
        numbered = self.numbered_items(masked)
        if not (by_line or dashes or numbered):
            return masked
        chars = list(masked)
        for line_start, glyphs in by_line.items():
            lead = masked[line_start : glyphs[0]].strip()
            opened = lead[0] in _INLINE_GLYPHS  # the line opens with a glyph of its own
            if len(glyphs) + opened >= 2 or self.names_section(lead):
                for at in glyphs:
                    chars[at - 1] = "\n"  # the space before the glyph
        for at in (at for items in numbered.values() for at in items):
            chars[at - 1] = "\n"
        for line_start, at_dashes in dashes.items():
            lead = masked[line_start : at_dashes[0]].strip()
            line_end = _line_end(masked, at_dashes[0])
            items = len(WORD.findall(masked, at_dashes[0], line_end)) >= 3  # not "- essential:"
            named = self.lexicon.starts_section(lead) or (lead[-1] == ":" and self.leads_in(lead))
            if line_start not in by_line and items and named:
                for at in at_dashes:
                    chars[at - 1] = "\n"
        return "".join(chars)

    @staticmethod
    def numbered_items(masked: str) -> dict[int, list[int]]:
        """Line start -> where each inline item number starts, for lines whose inline
        numbers count up 1, 2, 3 ... (2, 3 ... after a line's own opening "1.")."""
        numbers: dict[int, list[tuple[int, int]]] = {}
        for line_start, m in _after_words(_INLINE_NUMBER, masked):
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

    def cut_run_in_headings(self, masked: str) -> str:
        """Same-length copy of `masked` with line breaks around each section name that runs
        into prose on its line, as text flattened from a web page leaves it: at the start of
        a long line ("Your profile You have ..."), after a sentence end ("... uptime record.
        Requirements BA/BS degree ...") or in capitals after a word ("... Engineering
        RESPONSIBILITIES Lead a team ..."); the posting's first line, which opens with its
        title, is read by `title_breaks`. The name must be followed by a colon, or by a
        capitalised word or a digit, and then by prose; the lines are then read as usual."""
        starts: list[tuple[int, bool]] = []  # (where a name may start, only in capitals)
        breaks: list[int] = []
        pos, first = 0, True
        for raw in masked.split("\n"):
            content = raw.strip(PADDING)
            lead = pos + len(raw) - len(raw.lstrip(PADDING))
            if content and not (SEPARATOR.fullmatch(content) or MARKER.match(content)):
                end = lead + len(content)
                long_line = len(content) > BODY_CHARS and LI not in raw
                if long_line and first:
                    breaks.extend(self.title_breaks(masked, lead, end))
                elif long_line:
                    starts.append((lead, False))
                starts.extend((m.end(), False) for m in _AFTER_SENTENCE.finditer(masked, lead, end))
                starts.extend(
                    (m.start(), True) for m in _CAPS_AFTER_WORD.finditer(masked, lead, end)
                )
            first = first and not content
            pos += len(raw) + 1
        for start, caps in starts:
            breaks.extend(self.run_in_breaks(masked, start, caps))
        chars: list[str] | None = None
        for at in breaks:
            if at >= 0 and masked[at] in " \t":
                chars = chars if chars is not None else list(masked)
                chars[at] = "\n"
        return masked if chars is None else "".join(chars)

    def title_breaks(self, masked: str, start: int, end: int) -> tuple[int, ...]:
        """Breaks around a section name at the start of the posting's first line or between
        its title and first sentence ("... Life Sciences Responsibilities Lead the ..."):
        the first name among the line's leading capitalised words that ends in its colon, or
        runs into prose whose first word is capitalised and whose second is not ("Your role
        You will ...", but not the title "Education Program Coordinator, Museum of ...")."""
        words = list(itertools.islice(WORD.finditer(masked, start, end), 40))
        for i, word in enumerate(words):
            if not (word.group()[0].isupper() or word.group()[0].isdigit()):
                if word.group().lower() in MINOR_WORDS:
                    continue
                return ()  # the title's words end here
            breaks = self.run_in_breaks(masked, word.start(), caps=False)
            if len(breaks) == 1:  # a name with its colon
                return breaks
            after = [w for w in words[i:] if w.start() > breaks[-1]] if breaks else []
            if len(after) >= 2 and after[1].group()[0].islower():
                return breaks
        return ()

    def run_in_breaks(self, masked: str, start: int, caps: bool) -> tuple[int, ...]:
        """Where line breaks go (before and after the name) if a section name starts at
        `start` and runs into prose; before only for a name with its colon ("... the team.
        Requirements: BA/BS ..."), which reads as an inline heading once it starts a line."""
        line_end = _line_end(masked, start)
        inline = INLINE_HEADING.match(masked, start, line_end)
        if inline and self.leads_in(inline.group("h")):
            return (start - 1,)
        opener = WORD.match(masked, start, line_end)
        if opener is None or not self.lexicon.opens_name(opener.group()):
            return ()
        words = list(itertools.islice(WORD.finditer(masked, start, line_end), 16))
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
        next_opens_sentence = words[n].group() in _SENTENCE_OPENERS
        if masked[end:body].strip() or (
            not (capitals or next_opens_sentence) and _SUBJECTS.search(masked, start, end)
        ):
            return ()
        prose = [w.group() for w in words[n:] if _PROSE_WORD.fullmatch(w.group())]
        return (start - 1, end) if sum(w not in MINOR_WORDS for w in prose) >= 2 else ()

    def leads_in(self, text: str) -> bool:
        """The part before a colon starts a section: a known section name, or a short plain
        lead-in that announces preferred items ("Bonus points if you have:", "Will be a
        plus:"). Lead-ins of other types are left out: "Required: ...", "License: ..." and
        "You'll own the platform: ..." open items, not sections."""
        if self.lexicon.starts_section(text):
            return True
        words = WORD.findall(text)
        plain = PLAIN_WORDS.fullmatch(text.rstrip(":")) and len(words) <= self.max_name_words
        return bool(plain) and self.lexicon.type_of(text) == "preferred"

    def names_section(self, text: str) -> bool:
        """A short text whose words name a section type ("Key duties", "Requirements:")."""
        words = WORD.findall(text)
        return 0 < len(words) <= self.max_heading_words and self.lexicon.type_of(text) != "unknown"
