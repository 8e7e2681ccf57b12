"""Fit the bullet classifier: corpus (or weak labels) -> features -> model chosen on dev."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from sklearn.metrics import f1_score
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from ..bullet_features import Features, PostingBullets
from .corpus import LABELS, read_corpus

CHUNK = 256  # docs featurised at a time
BOOTSTRAP_SAMPLES = 500  # resamples of dev postings for the standard error of macro-F1


class Labelled(NamedTuple):
    """Bullets' features and gold labels, with the index of each bullet's posting."""

    features: Features
    labels: list[str]
    postings: np.ndarray


if TYPE_CHECKING:
    from ..bullet_model import BulletModel
    from ..components.classifier import BulletClassifier


def preceding_docs(nlp: Language, upto: str, texts: Sequence[str]) -> Iterator[Doc]:
    """Docs processed by every component before `upto`."""
    names = nlp.pipe_names[: nlp.pipe_names.index(upto)]
    with nlp.select_pipes(enable=names):
        yield from nlp.pipe(texts, batch_size=32)


def gold_features(
    nlp: Language,
    component: BulletClassifier,
    postings: list[dict[str, Any]],
    hide: float | bool,
    seed: int = 0,
    with_names: bool = False,
) -> Labelled:
    """Features and labels of gold bullets; `hide` is True, False or the chance of hiding
    each bullet's context. Docs are featurised a chunk at a time, never all kept."""
    rng = random.Random(seed)
    docs = preceding_docs(nlp, component.name, [p["text"] for p in postings])
    chunks, labels = [], []
    for chunk in minibatch(zip(postings, docs, strict=True), size=CHUNK):
        items = []
        for posting, doc in chunk:
            bounds, hidden = [], []
            for bullet in posting["bullets"]:
                span = doc.char_span(bullet["start"], bullet["end"], alignment_mode="expand")
                bounds.append((span.start, span.end))
                hidden.append(hide if isinstance(hide, bool) else rng.random() < hide)
                labels.append(bullet["label"])
            items.append(PostingBullets.of(doc, bounds, hidden))
        chunks.append(component.featurize(items, with_names=with_names))
    counts = [len(posting["bullets"]) for posting in postings]
    return _labelled(chunks, labels, counts)


def weak_features(
    nlp: Language, component: BulletClassifier, postings: list[dict[str, Any]], with_names: bool
) -> Labelled:
    """Bullets under recognised headings, labelled by the heading's type, context hidden."""
    docs = preceding_docs(nlp, component.name, [p["text"] for p in postings])
    chunks, labels, counts = [], [], []
    for chunk in minibatch(docs, size=CHUNK):
        items = []
        for doc in chunk:
            kept = [s for s in doc.spans["bullets"] if s.label_ in LABELS]
            items.append(PostingBullets.of(doc, [(s.start, s.end) for s in kept], True))
            labels.extend(s.label_ for s in kept)
            counts.append(len(kept))
        chunks.append(component.featurize(items, with_names=with_names))
    return _labelled(chunks, labels, counts)


def _labelled(chunks: list[Features], labels: list[str], counts: list[int]) -> Labelled:
    """Labelled bullets from featurised chunks and the number of bullets of each posting."""
    return Labelled(Features.concat(chunks), labels, np.repeat(np.arange(len(counts)), counts))


def predicted_labels(model: BulletModel, features: Features) -> list[str]:
    _, probabilities = model.predict_proba(features)
    return [model.classes[i] for i in probabilities.argmax(axis=1)]


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return float(f1_score(gold, predicted, labels=list(LABELS), average="macro", zero_division=0))


def bootstrap_error(
    gold: Sequence[str], predicted: Sequence[str], postings: np.ndarray, seed: int
) -> float:
    """Standard error of macro-F1 over postings resampled with replacement (a posting's
    bullets move together: they share a writer and a layout, so they are not independent)."""
    rng = np.random.default_rng(seed)
    gold_array, predicted_array = np.asarray(gold), np.asarray(predicted)
    order = np.argsort(postings, kind="stable")
    members = np.split(order, np.flatnonzero(np.diff(postings[order])) + 1)
    scores = []
    for _ in range(BOOTSTRAP_SAMPLES):
        drawn = rng.integers(0, len(members), len(members))
        sample = np.concatenate([members[i] for i in drawn])
        scores.append(macro_f1(gold_array[sample], predicted_array[sample]))
    return float(np.std(scores))


