"""Fit the bullet classifier: corpus (or weak labels) -> views -> model chosen on dev."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sklearn.metrics import f1_score
from spacy.language import Language
from spacy.tokens import Doc

from ..bullet_features import BulletView, DocLookups, bullet_view
from .corpus import LABELS, read_corpus

if TYPE_CHECKING:
    from ..components.classifier import BulletClassifier, BulletModel


def preceding_docs(nlp: Language, upto: str, texts: Sequence[str]) -> Iterator[Doc]:
    """Docs processed by every component before `upto`."""
    names = nlp.pipe_names[: nlp.pipe_names.index(upto)]
    with nlp.select_pipes(enable=names):
        yield from nlp.pipe(texts, batch_size=32)


def gold_views(
    nlp: Language,
    component: BulletClassifier,
    postings: list[dict[str, Any]],
    hide: float | bool,
    seed: int = 0,
) -> tuple[list[BulletView], list[str]]:
    """Views and labels of gold bullets; `hide` is True, False or the chance of hiding context."""
    rng = random.Random(seed)
    views, labels = [], []
    for posting, doc in zip(
        postings, preceding_docs(nlp, component.name, [p["text"] for p in postings]), strict=True
    ):
        bullets = posting["bullets"]
        lookups = DocLookups(doc)
        for i, bullet in enumerate(bullets):
            span = doc.char_span(bullet["start"], bullet["end"], alignment_mode="expand")
            hidden = hide if isinstance(hide, bool) else rng.random() < hide
            views.append(
                bullet_view(lookups, span, i, len(bullets), component.cues, hide_heading=hidden)
            )
            labels.append(bullet["label"])
    return views, labels


def weak_views(
    nlp: Language, component: BulletClassifier, postings: list[dict[str, Any]]
) -> tuple[list[BulletView], list[str]]:
    """Bullets under recognised headings, labelled by the heading's type, with headings hidden."""
    views, labels = [], []
    for doc in preceding_docs(nlp, component.name, [p["text"] for p in postings]):
        bullets = list(doc.spans["bullets"])
        lookups = DocLookups(doc)
        for i, span in enumerate(bullets):
            if span.label_ in LABELS:
                views.append(
                    bullet_view(lookups, span, i, len(bullets), component.cues, hide_heading=True)
                )
                labels.append(span.label_)
    return views, labels


def macro_f1(model: BulletModel, views: list[BulletView], labels: list[str]) -> float:
    _, probabilities = model.predict_proba(views)
    predicted = [model.classes[i] for i in probabilities.argmax(axis=1)]
    return round(
        float(f1_score(labels, predicted, labels=list(LABELS), average="macro", zero_division=0)), 4
    )


def _sha256(paths: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _select(
    views: list[BulletView],
    labels: list[str],
    dev: tuple[list[BulletView], list[str]],
    c_values: Sequence[float],
    class_weights: Sequence[str],
    seed: int,
) -> tuple[BulletModel, list[dict[str, Any]]]:
    """Fit one model per (C, class weight); keep the best by dev macro-F1."""
    from ..components.classifier import BulletModel

    table, best, best_score = [], None, -1.0
    for c in c_values:
        for weight in class_weights:
            model = BulletModel.fit(views, labels, c, None if weight == "none" else weight, seed)
            score = macro_f1(model, *dev)
            table.append({"c": c, "class_weight": weight, "dev_macro_f1": score})
            if score > best_score:
                best, best_score = model, score
    return best, table


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
    without them), from gold bullets or from heading-derived weak labels."""
    if weak_labels:
        raw = [{"text": p["text"]} for p in read_corpus(weak_labels)]
        context_data = text_data = weak_views(nlp, component, raw)
        source = [weak_labels]
    elif train:
        postings = read_corpus(train)
        context_data = gold_views(nlp, component, postings, heading_dropout, seed)
        text_data = gold_views(nlp, component, postings, True)
        source = [train]
    else:
        raise ValueError(
            "jobreq_bullet_classifier needs training data: set `train` or `weak_labels`"
        )
    if not context_data[0]:
        raise ValueError(f"no labelled bullets found in {source[0]}")
    if dev:
        dev_postings = read_corpus(dev)
        dev_context = gold_views(nlp, component, dev_postings, False)
        dev_text = gold_views(nlp, component, dev_postings, True)
    else:  # hold out every tenth training bullet
        held = [i % 10 == 0 for i in range(len(context_data[0]))]

        def part(data: tuple[list, list], keep: bool) -> tuple[list, list]:
            return tuple(
                [x for x, h in zip(column, held, strict=True) if h == keep] for column in data
            )

        dev_context, dev_text = part(context_data, True), part(text_data, True)
        context_data, text_data = part(context_data, False), part(text_data, False)
    context_model, context_table = _select(
        *context_data, dev_context, c_values, class_weights, seed
    )
    text_model, text_table = _select(*text_data, dev_text, c_values, class_weights, seed)
    cfg = {
        "labels": list(LABELS),
        "training": "weak_labels" if weak_labels else "gold",
        "train_bullets": len(context_data[0]),
        "data_sha256": _sha256(source + ([dev] if dev else [])),
        "heading_dropout": heading_dropout,
        "seed": seed,
        "selection": {"context": context_table, "text": text_table},
    }
    return {"context": context_model, "text": text_model}, cfg
