"""Run the pipeline over a stream of postings on this machine, in input order.

Input items (postings, and input errors found while reading) travel in chunks; each chunk
becomes a list of results, ``("record" | "error", id, json_line)``, one per item and in
order, serialised where they are made (a worker process sends back strings, not objects).
Chunks are processed here or in a process pool (`engine.pool`), and written by a sink
(`engine.output`) one chunk at a time.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Protocol, TypeVar
from weakref import WeakKeyDictionary

from spacy.language import Language

from .. import load
from ..io import InputError, Posting, to_json_line
from ..record import model_info, to_record

Item = Posting | InputError
Result = tuple[str, str | None, str]  # ("record" | "error", id, JSON line without newline)
T = TypeVar("T")
# Postings each process runs outside a memory zone first: spaCy's tokenizer caches chunk
# splits only outside zones, so these fill its cache once, at a bounded cost in strings.
WARMUP_POSTINGS = 1_000
_warmed: WeakKeyDictionary[Language, int] = WeakKeyDictionary()


@dataclass
class Counts:
    read: int = 0
    written: int = 0
    errors: int = 0


class Sink(Protocol):
    def write_batch(self, records: list[str], errors: list[str], n_inputs: int) -> None: ...


def load_for_run(model: str | Path | None = None) -> Language:
    """The pipeline, loaded for a run in a process that keeps it to the end (a worker, the CLI).

    Afterwards ``gc.freeze()`` moves every object alive to the collector's permanent
    generation: the model's ~235,000 objects live as long as the process, and the cyclic
    collector would otherwise scan them all again at each full collection (about 12% of the
    time per posting; see benchmarks/RESULTS.md). `jobreq.load` does not freeze: a library
    user may load and drop pipelines.
    """
    nlp = load(model)
    gc.collect()
    gc.freeze()
    return nlp


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def extract(
    nlp: Language, postings: Iterable[Posting], batch_size: int = 64
) -> Iterator[dict[str, Any] | InputError]:
    """One output record per posting, in order; a posting the pipeline fails on becomes an error.

    Each batch runs inside ``nlp.memory_zone()`` so memory stays flat on long runs, except
    the process's first `WARMUP_POSTINGS`, which warm the tokenizer's cache.
    """
    model = model_info(nlp)
    for batch in chunked(postings, batch_size):
        with _zone(nlp, len(batch)):
            try:
                docs = list(nlp.pipe([p.text for p in batch], batch_size=batch_size))
            except Exception:  # find the posting that failed, keep the rest
                docs = [None] * len(batch)
            for posting, doc in zip(batch, docs, strict=True):
                yield _process_one(nlp, posting, doc, model)


def _zone(nlp: Language, n_postings: int) -> AbstractContextManager[Any]:
    """A memory zone for the next `n_postings`, or none while the process is warming up."""
    warmed = _warmed.get(nlp, 0)
    if warmed >= WARMUP_POSTINGS:
        return nlp.memory_zone()
    _warmed[nlp] = warmed + n_postings
    return nullcontext()


def _process_one(
    nlp: Language, posting: Posting, doc: Any, model: dict[str, str]
) -> dict[str, Any] | InputError:
    try:
        doc = nlp(posting.text) if doc is None else doc
        return to_record(doc, posting.id, posting.meta, model)
    except Exception as exc:
        return InputError(
            posting.source,
            posting.line,
            posting.id,
            f"processing failed: {type(exc).__name__}: {exc}",
        )


def process_chunk(nlp: Language, chunk: list[Item], batch_size: int = 64) -> list[Result]:
    """Results for a chunk of input items, one per item, in order."""
    outputs = extract(nlp, [item for item in chunk if isinstance(item, Posting)], batch_size)
    results: list[Result] = []
    for item in chunk:
        result = item if isinstance(item, InputError) else next(outputs)
        if isinstance(result, InputError):
            results.append(("error", result.id, to_json_line(result.to_dict())))
        else:
            results.append(("record", result["id"], to_json_line(result)))
    return results


def process_here(
    nlp: Language, chunks: Iterable[list[Item]], batch_size: int = 64
) -> Iterator[list[Result]]:
    """Process chunks one after another in this process."""
    for chunk in chunks:
        yield process_chunk(nlp, chunk, batch_size)


def run(
    results: Iterable[list[Result]], sink: Sink, on_chunk: Callable[[int], None] = lambda n: None
) -> Counts:
    """Write each chunk's results to `sink`; count inputs, records and errors."""
    counts = Counts()
    for chunk in results:
        records = [line for kind, _, line in chunk if kind == "record"]
        errors = [line for kind, _, line in chunk if kind == "error"]
        sink.write_batch(records, errors, len(chunk))
        counts.read += len(chunk)
        counts.written += len(records)
        counts.errors += len(errors)
        on_chunk(len(chunk))
    return counts
