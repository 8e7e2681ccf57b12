"""Doc -> output record: the one place the output contract lives."""

from __future__ import annotations

import bisect
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


def model_info(nlp: Language) -> dict[str, str]:
    """The `model` field: pipeline name and version from its meta.json."""
    meta = nlp.meta
    return {
        "name": f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}",
        "version": meta.get("version", ""),
    }


def to_record(
    doc: Doc, posting_id: str, meta: dict[str, Any], model: dict[str, str]
) -> dict[str, Any]:
    """The JSON-ready record of one processed posting (offsets are into `doc.text`)."""
    sections = [
        {"start": s.start_char, "end": s.end_char, "heading": s.text, "type": s.label_}
        for s in doc.spans["sections"]
    ]
    section_starts = [s["start"] for s in sections]
    bullet_group = doc.spans["bullets"]
    scores = bullet_group.attrs.get("scores", [None] * len(bullet_group))
    bullets = []
    for span, score in zip(bullet_group, scores, strict=True):
        index = bisect.bisect_right(section_starts, span.start_char) - 1
        bullets.append(
            {
                "start": span.start_char,
                "end": span.end_char,
                "text": span.text,
                "section": sections[index]["heading"] if index >= 0 else None,
                "label": span.label_,
                "score": score,
                "skills": [],
                "experience": [],
                "degrees": [],
            }
        )
    return {
        "id": posting_id,
        "sections": sections,
        "bullets": bullets,
        "summary": {},
        "meta": meta,
        "model": model,
    }
