"""Writing scored letters: JSONL, CSV and Parquet, each resumable letter by letter.

- **JSONL** (``.jsonl``, ``.json``, ``-`` for standard output): one record per letter,
  written and flushed whole. On ``--resume`` a half-written last line is cut off.
- **CSV** (``.csv``): the items table flat (``output.schema``). All rows of a letter go
  out in one write; on ``--resume`` a torn tail (a cut row, or a letter with fewer rows
  than its ``items`` column says) is cut back to the last whole letter.
- **Parquet** (``.parquet``): a folder holding ``letters/``, ``items/`` and ``entities/``,
  each a set of ``part-NNNNNN.parquet`` files with typed columns. A part holds whole
  letters and is committed by renaming it into place, the letters part last, so a part
  counts only once its letters file exists; ``--resume`` deletes what an interrupted
  commit left and adds new parts. Parts are committed every ``PART_LETTERS`` letters
  or ``PART_SECONDS`` seconds, so a kill costs at most that much work, never data.

``Output.open`` checks and locks ``--out`` first (``output.guard``), then reads what a
resumed output already holds: the ids to skip, and the failures among them, which the
run's exit status must count.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable

from ..letters import Letter
from .guard import PARQUET_MARKER, OutputError, OutputLock, check_output, is_stdout
from .schema import TABLES, csv_columns, csv_expected_rows, csv_rows, entity_rows, item_rows, letter_row, schemas

FORMATS = ("jsonl", "csv", "parquet")
FORMAT_OF_SUFFIX = {".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}
PART_LETTERS = 1000
PART_SECONDS = 60.0


def choose_format(out: Path | str | None, fmt: str | None) -> str:
    """The output format: ``--format`` if given, else from the extension (JSONL when it says nothing).

    A ``--format`` that contradicts the extension is refused: ``--out x.csv --format
    parquet`` is almost surely a mistake, and a file named for one format holding another
    misleads every later reader.
    """
    if fmt is not None and fmt not in FORMATS:
        raise OutputError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if is_stdout(out):
        if fmt == "parquet":
            raise OutputError("Parquet cannot go to standard output: give --out FOLDER.parquet")
        return fmt or "jsonl"
    implied = FORMAT_OF_SUFFIX.get(Path(out).suffix.lower())
    if fmt is not None and implied is not None and fmt != implied:
        raise OutputError(f"--format {fmt} contradicts --out {out} (a {implied} name): "
                          f"drop --format or name the output for {fmt}")
    return fmt or implied or "jsonl"


@dataclass
class Resumed:
    """What an output already held when the run began."""

    done: Counter = field(default_factory=Counter)      # letter id -> records already written
    errors: Counter = field(default_factory=Counter)    # error kind -> failed inputs already written
    repaired: str = ""                                  # what was cut from a torn tail, if anything

    @property
    def letters(self) -> int:
        return sum(self.done.values())

    def add(self, letter_id: str, error_kind: str | None) -> None:
        self.done[letter_id] += 1
        if error_kind:
            self.errors[error_kind] += 1


# JSONL --------------------------------------------------------------------------------------

def repair_partial_line(path: Path) -> int:
    """Cut a last line that has no newline (an interrupted write). Returns the bytes cut."""
    with open(path, "rb+") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        if size == 0:
            return 0
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        position, chunk = size - 1, 65536
        while position > 0:  # walk back to the last newline
            start = max(0, position - chunk)
            handle.seek(start)
            cut = handle.read(position - start).rfind(b"\n")
            if cut >= 0:
                handle.truncate(start + cut + 1)
                return size - (start + cut + 1)
            position = start
        handle.truncate(0)
        return size


def jsonl_resumed(path: Path) -> Resumed:
    resumed = Resumed()
    cut = repair_partial_line(path)
    if cut:
        resumed.repaired = f"cut a half-written last record ({cut} bytes)"
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                resumed.add(str(record["id"]), (record.get("error_kind") or "error") if record.get("error") else None)
            except (ValueError, KeyError, TypeError):
                raise OutputError(f"--resume: line {number} of {path} is not an imr record; "
                                  "the file is damaged, score into a new output") from None
    return resumed


class _TextWriter:
    """A letter's text written whole and flushed, so that a crash tears at most the last letter;
    a handle not ``owned`` (standard output) is flushed, not closed."""

    def __init__(self, handle: IO[str], owned: bool = True):
        self._handle, self._owned = handle, owned

    def _text(self, letter: Letter) -> str:
        raise NotImplementedError

    def write(self, letter: Letter) -> None:
        self._handle.write(self._text(letter))
        self._handle.flush()

    def close(self) -> None:
        if self._owned:
            self._handle.close()
        else:
            self._handle.flush()


class JsonlWriter(_TextWriter):
    """One record per letter: ``parse`` and ``score`` both write through it."""

    @classmethod
    def open(cls, path: Path, append: bool) -> "JsonlWriter":
        return cls(open(path, "a" if append else "w", encoding="utf-8"))

    def _text(self, letter: Letter) -> str:
        return letter.to_jsonl_line()


# CSV ----------------------------------------------------------------------------------------

def _csv_records(handle) -> Iterable[tuple[list[str], int, bool]]:
    """(row, byte offset after it, whether it ended cleanly) for each CSV record of ``handle``.

    ``csv.reader`` pulls one physical line at a time and never reads ahead, so the bytes
    consumed when it returns a row are exactly that row's (rationales span several lines).
    """
    offset, last = 0, b""

    def lines():
        nonlocal offset, last
        for raw in handle:
            offset += len(raw)
            last = raw
            yield raw.decode("utf-8", errors="replace")

    reader = csv.reader(lines(), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:  # end of file inside a quoted field: a torn row
            yield [], offset, False
            return
        yield row, offset, last.endswith(b"\n")


def csv_resumed(path: Path) -> Resumed:
    resumed, columns = Resumed(), csv_columns()
    size = path.stat().st_size
    with open(path, "rb") as handle:
        records = iter(_csv_records(handle))
        header, good_end, clean = next(records, ([], 0, False))
        if header != columns or not clean:
            raise OutputError(f"--resume: {path} was written with other columns (an older imr?); "
                              "score into a new output")
        index = {name: n for n, name in enumerate(columns)}
        group: list[list[str]] = []
        for row, end, clean in records:
            if not clean or len(row) != len(columns):
                break
            if group and row[index["letter_id"]] != group[0][index["letter_id"]]:
                break  # a new letter before the last was whole: cannot happen with one write per letter
            group.append(row)
            if len(group) == csv_expected_rows(group[0][index["items"]]):
                first = group[0]
                resumed.add(first[index["letter_id"]], first[index["error_kind"]] or ("error" if first[index["error"]] else None))
                good_end, group = end, []
    if good_end < size:
        with open(path, "rb+") as handle:
            handle.truncate(good_end)
        resumed.repaired = f"cut a torn tail ({size - good_end} bytes: the rows of a letter written in part)"
    return resumed


class CsvWriter(_TextWriter):
    """The items table, one letter's rows per write."""

    def __init__(self, handle: IO[str], header: bool, owned: bool = True):
        super().__init__(handle, owned)
        self._columns = csv_columns()
        if header:
            self._handle.write(self._render([dict(zip(self._columns, self._columns))]))
            self._handle.flush()

    @classmethod
    def open(cls, path: Path, append: bool) -> "CsvWriter":
        return cls(open(path, "a" if append else "w", encoding="utf-8", newline=""), header=not append)

    def _render(self, rows: list[dict]) -> str:
        buffer = io.StringIO()
        csv.DictWriter(buffer, fieldnames=self._columns).writerows(rows)
        return buffer.getvalue()

    def _text(self, letter: Letter) -> str:
        return self._render(csv_rows(letter))


