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


PROGRESS_OPTION = typer.Option(None, "--progress/--no-progress",
                               help="Progress bar with letters/s and failures so far (default: on a terminal).")


def _read_and_write(inputs: List[str], out: Optional[Path], annotate=None, progress: Optional[bool] = None) -> None:
    """Read every input, let ``annotate`` add to each readable letter, write JSONL, report, exit."""
    summary = Summary()
    handle = open_output(out)

    def letters():
        for letter in parse_inputs(inputs, exclude=[out] if out else []):
            if annotate is not None and not letter.error:
                annotate(letter)  # adds to the letter in place
            yield letter

    try:
        write_jsonl(letters(), handle, summary, show=sys.stderr.isatty() if progress is None else progress)
    finally:
        if handle is not sys.stdout:
            handle.close()
    _report(summary)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def parse(
    inputs: List[str] = typer.Argument(..., help="Letters: .txt, .pdf, .jsonl of {id, text}, or folders (recursive)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output JSONL file (default: standard output)."),
    progress: Optional[bool] = PROGRESS_OPTION,
) -> None:
    """Read letters into sections and disputed items (service, decision, citations, rationale).

    Writes one JSON record per input letter, in the gold-format shape with reader
    fields added; an input that cannot be read gets a record with `error` and
    `error_kind`. Prints a summary on standard error. Exit status: 0 when every input
    was read, 1 when at least one failed (the batch still completes), 2 on usage errors.
    """
    _read_and_write(inputs, out, progress=progress)


