"""`jobreq evaluate`'s entity metrics for the linker: duration-skill links and the
requirement level each entity carries."""

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


def test_requirement_levels_are_scored_against_the_bullet_or_the_entity(nlp: Language) -> None:
    text = "Requirements\n- Bachelor's degree required; MBA preferred.\n- 3+ years of SQL.\n"
    first, second = text.index("Bachelor"), text.index("3+ years")
    gold = {
        "id": "E-2",
        "text": text,
        "bullets": [
            {"start": first, "end": text.index("\n", first), "label": "basic"},
            {"start": second, "end": len(text) - 1, "label": "preferred"},
        ],
        "entities": [
            {"start": first, "end": first + 17, "type": "degree", "level": "bachelor",
             "fields": [], "equivalent_experience": False},
            {"start": text.index("MBA"), "end": text.index("MBA") + 3, "type": "degree",
             "level": "master", "fields": [], "equivalent_experience": False,
             "requirement": "preferred"},
            {"start": second, "end": second + 8, "type": "experience", "min_years": 3,
             "max_years": None},
        ],
    }  # fmt: skip
    assert validate_posting(gold) == []
    doc = nlp(text)
    assert doc.spans["bullets"][0].label_ == "basic"
    metrics = entity_metrics([doc], [gold])
    # the MBA's own clause says "preferred"; the linker reads it
    assert metrics["degree"]["requirement_accuracy"] == 1.0
    assert metrics["degree"]["stated_requirement"] == {"entities": 1, "accuracy": 1.0}
    # "3+ years of SQL." is a basic bullet to the classifier, preferred in this gold
    assert doc.spans["experience"][0]._.requirement == "basic"
    assert metrics["experience"]["requirement_accuracy"] == 0.0
    assert "stated_requirement" not in metrics["experience"]


def test_degrees_still_being_studied_for_are_scored_among_matched_degrees(
    nlp: Language,
) -> None:
    text = "Requirements\n- Currently pursuing a BS or MS in Physics.\n- PhD in Chemistry.\n"
    bs, ms, phd = (text.index(name) for name in ("BS", "MS", "PhD"))
    degree = {"type": "degree", "fields": [], "equivalent_experience": False}
    gold = {
        "id": "E-3",
        "text": text,
        "bullets": [],
        "entities": [
            {**degree, "start": bs, "end": bs + 2, "level": "bachelor", "in_progress": True},
            {**degree, "start": ms, "end": ms + 2, "level": "master"},  # gold says held
            {**degree, "start": phd, "end": phd + 3, "level": "doctorate"},
        ],
    }
    assert validate_posting(gold) == []
    metrics = entity_metrics([nlp(text)], [gold])
    assert metrics["degree"]["in_progress"] == {"gold": 1, "p": 0.5, "r": 1.0, "f": 0.6667}
    assert validate_posting(
        {
            **gold,
            "entities": [
                {**degree, "start": bs, "end": bs + 2, "level": "bachelor", "in_progress": "yes"}
            ],
        }
    )
