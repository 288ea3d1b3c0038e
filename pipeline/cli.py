"""The ``imr`` command line.

Every command has ``--help``; exit status 0 means every input was read, 1 that at
least one input failed (its error record is in the output), 2 a usage error.
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

# Each command imports what it needs inside its function, on purpose: `imr --help`, `imr
# parse` and the scoring workers start without importing spaCy, scikit-learn, pyarrow or
# pandas that they never use (start-up is one of the benchmark's figures).
from .batch import Summary, open_output

# Plain Click messages (no Rich boxes): a usage error is a few plain lines a script can grep.
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                  help="Read California IMR final determination letters into structured data.")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"imr {version('imr-reader')}")
        except PackageNotFoundError:  # run from a checkout without installing
            typer.echo("imr (not installed)")
        raise typer.Exit()


@app.callback()
def _main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Read California IMR final determination letters into structured data."""
data_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Corpora: generate training letters, check and describe data files.")
app.add_typer(data_app, name="data")


def _report(summary: Summary) -> None:
    for line in summary.lines():
        typer.echo(line, err=True)


PROGRESS_OPTION = typer.Option(None, "--progress/--no-progress",
                               help="Progress bar with the total, letters/s, ETA and failures so far (default: on a terminal).")
class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


FORMAT_OPTION = typer.Option(None, "--format", "-f",
                             help="jsonl (gold-format records), csv (one row per item) or parquet (a folder of "
                                  "letters/items/entities tables). Default: from the --out extension, else jsonl.")
FORCE_OPTION = typer.Option(False, "--force", help="Overwrite an --out file that is not an imr output.")
RESUME_OPTION = typer.Option(False, "--resume",
                             help="Continue an interrupted run: keep what --out holds, skip those letters.")


def _run(inputs: List[str], out: Optional[Path], fmt: Optional[OutputFormat], resume: bool, force: Optional[bool],
         progress: Optional[bool], letters_of, part_size: Optional[int] = None) -> None:
    """Check and lock ``out``, turn the pending inputs into letters with ``letters_of(raws)``,
    write them one by one, report, and exit 0, 1 (some input in the output failed) or 2."""
    from .artifacts import ArtifactError
    from .batch import counted, pending_raws
    from .output.writers import Output
    from .output.guard import OutputError, count_inputs

    try:
        output = Output.open(out, fmt.value if fmt else None, inputs, resume=resume, force=force, part_letters=part_size)
    except OutputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    summary = Summary(resumed=output.resumed)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        total = None
        if show:  # listing the inputs costs a folder walk: only for the bar's total and ETA
            total = max(0, count_inputs(inputs, output.path) - output.resumed.letters)
        for letter in counted(letters_of(pending_raws(inputs, output.path, output.resumed)), summary, show, total):
            output.write(letter)
    except ArtifactError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    finally:
        output.close()
    _report(summary)
    raise typer.Exit(summary.exit_status)


def _read_and_write(inputs: List[str], out: Optional[Path], annotate=None, progress: Optional[bool] = None,
                    fmt: Optional[OutputFormat] = None, resume: bool = False, force: Optional[bool] = None) -> None:
    """Read every input, let ``annotate`` add to each readable letter, write, report, exit
    (``force`` ``None``: the command has no ``--force``)."""
    from .batch import read_raws
    from .letters import internal_error

    def letters_of(raws):
        for letter in read_raws(raws):
            if annotate is not None and not letter.error:
                try:
                    annotate(letter)  # adds to the letter in place
                except Exception as exc:  # a bug on one letter must not end the run
                    letter = internal_error(letter.id, letter.text, letter.source, "annotating", exc, letter.warnings)
            yield letter

    _run(inputs, out, fmt, resume, force, progress, letters_of)


