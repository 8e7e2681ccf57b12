"""Degrees: levels, fields of study and equivalent experience."""

from __future__ import annotations

import pytest
from spacy.language import Language


def degrees(nlp: Language, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(s.text, s._.degree["level"]) for s in doc.spans["degrees"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BA/BS degree required.", [("BA/BS", "bachelor")]),
        ("Bachelor's in Nursing.", [("Bachelor's", "bachelor")]),
        ("BSc in Physics.", [("BSc", "bachelor")]),
        ("B.S. in Biology.", [("B.S.", "bachelor")]),
        ("BSEE preferred.", [("BSEE", "bachelor")]),
        ("An undergraduate degree in economics.", [("undergraduate degree", "bachelor")]),
        ("Master's degree in Statistics.", [("Master's degree", "master")]),
        ("MS in Computer Science.", [("MS", "master")]),
        ("M.Sc. in Chemistry.", [("M.Sc.", "master")]),
        ("MBA preferred.", [("MBA", "master")]),
        ("MEng or equivalent.", [("MEng", "master")]),
        ("PhD in Machine Learning.", [("PhD", "doctorate")]),
        ("Ph.D. in Physics.", [("Ph.D.", "doctorate")]),
        ("A doctorate in Education.", [("doctorate", "doctorate")]),
        ("JD from an accredited law school.", [("JD", "doctorate")]),
        ("MD or DO with board certification.", [("MD", "doctorate")]),
        ("Associate degree in nursing.", [("Associate degree", "associate")]),
        ("AA degree or two years of college.", [("AA degree", "associate")]),
        (
            "High school diploma or GED.",
            [("High school diploma", "high_school"), ("GED", "high_school")],
        ),
        (
            "Master's or doctoral degree.",
            [("Master's", "master"), ("doctoral degree", "doctorate")],
        ),
        ("A technical degree is required.", [("technical degree", "unspecified")]),
        # HTML source: the apostrophe as an entity, which the tokenizer splits off
        ("<li>Bachelor&#39;s degree</li>", [("Bachelor&#39;s degree", "bachelor")]),
        ("Master&rsquo;s degree.", [("Master&rsquo;s degree", "master")]),
        ("DPT, MSPT or BSPT.", [("DPT", "doctorate"), ("MSPT", "master"), ("BSPT", "bachelor")]),
        ("Hardware Engineering Intern, BS/MS", [("BS", "bachelor"), ("MS", "master")]),
        ("Software Engineering Intern, BS, Summer 2026", [("BS", "bachelor")]),
        # a degree "level" is the degree held; "high school students" are not a degree
        ("Master's level clinician.", [("Master's", "master")]),
        ("High school education or GED.", [("High school", "high_school"), ("GED", "high_school")]),
        # the word alone, and European spellings
        ("Degree in Computer Science or a related field.", [("Degree", "unspecified")]),
        ("BA/BS or equivalent degree.", [("BA/BS", "bachelor"), ("degree", "unspecified")]),
        ("MS degree in Statistics.", [("MS", "master")]),
        ("B.S or M.S degree in Physics.", [("B.S", "bachelor"), ("M.S", "master")]),
        ("Master in Computer Science.", [("Master", "master")]),
        # an acute accent typed for the apostrophe; spaCy shows the repaired text
        ("A master\xb4s degree in biochemistry.", [("master's degree", "master")]),
        # "Associate" alone counts only before a bachelor's or a stated level
        (
            "Associate or bachelor's degree preferred.",
            [("Associate", "associate"), ("bachelor's degree", "bachelor")],
        ),
        ("Education:\n- Associate (Preferred)", [("Associate", "associate")]),
        # degrees named "<level> of <name>"
        (
            "Bachelor of Commerce or Bachelor of Laws.",
            [("Bachelor of Commerce", "bachelor"), ("Bachelor of Laws", "bachelor")],
        ),
        (
            "Master of Public Administration preferred.",
            [("Master of Public Administration", "master")],
        ),
        # Indian and British forms
        ("B.Tech or M.Tech in Computer Science.", [("B.Tech", "bachelor"), ("M.Tech", "master")]),
        ("A first-class honours degree.", [("honours degree", "bachelor")]),
        ("A 2:1 degree in Economics.", [("2:1 degree", "bachelor")]),
        ("HND or HNC in Mechanical Engineering.", [("HND", "associate"), ("HNC", "associate")]),
        ("PhD/DPhil in Statistics.", [("PhD", "doctorate"), ("DPhil", "doctorate")]),
        # an article's "A" is trimmed off a degree, the "A" of "A-levels" is not
        ("A-levels or equivalent.", [("A-levels", "high_school")]),
        ("A bachelor's degree.", [("bachelor's degree", "bachelor")]),
    ],
)
def test_degree_levels(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert degrees(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Proficiency in MS Office and MS Excel.",
        "Based in Boston, MA and Austin, TX.",
        "Kestrel AI Research, Boston, MA or Toronto, ON.",
        "Peptide mapping by LC-MS and GC-MS.",
        "Lead a shift of 35 to 50 associates in receiving and putaway.",
        "Master electrician license.",
        "Sales Associate or Cashier experience.",
        "Store Associate (Part-Time), weekends.",
        "Serve as Master of Ceremonies at the gala.",
        "Tutor high school students in algebra.",
        "Counsel students at the middle or high school level.",
        "No degree required.",
        "A high degree of ownership.",
        "Attach your CV and degree certificates.",
        "Experience as Scrum Master in a large team.",
    ],
)
def test_not_degrees(nlp: Language, text: str) -> None:
    assert degrees(nlp, text) == []


