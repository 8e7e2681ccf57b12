"""The skill taxonomy: JSONL entries with a stable id, name, category and aliases.

One entry a line::

    {"id": "apache-spark", "name": "Apache Spark", "category": "framework_library",
     "aliases": ["Apache Spark", "Spark", "PySpark"],
     "case_sensitive": ["Spark"], "needs_context": ["Spark"]}

`case_sensitive` aliases match with exact case; `needs_context` aliases count only where
the context rules of the skills component accept them. Later files extend earlier ones:
an entry with a known id adds aliases (and may rename or recategorise it).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = (
    "programming_language",
    "framework_library",
    "software_tool",
    "platform_cloud",
    "database",
    "methodology",
    "certification",
    "human_language",
    "domain_technical",
    "soft_skill",
)
TAXONOMY_DIR = Path(__file__).parent / "components" / "taxonomy"
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class Skill:
    id: str
    name: str
    category: str
    aliases: list[str] = field(default_factory=list)
    case_sensitive: list[str] = field(default_factory=list)
    needs_context: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "aliases": self.aliases,
        }
        if self.case_sensitive:
            data["case_sensitive"] = self.case_sensitive
        if self.needs_context:
            data["needs_context"] = self.needs_context
        return data


def entry_problems(entry: dict) -> list[str]:
    """What is wrong with one raw taxonomy entry (empty when it is valid)."""
    problems = []
    if not isinstance(entry.get("id"), str) or not ID_PATTERN.fullmatch(entry["id"]):
        problems.append(f"id {entry.get('id')!r} is not a lowercase slug")
    if entry.get("category") not in CATEGORIES:
        problems.append(f"category {entry.get('category')!r} is not one of {', '.join(CATEGORIES)}")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append("aliases must be a list of non-empty strings")
        aliases = []
    for key in ("case_sensitive", "needs_context"):
        extra = set(entry.get(key, [])) - set(aliases)
        if extra:
            problems.append(f"{key} names aliases that are not in aliases: {sorted(extra)}")
    return problems


def read_entries(path: str | Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            entry = json.loads(line)
            problems = entry_problems(entry)
            if problems:
                raise ValueError(f"{path}:{number}: {'; '.join(problems)}")
            yield entry


class Taxonomy:
    """Skills by id, merged from one or more JSONL files in order."""

    def __init__(self, entries: Iterable[dict] = ()) -> None:
        self.skills: dict[str, Skill] = {}
        for entry in entries:
            self.add(entry)

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> Taxonomy:
        taxonomy = cls()
        for path in paths:
            for entry in read_entries(path):
                taxonomy.add(entry)
        return taxonomy

    @classmethod
    def bundled(cls) -> Taxonomy:
        return cls.from_paths(sorted(TAXONOMY_DIR.glob("*.jsonl")))

    def add(self, entry: dict) -> None:
        name = entry.get("name") or entry["id"]
        skill = self.skills.setdefault(entry["id"], Skill(entry["id"], name, entry["category"]))
        skill.name, skill.category = name, entry["category"]
        for key in ("aliases", "case_sensitive", "needs_context"):
            values = getattr(skill, key)
            values.extend(a for a in entry.get(key, []) if a not in values)
        if name not in skill.aliases:
            skill.aliases.insert(0, name)

    def __len__(self) -> int:
        return len(self.skills)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self.skills

    def __getitem__(self, skill_id: str) -> Skill:
        return self.skills[skill_id]

    def entries(self) -> list[dict[str, object]]:
        return [skill.to_dict() for skill in self.skills.values()]

    def write_jsonl(self, path: str | Path) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            for entry in self.entries():
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def slugify(text: str) -> str:
    """A taxonomy id from a name: "C++" -> "cpp", "Node.js" -> "node-js"."""
    text = text.lower().replace("c++", "cpp").replace("c#", "csharp").replace("f#", "fsharp")
    text = text.replace("+", " plus ").replace("#", " sharp ").replace("&", " and ")
    return "-".join(re.findall(r"[a-z0-9]+", text)) or "skill"


def import_rows(rows: Iterable[dict[str, str]], fmt: str, default_category: str) -> Taxonomy:
    """Convert rows of an ESCO, Lightcast or plain CSV export into a taxonomy."""
    taxonomy = Taxonomy()
    for row in rows:
        if fmt == "esco":
            name = row.get("preferredLabel", "").strip()
            aliases = [a.strip() for a in row.get("altLabels", "").splitlines() if a.strip()]
            skill_id = slugify(name)
            category = default_category
        elif fmt == "lightcast":
            name = row.get("name", "").strip()
            skill_id = slugify(row.get("id") or name)
            aliases = []
            category = _lightcast_category(row.get("type", ""), default_category)
        else:
            name = row.get("name", "").strip()
            skill_id = (row.get("id") or "").strip() or slugify(name)
            aliases = [a.strip() for a in re.split(r"[|;]", row.get("aliases", "")) if a.strip()]
            category = (row.get("category") or "").strip() or default_category
        if not name:
            continue
        entry = {"id": skill_id, "name": name, "category": category, "aliases": [name, *aliases]}
        problems = entry_problems(entry)
        if problems:
            raise ValueError(f"{name!r}: {'; '.join(problems)}")
        taxonomy.add(entry)
    return taxonomy


def _lightcast_category(skill_type: str, default: str) -> str:
    kind = skill_type.lower()
    if "certification" in kind:
        return "certification"
    if "common" in kind or "soft" in kind:
        return "soft_skill"
    return default


def import_csv(path: str | Path, fmt: str, default_category: str = "domain_technical") -> Taxonomy:
    if fmt not in ("esco", "lightcast", "csv"):
        raise ValueError(f"unknown format {fmt!r}: use esco, lightcast or csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return import_rows(csv.DictReader(fh), fmt, default_category)
