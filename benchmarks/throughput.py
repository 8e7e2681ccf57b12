"""Throughput of jobreq against the spaCy tokenizer floor, on one machine, in one run.

Makes (or reads) a corpus of postings, then measures on the same input:
(a) the pipeline's tokenizer alone; (b) the full pipeline (records built and serialised) in
the process-pool engine with one worker and (c) with one per core, both timed from the
start of the pool, so worker start-up and model load count in both; (b1) one fresh process
and (d) as many separate single-worker processes at once, timed after loading (the
machine's own ceiling for (c)); plus model load time in a fresh interpreter and peak RSS.
Prints a Markdown report.

    python benchmarks/throughput.py --postings 20000 > /tmp/report.md

Steady-state rates leave out the first chunks (worker start-up, model load, warm caches).
`--memory-run N` streams N postings and reports peak RSS along the way; `--components N`
times each pipeline step separately (where a posting's time goes); `--rulers N` times
spaCy's stock SpanRuler alone with the shipped pattern files (the floor of tagging with
spaCy's matchers, before any of jobreq's own rules, classifier or records).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import srsly
from spacy.pipeline import SpanRuler

from jobreq.engine.local import chunked, load_for_run, process_here
from jobreq.engine.output import jsonl_text
from jobreq.engine.pool import available_cores, process_in_pool
from jobreq.io import Posting, read_postings, to_json_line
from jobreq.record import model_info, to_record

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 64


def generate_texts(n: int, seed: int = 0) -> Iterator[str]:
    """`n` posting texts drawn from the corpus, each made unique with a reference line."""
    texts = []
    for split in ("train", "dev", "test"):
        with open(ROOT / "corpus" / f"{split}.jsonl", encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"] for line in fh)
    rng = random.Random(seed)
    for _ in range(n):
        ref = "".join(rng.choices(string.ascii_uppercase + string.digits, k=8))
        yield f"{rng.choice(texts)}\nReference: JR-{ref}"


def make_postings(n: int, path: Path, seed: int = 0) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i, text in enumerate(generate_texts(n, seed)):
            fh.write(json.dumps({"id": f"bench-{i}", "text": text}) + "\n")


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_run(n: int, checkpoints: set[int]) -> None:
    """Stream `n` generated postings through the pipeline; peak RSS at each checkpoint."""
    nlp = load_for_run()
    postings = (
        Posting(f"mem-{i}", text, "generated", i + 1) for i, text in enumerate(generate_texts(n))
    )
    done, start = 0, time.perf_counter()
    for chunk in process_here(nlp, chunked(postings, CHUNK), CHUNK):
        done += len(chunk)
        if any(done - len(chunk) < c <= done for c in checkpoints):
            elapsed = time.perf_counter() - start
            print(f"after {done:,} postings: peak RSS {peak_rss_mb():,.1f} MB ({elapsed:,.0f} s)")
            sys.stdout.flush()


def timed_steps(nlp: Any, n: int, steps: Iterable[tuple[str, Any]]) -> tuple[list, dict]:
    """Tokenise `n` generated postings, then run each (name, pipe) step over the docs in
    turn; returns the docs and the seconds each step took, the tokenizer first."""
    texts = list(generate_texts(n, seed=1))
    start = time.perf_counter()
    docs = list(nlp.tokenizer.pipe(texts, batch_size=CHUNK))
    seconds = {"tokenizer": time.perf_counter() - start}
    for name, step in steps:
        start = time.perf_counter()
        docs = list(step.pipe(docs, batch_size=CHUNK))
        seconds[name] = time.perf_counter() - start
    return docs, seconds


def component_profile(n: int) -> None:
    """Seconds per posting in each pipeline step over `n` generated postings (one pass each)."""
    nlp = load_for_run()
    docs, steps = timed_steps(nlp, n, nlp.pipeline)
    start = time.perf_counter()
    model = model_info(nlp)
    for i, doc in enumerate(docs):
        to_json_line(to_record(doc, f"p{i}", {}, model))
    steps["record + JSON"] = time.perf_counter() - start
    total = sum(steps.values())
    print(f"| step ({n:,} postings) | ms per posting | share |\n|---|---:|---:|")
    for name, seconds in steps.items():
        print(f"| {name} | {seconds / n * 1000:.2f} | {seconds / total:.0%} |")
    print(f"| total | {total / n * 1000:.2f} | |")


def ruler_floor(n: int) -> None:
    """Tokenizer, then spaCy's own SpanRuler with each tagger's shipped patterns, over `n`
    generated postings: the least any span-ruler pipeline with these patterns costs."""
    nlp = load_for_run()

    def rulers() -> Iterator[tuple[str, SpanRuler]]:
        # each built after the steps before it ran, so its patterns do not warm the tokenizer
        for name in ("jobreq_skills", "jobreq_experience", "jobreq_degrees"):
            ruler = SpanRuler(nlp, f"stock_{name}", spans_key=name, phrase_matcher_attr="LOWER")
            ruler.add_patterns(list(srsly.read_jsonl(nlp.path / name / "patterns")))
            yield f"stock SpanRuler, {name} patterns", ruler

    _, steps = timed_steps(nlp, n, rulers())
    floor = steps["tokenizer"]
    print(f"| step ({n:,} postings) | ms per posting |\n|---|---:|")
    for name, seconds in steps.items():
        print(f"| {name} | {seconds / n * 1000:.2f} |")
    total = sum(steps.values())
    print(
        f"\n- tokenizer / (tokenizer + stock rulers): {floor / total:.3f}, the highest b/a "
        "a pipeline built on these span rulers could reach if all else were free"
    )


def load_seconds() -> float:
    """Import jobreq and load the bundled model in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import jobreq; jobreq.load(); "
    code += "print(time.perf_counter() - t)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    return float(result.stdout)


