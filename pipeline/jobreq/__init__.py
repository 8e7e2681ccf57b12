"""jobreq: turn job postings into structured requirements."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

__version__ = "0.1.0"

DEFAULT_MODEL = "en_jobreq"
_PACKAGE_DIR = Path(__file__).resolve().parent


def model_path(name: str = DEFAULT_MODEL) -> Path:
    """Where the bundled pipeline `name` lives: inside the wheel, else in the checkout."""
    candidates = (
        _PACKAGE_DIR / "_models" / name,  # installed from a wheel
        _PACKAGE_DIR.parent.parent / "models" / name,  # editable install or source checkout
    )
    for candidate in candidates:
        if (candidate / "config.cfg").is_file():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"bundled model {name!r} not found (searched {searched})")


def load(path: str | Path | None = None) -> Language:
    """Load a jobreq pipeline: the bundled one by default, or the directory at `path`."""
    return spacy.load(model_path() if path is None else Path(path))


__all__ = ["DEFAULT_MODEL", "__version__", "load", "model_path"]
