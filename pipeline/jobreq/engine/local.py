"""Run the pipeline over a stream of postings on this machine, in input order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from spacy.language import Language

from ..io import InputError, Posting
from ..record import model_info, to_record


@dataclass
class Counts:
    read: int = 0
    written: int = 0
    errors: int = 0


def extract(
    nlp: Language, postings: Iterable[Posting], batch_size: int = 64
) -> Iterator[dict[str, Any] | InputError]:
    """One output record per posting, in order; a posting the pipeline fails on becomes an error.

    Each batch runs inside ``nlp.memory_zone()`` so memory stays flat on long runs.
    """
    model = model_info(nlp)
    iterator = iter(postings)
    while batch := list(islice(iterator, batch_size)):
        with nlp.memory_zone():
            try:
                docs = list(nlp.pipe([p.text for p in batch], batch_size=batch_size))
            except Exception:  # find the posting that failed, keep the rest
                docs = [None] * len(batch)
            for posting, doc in zip(batch, docs, strict=True):
                yield _process_one(nlp, posting, doc, model)


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


def run(
    nlp: Language,
    items: Iterable[Posting | InputError],
    write_record: Callable[[dict[str, Any]], None],
    write_error: Callable[[dict[str, Any]], None],
    batch_size: int = 64,
    on_read: Callable[[], None] = lambda: None,
) -> Counts:
    """Stream `items` through the pipeline: records to `write_record`, errors to `write_error`."""
    counts = Counts()

    def postings() -> Iterator[Posting]:
        for item in items:
            counts.read += 1
            on_read()
            if isinstance(item, InputError):
                counts.errors += 1
                write_error(item.to_dict())
            else:
                yield item

    for result in extract(nlp, postings(), batch_size):
        if isinstance(result, InputError):
            counts.errors += 1
            write_error(result.to_dict())
        else:
            counts.written += 1
            write_record(result)
    return counts
