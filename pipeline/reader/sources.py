"""Turning command-line inputs into raw letter texts, one record per input.

Inputs are ``.txt`` files, ``.pdf`` files (text layer, through PDFium), ``.jsonl``
files of ``{"id", "text"}`` records, or folders searched recursively. Anything that
cannot be read becomes a ``RawText`` with an ``error`` and an ``error_kind`` that a
person can act on; the batch always goes on.

Limits, checked before anything is read: a letter file is a regular file (named pipes,
devices and sockets are refused without being opened for reading: one could block
forever, ``/dev/zero`` never ends) of at most ``MAX_BYTES``; a ``.jsonl`` file may be
of any size but is streamed line by line, each line at most ``MAX_LINE_BYTES``.

Ids: a file given on the command line or lying directly in a given folder has its
file stem as id (``letter.txt`` -> ``letter``); a file deeper in a given folder has its
path relative to that folder, without suffix, with ``/`` separators (``2015/letter``),
so that same-named letters of different folders stay apart. A ``.jsonl`` record keeps
its own ``id``. An id already used earlier in the run is renamed (``letter#2``) with a
warning, so that no two records of a run share an id.
"""
from __future__ import annotations

import errno
import json
import os
import re
import stat
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

MAX_BYTES = 5 * 1024 * 1024  # an IMR letter is 5-50 kB; anything this big is not one
# A JSONL line holds one letter's text JSON-escaped: "\u00e9" takes 6 bytes for one character.
MAX_LINE_BYTES = 4 * MAX_BYTES
TEXT_SUFFIXES = {".txt", ".text", ""}
KNOWN_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".jsonl"}
# How a renamed duplicate id is told apart, and the warning it carries (the summary counts these).
DUPLICATE_ID_WARNING = "duplicate id"
SPECIAL_FILES = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                 (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
_READ_BLOCK = 1 << 20


@dataclass
class RawText:
    id: str
    text: str = ""
    source: str | None = None
    error: str | None = None
    error_kind: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class InputFile:
    """One path found among the inputs, with the id its letter gets."""

    path: Path
    id: str
    # Set when the path is known to be unusable before reading it (a folder that cannot be listed).
    error_kind: str | None = None
    error: str | None = None


class Refused(Exception):
    """A file that is not read: ``kind`` and ``message`` become its error record."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(value: str) -> str:
    """``value`` with every lone surrogate replaced by U+FFFD.

    File names that are not valid UTF-8 reach Python as lone surrogates (one per bad
    byte), as do JSON strings like ``"\\ud800"``; neither can be written as UTF-8. One
    character for one keeps every offset into a text valid.
    """
    return _SURROGATE.sub("\ufffd", value)


def _error(letter_id: str, source: str, kind: str, message: str) -> RawText:
    return RawText(id=letter_id, source=source, error=message, error_kind=kind)


def decode_text(data: bytes, letter_id: str, source: str) -> RawText:
    """Bytes of a text file to a ``RawText``: binary is refused, bad UTF-8 decoded leniently."""
    if not data.strip():
        return _error(letter_id, source, "empty", "empty file: nothing to read")
    sample = data[:4096]
    if b"\x00" in sample:
        return _error(letter_id, source, "binary", "binary file (NUL bytes): not a text letter")
    warnings = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append("not valid UTF-8: decoded as Windows-1252, check odd characters")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 4096):
        return _error(letter_id, source, "binary", "binary file (control characters): not a text letter")
    return RawText(id=letter_id, text=text, source=source, warnings=warnings)


# Opening files safely --------------------------------------------------------------------

def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def open_regular(path: Path, max_bytes: int | None = MAX_BYTES) -> int:
    """A read-only descriptor of ``path`` once it is known to be a regular file within ``max_bytes``.

    Raises ``Refused`` otherwise. The type is checked on ``stat`` before opening and
    again on the open descriptor (the path could change in between); opening with
    ``O_NONBLOCK`` means even a FIFO swapped in at that moment cannot block.
    """
    check_regular(path, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise Refused("unreadable", "permission denied: cannot read the file") from None
    except OSError as exc:
        raise Refused("unreadable", f"cannot read the file ({exc.strerror or exc})") from None
    try:
        _check_type(os.fstat(fd), max_bytes)
    except Refused:
        os.close(fd)
        raise
    return fd


def check_regular(path: Path, max_bytes: int | None = MAX_BYTES) -> None:
    """Raises ``Refused`` unless ``path`` is (or links to) a regular file within ``max_bytes``; reads nothing."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise Refused("broken_link", "file not found (broken symbolic link)") from None
        raise Refused("not_found", "file not found") from None
    except PermissionError:
        raise Refused("unreadable", "permission denied: cannot read the file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("broken_link", "symbolic link loop: the link never reaches a file") from None
        raise Refused("unreadable", f"cannot read the file ({exc.strerror or exc})") from None
    _check_type(info, max_bytes)


def _check_type(info: os.stat_result, max_bytes: int | None) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise Refused("unreadable", "is a directory")
    for test, what in SPECIAL_FILES:
        if test(info.st_mode):
            raise Refused("unsupported", f"special file, {what}: not a letter, not read")
    if not stat.S_ISREG(info.st_mode):
        raise Refused("unsupported", "not a regular file: not read")
    if max_bytes is not None and info.st_size > max_bytes:
        raise Refused("too_large", f"file is {_megabytes(info.st_size)}, over the {_megabytes(max_bytes)} "
                                   "limit for one letter")


def read_bounded(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; never reads more than one byte past it."""
    fd = open_regular(path, max_bytes)
    try:
        blocks, size = [], 0
        while size <= max_bytes:
            block = os.read(fd, min(_READ_BLOCK, max_bytes + 1 - size))
            if not block:
                break
            blocks.append(block)
            size += len(block)
    finally:
        os.close(fd)
    if size > max_bytes:  # it grew after stat, or its size is not what stat says
        raise Refused("too_large", f"file is over the {_megabytes(max_bytes)} limit for one letter")
    return b"".join(blocks)


# PDFs -------------------------------------------------------------------------------------

# PDFium's text carries CRLF line ends and U+FFFE where a word was hyphenated over a line end.
PDF_TEXT_MAP = str.maketrans({"\ufffe": "-", "\ufeff": None})


def read_pdf(path: Path, letter_id: str, data: bytes | None = None) -> RawText:
    """The text layer of a PDF through PDFium, pages joined by form feeds.

    DWC's letters are AES-encrypted with an empty user password: PDFium opens them as a
    viewer would, with no prompt and no extra package. A PDF that needs a real password
    is ``pdf_encrypted``; one PDFium cannot parse is ``pdf_corrupt``. ``data``, when
    given, is the file's bytes already read (within the size limit).
    """
    source = printable(str(path))
    try:
        import pypdfium2 as pdfium  # imported here: start-up of the text-only path stays light
        import pypdfium2.raw as pdfium_raw
    except ImportError as exc:  # a broken install, not a broken file
        return _error(letter_id, source, "dependency_missing",
                      f"cannot read PDFs: the pypdfium2 package is missing ({exc}); reinstall imr-reader")
    if data is None:
        try:
            data = read_bounded(path)
        except Refused as refused:
            return _error(letter_id, source, refused.kind, refused.message)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (pdfium_raw.FPDF_ERR_PASSWORD, pdfium_raw.FPDF_ERR_SECURITY):
            return _error(letter_id, source, "pdf_encrypted", "encrypted PDF: remove the password, then read it again")
        return _error(letter_id, source, "pdf_corrupt", f"corrupt or unreadable PDF ({exc})")
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n").translate(PDF_TEXT_MAP))
            textpage.close()
            page.close()
    except Exception as exc:  # a page PDFium cannot read must not stop a batch
        return _error(letter_id, source, "pdf_corrupt", f"unreadable PDF page ({type(exc).__name__}: {exc})")
    finally:
        document.close()
    text = printable("\n\f".join(page.rstrip("\n") for page in pages))
    if not text.strip():
        return _error(letter_id, source, "pdf_no_text", "no text layer: run OCR first")
    return RawText(id=letter_id, text=text, source=source)


# JSONL --------------------------------------------------------------------------------------

def _lines(handle, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` for every line of a binary file; ``line`` is None for a line over ``limit``
    bytes. Lines are read a block at a time, so an over-long one is never held whole (at most
    ``limit`` bytes of it, then dropped while the rest is skipped)."""
    for number in count(1):
        chunks: list[bytes] | None = []
        size = 0
        while True:
            chunk = handle.readline(_READ_BLOCK)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                chunks = None
                while chunk and not chunk.endswith(b"\n"):  # skip to the end of the line
                    chunk = handle.readline(_READ_BLOCK)
                break
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                break
        if chunks is None:
            yield number, None
        elif not chunks:
            return
        else:
            yield number, b"".join(chunks)


def read_jsonl(path: Path, file_id: str | None = None) -> Iterator[RawText]:
    """One ``RawText`` per line of ``{"id", "text"}``; a bad line is an error record.

    The file is streamed: any number of lines, each at most ``MAX_LINE_BYTES``.
    A line without an id gets ``<file id>:<line number>``.
    """
    source = printable(str(path))
    file_id = file_id if file_id is not None else printable(path.stem)
    try:
        fd = open_regular(path, max_bytes=None)
    except Refused as refused:
        yield _error(file_id, source, refused.kind, refused.message)
        return
    with os.fdopen(fd, "rb") as handle:
        for number, line in _lines(handle, MAX_LINE_BYTES):
            fallback_id = f"{file_id}:{number}"
            where = f"{source}:{number}"
            if line is None:
                yield _error(fallback_id, where, "too_large",
                             f"line {number} is over {_megabytes(MAX_LINE_BYTES)}: not a single letter; not read")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield _error(fallback_id, where, "bad_jsonl", f"line {number} is not JSON ({exc})")
                continue
            if not isinstance(record, dict):
                yield _error(fallback_id, where, "bad_jsonl", f"line {number} is not a JSON object")
                continue
            raw_id = record.get("id")
            letter_id = fallback_id if raw_id is None or raw_id == "" else printable(str(raw_id))
            text = record.get("text")
            if not isinstance(text, str):
                yield _error(letter_id, where, "bad_jsonl", f"line {number} has no 'text' string")
            elif len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
                yield _error(letter_id, where, "too_large",
                             f"text over {MAX_BYTES // (1024 * 1024)} MB: not a single letter")
            elif not text.strip():
                yield _error(letter_id, where, "empty", "empty text: nothing to read")
            else:
                clean = printable(text)
                warnings = [] if clean == text else ["text holds lone surrogate escapes: replaced by U+FFFD"]
                yield RawText(id=letter_id, text=clean, source=where, warnings=warnings)


# Files and folders --------------------------------------------------------------------------

def read_file(path: Path, letter_id: str | None = None) -> Iterator[RawText]:
    """Every letter in one file (one, except for ``.jsonl``); ``letter_id`` defaults to the stem."""
    path = Path(path)
    letter_id = letter_id if letter_id is not None else printable(path.stem)
    source = printable(str(path))
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(path, letter_id)
        return
    try:
        if suffix not in KNOWN_SUFFIXES:
            check_regular(path)  # a missing, special or huge file says so before its type does
            raise Refused("unsupported", f"unsupported file type {printable(suffix)!r}: give .txt, .pdf or .jsonl")
        data = read_bounded(path)
    except Refused as refused:
        yield _error(letter_id, source, refused.kind, refused.message)
        return
    if suffix == ".pdf":
        yield read_pdf(path, letter_id, data)
    else:
        yield decode_text(data, letter_id, source)


def nested_id(relative: PurePosixPath) -> str:
    """The id of a file ``relative`` to the folder it was found in (see the module docstring)."""
    if len(relative.parts) == 1:
        return printable(relative.stem)
    return printable(str(relative.parent / relative.stem))


def iter_inputs(inputs: Iterable[str | os.PathLike]) -> Iterator[InputFile]:
    """Files named on the command line, folders walked recursively in sorted order, each with its id.

    In a folder, a file's siblings come first, then its sub-folders, each sorted by
    name; names starting with "." are skipped. Links to folders are not followed (a
    link could lead anywhere, or back up the tree): each gets an error record.
    """
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            yield from _walk(path, PurePosixPath())
        else:
            yield InputFile(path, printable(path.stem))


def _walk(folder: Path, relative: PurePosixPath) -> Iterator[InputFile]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield InputFile(folder, printable(str(relative) if relative.parts else folder.name), "unreadable",
                        f"cannot list the folder ({exc.strerror or exc})")
        return
    folders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = relative / entry.name
        if entry.is_dir(follow_symlinks=False):
            folders.append((Path(entry.path), child))
        elif entry.is_symlink() and os.path.isdir(entry.path):  # isdir, not entry.is_dir: a loop raises there
            yield InputFile(Path(entry.path), nested_id(child), "unsupported",
                            "link to a folder: not followed (give the folder itself)")
        else:
            yield InputFile(Path(entry.path), nested_id(child))
    for path, child in folders:
        yield from _walk(path, child)


def iter_paths(inputs: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """The paths of ``iter_inputs``."""
    for found in iter_inputs(inputs):
        yield found.path


def _identity(path: str | os.PathLike) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def unique_ids(raws: Iterable[RawText]) -> Iterator[RawText]:
    """``raws`` with every id made unique within the run: a later duplicate becomes ``id#2``
    (``#3``, ...) and carries a warning naming the input that had the id first."""
    first: dict[str, str | None] = {}
    for raw in raws:
        if raw.id in first:
            renamed = next(f"{raw.id}#{n}" for n in count(2) if f"{raw.id}#{n}" not in first)
            earlier = first[raw.id] or "an earlier input"
            raw.warnings.append(f"{DUPLICATE_ID_WARNING} {raw.id!r} (already used by {earlier}): renamed {renamed!r}")
            raw.id = renamed
        first[raw.id] = raw.source
        yield raw


def iter_raw(inputs: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()) -> Iterator[RawText]:
    """Raw texts of every input, ids unique; ``exclude`` names files never to read (the run's own output)."""
    skip = {identity for identity in map(_identity, exclude) if identity is not None}

    def raws() -> Iterator[RawText]:
        for found in iter_inputs(inputs):
            if found.error_kind:
                yield _error(found.id, printable(str(found.path)), found.error_kind, found.error)
            elif not (skip and _identity(found.path) in skip):
                yield from read_file(found.path, found.id)

    return unique_ids(raws())
