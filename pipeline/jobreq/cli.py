"""The `jobreq` command line: a thin shell around the engine and training modules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .io import MAX_TEXT_CHARS

app = typer.Typer(
    name="jobreq",
    help="Turn job postings into structured requirements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXTRACT_HELP = (
    "Extract sections, bullets and requirements from job postings.\n\n"
    "INPUT is one or more of: JSONL files (.jsonl or .jsonl.gz), one JSON object per line with "
    'a string "text" and an optional "id" (default "<file>:<line>"; other keys are copied to '
    '"meta"); .txt files, one posting each (id = file name); directories, read recursively; '
    '"-" for JSONL on standard input.\n\n'
    'Output is JSONL, one record per posting, in input order: "id", "sections" (heading '
    'offsets and type), "bullets" (offsets into the input text, text, section, label, score, '
    'skills, experience, degrees), "summary", "meta" and "model".\n\n'
    'A record that cannot be processed (not JSON, not an object, no "text", non-string or '
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


def _fail(message: str) -> typer.Exit:
    typer.echo(f"jobreq: error: {message}", err=True)
    return typer.Exit(2)


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
) -> None:
    from tqdm import tqdm

    from . import load
    from .engine.local import run
    from .io import UsageError, default_errors_path, expand_inputs, open_writer, read_postings

    try:
        expand_inputs(inputs)  # fail fast on missing files, before loading the model
        nlp = load(model)
    except (UsageError, OSError) as exc:
        raise _fail(str(exc)) from None
    errors_path = errors or (default_errors_path(output) if output else None)
    try:
        with (
            open_writer(output, sys.stdout) as out,
            open_writer(errors_path, sys.stderr) as err,
            tqdm(unit=" postings", disable=not sys.stderr.isatty(), file=sys.stderr) as bar,
        ):
            counts = run(
                nlp, read_postings(inputs), out.write, err.write, batch_size, on_read=bar.update
            )
    except UsageError as exc:
        raise _fail(str(exc)) from None
    typer.echo(
        f"jobreq: read {counts.read}, written {counts.written}, errors {counts.errors}", err=True
    )
    raise typer.Exit(1 if counts.errors else 0)


@app.command()
def train(
    config: Annotated[
        Path, typer.Option("--config", "-c", exists=True, dir_okay=False, help="spaCy config file.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Model directory to write.")
    ] = Path("models/en_jobreq"),
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed (overrides [system] seed).")
    ] = None,
) -> None:
    """Build the pipeline described by CONFIG and write it atomically to OUTPUT."""
    from .training.train import build_pipeline, save_atomically

    nlp = build_pipeline(config, seed=seed)
    save_atomically(nlp, output)
    typer.echo(f"jobreq: wrote {output} ({', '.join(nlp.pipe_names)})", err=True)
