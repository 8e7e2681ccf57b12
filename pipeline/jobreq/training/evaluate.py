"""Measure a pipeline against gold postings and check the figures against floors."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from spacy.language import Language
from spacy.tokens import Doc, Span

from .corpus import LABELS
from .fit import gold_features, predicted_labels

SPAN_KEYS = {"skill": "skills", "experience": "experience", "degree": "degrees"}


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4)}


def _value(kind: str, item: dict[str, Any] | Span) -> Any:
    """The normalised value compared for value accuracy: skill id, (min, max) years, level."""
    if isinstance(item, Span):
        if kind == "skill":
            return item._.skill["id"]
        if kind == "experience":
            return (item._.years["min_years"], item._.years["max_years"])
        return item._.degree["level"]
    if kind == "skill":
        return item["id"]
    if kind == "experience":
        lo, hi = item["min_years"], item.get("max_years")
        return (None if lo is None else float(lo), None if hi is None else float(hi))
    return item["level"]


def _fields(item: dict[str, Any] | Span) -> list[str]:
    """A degree's fields of study, compared without case."""
    fields = item._.degree["fields"] if isinstance(item, Span) else item["fields"]
    return [field.lower() for field in fields]


def _match(
    gold: list[tuple[int, int]], pred: list[tuple[int, int]], exact: bool
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index): equal offsets, or overlapping ones."""
    pairs, used = [], set()
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(pred):
            if pi in used:
                continue
            if (gs, ge) == (ps, pe) if exact else (ps < ge and gs < pe):
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def _link_counts(
    gold: list[dict[str, Any]], pred: list[Span], overlap: list[tuple[int, int]]
) -> dict[str, int]:
    """(duration, skill id) pairs of one posting's gold and predicted links; a predicted
    duration is the gold one it overlaps. `sets_ok`: matched durations with the same skills."""
    gold_of = {p: g for g, p in overlap}
    gold_pairs = {(g, i) for g, e in enumerate(gold) for i in e.get("skills", [])}
    pred_pairs = {
        (gold_of.get(p, -1 - p), i) for p, span in enumerate(pred) for i in span._.link["skills"]
    }
    return {
        "gold": len(gold_pairs),
        "pred": len(pred_pairs),
        "tp": len(gold_pairs & pred_pairs),
        "durations": len(overlap),
        "sets_ok": sum(
            set(gold[g].get("skills", [])) == set(pred[p]._.link["skills"]) for g, p in overlap
        ),
    }


def _gold_levels(
    posting: dict[str, Any], gold: list[dict[str, Any]]
) -> list[tuple[str | None, str | None]]:
    """(level, bullet label) of each gold entity: the level is its own `requirement`, else
    its bullet's label; both are None outside bullets."""
    levels = []
    for e in gold:
        bullet = next(
            (b for b in posting["bullets"] if b["start"] <= e["start"] and e["end"] <= b["end"]),
            None,
        )
        label = bullet["label"] if bullet else None
        levels.append((e.get("requirement") or label, label))
    return levels


