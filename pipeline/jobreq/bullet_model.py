"""The bullet classifier's model: feature vocabularies, TF-IDF weights and a logistic regression.

Each block's vocabulary is a sorted array of 64-bit feature keys (see `bullet_features`);
a bullet's keys are looked up with ``searchsorted``, weighted with scikit-learn's
`TfidfTransformer` (words; cue features stay binary) and scored by a
`LogisticRegression`. Saved with skops; loading checks every type the file names against
an explicit allowlist and refuses anything else.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression

from .bullet_features import BLOCKS, Features

MIN_DF = {"word": 2, "cue": 1}  # bullets a key must occur in to be kept
OBJECT_ID = re.compile(r'"__id__": (\d+)')
ALLOWED_TYPES = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.str",
        "builtins.int",
        "builtins.float",
        "builtins.bool",
        "builtins.NoneType",
        "numpy.ndarray",
        "numpy.dtype",
        "numpy.float64",
        "numpy.int64",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
    }
)


def _counts(rows: np.ndarray, keys: np.ndarray, vocabulary: np.ndarray, n_rows: int) -> csr_matrix:
    """Occurrences of each vocabulary key per row; keys outside the vocabulary are dropped."""
    if not len(vocabulary):
        return csr_matrix((n_rows, 0))
    columns = np.minimum(np.searchsorted(vocabulary, keys), len(vocabulary) - 1)
    known = vocabulary[columns] == keys
    counts = csr_matrix(
        (np.ones(int(known.sum())), (rows[known], columns[known])),
        shape=(n_rows, len(vocabulary)),
    )
    counts.sum_duplicates()
    return counts


class BulletModel:
    """Per-block vocabularies and TF-IDF weights, and a logistic regression over them."""

    def __init__(self, parts: dict[str, Any]) -> None:
        self.parts = parts
        self.names = np.concatenate([parts[f"{block}_names"] for block in BLOCKS])

    @classmethod
    def fit(
        cls,
        features: Features,
        labels: Sequence[str],
        c: float,
        class_weight: str | None,
        seed: int,
    ) -> BulletModel:
        parts = cls.vocabularies(features)
        model = cls(parts)
        clf = LogisticRegression(C=c, class_weight=class_weight, max_iter=3000, random_state=seed)
        parts["clf"] = clf.fit(model.matrix(features), list(labels))
        return model

    @staticmethod
    def vocabularies(features: Features) -> dict[str, Any]:
        """Each block's kept keys (in enough bullets), their names and TF-IDF weights."""
        parts: dict[str, Any] = {}
        for block in BLOCKS:
            seen = np.unique(features.keys[block])
            counts = _counts(features.rows[block], features.keys[block], seen, features.n_rows)
            frequent = np.bincount(counts.indices, minlength=len(seen)) >= MIN_DF[block]
            kept = seen[frequent]
            parts[f"{block}_keys"] = kept
            parts[f"{block}_names"] = np.array(
                [features.names[k] for k in kept.tolist()], dtype=str
            ).reshape(-1)
            if block != "cue" and len(kept):
                tfidf = TfidfTransformer(sublinear_tf=True)
                parts[f"{block}_tfidf"] = tfidf.fit(counts[:, np.flatnonzero(frequent)])
        return parts

    def matrix(self, features: Features) -> csr_matrix:
        blocks = []
        for block in BLOCKS:
            counts = _counts(
                features.rows[block],
                features.keys[block],
                self.parts[f"{block}_keys"],
                features.n_rows,
            )
            if block == "cue":
                counts.data[:] = 1.0
            elif f"{block}_tfidf" in self.parts:
                counts = self.parts[f"{block}_tfidf"].transform(counts)
            blocks.append(counts)
        return hstack(blocks, format="csr")

    def predict_proba(self, features: Features) -> tuple[csr_matrix, np.ndarray]:
        x = self.matrix(features)
        return x, self.parts["clf"].predict_proba(x)

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.parts["clf"].classes_]

    def explain(
        self, x: csr_matrix, labels: np.ndarray, runners_up: np.ndarray, top: int
    ) -> list[list[list[Any]]]:
        """Per row of `x`: up to `top` features that most favour its label over the runner-up
        (feature value times the difference of the two labels' weights)."""
        coef = self.parts["clf"].coef_
        row_of = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        if coef.shape[0] > 1:
            weights = coef[labels[row_of], x.indices] - coef[runners_up[row_of], x.indices]
        else:  # binary: one row of weights, for the second class
            weights = coef[0, x.indices] * np.where(labels[row_of] > 0, 1.0, -1.0)
        contributions = x.data * weights
        order = np.lexsort((-contributions, row_of))  # by row, strongest first
        order = order[contributions[order] > 0]
        rank = np.arange(len(order)) - np.searchsorted(row_of[order], row_of[order])
        kept = order[rank < top]
        names = self.names[x.indices[kept]].tolist()
        values = contributions[kept].round(4).tolist()
        explanations, at = [], 0
        for count in np.bincount(row_of[kept], minlength=x.shape[0]).tolist():
            explanations.append([[names[i], values[i]] for i in range(at, at + count)])
            at += count
        return explanations

    def dump(self, path: Path) -> None:
        """skops zip made reproducible: array files named in order, fixed timestamps."""
        with zipfile.ZipFile(io.BytesIO(sio.dumps(self.parts))) as source:
            schema = source.read("schema.json").decode("utf-8")
            arrays = sorted((n for n in source.namelist() if n != "schema.json"), key=schema.find)
            renamed = {name: f"array{i:04d}{Path(name).suffix}" for i, name in enumerate(arrays)}
            for old, new in renamed.items():
                schema = schema.replace(f'"{old}"', f'"{new}"')
            ids: dict[str, str] = {}  # object ids -> order of first appearance
            schema = OBJECT_ID.sub(
                lambda m: f'"__id__": {ids.setdefault(m[1], str(len(ids)))}', schema
            )
            files = {"schema.json": schema.encode("utf-8")}
            files.update({renamed[name]: source.read(name) for name in arrays})
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, files[name])

    @classmethod
    def load(cls, path: Path) -> BulletModel:
        """Load after checking every type the file names against ALLOWED_TYPES."""
        with zipfile.ZipFile(path) as archive:
            found = _schema_types(json.loads(archive.read("schema.json")))
        refused = found - ALLOWED_TYPES
        if refused:
            raise ValueError(
                f"refusing to load {path}: it names types outside the allowlist: {sorted(refused)}"
            )
        return cls(sio.load(path, trusted=sorted(found)))


def _schema_types(node: Any) -> set[str]:
    """Every `module.Class` a skops schema names."""
    found: set[str] = set()
    if isinstance(node, dict):
        if "__class__" in node:
            found.add(f"{node.get('__module__')}.{node['__class__']}")
        for value in node.values():
            found |= _schema_types(value)
    elif isinstance(node, list):
        for value in node:
            found |= _schema_types(value)
    return found
