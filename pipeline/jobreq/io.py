"""Reading postings and writing records: every input line becomes a posting or an error."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import jsonlines
import orjson

MAX_TEXT_CHARS = 500_000
"""Largest posting accepted, in characters; longer texts become error records."""

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
TEXT_SUFFIXES = (".txt",)
STDIN = "-"


class UsageError(Exception):
    """A problem with the command line itself (missing file, unwritable output)."""


@dataclass(frozen=True)
class Posting:
    id: str
    text: str
    source: str
    line: int
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InputError:
    source: str
    line: int
    id: str | None
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "id": self.id, "error": self.error}


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in (*JSONL_SUFFIXES, *TEXT_SUFFIXES) if name.endswith(s)), "")


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Input files in reading order: files as given, directories recursively (sorted)."""
    files: list[str] = []
    for item in inputs:
        if item == STDIN:
            files.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p))
            files.extend(str(p) for p in found)
        elif path.is_file():
            if not _suffix(path):
                raise UsageError(f"{item}: not a .jsonl, .jsonl.gz or .txt file")
            files.append(item)
        else:
            raise UsageError(f"{item}: no such file or directory")
    return files


def read_postings(
    inputs: Iterable[str], max_chars: int = MAX_TEXT_CHARS
) -> Iterator[Posting | InputError]:
    """Yield one Posting or InputError per input record, in input order."""
    for source in expand_inputs(inputs):
        if source != STDIN and _suffix(Path(source)) in TEXT_SUFFIXES:
            yield _read_text_file(source, max_chars)
        else:
            yield from _read_jsonl(source, max_chars)


def _read_text_file(source: str, max_chars: int) -> Posting | InputError:
    name = Path(source).name
    try:
        text = Path(source).read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(source, 1, name, f"file is not valid UTF-8: {exc}")
    except OSError as exc:
        return InputError(source, 1, name, f"cannot read file: {exc.strerror or exc}")
    problem = _text_problem(text, max_chars)
    return InputError(source, 1, name, problem) if problem else Posting(name, text, source, 1)


@contextmanager
def _open_binary(source: str) -> Iterator[IO[bytes]]:
    if source == STDIN:
        yield sys.stdin.buffer
    elif source.lower().endswith(".gz"):
        with gzip.open(source, "rb") as fh:
            yield fh
    else:
        with open(source, "rb") as fh:
            yield fh


def _read_jsonl(source: str, max_chars: int) -> Iterator[Posting | InputError]:
    line = 0
    try:
        with _open_binary(source) as fh:
            lines = _checked_lines(fh)
            while True:
                line += 1  # counted before reading, so a read error names the line it hit
                raw = next(lines, None)
                if raw is None:
                    return
                yield posting_from_line(raw, source, line, max_chars)
    except OSError as exc:  # unreadable or truncated file (bad gzip, I/O error)
        yield InputError(source, line, None, f"cannot read the rest of the file: {exc}")


def posting_from_line(
    raw: str | bytes, source: str, line: int, max_chars: int = MAX_TEXT_CHARS
) -> Posting | InputError:
    """One JSONL line (with its newline, if it had one) as read_postings reads it.

    For engines that split files themselves (the Spark engine): each line gives the same posting
    or error record as on the local engine.
    """
    try:
        obj = jsonlines.Reader([raw], loads=orjson.loads).read()
    except jsonlines.InvalidLineError as exc:
        if isinstance(exc.line, str) and not exc.line.strip():
            return InputError(source, line, None, "empty line")
        # the reader numbers its only line 1: name the real line, as reading the file does
        message = str(exc).removesuffix(f" (line {exc.lineno})") + f" (line {line})"
        return InputError(source, line, None, message)
    return _posting_from_object(obj, source, line, max_chars)


def _checked_lines(fh: IO[bytes]) -> Iterator[bytes]:
    """The file's lines; a truncated gzip stream raises OSError rather than a silent EOF."""
    try:
        yield from fh
    except EOFError as exc:
        raise OSError(f"truncated file: {exc}") from exc


def _posting_from_object(obj: Any, source: str, line: int, max_chars: int) -> Posting | InputError:
    if not isinstance(obj, dict):
        return InputError(
            source, line, None, f"record is a JSON {type(obj).__name__}, not an object"
        )
    raw_id = obj.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        return InputError(source, line, None, "'id' must be a string or an integer")
    rid = str(raw_id) if raw_id is not None else f"{source}:{line}"
    if "text" not in obj:
        return InputError(source, line, rid, "missing required key 'text'")
    text = obj["text"]
    if not isinstance(text, str):
        return InputError(source, line, rid, f"'text' must be a string, not {type(text).__name__}")
    problem = _text_problem(text, max_chars)
    if problem:
        return InputError(source, line, rid, problem)
    meta = {k: v for k, v in obj.items() if k not in ("id", "text")}
    return Posting(rid, text, source, line, meta)


def _text_problem(text: str, max_chars: int) -> str | None:
    if not text.strip():
        return "'text' is empty"
    if len(text) > max_chars:
        return f"'text' has {len(text)} characters, more than the limit of {max_chars}"
    return None


def to_json_line(obj: dict[str, Any]) -> str:
    """One output line (compact JSON, UTF-8 as is, no newline): the only record encoding."""
    return orjson.dumps(obj).decode("utf-8")


@contextmanager
def open_writer(path: str | None, default: IO[str]) -> Iterator[IO[str]]:
    """A text stream on `path` (gzip when it ends in .gz), or `default` when path is None."""
    if path is None:
        yield default
        return
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        fh: IO[str] = opener(path, "wt", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    with fh:
        yield fh


def default_errors_path(output: str) -> str:
    """`out.jsonl` -> `out.errors.jsonl` (also for .jsonl.gz and other names)."""
    base = output
    for suffix in (".gz", ".jsonl", ".json"):
        if base.lower().endswith(suffix):
            base = base[: -len(suffix)]
    return base + ".errors.jsonl"
