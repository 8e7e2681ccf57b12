"""The `jobreq corpus` and `jobreq taxonomy` sub-commands, and the usage error that every
command reports the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def usage_error(message: str) -> typer.Exit:
    """Print `jobreq: error: MESSAGE` on stderr; the caller raises the returned exit 2."""
    typer.echo(f"jobreq: error: {message}", err=True)
    return typer.Exit(2)


corpus_app = typer.Typer(help="Work with the annotated corpus.", no_args_is_help=True)


@corpus_app.command("validate")
def corpus_validate(
    paths: Annotated[
        list[Path], typer.Argument(exists=True, dir_okay=False, help="Corpus JSONL files.")
    ],
    taxonomy: Annotated[
        list[Path] | None,
        typer.Option("--taxonomy", help="Extra taxonomy JSONL files to accept ids from."),
    ] = None,
) -> None:
    """Check offsets, labels, entity values and skill ids against the taxonomy."""
    from .components.skills import make_taxonomy_paths
    from .taxonomy import Taxonomy
    from .training.corpus import validate_corpus

    known = Taxonomy.from_paths(make_taxonomy_paths([str(p) for p in taxonomy or []]))
    problems = validate_corpus(paths, known)
    for problem in problems:
        typer.echo(problem)
    typer.echo(f"jobreq: {len(problems)} problems in {len(paths)} files", err=True)
    raise typer.Exit(1 if problems else 0)


@corpus_app.command("add")
def corpus_add(
    draft: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Draft postings JSONL.")
    ],
    skills: Annotated[
        Path | None,
        typer.Option(
            "--skills", exists=True, dir_okay=False, help="The writer's skills list for it."
        ),
    ] = None,
    corpus_dir: Annotated[
        Path, typer.Option("--corpus", file_okay=False, help="Holds train/dev/test.jsonl.")
    ] = Path("corpus"),
    taxonomy: Annotated[
        list[Path] | None,
        typer.Option("--taxonomy", help="Extra taxonomy JSONL files to take ids from."),
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Only report problems.")] = False,
    new_skills: Annotated[
        Path | None,
        typer.Option(
            "--new-skills", dir_okay=False, help="Taxonomy JSONL to add unknown listed skills to."
        ),
    ] = None,
) -> None:
    """Add postings written in the draft format (bullets and entities as ordered substrings,
    see corpus/drafts/GUIDELINES.md) to the corpus, with offsets and taxonomy ids, split
    by the corpus rule. Any problem stops the file: nothing is written."""
    import spacy
    from spacy.util import load_config

    from . import model_path
    from .components.ruler import read_jsonl
    from .components.skills import make_taxonomy_paths
    from .taxonomy import Taxonomy
    from .training.drafts import DraftError, SkillResolver, add_drafts, segmenter_differences

    known = Taxonomy.from_paths(make_taxonomy_paths([str(p) for p in taxonomy or []]))
    resolve = SkillResolver(known, read_jsonl(skills) if skills else (), new_skills is not None)
    try:
        added = add_drafts(draft, corpus_dir, resolve, not check, new_skills)
    except DraftError as exc:
        for problem in exc.problems:
            typer.echo(problem)
        raise usage_error(
            f"{len(exc.problems)} problems in {draft}; the corpus is unchanged"
        ) from None
    except ValueError as exc:  # a line that is not a JSON object
        raise usage_error(f"{draft}: {exc}; the corpus is unchanged") from None
    postings = [posting for split in added.values() for posting in split]
    bundled = model_path()  # only its segmenter: loading the other components takes seconds
    pipes = load_config(bundled / "config.cfg")["nlp"]["pipeline"]
    others = [name for name in pipes if name != "jobreq_segmenter"]
    differences = segmenter_differences(spacy.load(bundled, exclude=others), postings)
    for posting_id, difference in differences:  # not a problem: the segmenter may be wrong
        typer.echo(f"{draft} ({posting_id}): {difference}")
    splits = ", ".join(f"{len(rows)} to {split}" for split, rows in added.items())
    verb = "would add" if check else "added"
    typer.echo(
        f"jobreq: {verb} {len(postings)} postings ({splits}); {len(differences)} bullets "
        "differ from the segmenter's",
        err=True,
    )


@corpus_app.command("stats")
def corpus_stats_command(
    paths: Annotated[
        list[Path], typer.Argument(exists=True, dir_okay=False, help="Corpus JSONL files.")
    ],
) -> None:
    """Print counts of postings, bullets per label, entities and occupations as JSON."""
    import json

    from .training.corpus import corpus_stats

    typer.echo(json.dumps(corpus_stats(paths), indent=2, sort_keys=True))


taxonomy_app = typer.Typer(help="Manage skill taxonomies.", no_args_is_help=True)


@taxonomy_app.command("import")
def taxonomy_import(
    source: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV export to convert.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="esco, lightcast or csv (id,name,aliases,category).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Taxonomy JSONL to write.")],
    category: Annotated[
        str, typer.Option("--category", help="Category for rows that do not name one.")
    ] = "domain_technical",
) -> None:
    """Convert an ESCO, Lightcast or plain CSV skills export into jobreq's taxonomy JSONL."""
    from .taxonomy import import_csv

    try:
        taxonomy = import_csv(source, fmt, category)
    except (ValueError, KeyError) as exc:
        raise usage_error(f"{source}: {exc}") from None
    taxonomy.write_jsonl(output)
    typer.echo(f"jobreq: wrote {len(taxonomy)} skills to {output}", err=True)
