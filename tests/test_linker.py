"""Linking durations to skills, entities to requirement levels, and the posting summary."""

from __future__ import annotations

import pytest
from spacy.language import Language

from jobreq.clause_levels import ClauseLevels
from jobreq.components.linker import RULES_PATH
from jobreq.components.ruler import read_jsonl
from jobreq.engine.local import extract
from jobreq.io import Posting
from jobreq.record import ENTITY_KEYS

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


@pytest.mark.parametrize(
    ("text", "skills"),
    [("2+ yrs exp. in SQL", ["sql"]), ("4 years exp in Java", ["java"])],
)
def test_exp_abbreviates_experience(nlp: Language, text: str, skills: list[str]) -> None:
    (duration,) = record(nlp, f"Requirements:\n- {text}\n")["bullets"][0]["experience"]
    assert duration["skills"] == skills


def test_each_duration_links_only_its_own_skills(nlp: Language) -> None:
    bullet = record(nlp, POSTING)["bullets"][3]
    assert [(d["min_years"], d["skills"]) for d in bullet["experience"]] == [
        (2.0, ["apache-spark"]),
        (6.0, ["sql"]),
    ]


@pytest.mark.parametrize(
    ("text", "skills", "applies_to"),
    [
        # a duration that is the value of the phrase before it
        ("Experience:\n- Dentrix: 1 year (Preferred)\n", ["dentrix"], "Dentrix"),
        (
            "- Experience with Tableau or Power BI (2+ years).\n",
            ["tableau", "power-bi"],
            "Experience with Tableau or Power BI",
        ),
        ("- Python developer with 3+ years of experience.\n", ["python"], "Python developer"),
        (
            "- Kubernetes and Terraform, with 3+ years of experience.\n",
            ["kubernetes", "terraform"],
            "Kubernetes and Terraform",
        ),
        # skills after the duration come first
        ("- Excel skills with 2 years of experience in SQL.\n", ["sql"], "SQL"),
        # ... unless the duration is an aside in brackets about what comes before it
        ("- Kubernetes (3+ years of experience) and Docker.\n", ["kubernetes"], "Kubernetes"),
        ("- SQL - 2 years (required)\n", ["sql"], "SQL"),
        # ... even when what comes before the brackets names no skill
        (
            "- A degree in a related field (3 or 5 years) and very good knowledge of JavaScript\n",
            [],
            "A degree in a related field",
        ),
        # a phrase that ends in a skill keeps the skill's last character
        ("- 3 years of experience with C#.\n", ["csharp"], "C#"),
        ("- C#: 3 years\n", ["csharp"], "C#"),
        ("- 2+ years with F#\n", ["fsharp"], "F#"),
    ],
)
def test_the_skills_and_phrase_a_duration_measures(
    nlp: Language, text: str, skills: list[str], applies_to: str
) -> None:
    (bullet,) = record(nlp, text)["bullets"]
    (duration,) = bullet["experience"]
    assert (duration["skills"], duration["applies_to"]) == (skills, applies_to)


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("- Experience with Python (5+ years) and SQL (3+ years).\n", [["python"], ["sql"]]),
        ("- AWS (3 years), Docker (2 years)\n", [["amazon-web-services"], ["docker"]]),
        # a clause break, or a comma before "name: value", ends the first duration's words
        ("- Python - 3 years; SQL - 2 years\n", [["python"], ["sql"]]),
        ("- Python: 5 years, SQL: 2 years\n", [["python"], ["sql"]]),
    ],
)
def test_each_of_two_durations_measures_its_own_skill(
    nlp: Language, text: str, skills: list[list[str]]
) -> None:
    (bullet,) = record(nlp, text)["bullets"]
    assert [d["skills"] for d in bullet["experience"]] == skills


@pytest.mark.parametrize(
    ("text", "skills", "applies_to"),
    [
        ("- 4 years of experience in Java or 2 years with a Master's degree\n", ["java"], "Java"),
        (
            "- 10 years of marketing experience with 2 years of CRM experience\n",
            ["marketing"],
            "marketing experience",
        ),
        ("- 7+ years of Python, including 3 years leading a team\n", ["python"], "Python"),
    ],
)
def test_a_phrase_cut_by_the_next_duration_drops_its_joining_word(
    nlp: Language, text: str, skills: list[str], applies_to: str
) -> None:
    first, _ = record(nlp, text)["bullets"][0]["experience"]
    assert (first["skills"], first["applies_to"]) == (skills, applies_to)


def test_an_aside_in_brackets_is_part_of_the_phrase(nlp: Language) -> None:
    text = "- 3 years of experience with data tools (BigQuery, Hive) and Python.\n"
    (bullet,) = record(nlp, text)["bullets"]
    (duration,) = bullet["experience"]
    assert duration["skills"] == ["google-bigquery", "apache-hive", "python"]


