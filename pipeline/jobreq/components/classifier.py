"""`jobreq_bullet_classifier`: each bullet as duty, basic, preferred or other.

A scikit-learn model over features read from spaCy's token arrays (word and word-pair
TF-IDF, heading words, cue phrases, position, first word and its parts of speech; see
`bullet_features`), a logistic regression, saved as plain arrays through spaCy's msgpack
serialisation (see `bullet_model`). Bullet spans get the predicted label;
``doc.spans["bullets"].attrs`` holds ``scores`` (probability of the label), ``all_scores``
(every label) and ``explain`` (the features that most favour the label over the next most
likely one).
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments
# from their real annotations.

import json
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import ensure_path, minibatch

from ..bullet_features import (
    BulletFeaturizer,
    CueMatcher,
    Features,
    PostingBullets,
    first_word_lookups,
)
from ..bullet_model import BulletModel
from .ruler import read_jsonl, write_jsonl

LABELS = ("duty", "basic", "preferred", "other")
CUES_PATH = Path(__file__).parent / "classifier_cues.jsonl"
MODEL_FILE = "model.msgpack"  # the model for bullets seen in their posting
TEXT_MODEL_FILE = "text_model.msgpack"  # the model for a bullet with no context at all


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
        self._make_doc = nlp.make_doc
        self.top_features = top_features
        self.lookups = Lookups()
        self.featurizer = BulletFeaturizer(
            CueMatcher(read_jsonl(CUES_PATH), nlp.make_doc), self.lookups
        )
        self.models: dict[str, BulletModel] = {}  # "context" and "text"
        self.cfg: dict[str, Any] = {}

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
        self.lookups = first_word_lookups(nlp.lang)
        self.featurizer = BulletFeaturizer(self.featurizer.cues, self.lookups)
        self.models, self.cfg = fit_classifier(
            nlp, self, train=train, dev=dev, weak_labels=weak_labels, c_values=c_values,
            class_weights=class_weights, heading_dropout=heading_dropout, seed=seed,
        )  # fmt: skip

    def featurize(self, items: Sequence[PostingBullets], with_names: bool = False) -> Features:
        return self.featurizer.featurize(items, with_names=with_names)

    def predict(
        self, items: Sequence[PostingBullets], context: bool = True
    ) -> tuple[Any, np.ndarray]:
        """Feature rows and label probabilities from the context or the text-only model."""
        return self.models["context" if context else "text"].predict_proba(self.featurize(items))

    def __call__(self, doc: Doc) -> Doc:
        self._label([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Label docs a batch at a time: one featurizer and model call per batch."""
        for docs in minibatch(stream, size=batch_size):
            self._label(docs)
            yield from docs

    def _label(self, docs: Sequence[Doc]) -> None:
        if not self.models:
            raise ValueError(
                f"{self.name} has no model: train the pipeline with `jobreq train` first"
            )
        jobs: dict[str, list[PostingBullets]] = {"context": [], "text": []}
        for doc in docs:
            spans = doc.spans.get("bullets", [])
            if len(spans):
                # a lone bullet with no section has no context to use
                alone = len(spans) == 1 and not len(doc.spans.get("sections", []))
                key = "text" if alone else "context"
                jobs[key].append(PostingBullets.of(doc, [(s.start, s.end) for s in spans], alone))
        for key, items in jobs.items():
            if not items:
                continue
            model = self.models[key]
            x, probabilities = self.predict(items, context=key == "context")
            ranked = np.argsort(-probabilities, axis=1, kind="stable")
            best = ranked[:, 0]
            runners_up = ranked[:, 1] if ranked.shape[1] > 1 else best
            explanations = model.explain(x, best, runners_up, self.top_features)
            rounded = probabilities.round(4).tolist()
            row = 0
            for item in items:
                rows = slice(row, row + len(item.starts))
                row = rows.stop
                self._set_labels(item, model.classes, best[rows], rounded[rows], explanations[rows])

    @staticmethod
    def _set_labels(
        item: PostingBullets,
        classes: list[str],
        best: np.ndarray,
        probabilities: list[list[float]],
        explanations: list[Any],
    ) -> None:
        doc = item.doc
        labelled = []
        for start, end, i in zip(
            item.starts.tolist(), item.ends.tolist(), best.tolist(), strict=True
        ):
            labelled.append(doc[start:end])
            labelled[-1].label_ = classes[i]
        doc.spans["bullets"] = labelled
        doc.spans["bullets"].attrs.update(
            {
                "scores": [row[i] for row, i in zip(probabilities, best.tolist(), strict=True)],
                "all_scores": [dict(zip(classes, row, strict=True)) for row in probabilities],
                "explain": explanations,
            }
        )

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        if not self.models:
            raise ValueError(f"{self.name} has no model to save")
        self.models["context"].dump(path / MODEL_FILE)
        self.models["text"].dump(path / TEXT_MODEL_FILE)
        write_jsonl(path / "classifier_cues.jsonl", self.featurizer.cues.rows)
        self.lookups.to_disk(path)
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
        self.lookups = Lookups().from_disk(path)
        cues = CueMatcher(read_jsonl(path / "classifier_cues.jsonl"), self._make_doc)
        self.featurizer = BulletFeaturizer(cues, self.lookups)
        self.models = {
            "context": BulletModel.load(path / MODEL_FILE),
            "text": BulletModel.load(path / TEXT_MODEL_FILE),
        }
        return self
