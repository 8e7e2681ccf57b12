"""A doc's text, kept in ``doc.user_data`` by the jobreq tokenizer (or joined once).

``Doc.text`` rebuilds the string from every token on each call; the segmenter and the
record builder need it for every posting. Merging or splitting tokens never changes the
text, so the kept copy stays right for the doc's lifetime.
"""

from __future__ import annotations

from spacy.tokens import Doc

TEXT_KEY = "jobreq.text"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text