@app.command()
def score(
    inputs: List[str] = typer.Argument(..., help="Letters: .txt, .pdf, .jsonl of {id, text}, or folders (recursive)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (gold-format records), csv (one row per item) or parquet."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes to score in."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run: keep what --out holds, skip those letters."),
    tagger: Path = typer.Option(None, "--tagger", help="Tagger directory (default models/tagger)."),
    reasons: Path = typer.Option(None, "--reasons", help="Reason classifier directory (default models/reasons)."),
    progress: Optional[bool] = PROGRESS_OPTION,
) -> None:
    """Score letters: items, decisions, denial reasons with probabilities and evidence, entity spans.

    Streams: each letter is written and flushed as soon as it is scored, memory stays
    flat, and `--resume` continues after a crash without losing or repeating letters.
    An input that cannot be read gets an error record; the run goes on. Exit status:
    0 when every input was scored, 1 when some failed, 2 on usage errors or unusable models.
    """
    from .artifacts import ArtifactError
    from .batch import counted
    from .output import Writer, done_ids
    from .scoring import DEFAULT_REASONS, DEFAULT_TAGGER, score_stream
    from .sources import iter_raw

    if fmt not in ("jsonl", "csv", "parquet"):
        raise typer.BadParameter("--format must be jsonl, csv or parquet")
    tagger, reasons = tagger or DEFAULT_TAGGER, reasons or DEFAULT_REASONS
    try:
        skip = done_ids(out, fmt) if resume else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc))

    def pending():
        for raw in iter_raw(inputs, exclude=[out]):
            if skip and skip[raw.id] > 0:
                skip[raw.id] -= 1
                continue
            yield raw

    summary = Summary()
    writer = Writer(out, fmt, append=resume)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        for letter in counted(score_stream(pending(), workers, tagger, reasons), summary, show):
            writer.write(letter)
    except ArtifactError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    finally:
        writer.close()
    if resume:
        already = sum(done_ids(out, fmt).values()) - summary.letters - summary.failed
        typer.echo(f"resumed: {already} letters were already done", err=True)
    _report(summary)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def evaluate(
    gold: List[Path] = typer.Argument(..., help="Gold annotations (JSONL, gold format); several give one column each, "
                                                "e.g. written letters and real letters."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", "-p", help="Predictions to score (JSONL)."),
    model: bool = typer.Option(False, "--model", help="Score the gold texts with the default models first."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON here."),
) -> None:
    """Figures of predictions against gold: items, decisions, reasons per label, spans, negation, evidence.

    The definitions are those of the reference scorer (tests hold the two together).
    Give --predictions, or --model to score the gold letters' texts with the bundled models.
    With several gold files (say `data/gold/dev.jsonl` and the real pool from `imr data
    real-gold`), each is scored on its own and shown as its own column.
    """
    from .evaluation import evaluate as compute, format_columns, format_table, read_jsonl

    sets = {path.stem: read_jsonl(path) for path in gold}
    if predictions is not None:
        pred = read_jsonl(predictions)
    elif model:
        from .scoring import score_stream
        from .sources import RawText

        _warn_if_trained_on(sets)
        raws = (RawText(id=i, text=r["text"]) for records in sets.values() for i, r in records.items())
        pred = {l.id: l.to_json() for l in score_stream(raws)}
    else:
        raise typer.BadParameter("give --predictions FILE or --model")
    results = {name: compute(records, pred) for name, records in sets.items()}
    for line in (format_table(next(iter(results.values()))) if len(results) == 1 else format_columns(results)):
        typer.echo(line)
    if json_out:
        figures = next(iter(results.values())) if len(results) == 1 else results
        json_out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def _warn_if_trained_on(sets: dict[str, dict]) -> None:
    """Say so when the default models were trained on some of these letters (the real pool)."""
    from . import standoff

    if not standoff.POOL_GOLD.exists():
        return
    pool = {record.id for record in standoff.load(standoff.POOL_GOLD)}
    for name, records in sets.items():
        seen = pool & set(records)
        if seen:
            typer.echo(f"note: the default models were trained on {len(seen)} letters of {name}; their figures here "
                       "are not held out (the model cards give cross-validated figures for them)", err=True)


@app.command()
def train(
    config: Path = typer.Option(Path("configs/default.toml"), "--config", "-c", help="Training config (TOML)."),
    only: Optional[str] = typer.Option(None, "--only", help="Train only 'tagger' or 'reasons'."),
) -> None:
    """Train the default models from a config: corpus, tagger, reason classifier, manifests and model cards.

    Reproducible: the same config and data give the same models and figures.
    """
    from .training import run

    if only not in (None, "tagger", "reasons"):
        raise typer.BadParameter("--only takes 'tagger' or 'reasons'")
    results = run(config, only=only, log=lambda m: typer.echo(m, err=True))
    typer.echo(json.dumps(results, indent=2))


@app.command()
def label(
    inputs: List[str] = typer.Argument(..., help="Unlabelled letters (as for parse)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output JSONL with rule-baseline reasons."),
) -> None:
    """Weak supervision: label upheld items with the rule baseline's labeling functions."""
    from .rules import rule_hits

    def label_items(letter):
        for item in letter.items:
            if item.decision == "upheld" and item.rationale:
                hits = rule_hits(item.rationale)
                item.reasons = sorted({h.reason for h in hits})
                offset = item.rationale_range[0]
                item.evidence = {}
                for h in hits:
                    item.evidence.setdefault(h.reason, []).append([offset + h.start, offset + h.end])

    _read_and_write(inputs, out, label_items)


@app.command()
def tag(
    inputs: List[str] = typer.Argument(..., help="Letters (as for parse)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output JSONL with entity spans."),
    tagger: Path = typer.Option(None, "--tagger", help="Tagger directory (default models/tagger)."),
) -> None:
    """Tag GUIDELINE, CONDITION and FINDING spans with `negated` and `guideline_id`."""
    from .scoring import DEFAULT_TAGGER, doc_spans, load_tagger

    nlp = load_tagger(tagger or DEFAULT_TAGGER)

    def tag_letter(letter):
        letter.spans = doc_spans(nlp(letter.text))

    _read_and_write(inputs, out, tag_letter)


@app.command()
def show(
    letter: Path = typer.Argument(..., help="One letter (.txt or .pdf)."),
    html: Path = typer.Option(..., "--html", help="Write the rendered letter here."),
    tagger: Path = typer.Option(None, "--tagger", help="Tagger directory (default models/tagger)."),
) -> None:
    """Render a letter's entities with displaCy (negated ones marked) into an HTML file."""
    from spacy import displacy

    from .scoring import DEFAULT_TAGGER, load_tagger
    from .sources import read_file

    raw = next(read_file(letter))
    if raw.error:
        typer.echo(f"error: {raw.error}", err=True)
        raise typer.Exit(1)
    doc = load_tagger(tagger or DEFAULT_TAGGER)(raw.text)
    ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_ + (" (absent)" if e._.negated else "")}
            for e in doc.ents]
    colors = {"GUIDELINE": "#9ecae1", "CONDITION": "#fdd0a2", "FINDING": "#c7e9c0",
              "CONDITION (absent)": "#d9d9d9", "FINDING (absent)": "#d9d9d9"}
    page = displacy.render({"text": raw.text, "ents": ents, "title": raw.id}, style="ent", manual=True, page=True,
                           options={"colors": colors})
    html.write_text(page, encoding="utf-8")
    typer.echo(f"wrote {html}", err=True)


