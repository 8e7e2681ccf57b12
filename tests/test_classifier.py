"""The trained bullet classifier: labels, probabilities, explanations and safe loading."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import srsly
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from spacy.language import Language

import jobreq
from jobreq.bullet_features import PostingBullets
from jobreq.bullet_model import BulletModel
from jobreq.components.classifier import MODEL_FILE
from jobreq.engine.local import extract
from jobreq.io import Posting
from jobreq.markup import is_list_item


def bullets(nlp: Language, text: str) -> list[dict]:
    (record,) = extract(nlp, [Posting("t", text, "-", 1)])
    return record["bullets"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("- Design, build and operate the services that move money.", "duty"),
        ("- 5+ years of experience with Java or Go.", "basic"),
        ("- Experience with Kafka is a plus.", "preferred"),
        ("- Medical, dental and vision insurance from day one.", "other"),
    ],
)
def test_labels_without_headings(nlp: Language, text: str, label: str) -> None:
    assert bullets(nlp, text)[0]["label"] == label


def test_heading_is_evidence_not_a_rule(nlp: Language) -> None:
    found = bullets(
        nlp, "Requirements:\n- 3+ years of Python.\n- Experience with Terraform is a plus."
    )
    assert [b["label"] for b in found] == ["basic", "preferred"]


# Items that state their own level, as US postings and job-board blocks write them: the
# level word decides, whatever the heading above says ("Minimum" is an amount, not a level).
OWN_LEVELS = [
    ("Requirements:", "Minimum of 2 years of ICU experience preferred", "preferred"),
    ("Requirements:", "2 years of ICU experience preferred", "preferred"),
    ("Requirements:", "Minimum of 3 years of experience required", "basic"),
    ("Experience:", "Customer service: 1 year (Preferred)", "preferred"),
    ("Experience:", "Cash handling: 2 years (Required)", "basic"),
    ("Education:", "High school or equivalent (Preferred)", "preferred"),
    ("Requirements:", "Advantage: Experience in AWS and Docker", "preferred"),
    ("Requirements:", "Plus: experience with Kubernetes", "preferred"),
]


@pytest.mark.parametrize(("heading", "item", "label"), OWN_LEVELS)
def test_an_item_states_its_own_level(nlp: Language, heading: str, item: str, label: str) -> None:
    assert bullets(nlp, f"{heading}\n- {item}\n")[0]["label"] == label


def test_scores_and_explanations(nlp: Language) -> None:
    (bullet,) = bullets(nlp, "Nice to have:\n- Experience with Kubernetes.")
    assert set(bullet["scores"]) == {"duty", "basic", "preferred", "other"}
    assert sum(bullet["scores"].values()) == pytest.approx(1.0, abs=1e-3)
    assert bullet["score"] == max(bullet["scores"].values())
    assert bullet["scores"][bullet["label"]] == bullet["score"]
    assert 1 <= len(bullet["explain"]) <= 5
    assert all(isinstance(name, str) and weight > 0 for name, weight in bullet["explain"])


def saved_model() -> dict:
    return srsly.read_msgpack(jobreq.model_path() / "jobreq_bullet_classifier" / MODEL_FILE)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda m: m.update(format="sklearn.pickle"), "not a jobreq.bullet_model.v1 model"),
        (lambda m: m.update(extra=1), "its fields are"),
        (lambda m: m.update(coef=m["coef"].astype(object).tolist()), "'coef' is a list"),
        (
            lambda m: m.update(cue_keys=m["cue_keys"].astype(np.float64)),
            "'cue_keys' is a 1-d float64",
        ),
        (lambda m: m.update(coef=m["coef"][:, 1:]), "'coef' has shape"),
        (lambda m: m["params"].update(solver="lbfgs"), "its params are"),
        (lambda m: m.update(word_names=[1, 2]), "'word_names' holds values other than strings"),
    ],
)
def test_loading_refuses_anything_but_the_saved_arrays(
    tmp_path: Path, change: Callable[[dict], None], reason: str
) -> None:
    model = saved_model()
    change(model)
    path = tmp_path / MODEL_FILE
    srsly.write_msgpack(path, model)
    with pytest.raises(ValueError, match=f"refusing to load .*{reason}"):
        BulletModel.load(path)


def test_loading_refuses_a_file_that_is_not_msgpack(tmp_path: Path) -> None:
    path = tmp_path / MODEL_FILE
    path.write_bytes(b"\x80\x04\x95 a pickle")
    with pytest.raises(ValueError, match="refusing to load"):
        BulletModel.load(path)


def test_saved_model_loads_to_the_same_predictions(nlp: Language, tmp_path: Path) -> None:
    model = nlp.get_pipe("jobreq_bullet_classifier").models["context"]
    model.dump(tmp_path / MODEL_FILE)
    again = BulletModel.load(tmp_path / MODEL_FILE)
    assert (tmp_path / MODEL_FILE).read_bytes() == (
        jobreq.model_path() / "jobreq_bullet_classifier" / MODEL_FILE
    ).read_bytes()
    doc = nlp("Requirements:\n- 5+ years of SQL.\n- Experience with dbt is a plus.")
    item = PostingBullets.of(doc, [(s.start, s.end) for s in doc.spans["bullets"]], False)
    features = nlp.get_pipe("jobreq_bullet_classifier").featurize([item])
    assert np.array_equal(model.predict_proba(features)[1], again.predict_proba(features)[1])


def test_scikit_learn_minor_version_mismatch_warns(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(jobreq.model_path(), model)
    cfg_path = model / "jobreq_bullet_classifier" / "cfg.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["sklearn_version"] = "0.1.0"
    cfg_path.write_text(json.dumps(cfg))
    with pytest.warns(UserWarning, match="trained with scikit-learn 0.1.0"):
        jobreq.load(model)


POSTINGS = [
    "Requirements:\n- 5+ years of SQL.\n- Experience with dbt is a plus.",
    "What you'll do\n* Own the billing service.\n* Mentor two engineers.\n\nBenefits\n* Dental",
    "- Medical, dental and vision insurance from day one.",
    "About us: we build payroll software.\nYou will design APIs. A degree is required.",
]


def test_labels_do_not_depend_on_the_batch(nlp: Language) -> None:
    """Features are computed a batch at a time; each posting's result must not see the others."""
    postings = [Posting(str(i), text, "-", 1) for i, text in enumerate(POSTINGS)]
    alone = [record for p in postings for record in extract(nlp, [p])]
    assert alone == list(extract(nlp, postings, batch_size=3))
    labels = {bullet["label"] for record in alone for bullet in record["bullets"]}
    assert labels == {"duty", "basic", "preferred", "other"}