def test_fields_and_equivalent_experience(nlp: Language) -> None:
    doc = nlp(
        "BA/BS degree in Computer Science, Electrical Engineering, Mathematics or a related "
        "technical field, or equivalent practical experience."
    )
    (span,) = doc.spans["degrees"]
    assert span._.degree == {
        "level": "bachelor",
        "fields": ["Computer Science", "Electrical Engineering", "Mathematics"],
        "equivalent_experience": True,
        "in_progress": False,
    }


@pytest.mark.parametrize(
    ("text", "equivalent"),
    [
        ("BS degree or equivalent.", True),
        ("Bachelor's degree in Civil Engineering or equivalent field experience.", True),
        ("BS in CS or equivalent degree or equivalent practical experience.", True),
        # an equivalent field, degree or subject is no experience in lieu of the degree
        ("Master's degree in Physics or equivalent field.", False),
        ("JD or equivalent degree.", False),
        ("PhD in Biology or equivalent subjects.", False),
        ("High School Diploma or equivalent certification.", False),
    ],
)
def test_equivalent_experience(nlp: Language, text: str, equivalent: bool) -> None:
    doc = nlp(text)
    assert doc.spans["degrees"][0]._.degree["equivalent_experience"] is equivalent


@pytest.mark.parametrize(
    ("text", "in_progress"),
    [
        ("Currently pursuing a Bachelor's, Master's or PhD degree in Physics.", [1, 1, 1]),
        ("Enrolled in a full-time BS or MS program.", [1, 1]),
        ("Must return to an MBA program after the internship.", [1]),
        ("A first year student in a Master of Business Administration (MBA) program.", [1, 1]),
        ("Graduating from a BA/BS degree in 2027.", [1]),
        ("A 3-year PhD scholarship is available.", [1]),
        ("You will teach in our MSc programme.", [1]),
        ("Bachelor's degree or currently pursuing one.", [0]),
        ("Must have a Bachelor's degree or be enrolled in a Master's program.", [0, 1]),
        ("Graduate of an accredited BSN program.", [0]),
        ("PhD in Chemistry, or expect to defend your PhD thesis this year.", [0, 1]),
        ("Master's degree in Finance preferred.", [0]),
        ("Current PhD student in Computer Science.", [1]),
        ("MS students are welcome to apply.", [1]),
        # the level an internship is for, set off in its title
        ("Research Scientist Intern, Speech and Audio (PhD)", [1]),
        ("Student Researcher, Computer Vision, PhD, 2026", [1]),
        ("PhD in Physics; internship experience is a plus.", [0]),
        ("Hardware Engineering Intern, MS, Summer 2026", [1]),
        ("This PhD project focuses on protein stability.", [1]),
        ("Currently enrolled in a full-time degree program.", [1]),
        # a graduation still to come
        (
            "Bachelor's degree in Finance, with a graduation date between Dec 2026 and May 2027.",
            [1],
        ),
        ("BS in Computer Science, completed between December 2026 and August 2027.", [1]),
    ],
)
def test_degrees_still_being_studied_for(nlp: Language, text: str, in_progress: list[int]) -> None:
    doc = nlp(text)
    assert [int(s._.degree["in_progress"]) for s in doc.spans["degrees"]] == in_progress


def test_listed_degrees_share_fields_and_implied_fields(nlp: Language) -> None:
    doc = nlp("Bachelor's or Master's degree in Finance. BSN from an accredited program.")
    assert [s._.degree["fields"] for s in doc.spans["degrees"]] == [
        ["Finance"],
        ["Finance"],
        ["Nursing"],
    ]
    assert not any(s._.degree["equivalent_experience"] for s in doc.spans["degrees"])


def test_degrees_joined_by_and_or_share_fields(nlp: Language) -> None:
    doc = nlp("Bachelor's and/or Master's in Computer Science or a similar field.")
    assert [s._.degree["fields"] for s in doc.spans["degrees"]] == [["Computer Science"]] * 2


def test_a_field_only_a_name_implies_is_not_shared_along_a_list(nlp: Language) -> None:
    doc = nlp("Master's degree or MBA. MS, MBA or JD. BS, MS or PhD in Physics.")
    assert [s._.degree["fields"] for s in doc.spans["degrees"]] == [
        [],
        ["Business Administration"],
        [],
        ["Business Administration"],
        ["Law"],
        ["Physics"],
        ["Physics"],
        ["Physics"],
    ]


