"""Running the reader over many inputs: streaming output and the end-of-run summary.

Output is written and flushed letter by letter, so that an interrupted run keeps
everything already read.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator

from .letters import Letter, internal_error
from .reader import LetterReader
from .sources import DUPLICATE_ID_WARNING, iter_raw


@dataclass
class Summary:
    letters: int = 0
    items: int = 0
    errors: Counter = field(default_factory=Counter)
    warned: int = 0
    formats: Counter = field(default_factory=Counter)
    decisions: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
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
        return sum(self.errors.values())

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
        return out


def parse_inputs(inputs: Iterable[str], reader: LetterReader | None = None,
                 exclude: Iterable[str | Path] = ()) -> Iterator[Letter]:
    reader = reader or LetterReader()
    for raw in iter_raw(inputs, exclude=exclude):
        try:
            yield reader.read(raw)
        except Exception as exc:  # a reader bug on one letter must not end the batch
            yield internal_error(raw.id, raw.text, raw.source, "reading", exc, raw.warnings)


def counted(letters: Iterable[Letter], summary: Summary, show: bool) -> Iterator[Letter]:
    """``letters``, each added to ``summary``; on a terminal, a progress bar with the rate and failures so far."""
    from tqdm import tqdm

    with tqdm(disable=not show, unit=" letters", file=sys.stderr) as bar:
        for letter in letters:
            summary.add(letter)
            bar.update(1)
            if letter.error:
                bar.set_postfix(failed=summary.failed, refresh=False)
            yield letter


def write_jsonl(letters: Iterable[Letter], handle: IO[str], summary: Summary, show: bool = False) -> None:
    for letter in counted(letters, summary, show):
        handle.write(letter.to_jsonl_line())
        handle.flush()


def open_output(out: Path | None) -> IO[str]:
    if out is None or str(out) == "-":
        return sys.stdout
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    return open(out, "w", encoding="utf-8")