def entity_metrics(docs: Iterable[Doc], postings: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Per entity type: exact and overlap P/R/F1, and value accuracy over overlap matches
    (for degrees also `fields_accuracy`: the same list of fields of study, case aside, and
    `in_progress`: P/R/F1 of the degrees still being studied for, among the matched ones).
    Where the gold durations list the skills they measure, `experience.links` scores the
    linker: P/R/F1 of (duration, skill) pairs, and `set_accuracy`, the share of matched
    durations linked to exactly the gold skills. `requirement_accuracy`: the share of matched
    entities inside gold bullets that carry the gold level; `stated_requirement`: how many
    entities have a gold level other than their bullet's label (stated clause by clause),
    and the same share for them."""
    names = ("gold", "pred", "exact", "overlap", "value_ok", "fields_ok")
    names += ("progress_tp", "progress_pred", "progress_gold")
    names += ("level_n", "level_ok", "stated_n", "stated_ok")
    totals = {k: dict.fromkeys(names, 0) for k in SPAN_KEYS}
    links = {"gold": 0, "pred": 0, "tp": 0, "durations": 0, "sets_ok": 0, "postings": 0}
    for doc, posting in zip(docs, postings, strict=True):
        for kind, key in SPAN_KEYS.items():
            gold = [e for e in posting["entities"] if e["type"] == kind]
            pred = list(doc.spans.get(key, []))
            gold_offsets = [(e["start"], e["end"]) for e in gold]
            pred_offsets = [(s.start_char, s.end_char) for s in pred]
            counts = totals[kind]
            counts["gold"] += len(gold)
            counts["pred"] += len(pred)
            counts["exact"] += len(_match(gold_offsets, pred_offsets, exact=True))
            overlap = _match(gold_offsets, pred_offsets, exact=False)
            counts["overlap"] += len(overlap)
            counts["value_ok"] += sum(
                _value(kind, gold[g]) == _value(kind, pred[p]) for g, p in overlap
            )
            if kind == "degree":
                counts["fields_ok"] += sum(_fields(gold[g]) == _fields(pred[p]) for g, p in overlap)
                for g, p in overlap:
                    said, asked = pred[p]._.degree["in_progress"], gold[g].get("in_progress", False)
                    counts["progress_pred"] += said
                    counts["progress_gold"] += asked
                    counts["progress_tp"] += said and asked
            levels = _gold_levels(posting, gold)
            for g, p in overlap:
                level, label = levels[g]
                if level is None:
                    continue
                right = level == pred[p]._.requirement
                counts["level_n"] += 1
                counts["level_ok"] += right
                if level != label:
                    counts["stated_n"] += 1
                    counts["stated_ok"] += right
            if kind == "experience" and any("skills" in e for e in gold):
                links["postings"] += 1
                for name, value in _link_counts(gold, pred, overlap).items():
                    links[name] += value
    metrics: dict[str, Any] = {}
    for kind, c in totals.items():
        metrics[kind] = {
            "gold": c["gold"],
            "predicted": c["pred"],
            "exact": _prf(c["exact"], c["pred"], c["gold"]),
            "overlap": _prf(c["overlap"], c["pred"], c["gold"]),
            "value_accuracy": round(c["value_ok"] / c["overlap"], 4) if c["overlap"] else 0.0,
        }
        if kind == "degree":
            share = c["fields_ok"] / c["overlap"] if c["overlap"] else 0.0
            metrics[kind]["fields_accuracy"] = round(share, 4)
            metrics[kind]["in_progress"] = {
                "gold": c["progress_gold"],
                **_prf(c["progress_tp"], c["progress_pred"], c["progress_gold"]),
            }
        metrics[kind]["requirement_accuracy"] = round(c["level_ok"] / max(c["level_n"], 1), 4)
        if c["stated_n"]:
            metrics[kind]["stated_requirement"] = {
                "entities": c["stated_n"],
                "accuracy": round(c["stated_ok"] / c["stated_n"], 4),
            }
    if links["postings"]:
        metrics["experience"]["links"] = {
            "postings": links["postings"],
            "gold": links["gold"],
            "predicted": links["pred"],
            **_prf(links["tp"], links["pred"], links["gold"]),
            "set_accuracy": round(links["sets_ok"] / max(links["durations"], 1), 4),
        }
    return metrics


def label_metrics(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    """Per-label P/R/F1, macro-F1 over the four labels, accuracy and the confusion matrix."""
    p, r, f, support = precision_recall_fscore_support(
        gold, predicted, labels=list(LABELS), zero_division=0
    )
    rows = list(LABELS) + sorted(set(predicted) - set(LABELS))
    return {
        "bullets": len(gold),
        "macro_f1": round(float(f.mean()), 4),
        "accuracy": round(sum(g == q for g, q in zip(gold, predicted, strict=True)) / len(gold), 4)
        if gold
        else 0.0,
        "per_label": {
            label: {
                "p": round(float(p[i]), 4),
                "r": round(float(r[i]), 4),
                "f": round(float(f[i]), 4),
                "n": int(support[i]),
            }
            for i, label in enumerate(LABELS)
        },
        "confusion": {
            "labels": rows,
            "matrix": confusion_matrix(gold, predicted, labels=rows).tolist(),
        },
    }


def bullet_metrics(nlp: Language, postings: list[dict[str, Any]]) -> dict[str, Any]:
    """Classifier on gold bullets with and without headings, and the whole pipeline end to end."""
    classifier = nlp.get_pipe("jobreq_bullet_classifier")
    gold = [b["label"] for p in postings for b in p["bullets"]]
    result = {}
    for name, hide in (("with_headings", False), ("without_headings", True)):
        features = gold_features(nlp, classifier, postings, hide).features
        model = classifier.models["text" if hide else "context"]
        result[name] = label_metrics(gold, predicted_labels(model, features))
    predicted = []
    for posting, doc in zip(postings, nlp.pipe(p["text"] for p in postings), strict=True):
        spans = [(b.start_char, b.end_char, b.label_) for b in doc.spans["bullets"]]
        for bullet in posting["bullets"]:
            overlaps = [
                (min(e, bullet["end"]) - max(s, bullet["start"]), label) for s, e, label in spans
            ]
            best = max(overlaps, default=(0, "missed"))
            predicted.append(best[1] if best[0] > 0 else "missed")
    result["end_to_end"] = label_metrics(gold, predicted)
    return result


def evaluate(nlp: Language, postings: list[dict[str, Any]], batch_size: int = 32) -> dict[str, Any]:
    docs = nlp.pipe((p["text"] for p in postings), batch_size=batch_size)
    metrics: dict[str, Any] = {
        "postings": len(postings),
        "entities": entity_metrics(docs, postings),
    }
    if "jobreq_bullet_classifier" in nlp.pipe_names:
        metrics["bullets"] = bullet_metrics(nlp, postings)
    return metrics


def flatten(metrics: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """{"entities": {"skill": {"overlap": {"f": 0.8}}}} -> {"entities.skill.overlap.f": 0.8}."""
    flat: dict[str, float] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat[name] = value
    return flat


def check_thresholds(metrics: dict[str, Any], thresholds_path: str | Path) -> list[str]:
    """Every figure below its floor, as a message; thresholds may be nested like the metrics."""
    floors = flatten(json.loads(Path(thresholds_path).read_text(encoding="utf-8")))
    floors = {k: v for k, v in floors.items() if not k.startswith("_")}
    flat = flatten(metrics)
    failures = []
    for name, floor in sorted(floors.items()):
        if name not in flat:
            failures.append(f"{name}: not measured (floor {floor})")
        elif flat[name] < floor:
            failures.append(f"{name}: {flat[name]:.4f} is below the floor {floor}")
    return failures
