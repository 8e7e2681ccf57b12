"""The annotated corpus: format, loading and validation.

One posting a line (``corpus/{train,dev,test}.jsonl``)::

    {"id": "A-001", "occupation": "data engineer", "seniority": "senior", "format": [...],
     "text": "...",
     "bullets": [{"start": 0, "end": 21, "label": "other"}, ...],
     "entities": [{"start": 40, "end": 46, "type": "skill", "id": "python"},
                  {"start": 50, "end": 58, "type": "experience", "min_years": 3, "max_years": null,
                   "skills": ["python"]},
                  {"start": 70, "end": 80, "type": "degree", "level": "bachelor",
                   "fields": ["Computer Science"], "equivalent_experience": true}]}

Offsets are Python string indices into ``text``. A degree still being studied for ("pursuing
a BS", "PhD program") has ``"in_progress": true``. Gold for the linker, where annotated: an
experience entity's ``skills`` lists the ids of the posting's skills whose experience it
measures, and any entity's ``requirement`` is the level it carries when its bullet states
one clause by clause (otherwise it carries its bullet's label).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..components.degrees import LEVELS
from ..components.ruler import read_jsonl, write_jsonl
from ..taxonomy import Taxonomy

LABELS = ("duty", "basic", "preferred", "other")
ENTITY_TYPES = ("skill", "experience", "degree")


read_corpus = read_jsonl
write_corpus = write_jsonl


def _span_problems(item: dict[str, Any], text: str) -> Iterator[str]:
    start, end = item.get("start"), item.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        yield f"offsets {start}:{end} are outside the text"
    elif text[start:end] != text[start:end].strip():
        yield f"span {start}:{end} {text[start:end]!r} has surrounding whitespace"


def _entity_problems(entity: dict[str, Any], taxonomy: Taxonomy | None) -> Iterator[str]:
    kind = entity.get("type")
    if entity.get("requirement", LABELS[0]) not in LABELS:
        yield f"requirement {entity.get('requirement')!r} is not one of {', '.join(LABELS)}"
    if kind == "skill":
        if taxonomy is not None and entity.get("id") not in taxonomy:
            yield f"skill id {entity.get('id')!r} is not in the taxonomy"
    elif kind == "experience":
        lo, hi = entity.get("min_years"), entity.get("max_years")
        # both None: a duration that names no number ("several years of experience")
        numbers = all(v is None or isinstance(v, (int, float)) for v in (lo, hi))
        if not numbers or (lo is None and hi is not None):
            yield f"experience years {lo!r}-{hi!r} are not numbers"
        elif lo is not None and hi is not None and hi < lo:
            yield f"experience max_years {hi} is below min_years {lo}"
        linked = entity.get("skills", [])
        if not (isinstance(linked, list) and all(isinstance(i, str) for i in linked)):
            yield "experience skills must be a list of skill ids"
    elif kind == "degree":
        if entity.get("level") not in (*LEVELS, "unspecified"):
            yield f"degree level {entity.get('level')!r} is unknown"
        if not isinstance(entity.get("fields", []), list):
            yield "degree fields must be a list"
        if not isinstance(entity.get("in_progress", False), bool):
            yield "degree in_progress must be true or false"
    else:
        yield f"entity type {kind!r} is not one of {', '.join(ENTITY_TYPES)}"


def validate_posting(posting: dict[str, Any], taxonomy: Taxonomy | None = None) -> list[str]:
    """Problems with one annotated posting (empty when it is valid)."""
    text = posting.get("text")
    if not isinstance(text, str) or not text.strip():
        return ["'text' is missing or empty"]
    problems: list[str] = []
    previous_end = 0
    for bullet in posting.get("bullets", []):
        problems.extend(f"bullet: {p}" for p in _span_problems(bullet, text))
        if bullet.get("label") not in LABELS:
            problems.append(
                f"bullet {bullet.get('start')}: label {bullet.get('label')!r} is unknown"
            )
        if isinstance(bullet.get("start"), int) and bullet["start"] < previous_end:
            problems.append(f"bullet {bullet['start']}: overlaps the previous bullet")
        previous_end = max(
            previous_end, bullet.get("end", 0) if isinstance(bullet.get("end"), int) else 0
        )
    entities = posting.get("entities", [])
    skill_ids = {e.get("id") for e in entities if e.get("type") == "skill"}
    for entity in entities:
        problems.extend(f"entity: {p}" for p in _span_problems(entity, text))
        problems.extend(
            f"entity {entity.get('start')}: {p}" for p in _entity_problems(entity, taxonomy)
        )
        linked = entity.get("skills") if entity.get("type") == "experience" else None
        if isinstance(linked, list):
            problems.extend(
                f"entity {entity.get('start')}: links skill {i!r}, which no skill of the "
                "posting has"
                for i in linked
                if i not in skill_ids
            )
    return problems


def validate_corpus(paths: Iterable[str | Path], taxonomy: Taxonomy | None = None) -> list[str]:
    """Problems across corpus files, each prefixed with file, line and posting id."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        for number, posting in enumerate(read_corpus(path), 1):
            where = f"{path}:{number} ({posting.get('id')})"
            if posting.get("id") in seen:
                problems.append(f"{where}: id also used at {seen[posting['id']]}")
            seen[posting.get("id")] = where
            problems.extend(f"{where}: {p}" for p in validate_posting(posting, taxonomy))
    return problems


def corpus_stats(paths: Iterable[str | Path]) -> dict[str, Any]:
    """Counts for a datasheet: postings, bullets per label, entities per type, occupations."""
    stats: dict[str, Any] = {
        "postings": 0,
        "bullets": 0,
        "labels": {},
        "entities": {},
        "occupations": {},
    }
    seniority: dict[str, int] = {}
    for path in paths:
        for posting in read_corpus(path):
            stats["postings"] += 1
            stats["bullets"] += len(posting["bullets"])
            for bullet in posting["bullets"]:
                stats["labels"][bullet["label"]] = stats["labels"].get(bullet["label"], 0) + 1
            for entity in posting["entities"]:
                stats["entities"][entity["type"]] = stats["entities"].get(entity["type"], 0) + 1
            occupation = posting.get("occupation", "unknown")
            stats["occupations"][occupation] = stats["occupations"].get(occupation, 0) + 1
            level = posting.get("seniority", "unknown")
            seniority[level] = seniority.get(level, 0) + 1
    stats["seniority"] = seniority
    return stats
