"""Annotated postings written as ordered substrings, added to the corpus with offsets.

Writing offsets by hand is error-prone, so postings are annotated in the draft format of
`corpus/drafts/GUIDELINES.md`: bullets as ``[label, exact_text]`` and entities as
``[type, surface, ...values]`` (optionally ending in an object of gold extras such as
``{"skills": [...]}`` or ``{"requirement": "preferred"}``), each found in the text in order
of appearance. `add_drafts`
turns a draft file into corpus postings (see `corpus.py` for that format), resolves each
skill to a taxonomy id, assigns each posting to a split by a fixed rule and appends them to
the corpus files. A draft with any problem stops the whole file: nothing is written, and
every problem is reported with its posting id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..components.ruler import read_jsonl
from ..engine.output import replace_atomically
from ..taxonomy import Taxonomy, entry_problems
from .corpus import read_corpus, validate_posting

if TYPE_CHECKING:
    from spacy.language import Language

SPLITS = ("train", "dev", "test")
POSTING_KEYS = ("id", "occupation", "seniority", "format", "text")
EXTRAS = {
    "requirement": ("skill", "experience", "degree"),
    "skills": ("experience",),
    "in_progress": ("degree",),
}


class DraftError(ValueError):
    """Problems with draft postings, one line each, every line naming its posting."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def split_of(index: int) -> str:
    """The split of a batch's `index`-th posting in id order: every tenth to test, every
    tenth offset by five to dev, the rest to train (the rule the corpus was split by)."""
    return "test" if index % 10 == 0 else "dev" if index % 10 == 5 else "train"


class SkillResolver:
    """Maps a draft's skill (its own id and surface) to a taxonomy id: the draft id when the
    taxonomy has it, else the one skill with a name or alias that the writer listed for the
    draft id (`corpus/drafts/skills_<X>.jsonl`), tried in the writer's order, else the one
    skill with the surface as a name or alias ("CAD" alone is ambiguous; the writer's
    "Computer-aided dispatch" is not). With `learn_new`, a listed skill that still matches
    nothing is added to the taxonomy from the writer's entry and kept in `learnt`."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        draft_skills: Iterable[dict[str, Any]] = (),
        learn_new: bool = False,
    ) -> None:
        self.taxonomy = taxonomy
        self.by_alias: dict[str, set[str]] = {}
        for skill_id in taxonomy.skills:
            self._index(skill_id)
        self.draft_entries = {entry["id"]: entry for entry in draft_skills}
        self.draft_names = {
            skill_id: [entry.get("name", ""), *entry.get("aliases", [])]
            for skill_id, entry in self.draft_entries.items()
        }
        self.learn_new = learn_new
        self.learnt: list[dict[str, Any]] = []

    def _index(self, skill_id: str) -> None:
        for alias in self.taxonomy[skill_id].aliases:
            self.by_alias.setdefault(alias.lower(), set()).add(skill_id)

    def __call__(self, draft_id: str, surface: str) -> str | None:
        """The taxonomy id, or None; raises ValueError when a skill to learn has an invalid
        entry in the writer's list."""
        if draft_id in self.taxonomy:
            return draft_id
        for name in (*self.draft_names.get(draft_id, []), surface):
            ids = self.by_alias.get(name.lower(), set())
            if len(ids) == 1:
                return next(iter(ids))
        if self.learn_new and draft_id in self.draft_entries:
            return self._learn(draft_id)
        return None

    def _learn(self, draft_id: str) -> str:
        fields = ("id", "name", "category", "aliases", "case_sensitive", "needs_context")
        listed = self.draft_entries[draft_id]
        entry = {key: listed[key] for key in fields if key in listed}
        problems = entry_problems(entry)
        if problems:
            raise ValueError(f"skills list entry {draft_id!r}: {'; '.join(problems)}")
        self.taxonomy.add(entry)
        self._index(draft_id)
        self.learnt.append(entry)
        return draft_id


