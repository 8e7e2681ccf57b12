"""Linking durations to skills, entities to requirement levels, and the posting summary."""

from __future__ import annotations

from spacy.language import Language

from jobreq.engine.local import extract
from jobreq.io import Posting

POSTING = (
    (
        "Minimum qualifications:\n"
        "- At least 4 years of experience programming with Python, Scala, or Java. "
        "Internship experience does not apply.\n"
    )
    + """- BA/BS degree in Computer Science or equivalent practical experience.

Preferred qualifications:
- Master's degree in Statistics.
- 2 years of experience with Spark and 6 years with SQL.
"""
)


def record(nlp: Language, text: str) -> dict:
    (result,) = extract(nlp, [Posting("p", text, "-", 1)])
    return result


def test_duration_links_skills_and_phrase(nlp: Language) -> None:
    bullet = record(nlp, POSTING)["bullets"][0]
    (duration,) = bullet["experience"]
    assert duration["min_years"] == 4 and duration["max_years"] is None
    assert duration["skills"] == ["python", "scala", "java"]
    assert duration["applies_to"] == "programming with Python, Scala, or Java"
    assert duration["exclusions"] == ["Internship experience does not apply."]
    assert duration["requirement"] == "basic"


def test_each_duration_links_only_its_own_skills(nlp: Language) -> None:
    bullet = record(nlp, POSTING)["bullets"][3]
    assert [(d["min_years"], d["skills"]) for d in bullet["experience"]] == [
        (2.0, ["apache-spark"]),
        (6.0, ["sql"]),
    ]


def test_summary(nlp: Language) -> None:
    summary = record(nlp, POSTING)["summary"]
    by_id = {s["id"]: s for s in summary["skills"]}
    assert by_id["python"]["requirement"] == "basic" and by_id["python"]["min_years"] == 4.0
    assert (
        by_id["apache-spark"]["requirement"] == "preferred"
        and by_id["apache-spark"]["min_years"] == 2.0
    )
    assert summary["min_years"] == 4.0  # smallest minimum among basic bullets, not the preferred 2
    assert summary["min_degree"] == "bachelor"
    assert summary["degree_levels"] == ["bachelor", "master"]


def test_strongest_requirement_wins(nlp: Language) -> None:
    text = "Responsibilities:\n- Write Python services.\n\nRequirements:\n- Python experience."
    (python,) = record(nlp, text)["summary"]["skills"]
    assert python["requirement"] == "basic"


def test_entities_outside_bullets_are_reported_at_posting_level(nlp: Language) -> None:
    result = record(nlp, "## Python Developer\n- Build APIs.")
    assert [s["id"] for s in result["entities"]["skills"]] == ["python"]
    assert result["entities"]["skills"][0]["requirement"] is None