def test_cue_phrases_count_only_inside_their_bullet(nlp: Language) -> None:
    classifier = nlp.get_pipe("jobreq_bullet_classifier")
    doc = nlp.make_doc("Python is a plus. Rust is required.")
    flags = classifier.featurizer.cues.flags(doc, np.array([0, 5]), np.array([5, 9]))
    names = classifier.featurizer.cues.names
    assert [names[i] for i in np.flatnonzero(flags[0])] == ["cue=preferred"]
    assert [names[i] for i in np.flatnonzero(flags[1])] == ["cue=required"]


def cues_of(nlp: Language, text: str) -> list[str]:
    """The cue features the classifier's cue matcher flags for `text` as one bullet."""
    cues = nlp.get_pipe("jobreq_bullet_classifier").featurizer.cues
    doc = nlp.make_doc(text)
    flags = cues.flags(doc, np.array([0]), np.array([len(doc)]))
    return [cues.names[i] for i in np.flatnonzero(flags[0])]


@pytest.mark.parametrize(
    "negated", ["not required", "not mandatory", "isn't necessary", "not a prerequisite"]
)
def test_a_negated_requirement_is_a_preferred_cue_only(nlp: Language, negated: str) -> None:
    """The longest cue wins: "not required" is not also the `required` cue "required"."""
    assert cues_of(nlp, f"Python is {negated}.") == ["cue=preferred"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("You will be part of a team of eight engineers.", "cue=offer"),
        ("You will receive a laptop on your first day.", "cue=offer"),
        ("You will design the data platform.", "cue=you_will"),
    ],
)
def test_you_will_is_a_duty_cue_only_before_a_task(nlp: Language, text: str, cue: str) -> None:
    """The longest cue wins: "you will be part of" is the `offer` cue, not also `you_will`."""
    assert cues_of(nlp, text) == [cue]


