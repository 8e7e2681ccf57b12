"""`jobreq_bullet_classifier`: each bullet as duty, basic, preferred or other.

A scikit-learn model (word and character TF-IDF, heading words, cue and position
features, logistic regression) saved with skops. Loading checks the file against an
explicit allowlist of types and refuses anything else. Bullet spans get the predicted
label; ``doc.spans["bullets"].attrs`` holds ``scores`` (probability of the label),
``all_scores`` (every label) and ``explain`` (the features that pushed hardest).
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments
# from their real annotations.

import copy
import io
import itertools
import json
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
import skops.io as sio
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import ensure_path, minibatch

from ..bullet_features import BulletView, CueMatcher, DocLookups, bullet_view
from .ruler import read_jsonl, write_jsonl

LABELS = ("duty", "basic", "preferred", "other")
CUES_PATH = Path(__file__).parent / "classifier_cues.jsonl"
MODEL_FILE = "model.skops"  # the model for bullets seen in their posting
TEXT_MODEL_FILE = "text_model.skops"  # the model for a bullet with no context at all
PARTS = ("word", "char", "cues")  # feature blocks in column order, each with a vocabulary
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
        "scipy.sparse._csr.csr_matrix",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
        "sklearn.linear_model._logistic.LogisticRegression",
    }
)


class BulletModel:
    """Vectorisers and a logistic regression over BulletViews."""

    def __init__(self, parts: dict[str, Any]) -> None:
        self.parts = parts

    @classmethod
    def fit(
        cls,
        views: Sequence[BulletView],
        labels: Sequence[str],
        c: float,
        class_weight: str | None,
        seed: int,
    ) -> "BulletModel":
        parts: dict[str, Any] = {
            "word": TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            "char": TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True
            ),
            "cues": DictVectorizer(),
        }
        x = hstack([_fit_part(name, part, views) for name, part in parts.items()]).tocsr()
        model = LogisticRegression(C=c, class_weight=class_weight, max_iter=3000, random_state=seed)
        parts["clf"] = model.fit(x, list(labels))
        return cls(parts)

    def matrix(self, views: Sequence[BulletView]) -> csr_matrix:
        return hstack([self.parts[name].transform(_inputs(name, views)) for name in PARTS]).tocsr()

    def predict_proba(self, views: Sequence[BulletView]) -> tuple[csr_matrix, np.ndarray]:
        x = self.matrix(views)
        return x, self.parts["clf"].predict_proba(x)

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.parts["clf"].classes_]

    def feature_names(self) -> list[str]:
        names = []
        for name in PARTS:
            prefix = {"word": "w:", "char": "c:", "cues": ""}[name]
            names.extend(prefix + str(f) for f in self.parts[name].get_feature_names_out())
        return names

    def explain(
        self, x: csr_matrix, labels: Sequence[int], names: list[str], top: int
    ) -> list[list[list[Any]]]:
        """Per row of `x`: the `top` features that added most to the score of its label."""
        coef = self.parts["clf"].coef_
        row_of = np.repeat(np.asarray(labels), np.diff(x.indptr))
        if coef.shape[0] > 1:
            weights = coef[row_of, x.indices]
        else:  # binary: one row of weights, for the second class
            weights = coef[0, x.indices] * np.where(row_of > 0, 1.0, -1.0)
        contributions = x.data * weights
        explanations = []
        for lo, hi in itertools.pairwise(x.indptr):
            order = lo + np.argsort(-contributions[lo:hi], kind="stable")[:top]
            explanations.append(
                [[names[x.indices[i]], round(float(contributions[i]), 4)] for i in order]
            )
        return explanations

    def dump(self, path: Path) -> None:
        """skops zip made reproducible: array files named in order, fixed timestamps.

        Vocabularies travel as arrays of terms in column order: as dicts, skops writes one
        JSON node per term (a 25 MB schema that took seconds to load)."""
        with zipfile.ZipFile(io.BytesIO(sio.dumps(_with_term_arrays(self.parts)))) as source:
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
    def load(cls, path: Path) -> "BulletModel":
        """Load after checking every type the file names against ALLOWED_TYPES."""
        with zipfile.ZipFile(path) as archive:
            found = _schema_types(json.loads(archive.read("schema.json")))
        refused = found - ALLOWED_TYPES
        if refused:
            raise ValueError(
                f"refusing to load {path}: it names types outside the allowlist: {sorted(refused)}"
            )
        return cls(_with_vocabularies(sio.load(path, trusted=sorted(found))))


def _with_term_arrays(parts: dict[str, Any]) -> dict[str, Any]:
    """A copy of `parts` whose vectorisers keep their terms as one array, not a dict."""
    saved = dict(parts)
    for name in PARTS:
        part = copy.copy(parts[name])
        saved[f"{name}_terms"] = np.asarray(part.get_feature_names_out(), dtype=str)
        for attribute in ("vocabulary_", "feature_names_", "stop_words_"):
            if hasattr(part, attribute):  # stop_words_ is for inspection only
                delattr(part, attribute)
        saved[name] = part
    return saved


def _with_vocabularies(saved: dict[str, Any]) -> dict[str, Any]:
    """Undo `_with_term_arrays`: each vectoriser gets its vocabulary back (files saved
    before vocabularies were arrays already have theirs)."""
    parts = dict(saved)
    for name in (n for n in PARTS if f"{n}_terms" in parts):
        terms = [str(term) for term in parts.pop(f"{name}_terms")]
        parts[name].vocabulary_ = {term: i for i, term in enumerate(terms)}
        if isinstance(parts[name], DictVectorizer):
            parts[name].feature_names_ = terms
    return parts


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


def _inputs(name: str, views: Sequence[BulletView]) -> list[Any]:
    return [v.cues for v in views] if name == "cues" else [v.text for v in views]


def _fit_part(name: str, part: Any, views: Sequence[BulletView]) -> csr_matrix:
    return part.fit_transform(_inputs(name, views))


@Language.factory(
    "jobreq_bullet_classifier",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"top_features": 5},
)
def make_bullet_classifier(nlp: Language, name: str, top_features: int) -> "BulletClassifier":
    return BulletClassifier(nlp, name, top_features=top_features)


class BulletClassifier(Pipe):
    """Label bullets with a trained scikit-learn model."""

    def __init__(
        self, nlp: Language, name: str = "jobreq_bullet_classifier", *, top_features: int = 5
    ) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.top_features = top_features
        self.cues = CueMatcher(read_jsonl(CUES_PATH))
        self.models: dict[str, BulletModel] = {}  # "context" and "text"
        self.cfg: dict[str, Any] = {}
        self._names: dict[str, list[str]] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        train: str | None = None,
        dev: str | None = None,
        weak_labels: str | None = None,
        c_values: list[float] = [1.0],  # noqa: B006 - spaCy passes config lists by value
        class_weights: list[str] = ["none"],  # noqa: B006
        heading_dropout: float = 0.5,
        seed: int = 0,
    ) -> None:
        """Fit on the gold corpus (`train`) or on heading-derived labels (`weak_labels`).

        Two models are fitted: one for bullets in a posting (headings randomly hidden so
        the text carries weight too) and one on text alone, for a bullet with no context.
        """
        from ..training.fit import fit_classifier

        if nlp is None:
            raise ValueError("jobreq_bullet_classifier needs the pipeline to initialise")
        self.models, self.cfg = fit_classifier(
            nlp, self, train=train, dev=dev, weak_labels=weak_labels, c_values=c_values,
            class_weights=class_weights, heading_dropout=heading_dropout, seed=seed,
        )  # fmt: skip
        self._names = {key: model.feature_names() for key, model in self.models.items()}

    def predict(self, views: Sequence[BulletView], context: bool = True) -> tuple[Any, np.ndarray]:
        """Feature rows and label probabilities from the context or the text-only model."""
        return self.models["context" if context else "text"].predict_proba(views)

    def __call__(self, doc: Doc) -> Doc:
        self._label([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Label docs a batch at a time: one vectoriser and model call per batch."""
        for docs in minibatch(stream, size=batch_size):
            self._label(docs)
            yield from docs

    def _label(self, docs: Sequence[Doc]) -> None:
        if not self.models:
            raise ValueError(
                f"{self.name} has no model: train the pipeline with `jobreq train` first"
            )
        jobs: dict[str, list[tuple[Doc, list[Any]]]] = {"context": [], "text": []}
        for doc in docs:
            spans = list(doc.spans.get("bullets", []))
            if spans:
                alone = len(spans) == 1 and not len(doc.spans.get("sections", []))
                jobs["text" if alone else "context"].append((doc, spans))
        for key, items in jobs.items():
            if not items:
                continue
            alone = key == "text"  # a lone bullet with no section: no context to use
            views = []
            for doc, spans in items:
                lookups = DocLookups(doc)
                views.extend(
                    bullet_view(lookups, s, i, len(spans), self.cues, hide_heading=alone)
                    for i, s in enumerate(spans)
                )
            model = self.models[key]
            x, probabilities = model.predict_proba(views)
            best = probabilities.argmax(axis=1)
            explanations = model.explain(x, best, self._names[key], self.top_features)
            row = 0
            for doc, spans in items:
                rows = range(row, row + len(spans))
                row += len(spans)
                self._set_labels(doc, spans, model.classes, probabilities, best, explanations, rows)

    @staticmethod
    def _set_labels(
        doc: Doc,
        spans: list[Any],
        classes: list[str],
        probabilities: np.ndarray,
        best: np.ndarray,
        explanations: list[Any],
        rows: range,
    ) -> None:
        labelled = []
        for span, i in zip(spans, rows, strict=True):
            labelled.append(doc[span.start : span.end])
            labelled[-1].label_ = classes[best[i]]
        doc.spans["bullets"] = labelled
        rounded = probabilities[rows.start : rows.stop].round(4).tolist()
        doc.spans["bullets"].attrs.update(
            {
                "scores": [row[best[i]] for row, i in zip(rounded, rows, strict=True)],
                "all_scores": [dict(zip(classes, row, strict=True)) for row in rounded],
                "explain": [explanations[i] for i in rows],
            }
        )

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        if not self.models:
            raise ValueError(f"{self.name} has no model to save")
        self.models["context"].dump(path / MODEL_FILE)
        self.models["text"].dump(path / TEXT_MODEL_FILE)
        write_jsonl(path / "classifier_cues.jsonl", self.cues.rows)
        cfg = {
            **self.cfg,
            "top_features": self.top_features,
            "sklearn_version": sklearn.__version__,
        }
        (path / "cfg.json").write_text(json.dumps(cfg, indent=2, sort_keys=True), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "BulletClassifier":
        path = ensure_path(path)
        self.cfg = json.loads((path / "cfg.json").read_text(encoding="utf-8"))
        saved = self.cfg.get("sklearn_version", "")
        if saved.split(".")[:2] != sklearn.__version__.split(".")[:2]:
            warnings.warn(
                f"{self.name} was trained with scikit-learn {saved}; {sklearn.__version__} is "
                "installed. Predictions may differ: retrain with `jobreq train`.",
                UserWarning,
                stacklevel=2,
            )
        self.top_features = self.cfg.get("top_features", self.top_features)
        self.cues = CueMatcher(read_jsonl(path / "classifier_cues.jsonl"))
        self.models = {
            "context": BulletModel.load(path / MODEL_FILE),
            "text": BulletModel.load(path / TEXT_MODEL_FILE),
        }
        self._names = {key: model.feature_names() for key, model in self.models.items()}
        return self
