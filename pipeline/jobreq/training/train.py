"""Config -> initialised pipeline -> model directory, written atomically."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.util import fix_random_seed, load_config, load_model_from_config

from .. import __version__

MODEL_META = {
    "name": "jobreq",
    "version": __version__,
    "description": "jobreq pipeline: posting segmenter and lookup lemmatizer on spacy.blank('en').",
    "license": "MIT",
    "author": "jobreq developers",
}


def build_pipeline(
    config_path: str | Path, seed: int | None = None, overrides: dict[str, Any] | None = None
) -> Language:
    """Create and initialise the pipeline described by a spaCy config file."""
    config = load_config(config_path, overrides=overrides or {}, interpolate=False)
    if seed is not None:
        config["system"]["seed"] = seed
    fix_random_seed(config["system"]["seed"])
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    nlp.meta.update({**MODEL_META, "jobreq_version": __version__})
    return nlp


def save_atomically(nlp: Language, output: str | Path) -> Path:
    """Write the pipeline to a temporary sibling directory, then swap it into place."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        nlp.to_disk(staging)
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