def test_first_word_is_lemmatised_without_a_lemmatizer(nlp: Language) -> None:
    assert "lemmatizer" not in nlp.pipe_names
    classifier = nlp.get_pipe("jobreq_bullet_classifier")
    doc = nlp("Responsibilities:\n- Manages the month-end close.")
    item = PostingBullets.of(doc, [(s.start, s.end) for s in doc.spans["bullets"]], False)
    features = classifier.featurize([item], with_names=True)
    names = {features.names[key] for key in features.keys["cue"].tolist()}
    assert {"first=manage", "first_is_3rd_person", "section=duty"} <= names


@pytest.mark.parametrize(
    ("bullet", "word_classes"),
    [
        ("Oversee the night shift.", {"first_pos=verb"}),  # the word itself
        ("Manages the month-end close.", {"first_pos=verb"}),  # from its lemma, "manage"
        ("Unflappable under pressure.", {"first_pos=adj"}),
        ("Fluency in Spanish.", {"first_pos=noun"}),
        ("Zorblax certification.", {"first_pos=unknown", "first_pos=unknown|competence"}),
        # the head of the leading noun phrase, before "for", is a competence noun
        (
            "Program management experience for clinical trials.",
            {"first_pos=noun+verb", "first_pos=noun+verb|competence"},
        ),
        ("Program the PLCs for line 3 from experience.", {"first_pos=noun+verb"}),
        ("Patient Experience", {"first_pos=adj+noun"}),  # a capitalised head is a name
        # a word WordNet lacks that opens a tagged skill; dictionary words keep their classes
        ("Kubernetes", {"first_pos=skill"}),
        ("Salesforce administration.", {"first_pos=skill"}),
        ("Forklift certification.", {"first_pos=noun", "first_pos=noun|competence"}),
    ],
)
def test_first_word_carries_its_parts_of_speech(
    nlp: Language, bullet: str, word_classes: set[str]
) -> None:
    """WordNet's parts of speech of the first word, so that words the corpus never showed
    still tell a task from a trait or a qualification, also crossed with the head of the
    leading noun phrase when it names a competence ("Design systems expertise.")."""
    classifier = nlp.get_pipe("jobreq_bullet_classifier")
    doc = nlp("- " + bullet)
    item = PostingBullets.of(doc, [(s.start, s.end) for s in doc.spans["bullets"]], True)
    features = classifier.featurize([item], with_names=True)
    names = {features.names[key] for key in features.keys["cue"].tolist()}
    assert {name for name in names if name.startswith("first_pos=")} == word_classes


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("Skills:\n- Python", 10, True),
        ("Skills:\n  1. Python", 13, True),
        ("<ul><li>Python</li></ul>", 8, True),
        ("Skills:\nPython", 8, False),
        ("Skills: Python", 8, False),
    ],
)
def test_list_items_are_told_from_plain_lines(text: str, start: int, expected: bool) -> None:
    assert is_list_item(text, start) is expected


def cue_features(nlp: Language, text: str) -> list[tuple[str, str]]:
    """(bullet text, cue feature name) of every cue feature of `text`'s bullets in context."""
    classifier = nlp.get_pipe("jobreq_bullet_classifier")
    doc = nlp(text)
    spans = doc.spans["bullets"]
    item = PostingBullets.of(doc, [(s.start, s.end) for s in spans], False)
    features = classifier.featurize([item], with_names=True)
    rows, keys = features.rows["cue"].tolist(), features.keys["cue"].tolist()
    return [(spans[row].text, features.names[key]) for row, key in zip(rows, keys, strict=True)]