@app.command()
def parse(
    inputs: List[str] = typer.Argument(..., help="Letters: .txt, .pdf, .jsonl of {id, text}, or folders (recursive)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output file; - or none: standard output."),
    fmt: Optional[OutputFormat] = FORMAT_OPTION,
    resume: bool = RESUME_OPTION,
    force: bool = FORCE_OPTION,
    progress: Optional[bool] = PROGRESS_OPTION,
) -> None:
    """Read letters into sections and disputed items (service, decision, citations, rationale).

    Writes one JSON record per input letter, in the gold-format shape with reader
    fields added; an input that cannot be read gets a record with `error` and
    `error_kind`. Prints a summary on standard error. Exit status: 0 when every input
    was read, 1 when at least one failed (the batch still completes), 2 on usage errors.
    """
    _read_and_write(inputs, out, progress=progress, fmt=fmt, resume=resume, force=force)


@app.command()
def score(
    inputs: List[str] = typer.Argument(..., help="Letters: .txt, .pdf, .jsonl of {id, text}, or folders (recursive)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file (Parquet: a folder); - for standard output."),
    fmt: Optional[OutputFormat] = FORMAT_OPTION,
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes to score in."),
    resume: bool = RESUME_OPTION,
    force: bool = FORCE_OPTION,
    tagger: Path = typer.Option(None, "--tagger", exists=True, file_okay=False,
                                help="Tagger directory (default models/tagger)."),
    reasons: Path = typer.Option(None, "--reasons", exists=True, file_okay=False,
                                 help="Reason classifier directory (default models/reasons)."),
    progress: Optional[bool] = PROGRESS_OPTION,
    part_size: Optional[int] = typer.Option(None, "--part-size",
                                            help="Parquet only: letters per committed part file (default 1000; "
                                                 "smaller loses less work to a kill, larger makes fewer files)."),
) -> None:
    """Score letters: items, decisions, denial reasons with probabilities and evidence, entity spans.

    Streams: each letter is written and flushed as soon as it is scored, memory stays
    flat, and `--resume` continues after a crash without losing or repeating letters,
    in every format. An input that cannot be read gets an error record; the run goes on.
    Exit status: 0 when every input in the output was scored, 1 when some failed (on
    `--resume`, earlier runs' failures count too), 2 on usage errors or unusable models.
    """
    from .scoring import DEFAULT_REASONS, DEFAULT_TAGGER, score_stream

    tagger, reasons = tagger or DEFAULT_TAGGER, reasons or DEFAULT_REASONS
    _run(inputs, out, fmt, resume, force, progress, lambda raws: score_stream(raws, workers, tagger, reasons),
         part_size=part_size)