def test_a_bracket_never_closed_ends_the_phrase(nlp: Language) -> None:
    for text in ("3 years of Python (and SQL", "- 3 years of Python (and SQL\n"):
        doc = nlp(text)
        (duration,) = doc.spans["experience"]
        assert duration._.link["skills"] == ["python"]


def test_the_phrase_ends_where_a_run_in_list_item_begins(nlp: Language) -> None:
    # a list flattened into one line, markers and full stops gone; a title-case item
    # ("5 Years of Relevant Work Experience in Java") is not cut
    text = (
        "3+ years as a developer with PostgreSQL at scale Experience with Kafka and Docker "
        "Excellent communication skills in English"
    )
    doc = nlp(text)
    (duration,) = doc.spans["experience"]
    assert duration._.link["skills"] == ["postgresql"]
    doc = nlp("Five years of high school English teaching experience.")
    (duration,) = doc.spans["experience"]
    assert duration._.link["applies_to"] == "high school English teaching experience"
    doc = nlp("5 Years of Relevant Work Experience in Java")
    (duration,) = doc.spans["experience"]
    assert duration._.link["skills"] == ["java"]


def test_an_earlier_clause_is_not_what_a_nested_duration_measures(nlp: Language) -> None:
    (bullet,) = record(nlp, "- 5+ years of Java, with at least 2 years leading teams.\n")["bullets"]
    assert [d["skills"] for d in bullet["experience"]] == [["java"], []]


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


def test_a_degree_still_being_studied_for_is_no_minimum_degree(nlp: Language) -> None:
    text = (
        "Minimum qualifications:\n- Currently pursuing a Bachelor's or Master's degree in "
        "Computer Science.\n- Must return to a PhD program after the internship.\n"
    )
    summary = record(nlp, text)["summary"]
    assert summary["min_degree"] is None
    assert summary["degree_levels"] == ["bachelor", "master", "doctorate"]
    text += "- Or a Bachelor's degree in Statistics.\n"
    assert record(nlp, text)["summary"]["min_degree"] == "bachelor"


def test_strongest_requirement_wins(nlp: Language) -> None:
    text = "Responsibilities:\n- Write Python services.\n\nRequirements:\n- Python experience."
    (python,) = record(nlp, text)["summary"]["skills"]
    assert python["requirement"] == "basic"


def test_entities_outside_bullets_are_reported_at_posting_level(nlp: Language) -> None:
    result = record(nlp, "## Python Developer\n- Build APIs.")
    assert [s["id"] for s in result["entities"]["skills"]] == ["python"]
    assert result["entities"]["skills"][0]["requirement"] is None


CLAUSE_LEVELS = [
    # (bullet under "Requirements:", entity text, level it should carry)
    ("Bachelor's degree required; MBA preferred.", "Bachelor's degree", "basic"),
    ("Bachelor's degree required; MBA preferred.", "MBA", "preferred"),
    ("OSHA 10 required, OSHA 30 preferred.", "OSHA 10", "basic"),
    ("OSHA 10 required, OSHA 30 preferred.", "OSHA 30", "preferred"),
    ("3+ years of B2B sales experience, ideally selling SaaS.", "3+ years", "basic"),
    ("3+ years of B2B sales experience, ideally selling SaaS.", "SaaS", "preferred"),
    # what a forward cue follows is the section's, whatever the cue did to the bullet's label
    ("Experience with AWS or GCP, ideally Kubernetes.", "AWS", "basic"),
    ("Experience with AWS or GCP, ideally Kubernetes.", "Kubernetes", "preferred"),
    # a cue in parentheses after an entity is that entity's alone
    ("3+ years of Python development with Kubernetes (a plus).", "Python", "basic"),
    ("3+ years of Python development with Kubernetes (a plus).", "Kubernetes", "preferred"),
    ("Minimum of 2 years of ICU experience preferred.", "Minimum of 2 years", "preferred"),
    # a cue inside parentheses is the parenthesis's own; the rest takes the section's level
    ("Strong SQL skills (Snowflake preferred).", "SQL", "basic"),
    ("Strong SQL skills (Snowflake preferred).", "Snowflake", "preferred"),
    ("Bachelor's degree (Master's preferred).", "Bachelor's degree", "basic"),
    ("Cloud platforms (AWS, GCP; Azure is a plus).", "AWS", "basic"),
    ("Cloud platforms (AWS, GCP; Azure is a plus).", "Azure", "preferred"),
    # a list of skills is one clause: the cue at its end covers every item
    ("Experience with Python, Java, or Go preferred.", "Python", "preferred"),
    ("Experience with Python, Java, or Go preferred.", "Go", "preferred"),
    # negated requirement words state a preference
    ("An ISTQB certificate would be nice but isn't necessary.", "ISTQB", "preferred"),
    # "preferred" and "required" before their noun are adjectives, not levels
    ("Experience with SAP as our preferred ERP system.", "SAP", None),
    ("Knowledge of required OSHA documentation.", "OSHA", None),
]