def test_a_plain_line_after_list_items_is_marked(nlp: Language) -> None:
    """Closing lines ("Interested? Apply today.") follow a requirements list as plain lines,
    with no heading of their own; the feature marks every plain line after a list item of
    the same section, and a new section starts afresh."""
    text = (
        "Overview\nWe build maps.\n- Remote.\nRequirements:\nYou have:\n- Python.\n- SQL.\n"
        "Interested? Apply today.\n\nBenefits\nGood pay."
    )
    marked = {bullet for bullet, name in cue_features(nlp, text) if name == "after_list_items"}
    assert marked == {"Interested?", "Apply today."}


def test_position_is_read_within_the_section_type(nlp: Language) -> None:
    """A bullet's place in the posting is crossed with its section's type: a benefits list
    in the middle of a posting is still benefits."""
    lines = ["Data Analyst", "Acme", "We build maps.", "You will report weekly.", "SQL is needed."]
    unheaded = "\n".join(lines)
    headed = "Data Analyst\nAbout us\n" + "\n".join(lines[1:]) + "\nBenefits:\n- Good pay."
    positions = [name for _, name in cue_features(nlp, unheaded) if name.startswith("position=")]
    assert positions == [f"position={k}|none" for k in range(5)]
    positioned = {b: n for b, n in cue_features(nlp, headed) if n.startswith("position=")}
    assert positioned["Data Analyst"] == "position=0|none"
    assert positioned["Good pay."] == "position=4|other"


def test_a_list_opening_an_unheaded_posting_has_a_place_of_its_own(nlp: Language) -> None:
    """With no heading, the opening fifth of a posting is its title and blurb, written as
    plain lines; a list item there is content, so it does not share their place."""
    items = "\n".join(f"- Task {k}." for k in range(8))
    text = f"Data Analyst\nWe build maps.\n{items}\nWe pay well."
    positioned = {b: n for b, n in cue_features(nlp, text) if n.startswith("position=")}
    assert positioned["Data Analyst"] == "position=0|none"
    assert positioned["Task 0."] == "position=0|none|list"
    assert positioned["Task 1."] == "position=1|none"
    assert positioned["We pay well."] == "position=4|none"


REQUIREMENT = {"basic", "preferred"}  # the level of a lone bullet is its list's


@pytest.mark.parametrize(
    ("bullet", "labels"),
    [
        ("Program management experience.", REQUIREMENT),
        ("Design systems expertise.", REQUIREMENT),
        ("Kubernetes expertise.", REQUIREMENT),
        ("Program the PLCs on line 3 and design the HMI screens.", {"duty"}),
    ],
)
def test_a_noun_phrase_naming_a_competence_is_a_requirement(
    nlp: Language, bullet: str, labels: set[str]
) -> None:
    """Classified alone, a terse qualification led by a word that is also a verb (or by a
    name the corpus never showed) is a requirement, while the verb still opens a duty."""
    assert bullets(nlp, f"- {bullet}")[0]["label"] in labels


def test_explanations_weigh_the_label_against_the_runner_up() -> None:
    clf = LogisticRegression()
    clf.classes_ = np.array(["basic", "duty", "preferred"])
    clf.coef_ = np.array([[2.0, 1.0, 0.0], [1.5, -1.0, 0.0], [0.0, 0.0, 1.0]])
    clf.intercept_ = np.zeros(3)
    names = {"word_names": np.array(["w:x", "w:y"]), "cue_names": np.array(["cue=z"])}
    model = BulletModel({**names, "clf": clf})
    x = csr_matrix(np.array([[1.0, 1.0, 1.0]]))
    # label basic, runner-up duty: x gains 2.0 - 1.5, y 1.0 - (-1.0), z nothing
    assert model.explain(x, np.array([0]), np.array([1]), top=5) == [[["w:y", 2.0], ["w:x", 0.5]]]