@app.command()
def evaluate(
    gold: List[Path] = typer.Argument(..., exists=True, dir_okay=False,
                                      help="Gold annotations (JSONL, gold format); several give one column each, "
                                           "e.g. written letters and real letters."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", "-p", exists=True, dir_okay=False,
                                               help="Predictions to score (JSONL)."),
    model: bool = typer.Option(False, "--model", help="Score the gold texts with the default models first."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON here."),
) -> None:
    """Figures of predictions against gold: items, decisions, reasons per label, spans, negation, evidence.

    The definitions are those of the reference scorer (tests hold the two together).
    Give --predictions, or --model to score the gold letters' texts with the bundled models.
    With several gold files (say `data/gold/dev.jsonl` and the real pool from `imr data
    real-gold`), each is scored on its own and shown as its own column.
    """
    from .evaluation.metrics import evaluate as compute, format_columns, format_table, read_jsonl

    sets = {path.stem: read_jsonl(path) for path in gold}
    if predictions is not None:
        pred = read_jsonl(predictions)
    elif model:
        from .scoring import score_stream
        from .reader.sources import RawText

        _warn_if_trained_on(sets)
        raws = (RawText(id=i, text=r["text"]) for records in sets.values() for i, r in records.items())
        pred = {l.id: l.to_json() for l in score_stream(raws)}
    else:
        raise typer.BadParameter("give --predictions FILE or --model")
    for name, records in sets.items():
        missing = len(set(records) - set(pred))
        if missing == len(records):
            typer.echo(f"error: no letter of {name} has a prediction (no id in common): wrong file?", err=True)
            raise typer.Exit(2)
        if missing:
            typer.echo(f"note: {missing} of {len(records)} letters of {name} have no prediction "
                       "(scored as predicting nothing)", err=True)
    results = {name: compute(records, pred) for name, records in sets.items()}
    for line in (format_table(next(iter(results.values()))) if len(results) == 1 else format_columns(results)):
        typer.echo(line)
    if json_out:
        figures = next(iter(results.values())) if len(results) == 1 else results
        json_out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def _warn_if_trained_on(sets: dict[str, dict]) -> None:
    """Say so when the default models were trained on some of these letters (the real pool)."""
    from .corpus import standoff

    if not standoff.POOL_GOLD.exists():
        return
    pool = {record.id for record in standoff.load(standoff.POOL_GOLD)}
    for name, records in sets.items():
        seen = pool & set(records)
        if seen:
            typer.echo(f"note: the default models were trained on {len(seen)} letters of {name}; their figures here "
                       "are not held out (the model cards give cross-validated figures for them)", err=True)


class Stage(str, Enum):
    """What `imr train --only` may train alone."""

    tagger = "tagger"
    reasons = "reasons"


@app.command()
def train(
    config: Path = typer.Option(Path("configs/default.toml"), "--config", "-c", exists=True, dir_okay=False,
                                help="Training config (TOML)."),
    only: Optional[Stage] = typer.Option(None, "--only", help="Train only this model."),
) -> None:
    """Train the default models from a config: corpus, tagger, reason classifier, manifests and model cards.

    Reproducible: the same config and data give the same models and figures.
    """
    from .training import run

    results = run(config, only=only.value if only else None, log=lambda m: typer.echo(m, err=True))
    typer.echo(json.dumps(results, indent=2))


@app.command()
def label(
    inputs: List[str] = typer.Argument(..., help="Unlabelled letters (as for parse)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output JSONL with rule-baseline reasons."),
) -> None:
    """Weak supervision: label upheld items with the rule baseline's labeling functions."""
    from .reasons.rules import weak_labels

    _read_and_write(inputs, out, weak_labels)


@app.command()
def tag(
    inputs: List[str] = typer.Argument(..., help="Letters (as for parse)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output JSONL with entity spans."),
    tagger: Path = typer.Option(None, "--tagger", exists=True, file_okay=False,
                                help="Tagger directory (default models/tagger)."),
) -> None:
    """Tag GUIDELINE, CONDITION and FINDING spans with `negated` and `guideline_id`."""
    from .scoring import DEFAULT_TAGGER, load_tagger, tag_spans

    nlp = load_tagger(tagger or DEFAULT_TAGGER)

    def tag_letter(letter):
        letter.spans = tag_spans(nlp, letter.text)  # in pieces when over spaCy's length limit

    _read_and_write(inputs, out, tag_letter)


@app.command()
def show(
    letter: Path = typer.Argument(..., exists=True, dir_okay=False, help="One letter (.txt or .pdf)."),
    html: Path = typer.Option(..., "--html", help="Write the rendered letter here."),
    tagger: Path = typer.Option(None, "--tagger", exists=True, file_okay=False,
                                help="Tagger directory (default models/tagger)."),
) -> None:
    """Render a letter's entities with displaCy (negated ones marked) into an HTML file."""
    from spacy import displacy

    from .reporting.highlight import displacy_colors
    from .scoring import DEFAULT_TAGGER, load_tagger
    from .reader.sources import read_file

    raw = next(read_file(letter))
    if raw.error:
        typer.echo(f"error: {raw.error}", err=True)
        raise typer.Exit(1)
    doc = load_tagger(tagger or DEFAULT_TAGGER)(raw.text)
    ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_ + (" (absent)" if e._.negated else "")}
            for e in doc.ents]
    page = displacy.render({"text": raw.text, "ents": ents, "title": raw.id}, style="ent", manual=True, page=True,
                           options={"colors": displacy_colors()})
    html.write_text(page, encoding="utf-8")
    typer.echo(f"wrote {html}", err=True)


