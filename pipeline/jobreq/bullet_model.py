"""The bullet classifier's model: feature vocabularies, TF-IDF weights and a logistic regression.

Each block's vocabulary is a sorted array of 64-bit feature keys (see `bullet_features`);
a bullet's keys are looked up with ``searchsorted``, weighted with scikit-learn's
`TfidfTransformer` (words; cue features stay binary) and scored by a
`LogisticRegression`. Saved as plain arrays and strings in msgpack, spaCy's own
serialisation (`srsly`): no pickle, no object types, so loading cannot run code. Loading
checks every field's type, dtype and shape and refuses anything else, then sets the fitted
arrays on fresh scikit-learn estimators.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import srsly
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression

from .bullet_features import BLOCKS, Features

MIN_DF = {"word": 2, "cue": 1}  # bullets a key must occur in to be kept
FORMAT = "jobreq.bullet_model.v1"
MAX_ITER = 3000
# Saved fields: (type, numpy dtype kind or None, dimensions or None)
FIELDS: dict[str, tuple[type, str | None, int | None]] = {
    "format": (str, None, None),
    "params": (dict, None, None),  # the LogisticRegression's hyperparameters
    "classes": (list, None, None),
    "coef": (np.ndarray, "f", 2),
    "intercept": (np.ndarray, "f", 1),
    **{f"{block}_keys": (np.ndarray, "u", 1) for block in BLOCKS},
    **{f"{block}_names": (list, None, None) for block in BLOCKS},
    "word_idf": (np.ndarray, "f", 1),  # empty when no word was kept
}
PARAMS = ("C", "class_weight", "max_iter", "random_state")


def _classifier(params: dict[str, Any]) -> LogisticRegression:
    """The logistic regression for these hyperparameters (at fit and at load)."""
    return LogisticRegression(**{name: params[name] for name in PARAMS})


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
        params = {"C": c, "class_weight": class_weight, "max_iter": MAX_ITER, "random_state": seed}
        clf = _classifier(params)
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
        """Write the fitted arrays (the same weights give the same bytes)."""
        clf, tfidf = self.parts["clf"], self.parts.get("word_tfidf")
        payload: dict[str, Any] = {
            "format": FORMAT,
            "params": {name: clf.get_params()[name] for name in PARAMS},
            "classes": self.classes,
            "coef": np.ascontiguousarray(clf.coef_, dtype=np.float64),
            "intercept": np.ascontiguousarray(clf.intercept_, dtype=np.float64),
            "word_idf": np.asarray(tfidf.idf_ if tfidf else [], dtype=np.float64),
        }
        for block in BLOCKS:
            payload[f"{block}_keys"] = np.asarray(self.parts[f"{block}_keys"], dtype=np.uint64)
            payload[f"{block}_names"] = [str(n) for n in self.parts[f"{block}_names"]]
        srsly.write_msgpack(path, {name: payload[name] for name in FIELDS})

    @classmethod
    def load(cls, path: Path) -> BulletModel:
        """Load a file written by `dump`, refusing any other content with the reason."""
        try:
            saved = srsly.read_msgpack(path)
        except Exception as error:  # msgpack raises several unrelated types
            raise ValueError(f"refusing to load {path}: not a msgpack file ({error})") from None
        problem = _check(saved)
        if problem:
            raise ValueError(f"refusing to load {path}: {problem}")
        clf = _classifier(saved["params"])
        clf.classes_ = np.array(saved["classes"])
        clf.coef_, clf.intercept_ = saved["coef"], saved["intercept"]
        clf.n_features_in_ = clf.coef_.shape[1]
        parts: dict[str, Any] = {"clf": clf}
        for block in BLOCKS:
            parts[f"{block}_keys"] = saved[f"{block}_keys"]
            parts[f"{block}_names"] = np.array(saved[f"{block}_names"], dtype=str).reshape(-1)
        if len(saved["word_idf"]):
            tfidf = TfidfTransformer(sublinear_tf=True)
            tfidf.idf_ = saved["word_idf"]
            tfidf.n_features_in_ = len(saved["word_idf"])
            parts["word_tfidf"] = tfidf
        return cls(parts)


def _check(saved: Any) -> str | None:
    """Why `saved` is not a model `dump` wrote, or None."""
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        return f"it is not a {FORMAT} model"
    if set(saved) != set(FIELDS):
        return f"its fields are {sorted(saved)}, expected {sorted(FIELDS)}"
    for name, (kind, dtype_kind, ndim) in FIELDS.items():
        value = saved[name]
        if not isinstance(value, kind):
            return f"field {name!r} is a {type(value).__name__}, expected {kind.__name__}"
        if isinstance(value, np.ndarray) and (value.dtype.kind != dtype_kind or value.ndim != ndim):
            return f"field {name!r} is a {value.ndim}-d {value.dtype} array"
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            return f"field {name!r} holds values other than strings"
    if set(saved["params"]) != set(PARAMS):
        return f"its params are {sorted(saved['params'])}, expected {sorted(PARAMS)}"
    n_words, n_cues = len(saved["word_keys"]), len(saved["cue_keys"])
    rows = len(saved["classes"]) if len(saved["classes"]) > 2 else 1
    shapes = {
        "coef": (saved["coef"].shape, (rows, n_words + n_cues)),
        "intercept": (saved["intercept"].shape, (rows,)),
        "word_names": ((len(saved["word_names"]),), (n_words,)),
        "cue_names": ((len(saved["cue_names"]),), (n_cues,)),
    }
    if len(saved["word_idf"]):
        shapes["word_idf"] = (saved["word_idf"].shape, (n_words,))
    for name, (found, expected) in shapes.items():
        if found != expected:
            return f"field {name!r} has shape {found}, expected {expected}"
    return None