@app.command()
def negex(
    path: Optional[Path] = typer.Argument(None, help="NegEx annotations file (default: the shared copy)."),
) -> None:
    """Run the negation component over the public NegEx test set and print P/R/F1 and accuracy."""
    from .tagger import negex_eval

    negex_eval.main([str(path)] if path else [])


@app.command()
def report(
    predictions: Path = typer.Argument(..., help="Scored letters (JSONL from imr score)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold annotations: adds per-label figures and error lists."),
    out: Path = typer.Option(..., "--out", "-o", help="The HTML file to write (self-contained, works offline)."),
) -> None:
    """A single self-contained HTML report: totals, charts, per-letter views with entities and evidence."""
    from .report import report_command

    report_command(predictions, gold, out)


@app.command()
def bench(
    n: Optional[int] = typer.Option(None, "--n", help="Letters to score (default 2000 generated; 1000 PDF files with --pdf)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Processes for the all-cores run (default: all cores)."),
    pdf: Optional[str] = typer.Option(None, "--pdf", metavar="[DIR]",
                                      help="Score real PDFs from DIR instead of generated text (DIR defaults to "
                                           "../shared/data/real-letters when present); the floor is PDF extraction "
                                           "+ tokenizer."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as one JSON object here."),
) -> None:
    """Benchmark: letters/s and words/s of every stage, peak memory, start-up; ratios to the floor."""
    from .bench import default_pdf_dir, run, run_pdf

    if pdf is not None:
        folder = Path(pdf) if pdf else default_pdf_dir()
        if folder is None or not folder.is_dir():
            raise typer.BadParameter("give a folder of PDFs: --pdf DIR", param_hint="--pdf")
        figures = run_pdf(folder, n=n or 1000, workers=workers, log=typer.echo)
    else:
        figures = run(n=n or 2000, workers=workers, log=typer.echo)
    if json_out:
        json_out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


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
            handle.write(letter.to_jsonl_line())
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

    files = [DATA_DIR / "gold" / "dev.jsonl", DATA_DIR / "annotated" / "train.jsonl",
             *sorted((DATA_DIR / "processed").glob("*.jsonl"))]
    for path in files:
        if not path.exists():
            continue
        letters, bad = read_corpus(path, strict=False)
        typer.echo(f"== {path.relative_to(DATA_DIR.parent)}: {len(letters)} letters, {len(bad)} bad records")
        for line in corpus_stats(letters).lines():
            typer.echo("  " + line)


@data_app.command("build-gold")
def data_build_gold(
    which: List[str] = typer.Argument(None, help="Sets to compile: dev, train (default: both)."),
) -> None:
    """Compile hand-annotated sources: data/gold/letters -> data/gold/dev.jsonl, data/annotated/letters -> train.jsonl."""
    from .gold import SETS, MarkupError, build_gold

    for name in which or list(SETS):
        if name not in SETS:
            raise typer.BadParameter(f"unknown set {name!r}; choose from {', '.join(SETS)}")
        source, out = SETS[name]
        if not any(source.glob("*.txt")):
            continue
        try:
            letters = build_gold(source, out)
        except MarkupError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1)
        typer.echo(f"{name}: compiled {len(letters)} letters, {sum(len(l.items) for l in letters)} items into {out}", err=True)