@app.command()
def negex(
    path: Optional[Path] = typer.Argument(None, exists=True, dir_okay=False,
                                          help="NegEx annotations file (default: the shared copy)."),
) -> None:
    """Run the negation component over the public NegEx test set and print P/R/F1 and accuracy."""
    from .evaluation import negex as negex_module

    raise typer.Exit(negex_module.main([str(path)] if path else []))


@app.command()
def report(
    predictions: Path = typer.Argument(..., exists=True, dir_okay=False, help="Scored letters (JSONL from imr score)."),
    gold: Optional[Path] = typer.Option(None, "--gold", exists=True, dir_okay=False,
                                        help="Gold annotations: adds per-label figures and error lists."),
    out: Path = typer.Option(..., "--out", "-o", help="The HTML file to write (self-contained, works offline)."),
    max_letters: int = typer.Option(500, "--max-letters", min=1,
                                    help="Show every letter of a run up to this many; a larger run shows this many: "
                                         "read errors and disagreements with gold first, then a random sample "
                                         "(totals and charts always count every letter)."),
    seed: int = typer.Option(13, "--seed", help="Seed of the letter sample of a large run."),
) -> None:
    """A single self-contained HTML report: totals, charts, per-letter views with entities and evidence."""
    from .reporting.report import report_command

    report_command(predictions, gold, out, max_letters=max_letters, seed=seed)


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
    from .bench import run, run_pdf
    from .paths import default_pdf_dir

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
    from .corpus.files import sha256_of
    from .corpus import generate_letters

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        for letter in generate_letters(n, seed):
            handle.write(letter.to_jsonl_line())
    typer.echo(f"wrote {n} letters to {out}  sha256 {sha256_of(out)}", err=True)


@data_app.command("check")
def data_check(files: List[Path] = typer.Argument(..., exists=True, dir_okay=False,
                                                 help="Annotated JSONL files (gold format).")) -> None:
    """Validate annotated letters and print their label counts.

    Checks known labels, offsets inside the text, spans that start and end on text,
    services present in the text and overturned items without reasons; lists every
    bad record with its id. Error records of `imr parse`/`imr score` (inputs that could
    not be read) are well-formed output and are counted apart. Exit status 1 when any
    record is bad.
    """
    from .corpus.files import corpus_stats, read_corpus

    failed = False
    for path in files:
        letters, problems = read_corpus(path, strict=False)
        errors = [record for record in problems if record.error_record]
        bad = [record for record in problems if not record.error_record]
        typer.echo(f"== {path}: {len(letters)} good, {len(bad)} bad"
                   + (f", {len(errors)} error records (inputs that could not be read)" if errors else ""))
        for record in bad:
            typer.echo(f"  BAD {record}")
        for line in corpus_stats(letters).lines():
            typer.echo("  " + line)
        failed = failed or bool(bad)
    raise typer.Exit(1 if failed else 0)


@data_app.command("stats")
def data_stats() -> None:
    """Describe the project's corpora: the gold dev set and any generated corpora in data/processed."""
    from .corpus.files import corpus_stats, read_corpus
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
    from .corpus.gold import SETS, MarkupError, build_gold

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
    from .paths import default_pdf_dir

    folder = pdfs or default_pdf_dir()
    if folder is None or not Path(folder).is_dir():
        raise typer.BadParameter("the real letters are not here: give --pdfs DIR", param_hint="--pdfs")
    return Path(folder)


class RealSet(str, Enum):
    """The stand-off annotation sets of the real letters (data/gold/real/)."""

    pool = "pool"
    first = "first"
    second = "second"


