"""A doc's text, kept in ``doc.user_data`` by the jobreq tokenizer (or joined once).

``Doc.text`` rebuilds the string from every token on each call; the segmenter and the
record builder need it for every posting. Merging or splitting tokens never changes the
text, so the kept copy stays right for the doc's lifetime.

Text decoded as Latin-1 when it was Windows-1252 keeps that code page's punctuation as C1
control characters ("Bachelor\\x92s degree", "\\x95 Python"), and scraped pages leave
invisible characters between and after words ("Python\\u200b", "machine\\u200blearning");
some keyboards type an acute accent for an apostrophe ("master\\xb4s degree").
The tokenizer and the segmenter read such text repaired, character for character, so every
offset stays an offset into the text as given, and the kept copy is that text, unrepaired.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

TEXT_KEY = "jobreq.text"
_REPAIRABLE = re.compile(r"[\x80-\x9f\xb4\u200b\u2060\ufeff]")
REPAIRS = {
    # each C1 control character that Windows-1252 defines -> the character it stands for there
    **{
        code: bytes([code]).decode("cp1252")
        for code in range(0x80, 0xA0)
        if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)  # undefined in Windows-1252
    },
    # a zero-width space, word joiner or byte-order mark -> a space
    **dict.fromkeys((0x200B, 0x2060, 0xFEFF), " "),
    0xB4: "'",  # an acute accent typed for an apostrophe: "master\xb4s degree"
}


def repair(text: str) -> str:
    """`text` with Windows-1252's C1 characters read as that code page's punctuation
    ("\\x92" is the closing quote, "\\x95" the bullet, "\\x96" the en dash), invisible
    characters as spaces and an acute accent as an apostrophe; the length never changes."""
    return text.translate(REPAIRS) if _REPAIRABLE.search(text) else text


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text
