"""The `jobreq` command line: a thin shell around the engine and training modules."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .data_cli import corpus_app, taxonomy_app, usage_error
from .io import MAX_TEXT_CHARS

app = typer.Typer(
    name="jobreq",
    help="Turn job postings into structured requirements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(corpus_app, name="corpus")
app.add_typer(taxonomy_app, name="taxonomy")

EXTRACT_HELP = (
    "Extract sections, bullets and requirements from job postings.\n\n"
    "INPUT is one or more of: JSONL files (.jsonl or .jsonl.gz), one JSON object per line with "
    'a string "text" and an optional "id" (default "<file>:<line>"; other keys are copied to '
    '"meta"); .txt files, one posting each (id = file name); directories, read recursively; '
    '"-" for JSONL on standard input.\n\n'
    'Output is JSONL, one record per posting, in input order: "id", "sections" (heading '
    'offsets and type), "bullets" (offsets into the input text, text, section, label, score, '
    'skills, experience, degrees), "summary", "meta" and "model".\n\n'
    "A record that cannot be processed (not JSON (RFC 8259: no NaN, no unpaired surrogates), "
    'not an object, no "text", non-string or '
    f'empty "text", not UTF-8, longer than {MAX_TEXT_CHARS:,} characters) becomes one error '
    'record {"source", "line", "id", "error"} in the errors file, and the counts are printed '
    "on stderr at the end.\n\n"
    "Exit status: 0 all written, 1 some records were errors, 2 usage error."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jobreq {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """jobreq: job postings in, structured requirements out."""


@app.command(help=EXTRACT_HELP)
def extract(
    inputs: Annotated[
        list[str], typer.Argument(metavar="INPUT...", help="JSONL/.txt files, directories, or -.")
    ],
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Output JSONL (.gz ok); stdout if absent.")
    ] = None,
    errors: Annotated[
        str | None,
        typer.Option(
            "--errors", help="Errors JSONL; default OUT.errors.jsonl, or stderr with stdout output."
        ),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Pipeline directory; default: the bundled model.")
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Postings per batch.")
    ] = 64,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Worker processes; default: all cores."),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Continue an interrupted run from OUT.progress.json (needs -o)."
        ),
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local, or spark: then the last INPUT is OUTPUT_DIR (or give -o OUTPUT_DIR).",
        ),
    ] = "local",
    master: Annotated[
        str, typer.Option("--master", help="Spark master URL (--engine spark).")
    ] = "local[*]",
    output_format: Annotated[
        str, typer.Option("--output-format", help="jsonl or parquet (--engine spark).")
    ] = "jsonl",
) -> None:
    if engine == "spark":
        _extract_on_spark(inputs, output, model, master, output_format, batch_size)
    elif engine != "local":
        raise usage_error(f"--engine must be local or spark, not {engine!r}")
    from itertools import islice

    from tqdm import tqdm

    from .engine.local import chunked, load_for_run, process_here, run
    from .engine.output import CheckpointedFiles, StreamSink, checkpointed_files
    from .engine.pool import available_cores, process_in_pool
    from .io import UsageError, default_errors_path, expand_inputs, open_writer, read_postings

    workers = workers or available_cores()
    try:
        files = expand_inputs(inputs)  # fail fast on missing files, before loading the model
        if resume and not output:
            raise UsageError("--resume needs --output: the file to continue")
        nlp = load_for_run(model) if workers == 1 else None
        if nlp is None:
            _check_model(model)  # the workers load it
    except (UsageError, OSError) as exc:
        raise usage_error(str(exc)) from None
    errors_path = errors or (default_errors_path(output) if output else None)
    try:
        with ExitStack() as stack:
            sink: CheckpointedFiles | StreamSink
            if output and errors_path and (resume or not output.lower().endswith(".gz")):
                sink = stack.enter_context(
                    checkpointed_files(output, errors_path, files, resume=resume)
                )
            else:
                out = stack.enter_context(open_writer(output, sys.stdout))
                err = stack.enter_context(open_writer(errors_path, sys.stderr))
                sink = StreamSink(out, err)
            done = sink.state.done if isinstance(sink, CheckpointedFiles) else 0
            bar = stack.enter_context(
                tqdm(
                    unit=" postings",
                    initial=done,
                    disable=not sys.stderr.isatty(),
                    file=sys.stderr,
                )
            )
            chunks = chunked(islice(read_postings(files), done, None), batch_size)
            results = (
                process_here(nlp, chunks, batch_size)
                if nlp is not None
                else process_in_pool(chunks, workers=workers, model=model, batch_size=batch_size)
            )
            counts = run(results, sink, on_chunk=bar.update)
            if isinstance(sink, CheckpointedFiles):
                counts = sink.counts()  # includes what earlier runs wrote
    except UsageError as exc:
        raise usage_error(str(exc)) from None
    typer.echo(
        f"jobreq: read {counts.read}, written {counts.written}, errors {counts.errors}", err=True
    )
    raise typer.Exit(1 if counts.errors else 0)


def _extract_on_spark(
    inputs: list[str],
    output: str | None,
    model: str | None,
    master: str,
    output_format: str,
    batch_size: int,
) -> None:
    """`jobreq extract --engine spark INPUT... OUTPUT_DIR` (needs the `spark` extra)."""
    from .engine.spark import run_spark
    from .io import UsageError

    if output is None:
        if len(inputs) < 2:
            raise usage_error("--engine spark needs INPUT... OUTPUT_DIR")
        inputs, output = inputs[:-1], inputs[-1]
    if output_format not in ("jsonl", "parquet"):
        raise usage_error(f"--output-format must be jsonl or parquet, not {output_format!r}")
    try:
        if master.startswith("local"):
            _check_model(model)
        counts = run_spark(
            inputs,
            output,
            master=master,
            model=model,
            output_format=output_format,
            batch_size=batch_size,
        )
    except (UsageError, OSError) as exc:
        raise usage_error(str(exc)) from None
    typer.echo(
        f"jobreq: read {counts.read}, written {counts.written}, errors {counts.errors}", err=True
    )
    raise typer.Exit(1 if counts.errors else 0)


def _check_model(model: str | None) -> None:
    """Fail before starting workers when the pipeline directory is missing."""
    from . import model_path
    from .io import UsageError

    if model is None:
        model_path()
    elif not (Path(model) / "config.cfg").is_file():
        raise UsageError(f"{model}: not a pipeline directory (no config.cfg)")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train(
    ctx: typer.Context,
    config: Annotated[
        Path, typer.Option("--config", "-c", exists=True, dir_okay=False, help="spaCy config.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Model directory to write.")
    ] = Path("models/en_jobreq"),
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed (overrides [system] seed).")
    ] = None,
    weak_labels: Annotated[
        Path | None,
        typer.Option(
            "--weak-labels",
            exists=True,
            dir_okay=False,
            help="Raw postings JSONL: train on labels taken from their recognised headings.",
        ),
    ] = None,
) -> None:
    """Build and train the pipeline described by CONFIG; write it atomically to OUTPUT.

    Config values can be overridden as in spaCy, for example
    --paths.extra_skills '["my_skills.jsonl"]' to add your own taxonomy file.
    """
    from spacy.cli._util import parse_config_overrides

    from .training.train import build_pipeline, config_test_path, describe, save_atomically

    overrides = parse_config_overrides(ctx.args)
    if weak_labels is not None:
        overrides["paths.weak_labels"] = str(weak_labels)
    nlp = build_pipeline(config, seed=seed, overrides=overrides)
    test_path = overrides["paths.test"] if "paths.test" in overrides else config_test_path(config)
    save_atomically(nlp, output, describe(nlp, test_path))
    typer.echo(f"jobreq: wrote {output} ({', '.join(nlp.pipe_names)})", err=True)


@app.command()
def evaluate(
    gold: Annotated[
        list[Path], typer.Argument(exists=True, dir_okay=False, help="Gold corpus JSONL.")
    ],
    model: Annotated[str | None, typer.Option("--model", help="Pipeline directory.")] = None,
    thresholds: Annotated[
        Path | None, typer.Option("--thresholds", exists=True, dir_okay=False, help="Floors JSON.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write metrics JSON.")
    ] = None,
) -> None:
    """Measure a pipeline on gold postings; exit 1 when a figure is below its floor."""
    import json

    from . import load
    from .training.corpus import read_corpus
    from .training.evaluate import check_thresholds
    from .training.evaluate import evaluate as run_evaluation

    postings = [p for path in gold for p in read_corpus(path)]
    metrics = run_evaluation(load(model), postings)
    text = json.dumps(metrics, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    typer.echo(text)
    failures = check_thresholds(metrics, thresholds) if thresholds else []
    for failure in failures:
        typer.echo(f"jobreq: below threshold: {failure}", err=True)
    raise typer.Exit(1 if failures else 0)
