"""The ``imr`` command line.

Every command has ``--help``; exit status 0 means every input was read, 1 that at
least one input failed (its error record is in the output), 2 a usage error.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .batch import Summary, open_output, parse_inputs, write_jsonl

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Read California IMR final determination letters into structured data.")
data_app = typer.Typer(no_args_is_help=True, help="Corpora: generate training letters, check and describe data files.")
app.add_typer(data_app, name="data")


def _report(summary: Summary) -> None:
    for line in summary.lines():
        typer.echo(line, err=True)


@app.command()
def parse(
    inputs: List[str] = typer.Argument(..., help="Letters: .txt, .pdf, .jsonl of {id, text}, or folders (recursive)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output JSONL file (default: standard output)."),
) -> None:
    """Read letters into sections and disputed items (service, decision, citations, rationale).

    Writes one JSON record per input letter, in the gold-format shape with reader
    fields added; an input that cannot be read gets a record with `error` and
    `error_kind`. Prints a summary on standard error. Exit status: 0 when every input
    was read, 1 when at least one failed (the batch still completes), 2 on usage errors.
    """
    summary = Summary()
    handle = open_output(out)
    try:
        write_jsonl(parse_inputs(inputs, exclude=[out] if out else []), handle, summary)
    finally:
        if handle is not sys.stdout:
            handle.close()
    _report(summary)
    raise typer.Exit(1 if summary.failed else 0)


@data_app.command("generate")
def data_generate(
    n: int = typer.Option(5000, "--n", help="How many letters."),
    seed: int = typer.Option(13, "--seed", help="Random seed: the same seed gives the same bytes."),
    out: Path = typer.Option(..., "--out", "-o", help="Output JSONL file."),
) -> None:
    """Generate training letters with labels true by construction (all layouts, template families)."""
    from .corpora import sha256_of
    from .corpus import generate_letters

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        for letter in generate_letters(n, seed):
            handle.write(json.dumps(letter.to_json(), ensure_ascii=False) + "\n")
    typer.echo(f"wrote {n} letters to {out}  sha256 {sha256_of(out)}", err=True)


@data_app.command("check")
def data_check(files: List[Path] = typer.Argument(..., help="Annotated JSONL files (gold format).")) -> None:
    """Validate annotated letters and print their label counts.

    Checks known labels, offsets inside the text, services present in the text and
    overturned items without reasons; lists every bad record with its id. Exit
    status 1 when any record is bad.
    """
    from .corpora import corpus_stats, read_corpus

    failed = False
    for path in files:
        letters, bad = read_corpus(path, strict=False)
        typer.echo(f"== {path}: {len(letters)} good, {len(bad)} bad")
        for record in bad:
            typer.echo(f"  BAD {record}")
        for line in corpus_stats(letters).lines():
            typer.echo("  " + line)
        failed = failed or bool(bad)
    raise typer.Exit(1 if failed else 0)


@data_app.command("stats")
def data_stats() -> None:
    """Describe the project's corpora: the gold dev set and any generated corpora in data/processed."""
    from .corpora import corpus_stats, read_corpus
    from .paths import DATA_DIR

    files = [DATA_DIR / "gold" / "dev.jsonl", *sorted((DATA_DIR / "processed").glob("*.jsonl"))]
    for path in files:
        if not path.exists():
            continue
        letters, bad = read_corpus(path, strict=False)
        typer.echo(f"== {path.relative_to(DATA_DIR.parent)}: {len(letters)} letters, {len(bad)} bad records")
        for line in corpus_stats(letters).lines():
            typer.echo("  " + line)


@data_app.command("build-gold")
def data_build_gold() -> None:
    """Compile the annotated sources in data/gold/letters/ into data/gold/dev.jsonl."""
    from .gold import MarkupError, build_gold

    try:
        letters = build_gold()
    except MarkupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    typer.echo(f"compiled {len(letters)} letters, {sum(len(l.items) for l in letters)} items", err=True)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
