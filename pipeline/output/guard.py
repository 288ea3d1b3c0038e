"""Keeping ``--out`` safe: what may be written over, and one run at a time per output.

A bulk run must never destroy what it did not write: an input named as the output, a
file that is not an imr output (overwritten only with ``--force``, never resumed onto),
a folder. Every check is made before anything is opened for writing, so a refusal
leaves the disk as it was. Two runs writing one output would interleave their records,
so each run holds an advisory lock (``fcntl.flock``) on a hidden file beside the output
for as long as it writes; a second run refuses at once instead of waiting.
"""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Iterable

from ..reader.sources import iter_paths

STDOUT = "-"
# The first bytes of every JSONL record imr writes (``Letter.to_jsonl_line``).
JSONL_START = b'{"id": '
# The first columns of every CSV imr has written, this version and the one before.
CSV_START = "letter_id,source,format,"
# A Parquet output is a folder that holds this file.
PARQUET_MARKER = "_imr_output.json"


class OutputError(Exception):
    """A problem with ``--out`` that the user must fix: printed as one line, exit status 2."""


def is_stdout(out: Path | str | None) -> bool:
    return out is None or str(out) == STDOUT


def _first_line(path: Path, limit: int = 1 << 20) -> bytes:
    with open(path, "rb") as handle:
        return handle.readline(limit)


def ownership(path: Path, fmt: str) -> str:
    """``absent``, ``empty`` (nothing to lose), ``ours`` (an imr output in ``fmt``) or ``foreign``."""
    if not path.exists() and not path.is_symlink():
        return "absent"
    if fmt == "parquet":
        if not path.is_dir():
            return "foreign"  # including one-file Parquet from before parts: not resumable
        if (path / PARQUET_MARKER).is_file():
            return "ours"
        return "empty" if not any(path.iterdir()) else "foreign"
    if not path.is_file():
        return "foreign"
    if path.stat().st_size == 0:
        return "empty"
    line = _first_line(path)
    if fmt == "csv":
        return "ours" if line.decode("utf-8", errors="replace").startswith(CSV_START) else "foreign"
    if not line.startswith(JSONL_START):
        return "foreign"
    if not line.endswith(b"\n"):
        return "ours"  # a run killed while writing its first record
    try:
        record = json.loads(line)
    except ValueError:
        return "foreign"
    # Gold files share the record shape; only what imr read carries its source or error.
    return "ours" if isinstance(record, dict) and ("source" in record or "error" in record) else "foreign"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_output(out: Path, fmt: str, inputs: Iterable[str], resume: bool, force: bool | None) -> str:
    """Refuse (``OutputError``) an ``--out`` that would destroy something; else its ``ownership``.

    ``force`` is ``None`` for a command without ``--force`` (the message then does not offer it).
    """
    out = Path(out)
    if out.is_dir() and fmt != "parquet":
        raise OutputError(f"--out {out} is a folder: give a file name, e.g. {out / ('scored.' + fmt)}")
    resolved = out.resolve()
    for name in inputs:
        given = Path(name)
        if _same_file(given, out):
            raise OutputError(f"--out {out} is also an input: it would be overwritten while it is read; "
                              "choose another output file")
        if fmt == "parquet" and resolved in given.resolve().parents:
            raise OutputError(f"input {given} is inside the output folder {out}: choose another output")
    if out.parent.exists() and not out.parent.is_dir():
        raise OutputError(f"cannot write {out}: {out.parent} is not a folder")
    state = ownership(out, fmt)
    if state == "foreign":
        what = ("a folder that is not an imr Parquet output" if out.is_dir()
                else "a file, not an imr Parquet output folder" if fmt == "parquet"
                else f"not an imr {fmt} output")
        if resume:
            raise OutputError(f"--resume: {out} is {what}; nothing was changed")
        if not force or out.is_dir():
            raise OutputError(f"{out} exists and is {what}; refusing to overwrite it"
                              + ("" if out.is_dir() or force is None else " (give --force to overwrite it)"))
    return state


def count_inputs(inputs: Iterable[str], output: Path | None = None) -> int:
    """How many letters the inputs hold, for the progress bar's total and ETA.

    Files are listed, not read; a ``.jsonl`` file counts its lines (bytes counted, nothing
    parsed). The run's own ``output`` (a file, or a Parquet folder) is not an input.
    """
    skip = output.resolve() if output is not None else None
    total = 0
    for path in iter_paths(inputs):
        if skip is not None:
            resolved = path.resolve()
            if resolved == skip or skip in resolved.parents:
                continue
        if path.suffix.lower() == ".jsonl" and path.is_file():
            try:
                with open(path, "rb") as handle:
                    total += sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
            except OSError:
                total += 1
        else:
            total += 1
    return total


class OutputLock:
    """An exclusive advisory lock on ``.<name>.lock`` beside the output, removed on release."""

    def __init__(self, out: Path):
        self.path = out.parent / f".{out.name}.lock"
        self._fd: int | None = None

    def acquire(self) -> "OutputLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise OutputError(f"another imr run is writing {self.path.parent / self.path.name[1:-5]} "
                                  f"(it holds {self.path}); wait for it to finish or choose another --out")
            # The holder before us may have removed the file after we opened it: then our
            # lock is on a deleted file that a third run would not see. Lock the new one.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return self
            os.close(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        os.close(self._fd)  # closing releases the lock
        self._fd = None

    def __enter__(self) -> "OutputLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