def _sha256(paths: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _select(
    train: Labelled,
    dev: Labelled,
    c_values: Sequence[float],
    class_weights: Sequence[str],
    seed: int,
) -> tuple[BulletModel, list[dict[str, Any]]]:
    """Fit one model per (C, class weight) and score each on dev; keep the most regularised
    one (smallest C) whose dev macro-F1 is within one bootstrap standard error of the best.

    This is the one-standard-error rule: dev differences smaller than that are noise of the
    split, and the stronger prior carries better to postings written by others."""
    from ..bullet_model import BulletModel

    fitted = []
    for c in c_values:
        for weight in class_weights:
            class_weight = None if weight == "none" else weight
            model = BulletModel.fit(train.features, train.labels, c, class_weight, seed)
            predicted = predicted_labels(model, dev.features)
            fitted.append((c, weight, model, predicted, macro_f1(dev.labels, predicted)))
    best = max(fitted, key=lambda f: f[4])
    error = bootstrap_error(dev.labels, best[3], dev.postings, seed)
    chosen = min((f for f in fitted if f[4] >= best[4] - error), key=lambda f: (f[0], -f[4]))
    table = []
    for entry in fitted:
        c, weight, _, _, score = entry
        table.append(
            {
                "c": c,
                "class_weight": weight,
                "dev_macro_f1": round(score, 4),
                "dev_standard_error": round(error, 4) if entry is best else None,
                "chosen": entry is chosen,
            }
        )
    return chosen[2], table


def fit_classifier(
    nlp: Language,
    component: BulletClassifier,
    *,
    train: str | None,
    dev: str | None,
    weak_labels: str | None,
    c_values: Sequence[float],
    class_weights: Sequence[str],
    heading_dropout: float,
    seed: int,
) -> tuple[dict[str, BulletModel], dict[str, Any]]:
    """The context model (chosen on dev with headings) and the text-only model (chosen on dev
    without them), from gold bullets or from heading-derived weak labels. Without a dev
    file, every tenth training posting is held out to choose on."""
    source = weak_labels or train
    if not source:
        raise ValueError(
            "jobreq_bullet_classifier needs training data: set `train` or `weak_labels`"
        )
    postings = read_corpus(source)
    if dev:
        dev_postings = read_corpus(dev)
    else:
        dev_postings = postings[::10]
        postings = [p for i, p in enumerate(postings) if i % 10]
    if weak_labels:
        context_data = text_data = weak_features(nlp, component, postings, with_names=True)
    else:
        context_data = gold_features(nlp, component, postings, heading_dropout, seed, True)
        text_data = gold_features(nlp, component, postings, True, with_names=True)
    if weak_labels and not dev:  # held-out raw postings, labelled by their headings too
        dev_context = dev_text = weak_features(nlp, component, dev_postings, with_names=False)
    else:
        dev_context = gold_features(nlp, component, dev_postings, False)
        dev_text = gold_features(nlp, component, dev_postings, True)
    if not context_data.labels:
        raise ValueError(f"no labelled bullets found in {source}")
    context_model, context_table = _select(context_data, dev_context, c_values, class_weights, seed)
    text_model, text_table = _select(text_data, dev_text, c_values, class_weights, seed)
    cfg = {
        "labels": list(LABELS),
        "training": "weak_labels" if weak_labels else "gold",
        "train_bullets": len(context_data.labels),
        "data_sha256": _sha256([source] + ([dev] if dev else [])),
        "heading_dropout": heading_dropout,
        "seed": seed,
        "selection": {"context": context_table, "text": text_table},
    }
    return {"context": context_model, "text": text_model}, cfg
