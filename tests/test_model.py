"""The bundled model: loadable everywhere, and up to date with the config that builds it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jobreq

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / jobreq.DEFAULT_MODEL


def run_python(
    code: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def test_spacy_load_in_a_fresh_process_without_importing_jobreq(tmp_path: Path) -> None:
    code = (
        "import sys, spacy\n"
        "assert 'jobreq' not in sys.modules\n"
        f"nlp = spacy.load({str(MODEL)!r})\n"
        "doc = nlp('Nice to have:\\n- Go experience')\n"
        "print([(s.text, s.label_) for s in doc.spans['bullets']])\n"
    )
    result = run_python(code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('Go experience', 'preferred')]"


def test_load_finds_the_bundled_model_from_any_directory(tmp_path: Path) -> None:
    result = run_python("import jobreq; print(jobreq.load().pipe_names)", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "jobreq_segmenter" in result.stdout


def test_wheel_carries_the_model(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("jobreq-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert f"jobreq/_models/{jobreq.DEFAULT_MODEL}/config.cfg" in names
    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import jobreq\n"
        "print(jobreq.__file__)\nprint(jobreq.model_path())\nprint(jobreq.load().pipe_names)"
    )
    result = run_python(code, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    module_file, model_dir, pipes = result.stdout.splitlines()
    assert module_file.startswith(str(target)) and model_dir.startswith(str(target))
    assert "jobreq_segmenter" in pipes