REAL_LETTERS_OPTION = typer.Option(None, "--pdfs", help="Folder of the real DWC PDFs the stand-off gold annotates "
                                                         "(default: ../shared/data/real-letters).")


def _real_letters_dir(pdfs: Optional[Path]) -> Path:
    from .bench import default_pdf_dir

    folder = pdfs or default_pdf_dir()
    if folder is None or not Path(folder).is_dir():
        raise typer.BadParameter("the real letters are not here: give --pdfs DIR", param_hint="--pdfs")
    return Path(folder)


@data_app.command("real-gold")
def data_real_gold(
    out: Path = typer.Option(..., "--out", "-o", help="Gold JSONL to write (with letter text: keep it out of git); - for "
                                                  "standard output."),
    which: str = typer.Option("pool", "--set", help="pool (adjudicated), first or second (the double-annotated letters)."),
    spans_only: bool = typer.Option(False, "--spans-only", help="Only letters whose entities are annotated."),
    pdfs: Optional[Path] = REAL_LETTERS_OPTION,
) -> None:
    """Join the stand-off gold of real letters (data/gold/real/) with the PDFs' text into gold JSONL for `imr evaluate`."""
    from . import standoff

    sets = {"pool": standoff.POOL_GOLD, "first": standoff.FIRST_GOLD, "second": standoff.SECOND_GOLD}
    if which not in sets:
        raise typer.BadParameter(f"choose from {', '.join(sets)}", param_hint="--set")
    letters = list(standoff.joined(standoff.load(sets[which]), _real_letters_dir(pdfs), spans_only=spans_only))
    handle = open_output(out)
    try:
        for letter in letters:
            handle.write(letter.to_jsonl_line())
    finally:
        if handle is not sys.stdout:
            handle.close()
    typer.echo(f"{len(letters)} letters, {sum(len(l.items) for l in letters)} items written to {out}", err=True)


@data_app.command("agreement")
def data_agreement(
    pdfs: Optional[Path] = REAL_LETTERS_OPTION,
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
) -> None:
    """Agreement of the two blind annotations of the double-annotated real letters, before adjudication."""
    from . import standoff
    from .evaluation import evaluate, format_table

    folder = _real_letters_dir(pdfs)
    first = {l.id: l.to_json() for l in standoff.joined(standoff.load(standoff.FIRST_GOLD), folder)}
    second = {l.id: l.to_json() for l in standoff.joined(standoff.load(standoff.SECOND_GOLD), folder)}
    figures = evaluate(first, second)
    for line in format_table(figures):
        typer.echo(line)
    if json_out:
        json_out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


# Options whose value may be left out ("imr bench --pdf"): Click has no such option, so
# the bare flag is given an empty value, which the command reads as "the default".
OPTIONAL_VALUE_OPTIONS = ("--pdf",)


def with_optional_values(argv: list[str]) -> list[str]:
    out = []
    for number, arg in enumerate(argv):
        out.append(arg)
        following = argv[number + 1] if number + 1 < len(argv) else None
        if arg in OPTIONAL_VALUE_OPTIONS and (following is None or following.startswith("-")):
            out.append("")
    return out


def main() -> None:
    app(with_optional_values(sys.argv[1:]), prog_name="imr")


if __name__ == "__main__":
    main()