@data_app.command("real-gold")
def data_real_gold(
    out: Path = typer.Option(..., "--out", "-o", help="Gold JSONL to write (with letter text: keep it out of git); - for "
                                                  "standard output."),
    which: RealSet = typer.Option(RealSet.pool, "--set",
                                  help="pool (adjudicated), first or second (the double-annotated letters)."),
    spans_only: bool = typer.Option(False, "--spans-only", help="Only letters whose entities are annotated."),
    pdfs: Optional[Path] = REAL_LETTERS_OPTION,
) -> None:
    """Join the stand-off gold of real letters (data/gold/real/) with the PDFs' text into gold JSONL for `imr evaluate`."""
    from .corpus import standoff

    sets = {RealSet.pool: standoff.POOL_GOLD, RealSet.first: standoff.FIRST_GOLD, RealSet.second: standoff.SECOND_GOLD}
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
    from .corpus import standoff
    from .evaluation.metrics import evaluate, format_table

    folder = _real_letters_dir(pdfs)
    first = {l.id: l.to_json() for l in standoff.joined(standoff.load(standoff.FIRST_GOLD), folder)}
    second = {l.id: l.to_json() for l in standoff.joined(standoff.load(standoff.SECOND_GOLD), folder)}
    figures = evaluate(first, second)
    for line in format_table(figures):
        typer.echo(line)
    if json_out:
        json_out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


# The annotation loop (issue 15): export tasks to Prodigy / Label Studio, import the answers,
# draw the learning curve. Kept in one block; the logic lives in pipeline/annotation/.
annotate_app = typer.Typer(no_args_is_help=True, help="The annotation loop: tasks out to Prodigy or Label Studio, "
                                                      "answers back in as gold, the learning curve.")
app.add_typer(annotate_app, name="annotate")


