"""Corpora on disk: reading, validating, splitting and describing annotated letters.

Every record is checked on load (``validate.check_letter``); a bad record is
reported with its id and what is wrong, never dropped silently. Corpora load as
Hugging Face ``DatasetDict`` objects whose splits hold out whole template
families, so that a test score on generated letters measures unseen phrasing.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..artifacts import file_sha256 as sha256_of  # noqa: F401  (one checksum for data and models)
from ..letters import Letter
from ..validate import check_letter


class CorpusError(ValueError):
    """A corpus file with records that break the data contract."""


@dataclass
class BadRecord:
    line: int
    id: str
    problems: list[str]
    # An input that could not be read, recorded as such by parse/score: well-formed
    # output, but not a letter (training refuses it; `imr data check` counts it apart).
    error_record: bool = False

    def __str__(self) -> str:
        return f"line {self.line} id={self.id}: " + "; ".join(self.problems)


def iter_records(path: Path) -> Iterator[tuple[int, Letter | None, list[str]]]:
    """(line number, letter or None, problems) for every non-blank line of a JSONL file."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                letter = Letter.from_json(raw)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                yield number, None, [f"unreadable record ({type(exc).__name__}: {exc})"]
                continue
            # An error record has no text or items by design: its error is its only problem.
            problems = [f"error record: {letter.error}"] if letter.error else check_letter(letter)
            yield number, letter, problems


def read_corpus(path: Path, strict: bool = True) -> tuple[list[Letter], list[BadRecord]]:
    """All letters of a file and the bad records; with ``strict`` any bad record raises."""
    letters, bad = [], []
    seen: Counter = Counter()
    for number, letter, problems in iter_records(Path(path)):
        letter_id = letter.id if letter else "?"
        seen[letter_id] += 1
        if letter is not None and seen[letter_id] > 1:
            problems = problems + ["duplicate id"]
        if problems:
            bad.append(BadRecord(number, letter_id, problems, error_record=bool(letter and letter.error)))
        elif letter is not None:
            letters.append(letter)
    if strict and bad:
        listing = "\n".join(str(b) for b in bad[:20])
        more = f"\n... and {len(bad) - 20} more" if len(bad) > 20 else ""
        raise CorpusError(f"{path}: {len(bad)} bad record(s)\n{listing}{more}")
    return letters, bad


def split_of(letter: Letter, default: str = "train") -> str:
    """Generated letters go where their template family goes; others to ``default``."""
    if letter.family:
        from .generator import family_split  # here: the generator is heavy to import and reads corpora files

        return family_split(letter.family)
    return default


def load_corpus(paths: Path | Iterable[Path], default_split: str = "train"):
    """A ``datasets.DatasetDict`` of validated letters, split by template family."""
    import datasets  # takes seconds to import: only when a corpus is loaded for training

    if isinstance(paths, (str, Path)):
        paths = [paths]
    rows: dict[str, list[dict]] = {}
    for path in paths:
        letters, _ = read_corpus(Path(path))
        for letter in letters:
            record = letter.to_json()
            row = {
                "id": record["id"], "text": record["text"], "format": record.get("format") or "",
                "family": letter.family or "", "items": json.dumps(record["items"]),
                "spans": json.dumps(record["spans"]),
            }
            rows.setdefault(split_of(letter, default_split), []).append(row)
    return datasets.DatasetDict({name: datasets.Dataset.from_list(r) for name, r in sorted(rows.items())})


def letters_from_dataset(dataset) -> Iterator[Letter]:
    """Letters back from a split of ``load_corpus``."""
    for row in dataset:
        yield Letter.from_json({"id": row["id"], "text": row["text"], "format": row["format"] or None,
                                "family": row["family"] or None, "items": json.loads(row["items"]),
                                "spans": json.loads(row["spans"])})


@dataclass
class CorpusStats:
    letters: int = 0
    items: int = 0
    formats: Counter = field(default_factory=Counter)
    decisions: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    items_per_letter: Counter = field(default_factory=Counter)
    spans: Counter = field(default_factory=Counter)
    negated: Counter = field(default_factory=Counter)
    families: Counter = field(default_factory=Counter)

    def add(self, letter: Letter) -> None:
        self.letters += 1
        self.items += len(letter.items)
        self.formats[letter.format or "unknown"] += 1
        self.items_per_letter[len(letter.items)] += 1
        if letter.family:
            self.families[letter.family] += 1
        for item in letter.items:
            self.decisions[item.decision] += 1
            self.reasons.update(item.reasons)
        for span in letter.spans:
            self.spans[span.label] += 1
            self.negated[span.label] += span.negated

    def lines(self) -> list[str]:
        out = [f"letters {self.letters}   items {self.items}   items/letter "
               + " ".join(f"{k}:{v}" for k, v in sorted(self.items_per_letter.items()))]
        out.append("layouts   " + ", ".join(f"{k} {v}" for k, v in sorted(self.formats.items())))
        upheld = self.decisions.get("upheld", 0)
        share = self.decisions.get("overturned", 0) / self.items if self.items else 0.0
        out.append(f"decisions upheld {upheld}, overturned {self.decisions.get('overturned', 0)} ({share:.0%} overturned)")
        out.append("reasons (items)")
        out.extend(f"  {k:34s} {v}" for k, v in self.reasons.most_common())
        out.append("spans     " + ", ".join(f"{k} {v} ({self.negated[k]} negated)" for k, v in sorted(self.spans.items())))
        if self.families:
            out.append("families  " + ", ".join(f"{k} {v}" for k, v in sorted(self.families.items())))
        return out


def corpus_stats(letters: Iterable[Letter]) -> CorpusStats:
    stats = CorpusStats()
    for letter in letters:
        stats.add(letter)
    return stats