def timed(results: Iterator[list], warmup_chunks: int) -> dict[str, float]:
    """Drain `results` (serialising records); overall and steady-state postings/s."""
    start = time.perf_counter()
    done = steady_from = 0
    steady_start = start
    for i, chunk in enumerate(results):
        jsonl_text([line for _, _, line in chunk])
        done += len(chunk)
        if i + 1 == warmup_chunks:
            steady_from, steady_start = done, time.perf_counter()
    end = time.perf_counter()
    return {
        "postings": done,
        "seconds": end - start,
        "overall": done / (end - start),
        "steady": (done - steady_from) / (end - steady_start),
    }


def pool_results(files: list[str], workers: int) -> Iterator[list]:
    """The process pool of `jobreq extract --workers N` over the input."""
    return process_in_pool(chunked(read_postings(files), CHUNK), workers=workers, batch_size=CHUNK)


def _independent(path: str, part: int, parts: int, barrier: Any, results: Any) -> None:
    """One of `parts` separate processes, each with its own share of the input and no IPC."""
    nlp = load_for_run()
    postings = [p for i, p in enumerate(read_postings([path])) if i % parts == part]
    barrier.wait()  # all loaded: start together
    result = timed(process_here(nlp, chunked(postings, CHUNK), CHUNK), warmup_chunks=2)
    results.put({**result, "peak_rss_mb": peak_rss_mb()})


