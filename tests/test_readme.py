"""The README stays true: its example output is what jobreq produces for its example input."""

from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.language import Language

from jobreq.engine.local import extract
from jobreq.io import Posting

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def json_blocks() -> list[str]:
    return re.findall(r"```json\n(.*?)```", README, re.DOTALL)


def test_readme_example_matches_real_output(nlp: Language) -> None:
    example_in, example_out = (json.loads(block) for block in json_blocks()[:2])
    meta = {k: v for k, v in example_in.items() if k not in ("id", "text")}
    (record,) = extract(nlp, [Posting(example_in["id"], example_in["text"], "-", 1, meta)])
    assert record == example_out


def test_readme_has_exactly_two_setup_commands() -> None:
    assert README.count("<!-- run-command -->") == 1
    assert README.count("<!-- test-command -->") == 1
