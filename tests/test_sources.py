"""Inputs of every kind, and bad inputs: each gets its record, and the batch goes on."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.batch import Summary, parse_inputs
from pipeline.reader.sources import MAX_BYTES, iter_raw

from letters_for_tests import EXPECTED, LETTERS, add_pdf_noise


def make_pdf(path: Path, text: str | None, password: str | None = None, algorithm: str = "RC4-128") -> Path:
    """A real PDF with a text layer (or none, with ``text=None``), written by fpdf2."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    if text is None:
        pdf.rect(20, 20, 100, 50, style="F")  # a page with a drawing and no text, like a scan
    else:
        pdf.set_font("Helvetica", size=10)
        for line in text.split("\n"):
            pdf.multi_cell(0, 5, line.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    if password is not None:
        import pypdf

        reader = pypdf.PdfReader(str(path))
        writer = pypdf.PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.encrypt(user_password=password, owner_password=password or "owner", algorithm=algorithm)
        with open(path, "wb") as handle:
            writer.write(handle)
    return path


def read_all(*inputs) -> list:
    return list(parse_inputs([str(i) for i in inputs]))


@pytest.mark.parametrize("fmt", sorted(LETTERS))
def test_real_pdf_is_read_through_its_text_layer(tmp_path, fmt):
    pdf = make_pdf(tmp_path / f"{fmt}.pdf", LETTERS[fmt])
    (letter,) = read_all(pdf)
    assert letter.error is None, letter.error
    assert letter.id == fmt
    assert letter.format == fmt
    assert [(i.service.lower(), i.decision) for i in letter.items] == [(s.lower(), d) for s, d in EXPECTED[fmt]]
    for item in letter.items:
        start, end = item.rationale_range
        assert letter.text[start:end] == item.rationale


def test_txt_jsonl_and_folders(tmp_path):
    folder = tmp_path / "letters" / "nested"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(LETTERS["fdl-issues"], encoding="utf-8")
    records = [{"id": "j1", "text": LETTERS["fdl-decisions"]}, {"id": "j2", "text": add_pdf_noise(LETTERS["professional-review"])}]
    (tmp_path / "letters" / "batch.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    letters = read_all(tmp_path / "letters")
    # a nested file's id is its path from the given folder; JSONL records keep their own ids
    assert sorted(l.id for l in letters) == ["j1", "j2", "nested/a"]
    assert all(l.error is None for l in letters)
    assert {l.id: l.format for l in letters} == {"nested/a": "fdl-issues", "j1": "fdl-decisions",
                                                 "j2": "professional-review"}


def _kinds(letters) -> dict[str, str | None]:
    return {l.id: l.error_kind for l in letters}


def test_bad_inputs_each_get_an_error_record(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (bad / "latin1.txt").write_bytes(LETTERS["fdl-issues"].replace("MAXIMUS", "MAXIMUS \xe9").encode("cp1252"))
    (bad / "notimr.txt").write_text("Quarterly newsletter\n\nOur picnic is on Saturday. Bring a dish.\n")
    (bad / "spanish.txt").write_text("DETERMINACI\u00d3N FINAL\n\nLa solicitud de fisioterapia fue revisada por un m\u00e9dico.\n")
    (bad / "truncated.txt").write_text(LETTERS["fdl-decisions"][:1400])
    (bad / "huge.txt").write_bytes(b"a" * (MAX_BYTES + 10))
    (bad / "notes.docx").write_bytes(b"PK\x03\x04 not really")
    make_pdf(bad / "scan.pdf", None)
    make_pdf(bad / "locked.pdf", LETTERS["fdl-issues"], password="secret")
    (bad / "corrupt.pdf").write_bytes(make_pdf(tmp_path / "whole.pdf", LETTERS["fdl-issues"]).read_bytes()[:700])
    (bad / "broken.jsonl").write_text('{"id": "ok", "text": "x"}\nnot json\n{"id": "notext"}\n')
    os.symlink(bad / "missing-target.txt", bad / "dangling.txt")

    letters = read_all(bad)
    kinds = _kinds(letters)
    assert kinds["empty"] == "empty"
    assert kinds["binary"] == "binary"
    assert kinds["latin1"] is None
    latin = next(l for l in letters if l.id == "latin1")
    assert "MAXIMUS \xe9" in latin.text and any("UTF-8" in w for w in latin.warnings)
    assert kinds["notimr"] == "not_imr" and kinds["spanish"] == "not_imr"
    truncated = next(l for l in letters if l.id == "truncated")
    assert truncated.error is None and truncated.warnings
    assert kinds["huge"] == "too_large"
    assert kinds["notes"] == "unsupported"
    assert kinds["scan"] == "pdf_no_text"
    assert "run OCR first" in next(l for l in letters if l.id == "scan").error
    assert kinds["locked"] == "pdf_encrypted"
    assert kinds["corrupt"] in {"pdf_corrupt", "pdf_no_text"}
    assert kinds["broken:2"] == "bad_jsonl" and kinds["notext"] == "bad_jsonl"
    assert kinds["ok"] == "not_imr"
    assert kinds["dangling"] == "broken_link"
    summary = Summary()
    for letter in letters:
        summary.add(letter)
    assert summary.failed == sum(1 for l in letters if l.error)
    assert summary.letters == sum(1 for l in letters if not l.error)


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(LETTERS["fdl-issues"])
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the open fail as it would for a user
        real_open = os.open

        def refuse(name, *args, **kwargs):
            if Path(name) == path:
                raise PermissionError(13, "Permission denied", str(name))
            return real_open(name, *args, **kwargs)
        monkeypatch.setattr(os, "open", refuse)
    (raw,) = list(iter_raw([path]))
    assert raw.error_kind == "unreadable"
    assert "permission denied" in raw.error


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_encrypted_pdf_with_empty_password_is_read(tmp_path, algorithm):
    # DWC publishes its letters AES-encrypted with an owner password and an empty user password.
    pdf = make_pdf(tmp_path / "open.pdf", LETTERS["fdl-issues"], password="", algorithm=algorithm)
    (letter,) = read_all(pdf)
    assert letter.error is None and len(letter.items) == 2


def test_pdf_needing_a_password_is_encrypted_not_corrupt(tmp_path):
    pdf = make_pdf(tmp_path / "locked.pdf", LETTERS["fdl-issues"], password="secret", algorithm="AES-256")
    (raw,) = list(iter_raw([pdf]))
    assert raw.error_kind == "pdf_encrypted" and "password" in raw.error


def test_pdf_text_has_plain_line_ends(tmp_path):
    (raw,) = list(iter_raw([make_pdf(tmp_path / "a.pdf", LETTERS["fdl-issues"])]))
    assert "\r" not in raw.text and "\ufffe" not in raw.text
    assert "IMR ISSUES, DECISIONS AND RATIONALES" in raw.text


def test_a_folder_of_a_thousand_mixed_files(tmp_path):
    kinds = ["good", "empty", "binary", "notimr", "docx"]
    expected = {"good": None, "empty": "empty", "binary": "binary", "notimr": "not_imr", "docx": "unsupported"}
    layouts = sorted(LETTERS)
    for n in range(1000):
        kind = kinds[n % len(kinds)]
        folder = tmp_path / f"box{n // 100}"
        folder.mkdir(exist_ok=True)
        if kind == "good":
            (folder / f"{n:04d}.txt").write_text(LETTERS[layouts[n % 3]])
        elif kind == "empty":
            (folder / f"{n:04d}.txt").write_text("   \n")
        elif kind == "binary":
            (folder / f"{n:04d}.txt").write_bytes(bytes(range(256)))
        elif kind == "notimr":
            (folder / f"{n:04d}.txt").write_text("Minutes of the safety committee.\nNo incidents.\n")
        else:
            (folder / f"{n:04d}.docx").write_bytes(b"PK\x03\x04")
    letters = read_all(tmp_path)
    assert len(letters) == 1000
    for letter in letters:
        folder, number = letter.id.split("/")  # nested files: the path from the given folder
        assert folder == f"box{int(number) // 100}"
        assert letter.error_kind == expected[kinds[int(number) % len(kinds)]], letter.id
    summary = Summary()
    for letter in letters:
        summary.add(letter)
    assert summary.letters == 200 and summary.failed == 800
    assert summary.items == sum(len(l.items) for l in letters) > 0