@pytest.mark.parametrize(("bullet", "entity", "level"), CLAUSE_LEVELS)
def test_a_clause_states_its_own_level(
    nlp: Language, bullet: str, entity: str, level: str | None
) -> None:
    (item,) = record(nlp, f"Requirements:\n- {bullet}\n")["bullets"]
    found = {e["text"]: e["requirement"] for key in ENTITY_KEYS for e in item[key]}
    assert entity in found, found
    assert found[entity] == (level or item["label"])


def test_clause_levels_never_touch_duties(nlp: Language) -> None:
    text = "Responsibilities:\n- Maintain Python services; Go is a plus.\n"
    (item,) = record(nlp, text)["bullets"]
    assert item["label"] == "duty"
    assert {s["requirement"] for s in item["skills"]} == {"duty"}


def clause_levels() -> ClauseLevels:
    rules: dict = {}
    for row in read_jsonl(RULES_PATH):
        rules.update(row)
    return ClauseLevels(rules)


def offsets(text: str, *entities: str) -> list[tuple[int, int]]:
    return [(text.index(e), text.index(e) + len(e)) for e in entities]


def test_a_cue_covers_its_own_side_of_the_clause() -> None:
    levels = clause_levels()
    text = "Bachelor's degree in Statistics preferred and at least 5 years of experience."
    found = offsets(text, "Bachelor's degree", "at least 5 years")
    assert levels.levels(text, found, []) == ["preferred", None]
    text = "Must have Python and SQL."  # a leading cue covers what follows it
    assert levels.levels(text, offsets(text, "Python", "SQL"), []) == ["basic", "basic"]
    text = "Experience with SAP as our preferred ERP system."  # an adjective, not a level
    assert levels.levels(text, offsets(text, "SAP"), []) == [None]


def test_a_cue_does_not_reach_across_a_run_on_paragraph() -> None:
    text = "Python " + "and many other things we do every day " * 5 + "with Docker, a plus"
    found = offsets(text, "Python", "Docker")
    assert clause_levels().levels(text, found, []) == [None, "preferred"]


def test_a_cue_in_parentheses_leaves_the_rest_to_the_section() -> None:
    text = "3+ years of Python with Kubernetes (a plus)."
    found = offsets(text, "3+ years", "Python", "Kubernetes")
    levels = clause_levels()
    assert levels.levels(text, found, found[1:]) == [None, None, "preferred"]
    want = ["basic", "basic", "preferred"]
    assert levels.levels(text, found, found[1:], section="basic") == want
    text = "SQL; Python preferred; Go (a plus)."  # a clause cue too: the section is not read
    found = offsets(text, "SQL", "Python", "Go")
    assert levels.levels(text, found, [], section="basic") == [None, "preferred", "preferred"]


def test_a_preferred_section_keeps_its_level_beside_a_cue_in_parentheses(nlp: Language) -> None:
    text = "Nice to have:\n- Experience with Terraform and Kubernetes (a plus).\n"
    (item,) = record(nlp, text)["bullets"]
    assert item["label"] == "preferred"
    assert {s["requirement"] for s in item["skills"]} == {"preferred"}


def test_summary_years_come_from_requirements_only(nlp: Language) -> None:
    text = (
        "Nice to have\n- 3+ years of Python experience\n\n"
        "What you will do\n- Build on our team's 1 year of experience with the new platform.\n"
    )
    # no basic duration: the preferred one's minimum, not the duty's
    assert record(nlp, text)["summary"]["min_years"] == 3.0


def test_durations_without_a_number_give_no_years(nlp: Language) -> None:
    text = (
        "Requirements\n- Several years of Python experience.\n\nNice to have\n- 3+ years of Go.\n"
    )
    result = record(nlp, text)
    vague = result["bullets"][0]["experience"][0]
    assert (vague["min_years"], vague["max_years"], vague["skills"]) == (None, None, ["python"])
    by_id = {s["id"]: s for s in result["summary"]["skills"]}
    assert by_id["python"]["min_years"] is None and by_id["go"]["min_years"] == 3.0
    # the basic duration names no number; the preferred one does not stand in for it
    assert result["summary"]["min_years"] is None


def test_summary_has_no_years_when_no_requirement_states_them(nlp: Language) -> None:
    text = "What you will do\n- Mentor analysts with 2 years of experience as they grow.\n"
    result = record(nlp, text)
    (item,) = result["bullets"]
    assert item["label"] == "duty" and item["experience"][0]["min_years"] == 2.0
    assert result["summary"]["min_years"] is None


def test_a_phrase_run_on_into_the_rest_of_the_text_stops_after_its_reach(nlp: Language) -> None:
    text = (
        "- 3+ years of experience in SQL working closely with our product and design teams to"
        " build great things for customers across many markets and regions where you will"
        " also use Python\n"
    )
    (bullet,) = record(nlp, text)["bullets"]
    (duration,) = bullet["experience"]
    assert duration["skills"] == ["sql"]
    assert len(duration["applies_to"].split()) == 25