def independent_runs(path: str, parts: int) -> dict[str, float]:
    """`parts` single-worker runs at once in fresh processes: (b) with one, and with as many
    as (c) has workers, (d), the machine's ceiling for (c): no pool, no pickling, no parent."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(parts), context.Queue()
    processes = [
        context.Process(target=_independent, args=(path, i, parts, barrier, results))
        for i in range(parts)
    ]
    for process in processes:
        process.start()
    runs = [results.get() for _ in processes]
    for process in processes:
        process.join()
    return {
        "postings": sum(r["postings"] for r in runs),
        "seconds": max(r["seconds"] for r in runs),
        "overall": sum(r["overall"] for r in runs),
        "steady": sum(r["steady"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--input", type=Path, help="JSONL postings to use instead")
    parser.add_argument("--workers", type=int, default=available_cores())
    parser.add_argument(
        "--memory-run", type=int, metavar="N", help="only stream N postings and report peak RSS"
    )
    parser.add_argument(
        "--components", type=int, metavar="N", help="only time each pipeline step on N postings"
    )
    parser.add_argument(
        "--rulers", type=int, metavar="N", help="only time spaCy's stock SpanRuler on N postings"
    )
    args = parser.parse_args()
    if args.rulers:
        ruler_floor(args.rulers)
        return
    if args.components:
        component_profile(args.components)
        return
    if args.memory_run:
        memory_run(args.memory_run, {1_000, 20_000, args.memory_run // 2, args.memory_run})
        return
    work = Path(tempfile.mkdtemp(prefix="jobreq-bench-"))
    source = args.input or work / "postings.jsonl"
    if args.input is None:
        make_postings(args.postings, source)
    files = [str(source)]

    load = load_seconds()
    nlp = load_for_run()
    texts = [p.text for p in read_postings(files)]
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=CHUNK))
    tokenizer_s = time.perf_counter() - start
    a = len(texts) / tokenizer_s

    # (b) and (c) run the same engine, `jobreq extract --workers N`, each timed from the
    # start of its pool: worker start-up (model load) counts in both overall rates
    b = timed(pool_results(files, 1), warmup_chunks=4)
    c = timed(pool_results(files, args.workers), warmup_chunks=4 * args.workers)
    rss_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    one = independent_runs(str(source), 1)  # a fresh process timed after loading, like (d)
    d = independent_runs(str(source), args.workers)
    per_posting = tokens / len(texts)

    print(f"## {date.today().isoformat()}: {len(texts):,} postings\n")
    print(f"- Machine: {platform.platform()}, Python {platform.python_version()}, "
          f"{available_cores()} cores; command: `python benchmarks/throughput.py "
          f"--postings {args.postings}`")  # fmt: skip
    print(f"- Input: {len(texts):,} postings, {tokens:,} tokens ({per_posting:.0f} per posting)")
    print(f"- Model load in a fresh interpreter (imports included): {load:.1f} s\n")
    print("| run | postings/s | tokens/s | steady postings/s | wall s |")
    print("|---|---:|---:|---:|---:|")
    print(f"| (a) tokenizer only | {a:,.0f} | {a * per_posting:,.0f} | | {tokenizer_s:.1f} |")
    runs = (
        ("(b) jobreq, 1 worker", b),
        (f"(c) jobreq, {args.workers} workers", c),
        ("(b1) 1 separate process, timed after loading", one),
        (f"(d) {args.workers} separate 1-worker processes, summed, timed after loading", d),
    )
    for name, r in runs:
        print(f"| {name} | {r['overall']:,.1f} | {r['overall'] * per_posting:,.0f} | "
              f"{r['steady']:,.1f} | {r['seconds']:.1f} |")  # fmt: skip
    # b/a leaves the one-time model load out, as (a) does: it is (b1) against (a)
    print(f"\n- b/a (jobreq vs tokenizer floor, both timed after loading): "
          f"{one['overall'] / a:.3f} (steady {one['steady'] / a:.3f})")  # fmt: skip
    scaling, steady_scaling = c["overall"] / b["overall"], c["steady"] / b["steady"]
    print(f"- c/b (scaling on {args.workers} workers, both with start-up): "
          f"{scaling:.2f} (steady {steady_scaling:.2f})")  # fmt: skip
    print(f"- d/b1 (what {args.workers} cores give {args.workers} processes that share nothing): "
          f"{d['steady'] / one['steady']:.2f} steady; c/d (the pool against that ceiling): "
          f"{c['steady'] / d['steady']:.2f} steady")  # fmt: skip
    print(f"- Peak RSS: {one['peak_rss_mb']:,.0f} MB (b1); the largest of any worker process in "
          f"(b) and (c): {rss_worker:,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
