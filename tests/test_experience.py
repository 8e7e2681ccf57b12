"""Durations of experience: what counts, and the years parsed from it."""

from __future__ import annotations

import pytest
from spacy.language import Language


def durations(nlp: Language, text: str) -> list[tuple[str, float | None, float | None]]:
    doc = nlp(text)
    return [
        (s.text, s._.years["min_years"], s._.years["max_years"]) for s in doc.spans["experience"]
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 years of experience in sales.", ("3 years", 3.0, None)),
        ("3+ years of Python.", ("3+ years", 3.0, None)),
        ("3 + yrs of SQL.", ("3 + yrs", 3.0, None)),
        ("At least 6 years of experience.", ("At least 6 years", 6.0, None)),
        ("A minimum of 5 years in retail.", ("A minimum of 5 years", 5.0, None)),
        ("5 or more years of leadership.", ("5 or more years", 5.0, None)),
        ("3-5 years of nursing.", ("3-5 years", 3.0, 5.0)),
        ("3-5+ years of nursing.", ("3-5+ years", 3.0, None)),  # open above, like "5+"
        ("5 years plus of Python.", ("5 years plus", 5.0, None)),
        ("3 to 5 years of teaching.", ("3 to 5 years", 3.0, 5.0)),
        ("Three to five years of experience.", ("Three to five years", 3.0, 5.0)),
        # a range whose ends have their own units
        ("6 months to 1 year of retail experience.", ("6 months to 1 year", 0.5, 1.0)),
        ("Six months - two years of experience.", ("Six months - two years", 0.5, 2.0)),
        ("Between 2 and 4 years in a warehouse.", ("Between 2 and 4 years", 2.0, 4.0)),
        ("Up to 2 years of experience.", ("Up to 2 years", 0.0, 2.0)),
        ("Less than 12 months of experience.", ("Less than 12 months", 0.0, 1.0)),
        ("Fewer than two (2) years in retail.", ("Fewer than two (2) years", 0.0, 2.0)),
        ("No less than 3 years of experience.", ("No less than 3 years", 3.0, None)),
        ("Not less than 2 years of experience.", ("Not less than 2 years", 2.0, None)),
        # upper bounds: "no more than", "at most", "under"
        ("No more than 2 years of experience.", ("No more than 2 years", 0.0, 2.0)),
        ("At most 3 years of experience.", ("At most 3 years", 0.0, 3.0)),
        ("Under 2 years of experience.", ("Under 2 years", 0.0, 2.0)),
        # a field's value: the number after the label's colon, unit or not
        ("Years of experience: 5+", ("5+", 5.0, None)),
        ("Years of Experience: 3-5 years", ("3-5 years", 3.0, 5.0)),
        ("Six years of experience.", ("Six years", 6.0, None)),
        ("Two-plus years of support work.", ("Two-plus years", 2.0, None)),
        ("12 months of experience.", ("12 months", 1.0, None)),
        ("6 months of retail experience.", ("6 months", 0.5, None)),
        ("1.5 years of experience.", ("1.5 years", 1.5, None)),
        ("5 years' experience in audit.", ("5 years", 5.0, None)),
        ("(5) years of welding.", ("(5) years", 5.0, None)),
        ("Five (5) years of experience.", ("Five (5) years", 5.0, None)),
        # "8)" is one of spaCy's emoticons; the jobreq tokenizer leaves digit emoticons out
        ("Eight (8) years of engineering.", ("Eight (8) years", 8.0, None)),
        ("2\u20135 years of data science.", ("2\u20135 years", 2.0, 5.0)),  # en dash
        # the Windows-1252 bullet, left by text decoded with the wrong code page
        ("\x953+ years relevant work experience", ("3+ years", 3.0, None)),
        ("Six years or more of experience.", ("Six years or more", 6.0, None)),  # not months
        ("6 months or more in retail.", ("6 months or more", 0.5, None)),
        ("We're looking for 7+ years in data engineering.", ("7+ years", 7.0, None)),
        # no number: counted before an experience word, with no years
        ("Several years of finance experience.", ("Several years", None, None)),
        ("Many years of industry software engineering experience.", ("Many years", None, None)),
        ("A few years' experience in audit.", ("A few years", None, None)),
        ("A couple of years of work experience.", ("A couple of years", 2.0, None)),
        # the unit glued to its number, a plus after the unit
        ("5yrs experience in PHP.", ("5yrs", 5.0, None)),
        ("3-5years of experience.", ("3-5years", 3.0, 5.0)),
        ("3 years+ experience in Python.", ("3 years+", 3.0, None)),
        ("6 months+ of retail experience.", ("6 months+", 0.5, None)),
        ("2 year(s) of experience with Python.", ("2 year(s)", 2.0, None)),
        # one unit counted by its article, before an experience word; decades; halves
        ("At least a year of experience in Python.", ("At least a year", 1.0, None)),
        ("A year of retail experience.", ("A year", 1.0, None)),
        ("Less than a year of experience.", ("Less than a year", 0.0, 1.0)),
        ("Over a decade of experience in sales.", ("Over a decade", 10.0, None)),
        ("Two decades of marketing experience.", ("Two decades", 20.0, None)),
        ("Two and a half years of experience.", ("Two and a half years", 2.5, None)),
        ("A year and a half of experience with Java.", ("A year and a half", 1.5, None)),
    ],
)
def test_durations_and_years(nlp: Language, text: str, expected: tuple) -> None:
    assert durations(nlp, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "We were founded 10 years ago.",
        "Our crews draw on our 40 years of experience in offshore drilling.",
        "Halvard is a family company with more than 50 years of experience in labelling.",
        "We have many years of experience in hotel cleaning.",
        "Over the next few years we will open four new sites.",
        "We have worked with hospitals for many years.",
        "This is a 2-year contract.",
        "Applicants must be 18 years of age.",
        "Drivers must be at least 21 years old.",
        "All units carry a 5-year warranty.",
        "Requires years of experience in the field.",
        "Serving customers for over 30 years.",
        "Promotion within 2 years of hire.",
        "A 4-year degree in accounting.",
        "We have served families in Ohio for 10 years.",
        # terms of the post, not experience asked for
        "The position is full-time and limited to three years.",
        "The project includes a research stay of three to six months abroad.",
        "Employment type: full time with a trial period of 3 months.",
        "About 300 hours of teaching over the three years.",
        # how fast the company grew, not experience asked for
        "We have grown from 40 to 160 people in three years.",
        "In only 8 years on the market we have grown to 250 staff.",
        "A clean record with no preventable accidents in 5 years.",
        "Our history spans over 200 years and today we lead in banking.",
        "With a history of more than 50 years, we build boats.",
        # "a year" with no experience word after it
        "We meet twice a year in Lisbon.",
        "Two team weeks a year, somewhere nice.",
        "Own a cloud budget of roughly $30M a year.",
    ],
)
def test_not_durations_of_experience(nlp: Language, text: str) -> None:
    assert durations(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ability to commit to a minimum of 10 weeks and up to 6 months.",
        "Currently enrolled in a 4-year BA/BS program.",
        # the phrase the duration opens ends in a program or coursework
        "Currently enrolled in a two year full-time MBA program.",
        "Two years of college coursework.",
        "Rated the top electrician in Charlotte four years in a row.",
        "Rated a top workplace for employee experience three years running.",
        "Voted best employer for customer experience 3 years straight, and counting.",
        # the term of the job itself
        "The period of employment is 2 years (with the possibility of an extension).",
        "Fixed-term contract: 12 months, renewable.",
        "The PhD study is expected to take 3 years.",
        "The appointment duration is two years.",
        "An initial appointment of two years, renewable based on funding.",
        # pay, sales cycles, plans, tenure
        "A $500 retention bonus at six months.",
        "Run complex sales cycles of 6 to 12 months.",
        "Plan capacity for the coming 12 months.",
        "Graduates spend eight months each on three teams.",
        "Our team has an average tenure of more than four years.",
        "Our consultants stay with us for an average of nine years.",
        # a contract, grant, timeframe or the years before a date (found on SkillSpan)
        "This position is a maternity cover role on a 12 month FTC.",
        "Title: PhD stipend, Department of Proteomics. Tenure: Three years",
        "Expected to teach in Danish within a 3-5 year timeframe.",
        "The centre was founded in 2015 on a 6 year grant.",
        "Not resided in Denmark for more than 12 months in the last 3 years.",
        "Not worked in the country during the three years prior to the start date.",
        "Pay is spread over 12 months.",
    ],
)
def test_durations_of_something_else(nlp: Language, text: str) -> None:
    assert durations(nlp, text) == []


def test_program_inside_the_phrase_does_not_reject(nlp: Language) -> None:
    text = "At least 12 years of project or program management, 5 years running a plant."
    assert durations(nlp, text) == [("At least 12 years", 12.0, None), ("5 years", 5.0, None)]


def test_hyphenated_duration_of_experience_is_kept(nlp: Language) -> None:
    assert durations(nlp, "A 3-year experience in retail is required.") == [("3-year", 3.0, None)]
