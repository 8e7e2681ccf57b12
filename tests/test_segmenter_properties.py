"""Properties of the segmenter on arbitrary text (hypothesis)."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from jobreq.doc_text import doc_text, repair
from jobreq.markup import mask_markup
from jobreq.record import to_record

PIECES = st.sampled_from(
    [
        "\n",
        "\r\n",
        "\n\n",
        "\t",
        "  ",
        "- ",
        "• ",
        "* ",
        "o ",
        "1. ",
        "a) ",
        "## ",
        "**",
        ":",
        ". ",
        "? ",
        "<li>",
        "</li>",
        "<ul>",
        "<p>",
        "</p>",
        "<br>",
        "<h3>",
        "</h3>",
        "&amp;",
        "&nbsp;",
        "Requirements",
        "Nice to have",
        "ABOUT US",
        "e.g. ",
        "3.5 ",
        "Python",
        "skills",
        # entities and the words the linker reads around them
        "3+ years of ",
        ": 1 year",
        " with ",
        "(",
        ")",
        "BS in Computer Science",
        " preferred",
        " \u2022 ",  # a bullet glyph inside a line
        "\x95",  # Windows-1252 bullet and closing quote, as C1 control characters
        "\x92s ",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=12), PIECES), max_size=40).map("".join)
# Alphanumeric list markers ("o ", "1. ", "2) ", "a) ", "(b) ") at the start of a line of
# the masked text (markup blanked, block tags turned into line breaks) are not content.
MARKER = re.compile(r"^(?:[^\S\n]|[\x01\x02])*(?:o|\(?(?:\d{1,2}|[A-Za-z])[.)])(?=\s)", re.M)


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT)
def test_segmenter_invariants(nlp: Language, text: str) -> None:
    doc = nlp.get_pipe("jobreq_segmenter")(nlp.make_doc(text))
    bullets = sorted((s.start_char, s.end_char) for s in doc.spans["bullets"])
    headings = [(s.start_char, s.end_char) for s in doc.spans["sections"]]
    for span in [*doc.spans["bullets"], *doc.spans["sections"]]:
        assert span.text == repair(text)[span.start_char : span.end_char]
        assert span.text == span.text.strip() and span.text
    for span in doc.spans["bullets"]:
        assert [s.text for s in span.sents] == [span.text], "a bullet is exactly one sentence"
    for (_, end), (start, _) in itertools.pairwise(bullets):
        assert end <= start, "bullets overlap"
    covered = [False] * len(text)
    for start, end in bullets + headings:
        covered[start:end] = [True] * (end - start)
    masked = mask_markup(text)
    for m in MARKER.finditer(masked):
        covered[m.start() : m.end()] = [True] * (m.end() - m.start())
    for i, ch in enumerate(text):
        if ch.isalnum() and masked[i] == ch:
            assert covered[i], f"character {i} ({ch!r}) is in no bullet or heading"


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT)
def test_full_pipeline_never_raises_and_offsets_slice(nlp: Language, text: str) -> None:
    record = to_record(nlp(text), "x", {}, {"name": "m", "version": "0"})
    for bullet in record["bullets"]:
        assert text[bullet["start"] : bullet["end"]] == bullet["text"]
        for key in ("skills", "experience", "degrees"):
            for entity in bullet[key]:
                assert text[entity["start"] : entity["end"]] == entity["text"]
                assert bullet["start"] <= entity["start"] <= entity["end"] <= bullet["end"]


def test_docs_keep_their_text(nlp: Language) -> None:
    """The tokenizer keeps each doc's input text; splitting tokens never changes it."""
    text = "Requirements:- Python\n• SQL &amp; dbt"
    doc = nlp(text)
    assert doc_text(doc) == text == doc.text


def test_windows_1252_punctuation_is_read_repaired_and_output_as_given(nlp: Language) -> None:
    """Latin-1-decoded Windows-1252 text: tokens and rules see the punctuation meant, offsets
    and output text stay those of the input."""
    text = "Requirements:\n\x95 Bachelor\x92s degree\n\x95 5 years\x92 experience with Java"
    doc = nlp(text)
    assert doc_text(doc) == text
    assert len(doc.text) == len(text)
    record = to_record(doc, "x", {}, {"name": "m", "version": "0"})
    assert [b["text"] for b in record["bullets"]] == [
        "Bachelor\x92s degree",
        "5 years\x92 experience with Java",
    ]
    first, second = record["bullets"]
    assert [(d["text"], d["level"]) for d in first["degrees"]] == [
        ("Bachelor\x92s degree", "bachelor")
    ]
    assert [(e["text"], e["min_years"]) for e in second["experience"]] == [("5 years", 5.0)]


def test_invisible_characters_are_read_as_spaces_and_output_as_given(nlp: Language) -> None:
    """Zero-width spaces, word joiners and byte-order marks that scraped pages leave in text
    part words as a space would; offsets and output text stay those of the input."""
    text = "\ufeffRequirements:\n- Python\u200b and machine\u200blearning\n- 3+\u2060years of SQL"
    doc = nlp(text)
    assert doc_text(doc) == text
    record = to_record(doc, "x", {}, {"name": "m", "version": "0"})
    assert [(s["heading"], s["type"]) for s in record["sections"]] == [("Requirements:", "basic")]
    first, second = record["bullets"]
    assert [(s["text"], s["id"]) for s in first["skills"]] == [
        ("Python", "python"),
        ("machine\u200blearning", "machine-learning"),
    ]
    assert [(e["text"], e["min_years"]) for e in second["experience"]] == [("3+\u2060years", 3.0)]


def test_headings_are_typed_after_decoding_html_entities(nlp: Language) -> None:
    text = "<h3>What You&#39;ll Do</h3><ul><li>Ship features.</li></ul><h3>Pay &amp; benefits</h3>"
    doc = nlp.get_pipe("jobreq_segmenter")(nlp.make_doc(text))
    assert [(s.text, s.label_) for s in doc.spans["sections"]] == [
        ("What You&#39;ll Do", "duty"),
        ("Pay &amp; benefits", "other"),
    ]
