"""The taxonomy format, the bundled taxonomy, and importing users' own taxonomies."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import spacy

from jobreq.taxonomy import CATEGORIES, Taxonomy, entry_problems, import_csv, slugify

FIXTURES = Path(__file__).parent / "fixtures" / "taxonomy"


def test_bundled_taxonomy_is_large_valid_and_covers_every_category() -> None:
    taxonomy = Taxonomy.bundled()
    assert len(taxonomy) >= 2500
    categories = Counter(skill.category for skill in taxonomy.skills.values())
    assert set(categories) == set(CATEGORIES)
    assert categories["human_language"] >= 50
    for skill_id in (
        "python",
        "apache-spark",
        "google-cloud-platform",
        "scikit-learn",
        "cpp",
        "nodejs",
    ):
        assert skill_id in taxonomy
    assert {"Spark", "PySpark"} <= set(taxonomy["apache-spark"].aliases)
    assert {"GCP", "Google Cloud"} <= set(taxonomy["google-cloud-platform"].aliases)


def test_no_alias_belongs_to_two_skills() -> None:
    owners: dict[str, set[str]] = {}
    for skill in Taxonomy.bundled().skills.values():
        for alias in skill.aliases:
            key = alias if alias in skill.case_sensitive else alias.lower()
            owners.setdefault(key, set()).add(skill.id)
    assert {a: ids for a, ids in owners.items() if len(ids) > 1} == {}


def test_entry_problems_name_what_is_wrong() -> None:
    assert entry_problems({"id": "ok-id", "category": "database", "aliases": ["X"]}) == []
    problems = entry_problems(
        {"id": "Bad Id", "category": "nope", "aliases": ["X"], "needs_context": ["Y"]}
    )
    assert len(problems) == 3


def test_later_files_extend_earlier_ones(tmp_path: Path) -> None:
    base = tmp_path / "base.jsonl"
    base.write_text(
        json.dumps({"id": "acme", "name": "Acme", "category": "software_tool", "aliases": ["Acme"]})
        + "\n"
    )
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        json.dumps(
            {"id": "acme", "name": "Acme", "category": "software_tool", "aliases": ["AcmeDB"]}
        )
        + "\n"
    )
    assert Taxonomy.from_paths([base, extra])["acme"].aliases == ["Acme", "AcmeDB"]


@pytest.mark.parametrize(
    ("name", "slug"), [("C++", "cpp"), ("C#", "csharp"), ("Node.js", "node-js"), ("R&D", "r-and-d")]
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_import_esco() -> None:
    taxonomy = import_csv(FIXTURES / "esco_skills.csv", "esco")
    assert taxonomy["python-computer-programming"].aliases == [
        "Python (computer programming)",
        "Python",
        "Python programming",
    ]
    assert taxonomy["operate-forklift"].aliases == [
        "operate forklift",
        "forklift operation",
        "drive forklift",
    ]
    assert len(taxonomy) == 3


def test_import_lightcast() -> None:
    taxonomy = import_csv(FIXTURES / "lightcast_skills.csv", "lightcast")
    spark = taxonomy["ks120076fgp5wgwymp0f"]
    assert spark.name == "Apache Spark" and spark.category == "domain_technical"
    assert taxonomy["ks1218w78fgvpvp2kxpx"].category == "soft_skill"
    assert taxonomy["ks4417t7vtnjm5zfrvcr"].category == "certification"


def test_import_plain_csv() -> None:
    taxonomy = import_csv(FIXTURES / "plain.csv", "csv")
    assert taxonomy["acme-ledger"].aliases == ["Acme Ledger", "AcmeLedger", "Acme Ledger Pro"]
    assert taxonomy["widget-welding"].aliases == ["Widget welding", "widget weld", "WW-3 welding"]


def test_imported_taxonomy_tags_text_through_the_config(tmp_path: Path) -> None:
    """A user's own skills reach the tagger by pointing the config at their file: no code change."""
    out = tmp_path / "mine.jsonl"
    cli = [
        sys.executable,
        "-m",
        "jobreq",
        "taxonomy",
        "import",
        str(FIXTURES / "plain.csv"),
        "--format",
        "csv",
    ]
    assert subprocess.run([*cli, "-o", str(out)], capture_output=True, timeout=120).returncode == 0
    root = Path(__file__).resolve().parents[1]
    train = [
        sys.executable,
        "-m",
        "jobreq",
        "train",
        "--config",
        str(root / "configs" / "jobreq.cfg"),
    ]
    result = subprocess.run(
        [
            *train,
            "--output",
            str(tmp_path / "model"),
            "--paths.extra_skills",
            json.dumps([str(out)]),
        ],
        capture_output=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    nlp = spacy.load(tmp_path / "model")
    doc = nlp("Requirements:\n- Experience with AcmeLedger and Python.")
    assert [s.id_ for s in doc.spans["skills"]] == ["acme-ledger", "python"]
