"""Config -> initialised (trained) pipeline -> model directory with a model card, atomically."""

from __future__ import annotations

import datetime
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy
import scipy
import sklearn
import spacy
from spacy.language import Language
from spacy.util import fix_random_seed, load_config, load_model_from_config

from .. import __version__
from .corpus import LABELS, read_corpus
from .evaluate import evaluate

MODEL_META = {
    "name": "jobreq",
    "version": __version__,
    "description": "Job posting segmenter, entity taggers and bullet classifier (blank 'en').",
    "license": "MIT",
    "author": "jobreq developers",
}


def build_pipeline(
    config_path: str | Path, seed: int | None = None, overrides: dict[str, Any] | None = None
) -> Language:
    """Create and initialise (fit) the pipeline described by a spaCy config file."""
    config = load_config(config_path, overrides=overrides or {}, interpolate=False)
    if seed is not None:
        config["system"]["seed"] = seed
    fix_random_seed(config["system"]["seed"])
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    nlp.meta.update(MODEL_META)
    return nlp


# Environment under which `models/` is trained, so that anyone on an x86-64 CPU with AVX2
# reproduces its weights bit for bit: OpenBLAS picks kernels by CPU family at load time,
# and their rounding (and the thread count's) moves where the logistic regression stops.
REPRODUCIBLE_BLAS = {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1"}


def _blas() -> str:
    """The BLAS libraries loaded (numpy's and scipy's): version, kernel family, threads."""
    from threadpoolctl import threadpool_info

    found = sorted(
        f"{i['internal_api']} {i['version']} ({i.get('architecture', '?')}, "
        f"{i['num_threads']} threads)"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    )
    return "; ".join(found) or "unknown"


def describe(nlp: Language, test_path: str | Path | None) -> dict[str, Any]:
    """Versions, training data and (when a test split is given) metrics for meta.json."""
    info: dict[str, Any] = {
        "jobreq_version": __version__,
        "spacy_version_used": spacy.__version__,
        "sklearn_version": sklearn.__version__,
        # the classifier's weights depend on the numeric libraries' arithmetic too
        "numpy_version": numpy.__version__,
        "scipy_version": scipy.__version__,
        "blas": _blas(),
        "date": datetime.date.today().isoformat(),
    }
    if "jobreq_bullet_classifier" in nlp.pipe_names:
        cfg = nlp.get_pipe("jobreq_bullet_classifier").cfg
        keys = ("training", "train_bullets", "data_sha256", "selection")
        info["classifier"] = {k: cfg[k] for k in keys}
    if test_path and Path(test_path).is_file():
        with nlp.memory_zone():  # measuring must not add strings to the saved vocabulary
            info["test_metrics"] = evaluate(nlp, read_corpus(test_path))
        info["test_set"] = str(test_path)
    return info


def model_card(nlp: Language, info: dict[str, Any]) -> str:
    """README.md for the model directory: data, metrics per label, intended use, limits."""
    lines = [
        f"# {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}",
        "",
        "Segments job postings, tags skills, experience durations and degrees, and labels each",
        "bullet `duty`, `basic`, `preferred` or `other`. Built by `jobreq train` from",
        "`configs/jobreq.cfg` on " + info["date"] + f" with spaCy {spacy.__version__} and "
        f"scikit-learn {sklearn.__version__}.",
        "",
        "## Training data",
        "",
    ]
    classifier = info.get("classifier")
    if classifier:
        lines += [
            f"- Classifier trained on {classifier['train_bullets']} bullets "
            f"({classifier['training']} labels), data sha256 `{classifier['data_sha256'][:16]}…`.",
            "- Two logistic regressions: one for bullets in their posting (trained with headings",
            "  randomly hidden, chosen on dev with headings) and one on text alone, for a bullet",
            "  with no context (chosen on dev without headings). Each keeps the smallest C whose",
            "  dev macro-F1 is within one standard error of the best, from resampling dev",
            "  postings (the one-standard-error rule). Dev macro-F1 per setting:",
            "",
            "| model | C | class weight | dev macro-F1 | standard error | chosen |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for model, rows in classifier["selection"].items():
            for row in rows:
                error = row.get("dev_standard_error") or ""
                chosen = "yes" if row.get("chosen") else ""
                lines.append(
                    f"| {model} | {row['c']} | {row['class_weight']} | {row['dev_macro_f1']} "
                    f"| {error} | {chosen} |"
                )
    metrics = info.get("test_metrics", {})
    if "bullets" in metrics:
        lines += ["", f"## Bullet labels on the test split ({info['test_set']})", ""]
        lines += ["| setting | macro-F1 | " + " | ".join(f"{label} F1" for label in LABELS) + " |"]
        lines += ["| --- | --- | " + " | ".join("---" for _ in LABELS) + " |"]
        for name, m in metrics["bullets"].items():
            cells = " | ".join(str(m["per_label"][label]["f"]) for label in LABELS)
            lines.append(f"| {name.replace('_', ' ')} | {m['macro_f1']} | {cells} |")
    if "entities" in metrics:
        lines += ["", "## Entities on the test split", ""]
        lines += ["| type | exact F1 | overlap P | overlap R | overlap F1 | value accuracy |"]
        lines += ["| --- | --- | --- | --- | --- | --- |"]
        for kind, m in metrics["entities"].items():
            o = m["overlap"]
            cells = [m["exact"]["f"], o["p"], o["r"], o["f"], m["value_accuracy"]]
            lines.append(f"| {kind} | " + " | ".join(str(c) for c in cells) + " |")
        entities = metrics["entities"]
        levels = ", ".join(f"{kind} {m['requirement_accuracy']}" for kind, m in entities.items())
        stated = [
            f"{kind} {part['entities']} (accuracy {part['accuracy']})"
            for kind, m in entities.items()
            if (part := m.get("stated_requirement"))
        ]
        lines += ["", f"Entities that carry the gold requirement level: {levels}."]
        if stated:
            lines[-1] += (
                " Entities whose own clause states a level other than their bullet's: "
                + ", ".join(stated)
                + "."
            )
        degrees = entities.get("degree", {})
        if "in_progress" in degrees:
            progress = degrees["in_progress"]
            lines += [
                "",
                f"Degrees: fields of study accuracy {degrees['fields_accuracy']}; degrees still "
                f"being studied for ({progress['gold']} gold): precision {progress['p']}, "
                f"recall {progress['r']}, F1 {progress['f']}.",
            ]
        links = entities.get("experience", {}).get("links")
        if links:
            lines += [
                "",
                f"Durations linked to the skills they measure ({links['gold']} gold links in "
                f"{links['postings']} postings): precision {links['p']}, recall {links['r']}, "
                f"F1 {links['f']}; durations linked to exactly the gold skills: "
                f"{links['set_accuracy']}.",
            ]
    lines += [
        "",
        "## Intended use and limits",
        "",
        "- English job postings, as plain text, Markdown or HTML; one posting per document.",
        "- Trained on postings written for the project (see `corpus/README.md`), not scraped ones:",
        "  wording far from that corpus (other languages, very long legal pages) lowers accuracy.",
        "- A heading is strong evidence but not a rule; bullets alone are harder (see the",
        "  'without headings' row). Skills come from a taxonomy: unlisted skills are missed.",
        "",
    ]
    return "\n".join(lines)


def save_atomically(nlp: Language, output: str | Path, info: dict[str, Any] | None = None) -> Path:
    """Write the pipeline (and its model card) to a temporary sibling, then swap it into place."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        if info is not None:
            nlp.meta["jobreq"] = info
        nlp.to_disk(staging)
        if info is not None:
            (staging / "README.md").write_text(model_card(nlp, info), encoding="utf-8")
        if output.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old.", dir=output.parent))
            output.rename(retired / output.name)
            staging.rename(output)
            shutil.rmtree(retired)
        else:
            staging.rename(output)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return output


def config_test_path(config_path: str | Path) -> str | None:
    """The `[paths] test` entry of a config, if any."""
    value = load_config(config_path, interpolate=False)["paths"].get("test")
    return str(value) if value else None
