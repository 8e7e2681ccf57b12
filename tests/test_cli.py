"""`jobreq extract` end to end, in a subprocess, as a user runs it."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = {
    "id": "p1",
    "text": "Requirements:\n- Python\n- SQL\n\nBenefits\nFree lunch.",
    "company": "Acme",
}


def jobreq(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jobreq", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=300,
    )


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_mixed_good_and_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps(GOOD),
        "{not json",
        json.dumps({"id": "nt"}),
        json.dumps({"text": "Another one."}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = jobreq("extract", str(src), "-o", str(out))
    assert result.returncode == 1
    assert b"read 4, written 2, errors 2" in result.stderr
    records = read_jsonl(out)
    assert [r["id"] for r in records] == ["p1", f"{src}:4"]
    first = records[0]
    assert first["meta"] == {"company": "Acme"}
    assert first["model"]["name"] == "en_jobreq"
    assert set(first) == {"id", "sections", "bullets", "entities", "summary", "meta", "model"}
    assert [(s["heading"], s["type"]) for s in first["sections"]] == [
        ("Requirements:", "basic"),
        ("Benefits", "other"),
    ]
    assert [(b["text"], b["label"], b["section"]) for b in first["bullets"]] == [
        ("Python", "basic", "Requirements:"),
        ("SQL", "basic", "Requirements:"),
        ("Free lunch.", "other", "Benefits"),
    ]
    for bullet in first["bullets"]:
        assert GOOD["text"][bullet["start"] : bullet["end"]] == bullet["text"]
    assert [s["id"] for b in first["bullets"] for s in b["skills"]] == ["python", "sql"]
    assert first["summary"]["skills"][0] == {
        "id": "python",
        "name": "Python",
        "category": "programming_language",
        "requirement": "basic",
        "min_years": None,
    }
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    assert [(e["line"], e["id"]) for e in errors] == [(2, None), (3, "nt")]
    assert errors[1]["error"] == "missing required key 'text'"


def test_stdin_to_stdout_keeps_order_across_batches() -> None:
    records = [
        {"id": f"r{i}", "text": f"Posting number {i}. It has two sentences."} for i in range(40)
    ]
    stdin = "".join(json.dumps(r) + "\n" for r in records).encode()
    result = jobreq("extract", "-", "--batch-size", "7", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["id"] for r in out] == [r["id"] for r in records]
    assert [b["text"] for b in out[3]["bullets"]] == ["Posting number 3.", "It has two sentences."]
    labels = {"duty", "basic", "preferred", "other"}
    assert all(b["label"] in labels and 0 < b["score"] <= 1 for b in out[3]["bullets"])
    assert b"read 40, written 40, errors 0" in result.stderr


def test_errors_go_to_stderr_when_writing_to_stdout() -> None:
    result = jobreq("extract", "-", stdin=b'{"text": "ok."}\n[]\n')
    assert result.returncode == 1
    assert len(result.stdout.decode().splitlines()) == 1
    error_lines = [json.loads(x) for x in result.stderr.decode().splitlines() if x.startswith("{")]
    assert error_lines == [
        {"source": "-", "line": 2, "id": None, "error": "record is a JSON list, not an object"}
    ]


def test_gzip_and_text_inputs(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(GOOD) + "\n")
    (tmp_path / "b.txt").write_text("Nice to have\n* Experience with Go.", encoding="utf-8")
    out = tmp_path / "out.jsonl.gz"
    result = jobreq(
        "extract", str(tmp_path / "a.jsonl.gz"), str(tmp_path / "b.txt"), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    with gzip.open(out, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    assert [r["id"] for r in records] == ["p1", "b.txt"]
    assert records[1]["bullets"][0]["label"] == "preferred"


@pytest.mark.parametrize(
    "args",
    [("extract", "does-not-exist.jsonl"), ("extract", "-", "-o", "/nonexistent-dir/out.jsonl")],
)
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...]) -> None:
    result = jobreq(*args, stdin=b'{"text": "x"}\n')
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert b"jobreq: error:" in result.stderr


def test_version_and_help() -> None:
    from jobreq import __version__

    assert jobreq("--version").stdout.decode().strip() == f"jobreq {__version__}"
    help_text = jobreq("extract", "--help").stdout.decode()
    assert ".jsonl.gz" in help_text and "error record" in help_text
