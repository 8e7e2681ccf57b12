"""Names, durations, degrees and cues read through a wrapped line or a double space."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from jobreq.wrapped_text import is_wrap, unwrap

ROOT = Path(__file__).resolve().parent.parent
# the benchmark's wrapping, so the test and `benchmarks/wrapped_lines.py` wrap alike
_spec = importlib.util.spec_from_file_location(
    "wrapped_lines", ROOT / "benchmarks" / "wrapped_lines.py"
)
assert _spec is not None and _spec.loader is not None
wrapped_lines = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wrapped_lines)


def bullet_readings(doc: Doc) -> list[tuple[str, list[float], list[Any]]]:
    """Per bullet: its label, its scores (rounded) and its entities with their attributes."""
    readings = []
    for i, bullet in enumerate(doc.spans["bullets"]):
        entities = sorted(
            (key, s.id_, json.dumps(s._.skill or s._.years or s._.degree, sort_keys=True))
            for key in ("skills", "experience", "degrees")
            for s in doc.spans[key]
            if bullet.start <= s.start and s.end <= bullet.end
        )
        scores = doc.spans["bullets"].attrs["all_scores"][i]
        readings.append((bullet.label_, [round(scores[k], 6) for k in sorted(scores)], entities))
    return readings


def test_wrap_whitespace_is_inside_a_line_or_a_bullet(nlp: Language) -> None:
    doc = nlp("Skills\n- machine\n  learning,  Python\n\n- Java\n")
    wraps = [t.text for t in doc if is_wrap(t)]
    assert wraps == ["\n  ", " "]  # not the line breaks between items, nor the blank line
    # without sentence starts (tokenizer only) a line break is never a wrap; spaces are
    plain = nlp.make_doc("machine\nlearning  Python")
    assert [t.text for t in plain if is_wrap(t)] == [" "]


def test_unwrap_maps_tokens_back(nlp: Language) -> None:
    doc = nlp("Skills\n- Apache\n  Spark and Scala\n")
    unwrapped = unwrap(doc)
    assert unwrapped is not None
    assert [t.text for t in unwrapped.doc] == [t.text for t in doc if not is_wrap(t)]
    start = [t.text for t in unwrapped.doc].index("Apache")
    assert doc[slice(*unwrapped.bounds(start, start + 2))].text == "Apache\n  Spark"
    assert unwrap(nlp("Skills\n- Apache Spark\n")) is None


def wraps_by_the_definition(doc: Doc) -> set[int]:
    """Wrap whitespace as `jobreq.wrapped_text` defines it, read token by token."""
    found = set()
    for token in doc[1:-1]:
        after = doc[token.i + 1]
        if not token.is_space or token.is_sent_start or after.is_sent_start:
            continue
        breaks = token.text.count("\n")
        if breaks == 0 or (breaks == 1 and after.is_sent_start is False):
            found.add(token.i)
    return found


def test_unwrap_drops_exactly_the_wrap_tokens(nlp: Language) -> None:
    with open(ROOT / "corpus" / "dev.jsonl", encoding="utf-8") as fh:
        texts = [wrapped_lines.wrap_list_items(json.loads(line)["text"]) for line in fh]
    checked = 0
    for doc in nlp.pipe(texts):
        unwrapped = unwrap(doc)
        kept = set(range(len(doc))) if unwrapped is None else set(unwrapped.kept)
        assert set(range(len(doc))) - kept == wraps_by_the_definition(doc)
        assert {t.i for t in doc if is_wrap(t)} == wraps_by_the_definition(doc)
        checked += unwrapped is not None
    assert checked > 50


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("- 3+ years of machine\n  learning in production", "skills", ["machine-learning"]),
        ("- Build jobs in Apache\n  Spark", "skills", ["apache-spark"]),
        ("- Python,  Java  and  Go", "skills", ["python", "java", "go"]),
        ("- Experience in sales operations, or\n  consulting.", "skills", None),
        ("- three to\n  five years of audit experience", "experience", [(3.0, 5.0)]),
        ("- BCOP credential, or attainment within\n  two years of hire.", "experience", []),
        ("- Master of\n  Science in Law", "degrees", [("master", ["Law"])]),
        ("- BS degree\n  in Physics or Law", "degrees", [("bachelor", ["Physics", "Law"])]),
    ],
)  # fmt: skip
def test_entities_read_through_wrap_whitespace(
    nlp: Language, text: str, key: str, expected: list[Any] | None
) -> None:
    doc = nlp(f"Requirements\n{text}\n")
    one_line = nlp(f"Requirements\n{' '.join(text.split())}\n")
    found = [s.id_ for s in doc.spans[key]]
    if key == "experience":
        found = [(s._.years["min_years"], s._.years["max_years"]) for s in doc.spans[key]]
    elif key == "degrees":
        found = [(s._.degree["level"], s._.degree["fields"]) for s in doc.spans[key]]
    if expected is not None:
        assert found == expected
    assert bullet_readings(doc) == bullet_readings(one_line)


def test_a_wrapped_cue_phrase_counts(nlp: Language) -> None:
    wrapped = nlp("Requirements\n- Experience with Kafka is nice to\n  have\n")
    one_line = nlp("Requirements\n- Experience with Kafka is nice to have\n")
    assert bullet_readings(wrapped) == bullet_readings(one_line)
    assert wrapped.spans["bullets"][0].label_ == "preferred"


def test_wrapping_the_test_split_changes_no_reading(nlp: Language) -> None:
    """The corpus test split with every long list item wrapped at 40 characters: each
    bullet keeps its label, scores and entities."""
    with open(ROOT / "corpus" / "test.jsonl", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    wrapped = [wrapped_lines.wrap_list_items(t) for t in texts]
    assert sum(a != b for a, b in zip(texts, wrapped, strict=True)) > 50
    for a, b in zip(nlp.pipe(texts), nlp.pipe(wrapped), strict=True):
        assert bullet_readings(b) == bullet_readings(a)
