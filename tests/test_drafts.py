"""`jobreq corpus add`: postings annotated as ordered substrings, added with offsets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.language import Language

from jobreq.taxonomy import Taxonomy
from jobreq.training.corpus import read_corpus, validate_corpus
from jobreq.training.drafts import (
    EXTRAS,
    DraftError,
    SkillResolver,
    add_drafts,
    from_draft,
    segmenter_differences,
    split_of,
)

ROOT = Path(__file__).resolve().parents[1]
TEXT = (
    "Data Engineer\n\nRequirements\n- 3+ years with PySpark and SQL.\n"
    "- Bachelor's degree in Statistics or equivalent experience.\n"
    "- Python is a plus.\n\nWe look forward to your application."
)


def draft(posting_id: str = "X-001", **changes: object) -> dict:
    return {
        "id": posting_id,
        "occupation": "data engineer",
        "seniority": "mid",
        "format": ["headed"],
        "text": TEXT,
        "bullets": [
            ["other", "Data Engineer"],
            ["basic", "3+ years with PySpark and SQL."],
            ["basic", "Bachelor's degree in Statistics or equivalent experience."],
            ["preferred", "Python is a plus."],
            ["other", "We look forward to your application."],
        ],
        "entities": [
            ["experience", "3+ years", 3, None],
            ["skill", "PySpark", "pyspark"],
            ["skill", "SQL", "sql"],
            ["degree", "Bachelor's degree", "bachelor", ["Statistics"], True],
            ["skill", "Python", "python"],
        ],
        **changes,
    }


@pytest.fixture(scope="module")
def resolve() -> SkillResolver:
    return SkillResolver(Taxonomy.bundled())


def test_draft_becomes_offsets_and_values(resolve: SkillResolver) -> None:
    posting, problems = from_draft(draft(), resolve)
    assert problems == []
    text = posting["text"]
    assert [(text[b["start"] : b["end"]], b["label"]) for b in posting["bullets"]] == [
        (exact, label) for label, exact in draft()["bullets"]
    ]
    skills = [(text[e["start"] : e["end"]], e["id"]) for e in posting["entities"] if "id" in e]
    # "pyspark" is not a taxonomy id; its surface is an alias of Apache Spark
    assert skills == [("PySpark", "apache-spark"), ("SQL", "sql"), ("Python", "python")]
    assert posting["entities"][0] == {
        "start": text.index("3+ years"),
        "end": text.index("3+ years") + 8,
        "type": "experience",
        "min_years": 3,
        "max_years": None,
    }
    assert posting["entities"][3]["fields"] == ["Statistics"]
    assert posting["entities"][3]["equivalent_experience"] is True


def test_writer_names_settle_an_ambiguous_surface() -> None:
    taxonomy = Taxonomy.bundled()
    listed = [{"id": "computer-aided-dispatch", "name": "Computer-aided dispatch"}]
    assert SkillResolver(taxonomy, listed)("computer-aided-dispatch", "CAD") == (
        "emergency-dispatch"
    )
    assert SkillResolver(taxonomy)("computer-aided-dispatch", "CAD") == "computer-aided-design"


def as_draft(posting: dict) -> dict:
    """A corpus posting written back in the draft format: its strings, not its offsets."""
    text = posting["text"]
    values = {
        "skill": ("id",),
        "experience": ("min_years", "max_years"),
        "degree": ("level", "fields", "equivalent_experience"),
    }
    return {
        **{k: v for k, v in posting.items() if k not in ("bullets", "entities")},
        "bullets": [[b["label"], text[b["start"] : b["end"]]] for b in posting["bullets"]],
        "entities": [
            [
                e["type"],
                text[e["start"] : e["end"]],
                *(e[k] for k in values[e["type"]]),
                *([extras] if (extras := {k: e[k] for k in EXTRAS if k in e}) else []),
            ]
            for e in posting["entities"]
        ],
    }


def test_every_corpus_posting_round_trips(resolve: SkillResolver) -> None:
    """The draft format can say everything the corpus says: each posting, written back as
    strings and added again, comes out equal (the search for each string in order finds the
    annotated occurrence)."""
    splits = ("train", "dev", "test")
    corpus = [p for s in splits for p in read_corpus(ROOT / "corpus" / f"{s}.jsonl")]
    assert len(corpus) > 1000
    for posting in corpus:
        assert from_draft(as_draft(posting), resolve) == (posting, [])


def test_split_rule() -> None:
    assert [split_of(i) for i in range(11)] == (
        ["test"] + ["train"] * 4 + ["dev"] + ["train"] * 4 + ["test"]
    )


def write_drafts(path: Path, drafts: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in drafts), encoding="utf-8")
    return path


def test_add_appends_by_split(tmp_path: Path, resolve: SkillResolver) -> None:
    (tmp_path / "train.jsonl").write_text(json.dumps({"id": "old", "text": "x"}) + "\n")
    source = write_drafts(tmp_path / "batch.jsonl", [draft(f"X-{i:03d}") for i in range(12, 0, -1)])
    added = add_drafts(source, tmp_path, resolve)
    assert {split: len(postings) for split, postings in added.items()} == {
        "train": 9,
        "dev": 1,
        "test": 2,
    }
    ids = {s: [p["id"] for p in read_corpus(tmp_path / f"{s}.jsonl")] for s in added}
    assert [p["id"] for p in added["test"]] == ids["test"]
    assert ids["test"] == ["X-001", "X-011"]  # in id order, whatever the file's order
    assert ids["dev"] == ["X-006"]
    assert ids["train"][0] == "old"
    new = [tmp_path / f"{s}.jsonl" for s in ("dev", "test")]
    assert validate_corpus(new, resolve.taxonomy) == []


def test_any_problem_stops_the_whole_file(tmp_path: Path, resolve: SkillResolver) -> None:
    broken = draft("X-002", bullets=[["basic", "Not in the text."], "no label"])
    unknown = draft("X-003", entities=[["skill", "Data", "zzz-not-a-skill"]])
    source = write_drafts(tmp_path / "batch.jsonl", [draft(), broken, unknown])
    with pytest.raises(DraftError) as error:
        add_drafts(source, tmp_path, resolve)
    assert len(error.value.problems) == 3
    assert "(X-002)" in error.value.problems[0] and "Not in the text." in str(error.value)
    assert "(X-002)" in error.value.problems[1] and "'no label' is not [label" in str(error.value)
    assert "(X-003)" in error.value.problems[2] and "zzz-not-a-skill" in str(error.value)
    assert not list(tmp_path.glob("*train*")) and not list(tmp_path.glob("*test*"))


def test_bullets_the_segmenter_cuts_otherwise_are_listed(
    nlp: Language, resolve: SkillResolver
) -> None:
    """A line the writer took for a heading, and two gold bullets where the segmenter cuts
    one list item, are reported by posting; a draft the segmenter agrees with is not."""
    text = TEXT.replace("We look forward", "Interested?\nWe look forward").replace(
        "- Python is a plus.", "- Python is a plus. Scala too."
    )
    bullets = [b for b in draft()["bullets"] if b[1] != "Python is a plus."]
    bullets[3:3] = [["preferred", "Python is a plus."], ["preferred", "Scala too."]]
    odd, _ = from_draft(draft("X-002", text=text, bullets=bullets, entities=[]), resolve)
    plain, _ = from_draft(draft(), resolve)
    assert segmenter_differences(nlp, [plain, odd]) == [
        ("X-002", "the segmenter does not cut 'Python is a plus.'"),
        ("X-002", "the segmenter does not cut 'Scala too.'"),
        ("X-002", "the segmenter cuts 'Python is a plus. Scala too.' (no gold)"),
        ("X-002", "the segmenter cuts 'Interested?' (no gold)"),
    ]


def test_command_refuses_ids_the_corpus_has(tmp_path: Path) -> None:
    source = write_drafts(tmp_path / "batch.jsonl", [draft()])

    def add() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "jobreq", "corpus", "add", str(source)]
        return subprocess.run(
            [*command, "--corpus", str(tmp_path)], capture_output=True, text=True, timeout=300
        )

    first = add()
    assert first.returncode == 0, first.stderr
    assert "added 1 postings (0 to train, 0 to dev, 1 to test); 0 bullets" in first.stderr
    before = (tmp_path / "test.jsonl").read_text()
    second = add()
    assert second.returncode == 2
    assert "(X-001): the corpus already has this id" in second.stdout
    assert "the corpus is unchanged" in second.stderr
    assert (tmp_path / "test.jsonl").read_text() == before
    source.write_text("{not json\n", encoding="utf-8")
    broken = add()
    assert broken.returncode == 2
    assert "batch.jsonl" in broken.stderr and "the corpus is unchanged" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_new_skills_from_the_writers_list(tmp_path: Path) -> None:
    """`new_skills`: a skill no taxonomy entry matches is added from the writer's list to
    the given taxonomy file, together with the postings, or not at all."""
    text = "Requirements\n- Zorblax certification."
    new = {
        "id": "X-009",
        "text": text,
        "bullets": [["basic", "Zorblax certification."]],
        "entities": [["skill", "Zorblax", "zorblax"]],
    }
    listed = [{"id": "zorblax", "name": "Zorblax", "category": "certification", "aliases": []}]
    taxonomy_file = tmp_path / "additions.jsonl"

    def attempt(drafts: list[dict], new_skills: Path | None) -> dict[str, int]:
        source = write_drafts(tmp_path / "batch.jsonl", drafts)
        resolve = SkillResolver(Taxonomy.bundled(), listed, learn_new=new_skills is not None)
        added = add_drafts(source, tmp_path, resolve, new_skills=new_skills)
        return {split: len(postings) for split, postings in added.items()}

    with pytest.raises(DraftError, match="zorblax"):
        attempt([new], None)
    with pytest.raises(DraftError, match="X-010"):  # another posting fails: nothing written
        attempt([new, draft("X-010", bullets=[["basic", "Not in the text."]])], taxonomy_file)
    assert not taxonomy_file.exists()
    assert attempt([new], taxonomy_file) == {"train": 0, "dev": 0, "test": 1}
    assert [json.loads(line) for line in taxonomy_file.read_text().splitlines()] == listed
    (posting,) = read_corpus(tmp_path / "test.jsonl")
    assert posting["entities"][0]["id"] == "zorblax"
    assert Taxonomy.from_paths([taxonomy_file])["zorblax"].aliases == ["Zorblax"]


def test_a_duration_names_the_skills_it_measures_by_draft_id(resolve: SkillResolver) -> None:
    linked = draft()
    linked["entities"][0] = ["experience", "3+ years", 3, None, {"skills": ["pyspark", "sql"]}]
    posting, problems = from_draft(linked, resolve)
    assert problems == []
    assert posting["entities"][0]["skills"] == ["apache-spark", "sql"]
    linked["entities"][0] = ["experience", "3+ years", 3, None, {"skills": ["scala"]}]
    _, problems = from_draft(linked, resolve)
    assert problems == [
        f"entity {TEXT.index('3+ years')}: links skill 'scala', which no skill of the posting has"
    ]


def test_an_entity_may_carry_its_own_requirement_level(resolve: SkillResolver) -> None:
    stated = draft()
    stated["entities"][1] = ["skill", "PySpark", "pyspark", {"requirement": "preferred"}]
    posting, problems = from_draft(stated, resolve)
    assert problems == []
    assert posting["entities"][1]["requirement"] == "preferred"
    stated["entities"][1] = ["skill", "PySpark", "pyspark", {"requirement": "optional"}]
    assert from_draft(stated, resolve)[1] == [
        f"entity {TEXT.index('PySpark')}: requirement 'optional' is not one of "
        "duty, basic, preferred, other"
    ]
    stated["entities"][1] = ["skill", "PySpark", "pyspark", {"skills": ["sql"]}]
    assert from_draft(stated, resolve)[1] == ["skill 'PySpark' cannot have 'skills'"]
