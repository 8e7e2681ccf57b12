"""Doc -> output record: the one place the output contract lives."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .doc_text import doc_text

ENTITY_KEYS = ("skills", "experience", "degrees")


def model_info(nlp: Language) -> dict[str, str]:
    """The `model` field: pipeline name and version from its meta.json."""
    meta = nlp.meta
    name = f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}"
    return {"name": name, "version": meta.get("version", "")}


def _offsets(span: Span) -> dict[str, Any]:
    start, end = span.start_char, span.end_char
    return {"start": start, "end": end, "text": doc_text(span.doc)[start:end]}


def _skill(span: Span) -> dict[str, Any]:
    return {**_offsets(span), **(span._.skill or {}), "requirement": span._.requirement}


def _experience(span: Span) -> dict[str, Any]:
    link = span._.link or {"skills": [], "applies_to": None, "exclusions": []}
    return {**_offsets(span), **(span._.years or {}), **link, "requirement": span._.requirement}


def _degree(span: Span) -> dict[str, Any]:
    return {**_offsets(span), **(span._.degree or {}), "requirement": span._.requirement}


SERIALISERS: dict[str, Callable[[Span], dict[str, Any]]] = {
    "skills": _skill,
    "experience": _experience,
    "degrees": _degree,
}


def to_record(
    doc: Doc, posting_id: str, meta: dict[str, Any], model: dict[str, str]
) -> dict[str, Any]:
    """The JSON-ready record of one processed posting (offsets are into `doc.text`)."""
    sections = []
    for span in doc.spans.get("sections", []):
        offsets = _offsets(span)
        offsets["heading"] = offsets.pop("text")
        sections.append({**offsets, "type": span.label_})
    section_starts = [s["start"] for s in sections]
    bullet_group = doc.spans.get("bullets", [])
    attrs = bullet_group.attrs if bullet_group else {}
    count = len(bullet_group) if bullet_group else 0
    scores = attrs.get("scores", [None] * count)
    all_scores = attrs.get("all_scores", [None] * count)
    explanations = attrs.get("explain", [None] * count)
    bullets = []
    for span, score, label_scores, explain in zip(
        bullet_group or [], scores, all_scores, explanations, strict=True
    ):
        index = bisect.bisect_right(section_starts, span.start_char) - 1
        bullets.append(
            {
                **_offsets(span),
                "section": sections[index]["heading"] if index >= 0 else None,
                "label": span.label_,
                "score": score,
                "scores": label_scores,
                "explain": explain,
                **{key: [] for key in ENTITY_KEYS},
            }
        )
    bullet_starts = [b["start"] for b in bullets]
    outside: dict[str, list[dict[str, Any]]] = {key: [] for key in ENTITY_KEYS}
    for key in ENTITY_KEYS:
        for span in doc.spans.get(key, []):
            item = SERIALISERS[key](span)
            i = bisect.bisect_right(bullet_starts, span.start_char) - 1
            if i >= 0 and span.end_char <= bullets[i]["end"]:
                bullets[i][key].append(item)
            else:
                outside[key].append(item)
    return {
        "id": posting_id,
        "sections": sections,
        "bullets": bullets,
        "entities": outside,
        "summary": doc._.summary if doc.has_extension("summary") and doc._.summary else {},
        "meta": meta,
        "model": model,
    }