def test_a_degrees_fields_end_where_the_next_degree_begins(nlp: Language) -> None:
    doc = nlp("Master's degree in Accounting or an MBA. MSN or Doctor of Nursing Practice.")
    assert [s._.degree["fields"] for s in doc.spans["degrees"]] == [
        ["Accounting"],
        ["Business Administration"],
        ["Nursing"],
        ["Nursing Practice"],
    ]


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        # lower-case fields, as many postings write them
        ("Associate degree in nursing required.", ["nursing"]),
        ("Bachelor's degree in computer science or a related field.", ["computer science"]),
        (
            "Master's in accounting, finance or economics preferred.",
            ["accounting", "finance", "economics"],
        ),
        # "degree program in", and a list after "such as"
        ("Enrolled in a PhD program in statistics or economics.", ["statistics", "economics"]),
        ("PhD in a quantitative field such as Physics or Economics.", ["Physics", "Economics"]),
        # a lone modifier shares the next field's noun
        (
            "BS in Electrical or Computer Engineering.",
            ["Electrical Engineering", "Computer Engineering"],
        ),
        ("PhD in organic or medicinal chemistry.", ["organic chemistry", "medicinal chemistry"]),
        # ... and a chain of them, read from the last
        (
            "BS in Electrical, Mechanical or Computer Engineering.",
            ["Electrical Engineering", "Mechanical Engineering", "Computer Engineering"],
        ),
        (
            "Bachelor's degree in Mechanical/Industrial/Manufacturing Engineering.",
            ["Mechanical Engineering", "Industrial Engineering", "Manufacturing Engineering"],
        ),
        # trailing level words and phrases that are not fields
        ("Master's degree in Human Resources is a plus.", ["Human Resources"]),
        (
            "Bachelor's degree in accounting or finance by your start date.",
            ["accounting", "finance"],
        ),
        ("Master's in statistics or economics would be an advantage.", ["statistics", "economics"]),
        ("Master's in accounting, graduating between May and August 2026.", ["accounting"]),
        ("Ph.D. in Chemistry or Physics, conferred by the start date.", ["Chemistry", "Physics"]),
        # a degree's own name holds its field, unless the name is generic
        ("Master of Accountancy by the start date.", ["Accountancy"]),
        ("Doctor of Pharmacy degree required.", ["Pharmacy"]),
        ("Bachelor of Science in Nursing.", ["Nursing"]),
        # fields named after a degree outweigh the ones its name implies
        ("MBA in Finance preferred.", ["Finance"]),
        ("LLM in Technology Law or Commercial Law.", ["Technology Law", "Commercial Law"]),
        # a list item wrapped onto the next line: its break and indent read as one space
        ("- Bachelor's degree in Computer\n  Science or Physics.", ["Computer Science", "Physics"]),
        ("Bachelor's degree in progress.", []),
        ("Bachelor's degree in hand by the start date.", []),
        (
            "A degree in mechanical engineering either from a university.",
            ["mechanical engineering"],
        ),
        # fields named before "degree"; words that say what kind of degree are none
        ("A Computer Science degree or similar.", ["Computer Science"]),
        ("A law degree and admission to the bar.", ["law"]),
        ("A business or finance degree.", ["business", "finance"]),
        ("A CS degree.", ["CS"]),
        ("A technical degree.", []),
        ("A university degree in Economics.", ["Economics"]),
        # a bracketed aside between the degree and its fields
        ("Bachelor's degree (or higher) in Accounting.", ["Accounting"]),
        ("BEng (Hons) in Mechanical Engineering.", ["Mechanical Engineering"]),
        ("Bachelor's degree (in Computer Science or Physics).", ["Computer Science", "Physics"]),
        ("Degree(s) in Physics.", ["Physics"]),
        # an aside inside the list, when capitalised fields follow it; else it ends the list
        (
            "BA/BS degree in Design (e.g., interaction, graphic), HCI, CS or a related field.",
            ["Design", "HCI", "CS"],
        ),
        (
            "A BEng in Mechanical Engineering (2:1 or above), or due to graduate this summer.",
            ["Mechanical Engineering"],
        ),
    ],
)
def test_fields_of_study(nlp: Language, text: str, fields: list[str]) -> None:
    doc = nlp(text)
    (span,) = doc.spans["degrees"]
    assert span._.degree["fields"] == fields


def test_skills_that_name_a_field_of_study_are_reported_as_the_field(nlp: Language) -> None:
    text = (
        "BS in Electrical Engineering or Computer Science, and 3+ years of Python.\n"
        "Experience with electrical engineering tools such as AutoCAD."
    )
    with nlp.select_pipes(enable=["jobreq_segmenter", "jobreq_skills"]):
        before = nlp(text)
    tagged = [s.text for s in before.spans["skills"]]
    assert {"Electrical Engineering", "Python"} <= set(tagged)
    doc = nlp(text)
    (degree,) = doc.spans["degrees"]
    assert degree._.degree["fields"] == ["Electrical Engineering", "Computer Science"]
    skills = [s.text for s in doc.spans["skills"]]
    assert "Electrical Engineering" not in skills
    assert "Computer Science" not in skills
    # outside the degree's list of fields, skills stay
    assert "Python" in skills
    assert skills == [t for t in tagged if t not in degree._.degree["fields"]]
