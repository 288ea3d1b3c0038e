"""The ``imr`` command line.

Every command has ``--help``; exit status 0 means every input was read, 1 that at
least one input failed (its error record is in the output), 2 a usage error.
"""
from __future__ import annotations

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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
