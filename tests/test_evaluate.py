"""`jobreq evaluate`'s entity metrics: spans, values and the linker's duration-skill links."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language

from jobreq.training.corpus import validate_posting
from jobreq.training.evaluate import check_thresholds, entity_metrics

TEXT = (
    "Requirements\n"
    "- 5+ years of experience with Python and SQL; strong Excel skills.\n"
    "- Java developer with 3 years of experience.\n"
)


def entity(surface: str, kind: str, **values: object) -> dict:
    start = TEXT.index(surface)
    return {"start": start, "end": start + len(surface), "type": kind, **values}


def posting(five_years: list[str], three_years: list[str]) -> dict:
    return {
        "id": "E-1",
        "text": TEXT,
        "bullets": [],
        "entities": [
            entity("5+ years", "experience", min_years=5, max_years=None, skills=five_years),
            entity("Python", "skill", id="python"),
            entity("SQL", "skill", id="sql"),
            entity("Excel", "skill", id="microsoft-excel"),
            entity("Java", "skill", id="java"),
            entity("3 years", "experience", min_years=3, max_years=None, skills=three_years),
        ],
    }


def test_links_are_scored_as_duration_skill_pairs(nlp: Language) -> None:
    # a gold that also links Excel to the 5 years, which the linker does not
    gold = posting(["python", "sql", "microsoft-excel"], ["java"])
    assert validate_posting(gold) == []
    doc = nlp(TEXT)
    predicted = {s.text: s._.link["skills"] for s in doc.spans["experience"]}
    assert predicted == {"5+ years": ["python", "sql"], "3 years": ["java"]}
    links = entity_metrics([doc], [gold])["experience"]["links"]
    assert (links["gold"], links["predicted"]) == (4, 3)
    assert (links["p"], links["r"], links["f"]) == (1.0, 0.75, 0.8571)
    assert links["set_accuracy"] == 0.5


def test_links_are_only_scored_where_the_gold_has_them(nlp: Language) -> None:
    gold = posting([], [])
    for e in gold["entities"]:
        e.pop("skills", None)
    assert "links" not in entity_metrics([nlp(TEXT)], [gold])["experience"]


def test_a_link_to_a_skill_the_posting_lacks_is_invalid() -> None:
    problems = validate_posting(posting(["python", "scala"], []))
    assert problems == [
        f"entity {TEXT.index('5+ years')}: links skill 'scala', which no skill of the posting has"
    ]


def test_link_floor_is_checked(nlp: Language, tmp_path: Path) -> None:
    metrics = {"entities": entity_metrics([nlp(TEXT)], [posting(["python", "sql"], ["java"])])}
    floors = tmp_path / "thresholds.json"
    floors.write_text(json.dumps({"entities": {"experience": {"links": {"f": 1.01}}}}))
    (failure,) = check_thresholds(metrics, floors)
    assert failure.startswith("entities.experience.links.f: ")
