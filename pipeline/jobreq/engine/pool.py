"""Process chunks of postings in a pool of worker processes, results in input order.

Each worker loads the pipeline once (at start-up) and sends back plain JSON-ready results,
never Doc objects. At most ``2 * workers`` chunks are in flight, so memory stays bounded
however long the input is.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from spacy.language import Language

from .local import Item, Result, load_for_run, process_chunk

_worker_nlp: Language | None = None
_worker_batch_size = 64


def available_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker(model: str | None, batch_size: int) -> None:
    global _worker_nlp, _worker_batch_size
    _worker_nlp = load_for_run(model)
    _worker_batch_size = batch_size


def _work(chunk: list[Item]) -> list[Result]:
    assert _worker_nlp is not None, "worker started without a pipeline"
    return process_chunk(_worker_nlp, chunk, _worker_batch_size)


def process_in_pool(
    chunks: Iterable[list[Item]], *, workers: int, model: str | None = None, batch_size: int = 64
) -> Iterator[list[Result]]:
    """Results of each chunk, in input order, computed by `workers` processes."""
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no inherited state
    executor = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(model, batch_size)
    )
    pending: deque[Future[list[Result]]] = deque()
    try:
        for chunk in chunks:
            pending.append(executor.submit(_work, chunk))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