# Parquet ------------------------------------------------------------------------------------

def _part_number(path: Path) -> int | None:
    stem = path.name
    if stem.startswith("part-") and stem.endswith(".parquet"):
        try:
            return int(stem[5:-8])
        except ValueError:
            return None
    return None


def _parts(folder: Path, table: str) -> dict[int, Path]:
    directory = folder / table
    if not directory.is_dir():
        return {}
    return {n: p for p in directory.iterdir() if (n := _part_number(p)) is not None}


def parquet_resumed(folder: Path) -> Resumed:
    """Ids in the committed parts; what an interrupted commit left is deleted first."""
    import pyarrow.parquet as pq  # pyarrow only for Parquet runs: JSONL and CSV start faster

    resumed, dropped = Resumed(), 0
    letters = _parts(folder, "letters")
    for table in TABLES:
        directory = folder / table
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            uncommitted = path.name.endswith(".tmp") or (
                table != "letters" and (n := _part_number(path)) is not None and n not in letters)
            if uncommitted:
                path.unlink()
                dropped += 1
    if dropped:
        resumed.repaired = f"deleted {dropped} part files of an interrupted commit"
    for number in sorted(letters):
        columns = pq.read_table(letters[number], columns=["letter_id", "error_kind"]).to_pydict()
        for letter_id, kind in zip(columns["letter_id"], columns["error_kind"]):
            resumed.add(letter_id, kind)
    return resumed


