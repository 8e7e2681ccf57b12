"""HTML markup masked in a same-length copy of a posting's text, and list markers.

Every offset found on the masked copy is an offset into the text the user gave: tags and
entities such as ``&nbsp;`` become spaces, block tags become line breaks, a line break in
the source inside a paragraph or list item becomes a space, and the opening tags of list
items and headings leave a marker character the segmenter reads.
"""

from __future__ import annotations

import re

# Characters the mask uses: a hard break ends any bullet; markers flag HTML <li> and <hN>.
LI, HN = "\x02", "\x01"
PADDING = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + LI + HN
_BLOCK_TAGS = (
    "p|div|ul|ol|li|h[1-6]|br|hr|tr|td|th|table|tbody|thead|section|article|header|footer|"
    "dl|dt|dd|blockquote|pre|nav|aside|main|form|body|html|head|title"
)
_INLINE_TAGS = "b|strong|i|em|u|span|a|font|small|big|sub|sup|mark|code|abbr|s|strike|img|label"
_TAG = re.compile(rf"<(/?)({_BLOCK_TAGS}|{_INLINE_TAGS})\b[^<>]*>", re.IGNORECASE)
_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_LI_TAG = re.compile(r"<li\b", re.IGNORECASE)
# the text of a paragraph, list item, cell or heading that holds no other block of text;
# a line break in the source there is a space, as a browser shows it
_TEXT_BLOCKS = "p|li|td|th|dt|dd|h[1-6]"
_TEXT_BLOCK = re.compile(
    rf"<({_TEXT_BLOCKS})\b[^<>]*>((?:(?!</?(?:{_TEXT_BLOCKS}|div|ul|ol|table|pre)\b).)*?)</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_NBSP = re.compile(r"&nbsp;|&#160;|&#xa0;", re.IGNORECASE)

# Emoji and symbols that open list items ("✅ Build ...", "👉 3+ years", "→ Stock options"):
# arrows, technical and geometric shapes, symbols and dingbats, emoji; with the variation
# selector, joiner and skin tones that follow one
PICTOGRAPHS = (
    "(?:[\u2190-\u21ff\u2300-\u23ff\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff"
    "\U0001f000-\U0001faff][\ufe0f\u200d\U0001f3fb-\U0001f3ff]*)+"
)
MARKER = re.compile(
    rf"(?:{PICTOGRAPHS}\s*|[•·‣⁃∙]\s*|[-*–—+]\s+|o\s+"  # glyphs the pictographs lack
    r"|\(?(?:\d{1,2}|[A-Za-z])[.)]\s+)(?=\S)"
)
# Emoji shown as pictures (Unicode's Emoji_Presentation, or a symbol with the emoji variation
# selector) decorate headings too ("🚀 What you'll do"); classic glyphs ("▪", "►") do not
EMOJI_DECORATION = re.compile(
    "(?=[\U0001f000-\U0001faff\u231a\u231b\u23e9-\u23f3\u2614\u2615\u26a1\u26aa\u26ab"
    "\u26bd\u26be\u26c4\u26c5\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a"
    "\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c"
    rf"\u2b50\u2b55]|.\ufe0f){PICTOGRAPHS}\s*(?=\S)"
)


def mask_markup(text: str) -> str:
    """Same-length copy of `text` with HTML markup blanked and block tags turned into breaks."""
    chars = list(text)

    def blank(start: int, end: int, fill: str = "") -> None:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
        for i, ch in enumerate(fill[: end - start]):
            chars[start + i] = ch

    for m in _HIDDEN.finditer(text):
        blank(m.start(), m.end())
    for m in _NBSP.finditer(text):
        blank(m.start(), m.end())
    for m in _TAG.finditer(text):
        name = m.group(2).lower()
        if name == "br":
            blank(m.start(), m.end(), "\n")
        elif re.fullmatch(_BLOCK_TAGS, name):
            opening = not m.group(1)
            marker = LI if opening and name == "li" else ""
            marker = HN if opening and re.fullmatch(r"h[1-6]", name) else marker
            blank(m.start(), m.end(), "\n\n" + marker)
        else:
            blank(m.start(), m.end())
    for m in _TEXT_BLOCK.finditer(text):
        for i in range(m.start(2), m.end(2)):
            if text[i] in "\r\n":
                chars[i] = " "
    return "".join(chars)


def start_of_line(text: str, at: int) -> int:
    """Where the line holding position `at` starts."""
    return text.rfind("\n", 0, at) + 1


def is_list_item(text: str, start: int) -> bool:
    """Whether the bullet at character `start` of `text` is a list item: on its line, only
    whitespace and a list marker ("- ", "• ", "1. ") or an HTML <li> tag come before it."""
    line = start_of_line(text, start)
    prefix = text[line:start]
    if _LI_TAG.search(prefix):
        return True
    marker = MARKER.match(text, line + len(prefix) - len(prefix.lstrip()))
    return marker is not None and marker.end() == start
