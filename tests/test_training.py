"""Training: a smoke retrain on a small slice, determinism, weak labels, and the shipped model."""

from __future__ import annotations

import filecmp
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import jobreq
from jobreq.bullet_model import BulletModel
from jobreq.components.classifier import MODEL_FILE, TEXT_MODEL_FILE
from jobreq.training.corpus import read_corpus, write_corpus
from jobreq.training.fit import bootstrap_error
from jobreq.training.train import REPRODUCIBLE_BLAS, build_pipeline, save_atomically

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "jobreq.cfg"
FAST = {
    "initialize.components.jobreq_bullet_classifier.c_values": [3.0],
    "initialize.components.jobreq_bullet_classifier.class_weights": ["none"],
}


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("corpus")
    train, dev = (
        read_corpus(ROOT / "corpus" / "train.jsonl")[:25],
        read_corpus(ROOT / "corpus" / "dev.jsonl")[:6],
    )
    write_corpus(folder / "train.jsonl", train)
    write_corpus(folder / "dev.jsonl", dev)
    write_corpus(folder / "raw.jsonl", [{"text": p["text"]} for p in train])
    return {
        "train": str(folder / "train.jsonl"),
        "dev": str(folder / "dev.jsonl"),
        "raw": str(folder / "raw.jsonl"),
    }


def small_overrides(corpus: dict[str, str], **extra: object) -> dict[str, object]:
    return {"paths.train": corpus["train"], "paths.dev": corpus["dev"], **FAST, **extra}


def test_smoke_retrain_is_deterministic(tmp_path: Path, small_corpus: dict[str, str]) -> None:
    first = save_atomically(
        build_pipeline(CONFIG, seed=1, overrides=small_overrides(small_corpus)), tmp_path / "a"
    )
    second = save_atomically(
        build_pipeline(CONFIG, seed=1, overrides=small_overrides(small_corpus)), tmp_path / "b"
    )
    part = "jobreq_bullet_classifier"
    assert (first / part / MODEL_FILE).read_bytes() == (second / part / MODEL_FILE).read_bytes()
    cfg = json.loads((first / part / "cfg.json").read_text())
    assert cfg["training"] == "gold" and cfg["train_bullets"] > 300
    doc = jobreq.load(first)("Responsibilities:\n- Build and run data pipelines.")
    assert doc.spans["bullets"][0].label_ in {"duty", "basic", "preferred", "other"}


def test_weak_labels_train_from_headings(tmp_path: Path, small_corpus: dict[str, str]) -> None:
    overrides = small_overrides(small_corpus, **{"paths.weak_labels": small_corpus["raw"]})
    nlp = build_pipeline(CONFIG, overrides=overrides)
    cfg = nlp.get_pipe("jobreq_bullet_classifier").cfg
    assert cfg["training"] == "weak_labels" and cfg["train_bullets"] > 100


def classifier_weights(model_dir: Path) -> dict[str, object]:
    """The fitted numbers of both classifier models: idf weights, vocabularies, coefficients."""
    return {
        name: model_weights(model_dir / "jobreq_bullet_classifier" / name)
        for name in (MODEL_FILE, TEXT_MODEL_FILE)
    }


def model_weights(path: Path) -> dict[str, object]:
    parts = BulletModel.load(path).parts
    return {
        "word_keys": parts["word_keys"].tolist(),
        "word_idf": parts["word_tfidf"].idf_.tolist(),
        "cue_keys": parts["cue_keys"].tolist(),
        "coef": parts["clf"].coef_.tolist(),
        "intercept": parts["clf"].intercept_.tolist(),
    }


def test_smoke_retrain_gives_identical_weights(
    tmp_path: Path, small_corpus: dict[str, str]
) -> None:
    first = save_atomically(
        build_pipeline(CONFIG, seed=2, overrides=small_overrides(small_corpus)), tmp_path / "a"
    )
    second = save_atomically(
        build_pipeline(CONFIG, seed=2, overrides=small_overrides(small_corpus)), tmp_path / "b"
    )
    assert classifier_weights(first) == classifier_weights(second)


def test_shipped_model_is_what_the_config_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retraining from the committed corpus and config reproduces the shipped model, in a
    process whose OpenBLAS runs the kernels and thread count `models/` was trained with
    (each CPU family has its own kernels, whose rounding moves the fitted weights)."""
    if platform.machine() != "x86_64" or "avx2" not in Path("/proc/cpuinfo").read_text():
        pytest.skip("the shipped weights are reproduced with OpenBLAS's Haswell kernels (AVX2)")
    monkeypatch.chdir(ROOT)  # the config names the corpus relative to the repository root
    shipped = jobreq.model_path()
    rebuilt = tmp_path / "model"
    command = ["train", "--config", str(CONFIG), "--output", str(rebuilt)]
    subprocess.run(  # the README's retrain command
        [sys.executable, "-m", "jobreq", *command],
        env={**os.environ, **REPRODUCIBLE_BLAS},
        check=True,
        timeout=1800,
    )
    assert classifier_weights(shipped) == classifier_weights(rebuilt), (
        "models/ is stale: retrain it as README says, with the BLAS settings and the numpy, "
        "scipy and scikit-learn versions of configs/constraints.txt"
    )
    skipped = {"meta.json", "README.md", MODEL_FILE, TEXT_MODEL_FILE}  # dated, or compared above
    mismatched: list[str] = []

    def collect(cmp: filecmp.dircmp, prefix: str = "") -> None:
        _, diff, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differing = cmp.left_only + cmp.right_only + diff + errors
        mismatched.extend(prefix + name for name in differing if name not in skipped)
        for name, sub in cmp.subdirs.items():
            collect(sub, f"{prefix}{name}/")

    collect(filecmp.dircmp(shipped, rebuilt))
    assert not mismatched, (
        f"models/ is stale: rerun `jobreq train --config configs/jobreq.cfg` ({mismatched})"
    )


def test_choice_noise_is_measured_over_postings() -> None:
    """The standard error the one-standard-error rule uses resamples whole postings: when
    a posting's bullets are all right or all wrong together, it is much larger than the
    error of bullets drawn one by one."""
    gold = ["duty", "basic"] * 100
    predicted = [label if (i // 10) % 2 else "other" for i, label in enumerate(gold)]
    by_posting = bootstrap_error(gold, predicted, np.repeat(np.arange(20), 10), seed=0)
    by_bullet = bootstrap_error(gold, predicted, np.arange(200), seed=0)
    assert by_posting > 2 * by_bullet > 0