class PartsWriter:
    """Parquet as committed parts of whole letters (see the module docstring)."""

    def __init__(self, folder: Path, append: bool, part_letters: int = PART_LETTERS,
                 part_seconds: float = PART_SECONDS):
        import pyarrow  # noqa: F401  (fail here, before any letter is scored, if it is missing)

        self.folder, self.part_letters, self.part_seconds = Path(folder), part_letters, part_seconds
        if not append:
            for table in TABLES:
                shutil.rmtree(self.folder / table, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            (self.folder / table).mkdir(exist_ok=True)
        (self.folder / PARQUET_MARKER).write_text(json.dumps(
            {"written_by": "imr", "layout": 1, "tables": list(TABLES),
             "read_with": "pandas.read_parquet('<out>/items'); DuckDB: SELECT * FROM '<out>/items/*.parquet'"},
            indent=1) + "\n", encoding="utf-8")
        self._next = max(_parts(self.folder, "letters"), default=0) + 1
        self._rows: dict[str, list[dict]] = {table: [] for table in TABLES}
        self._since = time.monotonic()

    def write(self, letter: Letter) -> None:
        self._rows["letters"].append(letter_row(letter))
        self._rows["items"].extend(item_rows(letter))
        self._rows["entities"].extend(entity_rows(letter))
        if (len(self._rows["letters"]) >= self.part_letters
                or time.monotonic() - self._since >= self.part_seconds):
            self.commit()

    def commit(self) -> None:
        """Write the buffered letters as part ``_next`` of every table, letters last (the commit point)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._since = time.monotonic()
        if not self._rows["letters"]:
            return
        name = f"part-{self._next:06d}.parquet"
        for table in ("items", "entities", "letters"):
            data = pa.Table.from_pylist(self._rows[table], schema=schemas()[table])
            temporary = self.folder / table / f".{name}.tmp"  # hidden: pandas, pyarrow and globs skip it
            pq.write_table(data, temporary)
            with open(temporary, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temporary, self.folder / table / name)
        self._next += 1
        self._rows = {table: [] for table in TABLES}

    def close(self) -> None:
        self.commit()


# Opening an output --------------------------------------------------------------------------

class Output:
    """An output checked, locked and (on ``--resume``) read back; ``write`` one letter at a time."""

    def __init__(self, path: Path | None, fmt: str, writer, lock: OutputLock | None, resumed: Resumed):
        self.path, self.fmt, self.writer, self.lock, self.resumed = path, fmt, writer, lock, resumed

    @classmethod
    def open(cls, out: Path | str | None, fmt: str | None, inputs: Iterable[str] = (), resume: bool = False,
             force: bool | None = False, part_letters: int | None = None) -> "Output":
        """Check ``out`` (``OutputError`` on anything unsafe, before writing a byte), lock it, open it.

        ``force``: overwrite a file imr did not write (``None``: the command has no ``--force``).
        ``part_letters``: letters per Parquet part (default ``PART_LETTERS``); Parquet only.
        """
        fmt = choose_format(out, fmt)
        if part_letters is not None and (fmt != "parquet" or part_letters < 1):
            raise OutputError("--part-size applies to Parquet output only, and must be at least 1")
        if is_stdout(out):
            if resume:
                raise OutputError("--resume needs an output file: standard output cannot be read back")
            writer = JsonlWriter(sys.stdout, owned=False) if fmt == "jsonl" else CsvWriter(sys.stdout, True, owned=False)
            return cls(None, fmt, writer, None, Resumed())
        path, inputs = Path(out), list(inputs)
        check_output(path, fmt, inputs, resume, force)
        try:
            lock = OutputLock(path).acquire()
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        try:
            # Checked again under the lock: another run may have written it meanwhile.
            state = check_output(path, fmt, inputs, resume, force)
            append = resume and state == "ours"
            resumed = Resumed()
            if append:
                resumed = {"jsonl": jsonl_resumed, "csv": csv_resumed, "parquet": parquet_resumed}[fmt](path)
            elif path.exists() and fmt == "parquet" and not path.is_dir():
                path.unlink()  # a one-file Parquet of an older imr, replaced under --force
            if fmt == "parquet":
                writer = PartsWriter(path, append, part_letters or PART_LETTERS)
            else:
                writer = (JsonlWriter if fmt == "jsonl" else CsvWriter).open(path, append)
        except OSError as exc:
            lock.release()
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        except BaseException:
            lock.release()
            raise
        return cls(path, fmt, writer, lock, resumed)

    def write(self, letter: Letter) -> None:
        self.writer.write(letter)

    def close(self) -> None:
        try:
            self.writer.close()
        finally:
            if self.lock is not None:
                self.lock.release()

    def __enter__(self) -> "Output":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
