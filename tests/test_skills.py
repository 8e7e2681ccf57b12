"""Skill tagging: canonical ids, case rules, and context rules for ambiguous names."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from jobreq.components.skill_alias_rules import AliasRules
from jobreq.taxonomy import Taxonomy


def skill_ids(nlp: Language, text: str) -> list[str]:
    doc = nlp(text)
    return [span.id_ for span in doc.spans["skills"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Experience with Spark, Apache Spark or PySpark.", ["apache-spark"] * 3),
        ("GCP, Google Cloud Platform or Google Cloud.", ["google-cloud-platform"] * 3),
        ("sklearn or scikit-learn.", ["scikit-learn", "scikit-learn"]),
        ("C++ (cpp is fine too) and Node.js or NodeJS.", ["cpp", "cpp", "nodejs", "nodejs"]),
        ("Strong PYTHON and sql skills.", ["python", "sql"]),
        (
            "Current BLS and ACLS certification.",
            ["basic-life-support", "advanced-cardiovascular-life-support"],
        ),
        ("Fluent in Spanish; Mandarin is a plus.", ["spanish", "mandarin-chinese"]),
        # a capital letter before a sentence's full stop is a token of its own ("R.")
        ("Models in Python or R.", ["python", "r"]),
        ("Product code in C++ and Go.", ["cpp", "go"]),
        # "MS" for "Microsoft"; a product line without its vendor
        (
            "MS Dynamics NAV or Dynamics 365.",
            ["microsoft-dynamics-365-business-central", "microsoft-dynamics-365"],
        ),
        # a slash after a name that ends in a symbol splits them, as after a letter
        (
            "C++/C# and C#/.NET, or Java/Kotlin.",
            ["cpp", "csharp", "csharp", "dotnet", "java", "kotlin"],
        ),
        ("Conversational Spanish.", ["spanish"]),
        ("Excellent English skills.", ["english"]),
        ("A strong communicator in English.", ["english"]),
    ],
)
def test_aliases_map_to_canonical_ids(nlp: Language, text: str, expected: list[str]) -> None:
    assert skill_ids(nlp, text) == expected


def test_span_carries_name_and_category(nlp: Language) -> None:
    doc = nlp("Experience with PySpark.")
    (span,) = doc.spans["skills"]
    assert span._.skill == {
        "id": "apache-spark",
        "name": "Apache Spark",
        "category": "framework_library",
    }


AMBIGUOUS = [
    ("go", "Write services in Go and Python.", "We go above and beyond for customers."),
    (
        "go",
        "Experience with Go (Golang) microservices.",
        "Ready to Go the extra mile? Go ahead and apply.",
    ),
    # listed beside a named skill, "Go" outweighs the word after it; "go" in lower case does not
    ("go", "Write tooling in Python or Go for the storage team.", "Bring Python or go for a walk."),
    ("apache-spark", "Process data with Spark and Kafka.", "Ideas that spark joy and curiosity."),
    ("r", "Statistical analysis in R or Python.", "Our R&D team is growing."),
    ("java", "Backend development in Java and Kotlin.", "Enjoy a cup of Java in our cafe."),
    # a rejecting phrase of several words: "cup of", not every "of" ("5 years of Java")
    ("java", "5 years of Java.", "Start the day with a hot cup of Java."),
    # "build" as a verb: what it builds is no build tooling
    (
        "build-automation",
        "Build automation expertise, with build systems such as Bazel.",
        "Take on real changes early, and build automation that removes repetitive work.",
    ),
    ("rust", "Knowledge of Rust.", "Check the hull for signs of rust."),
    (
        "microsoft-excel",
        "Proficiency in Excel, Word and PowerPoint.",
        "Excel at building client relationships.",
    ),
    (
        "microsoft-access",
        "Build reports in Microsoft Office, including Access and Excel.",
        "Access to free parking.",
    ),
    ("microsoft-word", "Comfortable with Word and Excel.", "Word of mouth referrals are welcome."),
    (
        "chef",
        "Configuration management with Chef, Puppet or Ansible.",
        "Executive Chef needed for our bistro.",
    ),
    (
        "puppet",
        "Automate servers with Puppet or Terraform.",
        "Run the puppet show at the children's library.",
    ),
    (
        "swift",
        "Build iOS apps in Swift and Objective-C.",
        "Swift action when a patient needs help.",
    ),
    (
        "rust",
        "Systems programming in Rust or C++.",
        "Remove rust from metal surfaces before painting.",
    ),
    ("ruby", "Scripting in Ruby and Python.", "Ask for Ruby at the front desk."),
    ("julia", "Numerical computing in Julia or Python.", "Please contact Julia in HR."),
    (
        "shell-scripting",
        "Automation with Shell and Python scripts on Linux.",
        "Drive the Shell station fuel truck.",
    ),
    ("scala", "Data pipelines in Scala and Java.", "Tickets to La Scala for the team."),
    ("c", "Embedded firmware in C and C++.", "Must hold a Class C licence."),
    (
        "kong",
        "API gateways such as Kong or Apigee.",
        "Join our Hong Kong office as a software developer.",
    ),
    # joined by "&" to a capitalised word that is no skill, a product's name is a business's
    (
        "saltstack",
        "Configuration management with Salt and Ansible.",
        "Sorrel & Salt is a 90-cover brasserie; our office runs on Microsoft 365.",
    ),
    (
        "spring-framework",
        "Backend services in Java and Spring.",
        "Java Developer Co-op, Spring 2027",
    ),
    ("nodejs", "APIs in Node and TypeScript.", "Distributed training on multi-node GPU clusters."),
]


# A product's name capitalised in prose is the product; opening a sentence or in a longer
# name it needs context.
PROSE_NAMES = [
    ("epic", "Chart outcomes in Epic before each shift ends.", "Epic journeys start here."),
    ("microsoft-excel", "Comfort with Excel for reporting.", "Excel at reporting."),
    ("canvas-lms", "Post course materials in Canvas.", "Visit the Canvas Gallery downtown."),
]
# Acronyms that are everyday words in lower case match only as written; products named by
# dictionary words need context in lower case.
EVERYDAY_WORDS = [
    ("human-resources", "Experience with HR and payroll.", "Pay: $46.50/hr plus $4/hr."),
    ("caseware-idea", "Audits with CaseWare IDEA or ACL.", "Bring a new idea every week."),
    ("federal-acquisition", "Knowledge of FAR and DFARS.", "We are far from done."),
    ("eab-navigate", "Advising notes in EAB Navigate.", "Navigate complex procurement."),
    ("float", "Plan the roadmap in Float and Jira.", "Float to med/surg when census rises."),
    # inner capitals set a name apart from the dictionary word it spells
    ("scaled-agile-framework", "PMP or SAFe certification.", "Build tooling for safe rollouts."),
    ("aim-facilities", "Close work orders in AiM.", "The aim of the program is growth."),
]
# A family's heading cue vouches for the bullets under it (job-board blocks, stack lists).
UNDER_HEADINGS = [
    ("spanish", "Language:\n- Spanish", "Cuisine:\n- Spanish"),
    ("go", "Our tech stack:\n- Go\n- Kafka", "Next steps:\n- Go\n- Apply"),
]
# A level word ("a plus", "an asset", "not required") or "knowledge of" vouches for a language.
LEVEL_WORDS = [
    ("spanish", "Spanish is a plus.", "Spanish tapas every Friday."),
    ("french", "French is an asset for our Quebec accounts.", "French doors open onto the patio."),
    ("german", "Knowledge of German is not required.", "A German shepherd greets visitors."),
    ("spanish", "Spanish is a strong plus.", "Spanish tapas are a strong draw."),
    ("spanish", "Spanish speakers are encouraged to apply.", "Spanish tapas every Friday."),
    ("german", "German at B2 level or above.", "German engineering at its best."),
    ("spanish", "Working Spanish would help.", "Working with Spanish suppliers."),
    ("german", "Basic German.", "Help our German customers."),
    ("english", "Business-level English.", "Our English office opens soon."),
    ("german", "German mother tongue.", "German engineering at its best."),
]
# A translation's direction ("from Spanish into English") names both languages.
TRANSLATION = [
    (
        "portuguese",
        "Translate site correspondence from Portuguese into English.",
        "Our Portuguese tarts sell out by noon.",
    ),
]
# A family's `accept_next` phrase right after a technology's name vouches for it.
NEXT_WORDS = [
    ("ruby", "Nice to have: Ruby experience.", "Ask for Ruby at the front desk."),
    ("java", "Java is a plus.", "A team trip to Java in May."),
    # a duration as its value: "Java: 5 years (Required)", as job boards list screeners
    ("java", "Experience:\n- Java: 5 years (Required)", "Java: 5 nights, all inclusive."),
    ("ruby", "Ruby (2 years) preferred.", "Ruby (2) joined the team."),
]
# Skills of a family whose rules say `"anchors": false` (soft skills, domains, methods) do
# not vouch for each other: a domain nearby does not make "initiative" a skill.
NO_ANCHOR = [
    (
        "initiative",
        "Strong communication and initiative.",
        "The clinic is an initiative of our public health department.",
    ),
]
# A word that rates a competence ("clear", "proven") is a cue for a soft skill.
QUALITY_WORDS = [
    (
        "communication",
        "Calm, clear communication under pressure.",
        "Internal communication goes out on Fridays.",
    ),
    ("leadership", "Proven leadership in a student group.", "The leadership team meets weekly."),
]
# A soft skill, domain or certification right before a team or role word names the team or
# the role, not a skill the job asks for; a plural object ("coaching managers") is not one.
UNITS = [
    ("sales", "Two years of sales experience.", "Experience working with the sales team."),
    ("human-resources", "3+ years of HR experience.", "HR Generalist - Oakmere Foods"),
    (
        "customer-service",
        "Strong customer service skills.",
        "Our customer service department of 22 sits together.",
    ),
    ("coaching", "Experience coaching managers.", "Experience working with the coaching director."),
]
BOTH_WAYS = (
    AMBIGUOUS
    + PROSE_NAMES
    + EVERYDAY_WORDS
    + UNDER_HEADINGS
    + LEVEL_WORDS
    + TRANSLATION
    + NEXT_WORDS
    + NO_ANCHOR
    + QUALITY_WORDS
    + UNITS
)


@pytest.mark.parametrize(
    ("skill_id", "positive", "negative"), BOTH_WAYS, ids=[a[0] + "-" + a[1][:12] for a in BOTH_WAYS]
)
def test_ambiguous_names_both_ways(
    nlp: Language, skill_id: str, positive: str, negative: str
) -> None:
    assert skill_id in skill_ids(nlp, positive)
    assert skill_id not in skill_ids(nlp, negative)


def test_case_sensitive_aliases_need_their_case(nlp: Language) -> None:
    assert "microsoft-excel" not in skill_ids(nlp, "We excel at spreadsheets and Python.")
    assert "go" not in skill_ids(nlp, "Python, Java, and go-to-market plans.")
    # product names that are everyday phrases in lower case
    assert "rest-assured" not in skill_ids(nlp, "You can rest assured that we reply.")
    assert "rest-assured" in skill_ids(nlp, "API tests in Rest Assured.")
    assert "core-data" not in skill_ids(nlp, "Build our core data platform.")
    assert "core-data" in skill_ids(nlp, "Offline storage with Core Data.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mysql java hibernate jenkins", ["mysql", "java", "hibernate", "jenkins"]),
        ("Tags: amazon-web-services, JAVA, python, kubernetes", None),
        ("Experience with Python, java and Kotlin.", ["python", "java", "kotlin"]),
        ("cloud java spring", ["cloud-computing", "java", "spring-framework"]),
        ("java java-ee jenkins", ["java", "jakarta-ee", "jenkins"]),
    ],
)
def test_other_case_variants_count_in_skill_lists(
    nlp: Language, text: str, expected: list[str] | None
) -> None:
    ids = skill_ids(nlp, text)
    assert "java" in ids
    if expected is not None:
        assert ids == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bears hibernate in winter; we use Python and Docker.",
        "Our team loves java and donuts, plus Python and Docker.",
        "Ready to go? Python, Docker and Kubernetes are our tools.",
        "grab a java in the spring",
        # prose mostly made of skill names is no tag list: "Solid" is not SOLID here
        "Solid knowledge of Oracle database and SQL queries.",
    ],
)
def test_other_case_variants_need_a_skill_list(nlp: Language, text: str) -> None:
    assert not {"hibernate", "java", "go", "solid-principles"} & set(skill_ids(nlp, text))


def test_tag_lists_spell_technologies_with_hyphens(nlp: Language) -> None:
    assert skill_ids(nlp, "java apache continuous-integration")[-1] == "ci-cd"
    # other hyphened names are modifiers in prose, not tags
    assert skill_ids(nlp, "Fernweh is a travel-planning app.") == []


@pytest.mark.parametrize(
    "text",
    [
        "She joined the Department of Chemistry and Biochemistry in 2019.",
        "The Center for Data Science collects and shares state data.",
        "Division of Cardiology",
    ],
)
def test_a_units_name_names_no_skill(nlp: Language, text: str) -> None:
    assert skill_ids(nlp, text) == []


def test_the_same_words_outside_a_units_name_are_skills(nlp: Language) -> None:
    ids = skill_ids(nlp, "Experience in biochemistry and Data Science for the Department.")
    assert ids == ["biochemistry", "data-science"]


# One name, two trades: a sensed alias takes the skill its posting's words point to, or
# none where they point to no skill or to nothing.
SENSES = [
    (
        "Recruiter\n- Full-cycle recruiting for our candidates: sourcing, screening, offers.",
        "sourcing",
        "candidate-sourcing",
    ),
    (
        "Buyer\n- Sourcing and purchasing of packaging; RFQs and supplier reviews.",
        "Sourcing",
        "strategic-sourcing",
    ),
    ("Automate content sourcing and delivery.", "sourcing", None),
    ("ASIC Engineer\n- Run lint and CDC checks on RTL.", "CDC", "clock-domain-crossing"),
    ("Data Engineer\n- Experience with CDC from Postgres to Kafka.", "CDC", "change-data-capture"),
    ("Dental Assistant\n- Follow OSHA and CDC infection control guidelines.", "CDC", None),
    ("NDT Technician\n- Perform UT and PT inspection of welds.", "PT", "liquid-penetrant-testing"),
    ("Physical Therapist\n- One year of PT experience with outpatient patients.", "PT", None),
    ("Paralegal\n- A paralegal certificate from an ABA-approved program.", "ABA", None),
    (
        "Behavior Technician\n- Experience with ABA or RBT for children with autism.",
        "ABA",
        "applied-behavior-analysis",
    ),
]


@pytest.mark.parametrize(("text", "alias", "expected"), SENSES, ids=[s[0][:20] for s in SENSES])
def test_a_sensed_alias_takes_its_postings_sense(
    nlp: Language, text: str, alias: str, expected: str | None
) -> None:
    doc = nlp(text)
    found = [span.id_ for span in doc.spans["skills"] if span.text == alias]
    assert found == ([expected] if expected else [])


def test_a_longer_name_is_read_before_a_sense(nlp: Language) -> None:
    """A product whose name holds a sensed word is its own entry ("Quartz Composer")."""
    ids = skill_ids(nlp, "Prototype in Sketch and Quartz Composer.")
    assert "quartz-composer" in ids
    assert "php-composer" not in ids


def test_a_sense_must_name_a_taxonomy_skill() -> None:
    rules = [
        {"alias": "CDC", "senses": [{"id": "no-such-skill", "cues": ["rtl"]}], "default": None}
    ]
    with pytest.raises(ValueError, match=r"'CDC'.*'no-such-skill'"):
        AliasRules(rules, Taxonomy.bundled(), spacy.blank("en").make_doc)


def test_an_aliass_rejecting_words_apply_to_every_match(nlp: Language) -> None:
    """A place code is no quality control, though "QC" needs no context."""
    assert "quality-control" in skill_ids(nlp, "Review daily QC data for the analyzers.")
    assert "quality-control" not in skill_ids(nlp, "Montreal, QC, Canada")


@pytest.mark.parametrize(
    "salary", ["The salary is CAD 112,000 to CAD 131,000.", "Pay: $98,000 - $124,000 CAD"]
)
def test_a_currency_code_beside_an_amount_is_no_skill(nlp: Language, salary: str) -> None:
    assert skill_ids(nlp, "Experience with CAD tools such as SolidWorks.") == [
        "computer-aided-design",
        "solidworks",
    ]
    assert "computer-aided-design" not in skill_ids(nlp, salary)


def test_a_run_of_technologies_with_nothing_between_them_is_a_tag_line(nlp: Language) -> None:
    # a job board's tag line run into the text around it; lower-case names count there
    text = "Company type: Private Technologies java spring spring-mvc Job description We build."
    assert skill_ids(nlp, text) == ["java", "spring-framework", "spring-mvc"]
    text = "Company size: 51-200 people Technologies python elasticsearch go django Job description"
    assert skill_ids(nlp, text) == ["python", "elasticsearch", "go", "django"]
    # two names side by side are no run: "solid" stays an adjective
    assert "solid-principles" not in skill_ids(nlp, "Solid PostgreSQL knowledge.")
    assert "solid-principles" not in skill_ids(
        nlp, "Strong Spark skills and solid software engineering habits."
    )


def test_the_heading_of_an_other_section_names_no_skill(nlp: Language) -> None:
    text = (
        "Requirements\n- 3+ years in HR, including compensation and benefits.\n\n"
        "Compensation and benefits\n- Salary: $50,000\n- Dental insurance\n"
    )
    doc = nlp(text)
    found = [(s.text, s.id_) for s in doc.spans["skills"] if s.id_ == "compensation-and-benefits"]
    assert found == [("compensation and benefits", "compensation-and-benefits")]
