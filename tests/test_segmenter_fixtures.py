"""The segmenter on hand-written postings: exact heading and bullet offsets and types."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "segmenter").glob("*.json"))


def locate(text: str, strings: list[str]) -> list[tuple[int, int]]:
    """Offsets of each string, searched in order, each after the end of the previous one."""
    offsets, pos = [], 0
    for s in strings:
        start = text.index(s, pos)
        offsets.append((start, start + len(s)))
        pos = start + len(s)
    return offsets


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURES) >= 30


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture(nlp: Language, path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    text = case["text"]
    doc = nlp.get_pipe("jobreq_segmenter")(nlp.make_doc(text))
    want_sections = [
        (*offsets, kind)
        for offsets, (_, kind) in zip(
            locate(text, [h for h, _ in case["sections"]]), case["sections"], strict=True
        )
    ]
    got_sections = [(s.start_char, s.end_char, s.label_) for s in doc.spans["sections"]]
    assert got_sections == want_sections
    want_bullets = locate(text, [b for b, _ in case["bullets"]])
    got_bullets = [(s.start_char, s.end_char) for s in doc.spans["bullets"]]
    assert [text[a:b] for a, b in got_bullets] == [text[a:b] for a, b in want_bullets]
    assert got_bullets == want_bullets
    headings = [h for h, _ in case["sections"]]
    types = dict(case["sections"])
    for span, (_, section) in zip(doc.spans["bullets"], case["bullets"], strict=True):
        expected = types.get(section, "unknown") if section else "unknown"
        assert span.label_ == expected  # before the classifier, a bullet carries its section type
        assert section is None or section in headings
