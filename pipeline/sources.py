"""Turning command-line inputs into raw letter texts, one record per input.

Inputs are ``.txt`` files, ``.pdf`` files (text layer, through PDFium), ``.jsonl``
files of ``{"id", "text"}`` records, or folders searched recursively. Anything that
cannot be read becomes a ``RawText`` with an ``error`` and an ``error_kind`` that a
person can act on; the batch always goes on.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

MAX_BYTES = 5 * 1024 * 1024  # an IMR letter is 5-50 kB; anything this big is not one
TEXT_SUFFIXES = {".txt", ".text", ""}
KNOWN_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".jsonl"}


@dataclass
class RawText:
    id: str
    text: str = ""
    source: str | None = None
    error: str | None = None
    error_kind: str | None = None
    warnings: list[str] = field(default_factory=list)


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


# PDFium's text carries CRLF line ends and U+FFFE where a word was hyphenated over a line end.
PDF_TEXT_MAP = str.maketrans({"\ufffe": "-", "\ufeff": None})


def read_pdf(path: Path, letter_id: str) -> RawText:
    """The text layer of a PDF through PDFium, pages joined by form feeds.

    DWC's letters are AES-encrypted with an empty user password: PDFium opens them as a
    viewer would, with no prompt and no extra package. A PDF that needs a real password
    is ``pdf_encrypted``; one PDFium cannot parse is ``pdf_corrupt``.
    """
    source = str(path)
    try:
        import pypdfium2 as pdfium  # imported here: start-up of the text-only path stays light
        import pypdfium2.raw as pdfium_raw
    except ImportError as exc:  # a broken install, not a broken file
        return _error(letter_id, source, "dependency_missing",
                      f"cannot read PDFs: the pypdfium2 package is missing ({exc}); reinstall imr-reader")
    try:
        document = pdfium.PdfDocument(str(path))
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
    text = "\n\f".join(page.rstrip("\n") for page in pages)
    if not text.strip():
        return _error(letter_id, source, "pdf_no_text", "no text layer: run OCR first")
    return RawText(id=letter_id, text=text, source=source)


def read_jsonl(path: Path) -> Iterator[RawText]:
    """One ``RawText`` per line of ``{"id", "text"}``; a bad line is an error record."""
    source = str(path)
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            fallback_id = f"{path.stem}:{number}"
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield _error(fallback_id, f"{source}:{number}", "bad_jsonl", f"line {number} is not JSON ({exc})")
                continue
            if not isinstance(record, dict):
                yield _error(fallback_id, f"{source}:{number}", "bad_jsonl", f"line {number} is not a JSON object")
                continue
            letter_id = str(record.get("id", fallback_id))
            text = record.get("text")
            if not isinstance(text, str):
                yield _error(letter_id, f"{source}:{number}", "bad_jsonl", f"line {number} has no 'text' string")
            elif len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
                yield _error(letter_id, f"{source}:{number}", "too_large",
                             f"text over {MAX_BYTES // (1024 * 1024)} MB: not a single letter")
            elif not text.strip():
                yield _error(letter_id, f"{source}:{number}", "empty", "empty text: nothing to read")
            else:
                yield RawText(id=letter_id, text=text, source=f"{source}:{number}")


def read_file(path: Path) -> Iterator[RawText]:
    """Every letter in one file (one, except for ``.jsonl``)."""
    letter_id, source = path.stem, str(path)
    suffix = path.suffix.lower()
    if not path.exists():
        kind = "broken_link" if path.is_symlink() else "not_found"
        yield _error(letter_id, source, kind, "file not found" + (" (broken symbolic link)" if path.is_symlink() else ""))
        return
    try:
        size = path.stat().st_size
        if size > MAX_BYTES and suffix != ".jsonl":
            yield _error(letter_id, source, "too_large",
                         f"file is {size / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit for one letter")
            return
        if suffix not in KNOWN_SUFFIXES:
            yield _error(letter_id, source, "unsupported",
                         f"unsupported file type {suffix!r}: give .txt, .pdf or .jsonl")
        elif suffix == ".jsonl":
            yield from read_jsonl(path)
        elif suffix == ".pdf":
            yield read_pdf(path, letter_id)
        else:
            yield decode_text(path.read_bytes(), letter_id, source)
    except PermissionError:
        yield _error(letter_id, source, "unreadable", "permission denied: cannot read the file")
    except IsADirectoryError:
        yield _error(letter_id, source, "unreadable", "is a directory")
    except OSError as exc:
        yield _error(letter_id, source, "unreadable", f"cannot read the file ({exc.strerror or exc})")


def iter_paths(inputs: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files named on the command line, folders walked recursively in sorted order."""
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for file_name in sorted(files):
                    child = Path(root) / file_name
                    if file_name.startswith("."):
                        continue
                    yield child
        else:
            yield path


def iter_raw(inputs: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()) -> Iterator[RawText]:
    """Raw texts of every input; ``exclude`` names files never to read (the run's own output)."""
    skip = {Path(p).resolve() for p in exclude}
    for path in iter_paths(inputs):
        if skip and path.resolve() in skip:
            continue
        yield from read_file(path)
