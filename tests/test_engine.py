"""Parallel and resumable extraction: `--workers` and `--resume`, on real runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from weakref import WeakKeyDictionary

import pytest
from spacy.language import Language

from jobreq.engine import local
from jobreq.io import read_postings

ROOT = Path(__file__).resolve().parent.parent


def command(src: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "jobreq", "extract", str(src), "-o", str(out), *extra]


def run(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(src, out, *extra), capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def postings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 300 corpus postings with two bad lines among them."""
    lines = (ROOT / "corpus" / "train.jsonl").read_text(encoding="utf-8").splitlines()[:300]
    lines.insert(40, "{not json")
    lines.insert(200, json.dumps({"id": "no-text"}))
    src = tmp_path_factory.mktemp("in") / "postings.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def reference(postings: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted single-process run."""
    out = tmp_path_factory.mktemp("ref") / "out.jsonl"
    result = run(postings, out, "--workers", "1")
    assert result.returncode == 1, result.stderr  # the two bad lines
    assert b"read 302, written 300, errors 2" in result.stderr
    return out


def test_workers_give_the_same_output_in_order(
    postings: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    result = run(postings, out, "--workers", "2", "--batch-size", "16")
    assert b"read 302, written 300, errors 2" in result.stderr
    assert out.read_bytes() == reference.read_bytes()
    assert (tmp_path / "out.errors.jsonl").read_bytes() == (
        reference.parent / "out.errors.jsonl"
    ).read_bytes()


def _done(progress: Path) -> int:
    try:
        return json.loads(progress.read_text(encoding="utf-8"))["done"]
    except (OSError, ValueError):
        return 0


def test_killed_run_resumes_to_the_uninterrupted_output(
    postings: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    args = command(postings, out, "--workers", "2", "--batch-size", "16", "--resume")
    proc = subprocess.Popen(args, stderr=subprocess.DEVNULL, start_new_session=True)
    progress = tmp_path / "out.jsonl.progress.json"
    deadline = time.monotonic() + 300
    while _done(progress) < 100 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole process group: parent and workers
    proc.wait()
    done = _done(progress)
    assert 100 <= done < 302, "the run was not killed midway"
    with open(out, "ab") as fh:  # a torn line, as if killed in the middle of a write
        fh.write(b'{"id": "torn", "bul')

    result = subprocess.run(args, capture_output=True, timeout=600)
    assert b"read 302, written 300, errors 2" in result.stderr
    assert out.read_bytes() == reference.read_bytes()
    assert (tmp_path / "out.errors.jsonl").read_bytes() == (
        reference.parent / "out.errors.jsonl"
    ).read_bytes()
    assert json.loads(progress.read_text(encoding="utf-8"))["complete"] is True


def test_resume_of_a_complete_run_changes_nothing(postings: Path, reference: Path) -> None:
    before = reference.read_bytes()
    result = run(postings, reference, "--workers", "1", "--resume")
    assert b"read 302, written 300, errors 2" in result.stderr
    assert reference.read_bytes() == before


def test_resume_refuses_changed_input(postings: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(postings.read_text(encoding="utf-8").split("\n", 1)[0] + "\n")
    out = tmp_path / "out.jsonl"
    assert run(src, out, "--workers", "1").returncode == 0
    src.write_text(postings.read_text(encoding="utf-8"))
    result = run(src, out, "--workers", "1", "--resume")
    assert result.returncode == 2
    assert b"different input files" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "--resume"], b"--resume needs --output"),
        (["IN", "-o", "OUT.jsonl.gz", "--resume"], b"not gzip"),
    ],
)
def test_resume_usage_errors(
    postings: Path, tmp_path: Path, args: list[str], message: bytes
) -> None:
    args = [str(postings) if a == "IN" else str(tmp_path / a) if a.startswith("OUT") else a
            for a in args]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "jobreq", "extract", *args], capture_output=True, timeout=300
    )
    assert result.returncode == 2
    assert message in result.stderr


def test_first_postings_warm_the_tokenizer_then_memory_zones_keep_strings_flat(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local, "WARMUP_POSTINGS", 64)
    monkeypatch.setattr(local, "_warmed", WeakKeyDictionary())
    postings = list(read_postings([str(ROOT / "corpus" / "train.jsonl")]))[:320]
    warm = list(local.extract(nlp, postings[:64]))  # outside a zone: strings are kept
    strings = len(nlp.vocab.strings)
    zoned = list(local.extract(nlp, postings))
    assert len(nlp.vocab.strings) == strings
    assert zoned[:64] == warm  # a posting's record does not depend on the zone


def test_a_run_loads_the_pipeline_out_of_the_cyclic_collectors_reach() -> None:
    """Workers and the CLI freeze what the model loaded; `jobreq.load` leaves gc alone."""
    code = (
        "import gc, jobreq; from jobreq.engine.local import load_for_run; "
        "jobreq.load(); print(gc.get_freeze_count()); load_for_run(); print(gc.get_freeze_count())"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    after_load, after_run_load = map(int, result.stdout.split())
    assert after_load == 0 and after_run_load > 100_000
