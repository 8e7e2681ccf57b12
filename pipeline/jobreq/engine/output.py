"""Where results go: a stream (stdout, gzip) or files written durably, chunk by chunk.

`CheckpointedFiles` appends each chunk's records and errors as one write per file, syncs
them to disk, and then atomically replaces ``OUT.progress.json`` with the number of inputs
done and the byte sizes of both files. After a crash, `--resume` truncates both files to
those sizes (so a torn last line never survives) and skips the inputs already done: the
final files equal an uninterrupted run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from ..io import UsageError
from .local import Counts


def jsonl_text(lines: list[str]) -> str:
    """JSON lines as the text of a JSONL file."""
    return "".join(line + "\n" for line in lines)


class StreamSink:
    """Records and errors to two text streams (stdout, stderr, gzip files), a chunk at a time."""

    def __init__(self, records: IO[str], errors: IO[str]) -> None:
        self.records, self.errors = records, errors

    def write_batch(self, records: list[str], errors: list[str], n_inputs: int) -> None:
        for stream, lines in ((self.records, records), (self.errors, errors)):
            if lines:
                stream.write(jsonl_text(lines))
                stream.flush()


@dataclass
class Progress:
    """What `OUT.progress.json` records after each chunk."""

    inputs: list[list[Any]]  # [path, size, mtime_ns] per input file: a different input refuses
    done: int = 0  # input records fully written
    records_bytes: int = 0
    errors_bytes: int = 0
    written: int = 0
    errors: int = 0
    complete: bool = False


def progress_path(output: str) -> Path:
    return Path(output + ".progress.json")


def input_signature(files: list[str]) -> list[list[Any]]:
    signature: list[list[Any]] = []
    for name in files:
        stat = os.stat(name)
        signature.append([str(Path(name).resolve()), stat.st_size, stat.st_mtime_ns])
    return signature


def replace_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a synced temporary file renamed over it."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class CheckpointedFiles:
    """Records and errors appended to plain files, durably, one chunk at a time."""

    def __init__(self, records: IO[bytes], errors: IO[bytes], state: Progress, path: Path):
        self._records, self._errors, self.state, self._path = records, errors, state, path

    def write_batch(self, records: list[str], errors: list[str], n_inputs: int) -> None:
        for fh, rows in ((self._records, records), (self._errors, errors)):
            if rows:
                fh.write(jsonl_text(rows).encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        self.state.done += n_inputs
        self.state.written += len(records)
        self.state.errors += len(errors)
        self.state.records_bytes = self._records.tell()
        self.state.errors_bytes = self._errors.tell()
        self.save()

    def save(self) -> None:
        replace_atomically(self._path, json.dumps(asdict(self.state)))

    def counts(self) -> Counts:
        return Counts(self.state.done, self.state.written, self.state.errors)


@contextmanager
def _open_append(path: str, size: int) -> Iterator[IO[bytes]]:
    """`path` cut back to `size` bytes (what the last checkpoint vouches for), for appending."""
    try:
        fh = open(path, "a+b")  # noqa: SIM115 - closed below; errors need a clear message
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    with fh:
        fh.truncate(size)
        fh.seek(size)
        yield fh


@contextmanager
def checkpointed_files(
    output: str, errors: str, inputs: list[str], *, resume: bool
) -> Iterator[CheckpointedFiles]:
    """Open `output` and `errors` for chunked writing; with `resume`, continue a past run."""
    if output.lower().endswith(".gz"):
        raise UsageError(f"{output}: --resume needs a plain .jsonl output, not gzip")
    if "-" in inputs:
        raise UsageError("--resume cannot continue from standard input; give input files")
    path = progress_path(output)
    state = Progress(inputs=input_signature(inputs))
    if resume and path.is_file():
        saved = Progress(**json.loads(path.read_text(encoding="utf-8")))
        if saved.inputs != state.inputs:
            raise UsageError(
                f"{path}: written for different input files (or they changed since); "
                "run without --resume to start again"
            )
        state = saved
    elif resume and Path(output).exists():
        raise UsageError(f"{output}: exists but has no {path.name}; run without --resume")
    with (
        _open_append(output, state.records_bytes) as records,
        _open_append(errors, state.errors_bytes) as errors_fh,
    ):
        files = CheckpointedFiles(records, errors_fh, state, path)
        files.save()
        yield files
        files.state.complete = True
        files.save()
