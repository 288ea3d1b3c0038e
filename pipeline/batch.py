"""Running the reader over many inputs: what is left to do, progress, and the end-of-run summary.

Output is written and flushed letter by letter (``output``), so that an interrupted
run keeps everything already read; on ``--resume`` the summary and the exit status
count what the output already held, failures included.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator

from tqdm import tqdm

from .letters import Letter, internal_error
from .output.writers import Resumed
from .reader import LetterReader
from .reader.sources import DUPLICATE_ID_WARNING, RawText, iter_raw


@dataclass
class Summary:
    letters: int = 0
    items: int = 0
    errors: Counter = field(default_factory=Counter)
    warned: int = 0
    formats: Counter = field(default_factory=Counter)
    decisions: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
    resumed: Resumed = field(default_factory=Resumed)
    renamed: int = 0  # records whose id was already used in the run (sources.unique_ids)

    def add(self, letter: Letter) -> None:
        self.renamed += any(w.startswith(DUPLICATE_ID_WARNING) for w in letter.warnings)
        if letter.error:
            self.errors[letter.error_kind or "error"] += 1
            return
        self.letters += 1
        self.items += len(letter.items)
        self.warned += bool(letter.warnings)
        self.formats[letter.format or "unknown"] += 1
        self.decisions.update(item.decision or "none" for item in letter.items)

    @property
    def failed(self) -> int:
        """Inputs that failed in this run."""
        return sum(self.errors.values())

    @property
    def failed_in_output(self) -> int:
        """Inputs whose error record is in the output: this run's and, on ``--resume``, the earlier runs'."""
        return self.failed + sum(self.resumed.errors.values())

    @property
    def exit_status(self) -> int:
        """0 when every input in the output was handled, 1 when any failed (the README's promise)."""
        return 1 if self.failed_in_output else 0

    def lines(self) -> list[str]:
        seconds = max(time.perf_counter() - self.started, 1e-9)
        out = [f"letters read: {self.letters}   items found: {self.items}   "
               f"letters with warnings: {self.warned}   inputs failed: {self.failed}   "
               f"({(self.letters + self.failed) / seconds:.1f} inputs/s)"]
        if self.formats:
            out.append("layouts: " + ", ".join(f"{k} {v}" for k, v in sorted(self.formats.items())))
        if self.decisions:
            out.append("decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(self.decisions.items())))
        if self.renamed:
            out.append(f"warning: {self.renamed} duplicate ids renamed to id#2, id#3, ... (see each record's warnings)")
        if self.errors:
            out.append("errors by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items())))
        if self.resumed.letters:
            earlier = self.resumed.errors
            out.append(f"resumed: {self.resumed.letters} inputs were already in the output, "
                       f"{sum(earlier.values())} of them failed"
                       + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(earlier.items())) + ")" if earlier else "")
                       + f"; inputs failed in the whole output: {self.failed_in_output}")
        if self.resumed.repaired:
            out.append(f"resume repaired the output: {self.resumed.repaired}")
        return out


def pending_raws(inputs: Iterable[str], out: Path | None, resumed: Resumed | None = None) -> Iterator[RawText]:
    """Raw texts of the inputs, less the run's own output and the letters ``resumed`` already holds.

    A Parquet output is a folder: the files in it are skipped as well when it lies
    inside an input folder.
    """
    skip = Counter(resumed.done) if resumed else Counter()
    inside = Path(out).resolve() if out is not None and Path(out).is_dir() else None
    for raw in iter_raw(inputs, exclude=[out] if out is not None else []):
        if inside is not None and raw.source and inside in Path(raw.source).resolve().parents:
            continue
        if skip[raw.id] > 0:
            skip[raw.id] -= 1
            continue
        yield raw


def read_raws(raws: Iterable[RawText], reader: LetterReader | None = None) -> Iterator[Letter]:
    reader = reader or LetterReader()
    for raw in raws:
        try:
            yield reader.read(raw)
        except Exception as exc:  # a reader bug on one letter must not end the batch
            yield internal_error(raw.id, raw.text, raw.source, "reading", exc, raw.warnings)


def parse_inputs(inputs: Iterable[str], reader: LetterReader | None = None,
                 exclude: Iterable[str | Path] = ()) -> Iterator[Letter]:
    return read_raws(iter_raw(inputs, exclude=exclude), reader)


def counted(letters: Iterable[Letter], summary: Summary, show: bool, total: int | None = None) -> Iterator[Letter]:
    """``letters``, each added to ``summary``; if ``show``, a progress bar on standard error with
    letters/s, failures so far and, given the ``total`` still to do, the count left and an ETA."""

    with tqdm(disable=not show, total=total, unit=" letters", file=sys.stderr, dynamic_ncols=True) as bar:
        for letter in letters:
            summary.add(letter)
            bar.update(1)
            if letter.error:
                bar.set_postfix(failed=summary.failed, refresh=False)
            yield letter


def open_output(out: Path | None) -> IO[str]:
    """A plain text handle for commands that write one file (``data real-gold``); runs over
    letters write through ``output.Output``, which checks and locks the path."""
    if out is None or str(out) == "-":
        return sys.stdout
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    return open(out, "w", encoding="utf-8")