@annotate_app.command("export")
def annotate_export(
    inputs: List[str] = typer.Argument(..., help="Letters (as for score): .txt, .pdf, .jsonl, or folders."),
    to: str = typer.Option(..., "--to", help="prodigy or label-studio."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the task files and manifest.json."),
    select: str = typer.Option("uncertain", "--select", help="uncertain (least sure first), random (seeded sample) "
                                                             "or all (input order)."),
    n: Optional[int] = typer.Option(None, "--n", min=1, help="How many letters (default: all)."),
    seed: int = typer.Option(13, "--seed", help="Seed of --select random."),
    kinds: str = typer.Option("reasons,entities", "--kinds", help="What to annotate: reasons, entities or both."),
    tagger: Path = typer.Option(None, "--tagger", help="Tagger directory (default models/tagger)."),
    reasons: Path = typer.Option(None, "--reasons", help="Reason classifier directory (default models/reasons)."),
) -> None:
    """Write pre-annotated tasks for Prodigy or Label Studio from the current models.

    Entity spans with negation, and per upheld item the reason choices with the predicted
    ones pre-selected and the rationale highlighted. Letters are the unit (every item and span of a letter is one gold record); --select uncertain
    puts first the letters whose items are nearest their thresholds, where the rule baseline
    disagrees, or that the reader flagged. Every task carries the letter id, the item index and
    the SHA-256 of the text, so that answers are matched back safely.
    """
    from .annotation.export import TOOLS, export
    from .annotation.select import STRATEGIES
    from .annotation.tasks import KINDS
    from .artifacts import ArtifactError

    chosen = [k.strip() for k in kinds.split(",") if k.strip()]
    if to not in TOOLS:
        raise typer.BadParameter(f"choose from {', '.join(TOOLS)}", param_hint="--to")
    if select not in STRATEGIES:
        raise typer.BadParameter(f"choose from {', '.join(STRATEGIES)}", param_hint="--select")
    if not chosen or any(k not in KINDS for k in chosen):
        raise typer.BadParameter(f"a comma-separated list of {', '.join(KINDS)}", param_hint="--kinds")
    try:
        result = export(inputs, to, out, select, n, seed, [k for k in KINDS if k in chosen], tagger, reasons)
    except ArtifactError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    for line in result.skipped:
        typer.echo(f"skipped {line}", err=True)
    items = sum(len(t.upheld) for t in result.tasks)
    typer.echo(f"{len(result.tasks)} letters ({items} upheld items) to {out}: "
               + ", ".join(f"{name} {count}" for name, count in result.files.items()), err=True)
    raise typer.Exit(1 if result.skipped else 0)


@annotate_app.command("import")
def annotate_import(
    file: Path = typer.Argument(..., help="Prodigy db-out JSONL or Label Studio JSON export of exported tasks."),
    out: Path = typer.Option(..., "--out", "-o", help="Annotations to write (gold JSONL; stand-off records with --standoff)."),
    standoff_records: bool = typer.Option(False, "--standoff", help="Write stand-off records (offsets and a text hash, "
                                                                    "no letter text) for letters that are not yours to store."),
    tool: Optional[str] = typer.Option(None, "--tool", help="prodigy or label-studio (default: told by the file)."),
    tasks: Optional[Path] = typer.Option(None, "--tasks", help="The export folder: letters exported but never answered "
                                                               "are reported too."),
    report: Optional[Path] = typer.Option(None, "--report", help="Also write the problems as JSON here."),
) -> None:
    """Read a tool's answers back into gold JSONL (or stand-off records), checked as `imr data check` checks.

    A letter is written only when each of its parts (every upheld item's reasons, its spans) is
    answered, and answered alike by everyone who answered it, on the exported text. Conflicts,
    changed texts, rejected and unanswered parts are listed, and that letter held back.
    Exit status 1 when anything was held back.
    """
    from .corpus import standoff
    from .annotation.imports import import_answers
    from .corpus.files import corpus_stats

    try:
        result = import_answers(file, tool, tasks)
    except (ValueError, KeyError, json.JSONDecodeError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    if standoff_records:
        records = result.standoff()
        standoff.save(records, out)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", encoding="utf-8") as handle:
            for record in result.records():
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    for problem in result.problems:
        typer.echo(f"held back {problem}", err=True)
    typer.echo(f"{len(result.letters)} letters written to {out}; {len({p.letter_id for p in result.problems})} "
               f"held back ({len(result.problems)} problems)", err=True)
    for line in corpus_stats(result.letters).lines():
        typer.echo("  " + line, err=True)
    if report:
        report.write_text(json.dumps([p.to_json() for p in result.problems], indent=1) + "\n", encoding="utf-8")
    raise typer.Exit(1 if result.problems else 0)


@annotate_app.command("curve")
def annotate_curve(
    out: Path = typer.Option(Path("docs/learning-curve.json"), "--out", "-o", help="The curve's figures (JSON)."),
    ks: str = typer.Option("0,10,20,40,80", "--ks", help="Numbers of annotated real letters."),
    seeds: int = typer.Option(3, "--seeds", min=1, help="Random selections drawn per fold."),
    folds: int = typer.Option(5, "--folds", min=2, help="Folds of real letters (each held out in turn)."),
    generated: int = typer.Option(500, "--generated", min=0, help="Generated training letters (of the train families)."),
    config: Path = typer.Option(Path("configs/default.toml"), "--config", "-c", help="Training config (corpus, "
                                                                                        "hand-annotated letters, settings)."),
    pdfs: Optional[Path] = REAL_LETTERS_OPTION,
) -> None:
    """Learning curve on the real pool: reasons F1 against the number of letters annotated.

    Cross-validated real-letter macro-F1 against k real letters annotated (simulated with the
    pool's gold) on top of the bundled data, uncertain against random selection. Needs the real
    PDFs; 83 fits of a cheaper reasons model with the defaults (about 27 CPU-minutes on 2 cores).
    """
    from .annotation.curve import CurveSettings, format_curve, learning_curve

    settings = CurveSettings(ks=[int(k) for k in ks.split(",")], seeds=seeds, folds=folds, generated=generated)
    figures = learning_curve(config, _real_letters_dir(pdfs), settings, log=lambda m: typer.echo(m, err=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    for line in format_curve(figures):
        typer.echo(line)


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
    from .artifacts import ArtifactError

    try:
        app(with_optional_values(sys.argv[1:]), prog_name="imr")
    except ArtifactError as exc:  # an unusable model, in any command: one line and status 2
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        # A file that cannot be opened or written once a command is running (a folder
        # given for a file, no permission, a full disk): one line and the usage status,
        # not a traceback. Unreadable *inputs* of parse/score get error records instead.
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