def from_draft(draft: dict[str, Any], resolve: SkillResolver) -> tuple[dict[str, Any], list[str]]:
    """The corpus posting for one draft, and the problems found (empty when it is valid)."""
    text = draft.get("text", "")
    posting = {key: draft[key] for key in POSTING_KEYS if key in draft}
    problems: list[str] = []
    bullets, position = [], 0
    for item in draft.get("bullets", []):
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)):
            problems.append(f"bullet {item!r} is not [label, exact_text]")
            continue
        label, exact = item
        start = text.find(exact, position) if exact else -1
        if start < 0:
            problems.append(f"bullet {exact[:60]!r} is not in the text after the one before")
            continue
        bullets.append({"start": start, "end": start + len(exact), "label": label})
        position = start + len(exact)
    entities, previous = [], -1
    links: list[dict[str, Any]] = []  # durations that name the skills they measure
    resolved: dict[str, str] = {}  # the draft's skill id -> the taxonomy id
    for item in draft.get("entities", []):
        if not (isinstance(item, list) and len(item) >= 2 and isinstance(item[1], str)):
            problems.append(f"entity {item!r} is not [type, surface, values...]")
            continue
        kind, surface, *values = item
        extras = values.pop() if values and isinstance(values[-1], dict) else {}
        start = text.find(surface, previous + 1) if surface else -1
        if start < 0:
            problems.append(f"{kind} {surface!r} is not in the text after the one before")
            continue
        previous = start
        entity: dict[str, Any] = {"start": start, "end": start + len(surface), "type": kind}
        unknown = [key for key in extras if kind not in EXTRAS.get(key, ())]
        if unknown:
            problems.append(f"{kind} {surface!r} cannot have {', '.join(map(repr, unknown))}")
            continue
        if kind == "skill" and len(values) == 1:
            try:
                entity["id"] = resolve(values[0], surface)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if entity["id"] is None:
                problems.append(
                    f"skill {surface!r} (draft id {values[0]!r}) matches no taxonomy skill: "
                    "add it to a taxonomy file"
                )
            else:
                resolved.setdefault(values[0], entity["id"])
        elif kind == "experience" and len(values) == 2:
            entity["min_years"], entity["max_years"] = values
            if "skills" in extras:  # the skills it measures, by the ids the draft gave them
                links.append(entity)
        elif kind == "degree" and len(values) == 3:
            entity["level"], entity["fields"], entity["equivalent_experience"] = values
        else:
            problems.append(f"{kind} {surface!r} has values {values!r} of the wrong shape")
            continue
        entity.update(extras)
        entities.append(entity)
    for entity in links:
        if isinstance(entity["skills"], list):
            entity["skills"] = [resolved.get(i, i) for i in entity["skills"]]
    posting["bullets"], posting["entities"] = bullets, entities
    if not problems:
        problems = validate_posting(posting, resolve.taxonomy)
    return posting, problems


def add_drafts(
    draft_path: str | Path,
    corpus_dir: str | Path,
    resolve: SkillResolver,
    write: bool = True,
    new_skills: str | Path | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Convert every posting of `draft_path` and append it to ``corpus_dir/<split>.jsonl``
    (only check them when `write` is false); returns the postings of each split. The skills
    `resolve` learnt from the writer's list are appended to the taxonomy file `new_skills`.
    Raises `DraftError` and writes nothing when any posting has a problem or an id the
    corpus already holds."""
    corpus_dir = Path(corpus_dir)
    existing = {
        posting["id"]
        for split in SPLITS
        if (corpus_dir / f"{split}.jsonl").exists()
        for posting in read_corpus(corpus_dir / f"{split}.jsonl")
    }
    drafts = sorted(read_jsonl(draft_path), key=lambda d: str(d.get("id")))
    problems: list[str] = []
    added: dict[str, list[dict[str, Any]]] = {split: [] for split in SPLITS}
    for index, draft in enumerate(drafts):
        where = f"{draft_path} ({draft.get('id')})"
        if draft.get("id") in existing:
            problems.append(f"{where}: the corpus already has this id")
        existing.add(draft.get("id"))
        posting, found = from_draft(draft, resolve)
        problems.extend(f"{where}: {problem}" for problem in found)
        added[split_of(index)].append(posting)
    if problems:
        raise DraftError(problems)
    for split, postings in added.items():
        if postings and write:
            _append(corpus_dir / f"{split}.jsonl", postings)
    if resolve.learnt and write and new_skills:
        _append(Path(new_skills), resolve.learnt)
    return added


def segmenter_differences(
    nlp: Language, postings: Sequence[dict[str, Any]]
) -> list[tuple[str, str]]:
    """(posting id, what differs) wherever a posting's gold bullets are not the bullets
    `nlp`'s segmenter cuts: a gold bullet it does not cut, or a bullet it cuts that the gold
    lacks (often a heading the lexicon does not know, or a line the writer took for one)."""
    differences = []
    with nlp.select_pipes(enable=["jobreq_segmenter"]):
        for posting, doc in zip(postings, nlp.pipe(p["text"] for p in postings), strict=True):
            gold = {(b["start"], b["end"]) for b in posting["bullets"]}
            cut = {(b.start_char, b.end_char) for b in doc.spans["bullets"]}
            text, where = posting["text"], str(posting.get("id"))
            for start, end in sorted(gold - cut):
                differences.append((where, f"the segmenter does not cut {text[start:end]!r}"))
            for start, end in sorted(cut - gold):
                differences.append((where, f"the segmenter cuts {text[start:end]!r} (no gold)"))
    return differences


def _append(path: Path, rows: list[dict[str, Any]]) -> None:
    """Append rows to a JSONL file atomically: a copy is written, then renamed over it."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    replace_atomically(path, old + lines)
