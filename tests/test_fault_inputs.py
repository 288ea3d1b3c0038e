"""The fault suite for inputs: every bad path gets its record, and the run goes on.

Symbolic-link loops, names that are not UTF-8, named pipes, sockets, devices (a link
to ``/dev/zero``, a block device), huge JSONL files, same-named letters in different
folders and duplicate ids. Tests that could hang or eat memory on a broken build run
the command in a subprocess with a memory cap and a generous timeout as a safety net;
what they assert is the records.
"""
from __future__ import annotations

import json
import os
import resource
import socket
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

from typer.testing import CliRunner

from pipeline.batch import parse_inputs
from pipeline.cli import app
from pipeline.reader.sources import MAX_LINE_BYTES, iter_raw

from letters_for_tests import LETTERS

ROOT = Path(__file__).resolve().parent.parent
IMR = [sys.executable, "-m", "pipeline.cli"]
runner = CliRunner()
LETTER = LETTERS["fdl-issues"]


def records(path: Path) -> dict[str, dict]:
    """The output records by id; fails on a repeated id (a run's ids are unique)."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    by_id = {record["id"]: record for record in lines}
    assert len(by_id) == len(lines), "an id is repeated in the output"
    return by_id


def _memory_cap() -> None:  # runs in the child: a build that reads /dev/zero fails fast instead of filling memory
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_capped(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(IMR + args, cwd=ROOT, capture_output=True, text=True, timeout=180, preexec_fn=_memory_cap)


def test_symlink_loops_get_a_record_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(LETTER)
    os.symlink("self.txt", folder / "self.txt")
    os.symlink("pong.txt", folder / "ping.txt")
    os.symlink("ping.txt", folder / "pong.txt")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["parse", str(folder), "--out", str(out)])
    assert result.exit_code == 1, result.output
    got = records(out)
    assert got["good"].get("error") is None and got["good"]["items"]
    for name in ("self", "ping", "pong"):
        assert got[name]["error_kind"] == "broken_link"
        assert "loop" in got[name]["error"]


def test_a_file_name_that_is_not_utf8_keeps_a_valid_id(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsencode(folder) + b"/caf\xe9.txt"  # Latin-1 "café": not valid UTF-8
    with open(name, "w") as handle:
        handle.write(LETTER)
    (folder / "other.txt").write_text(LETTER)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["parse", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    got = records(out)  # the output is valid UTF-8 JSON
    assert set(got) == {"caf\ufffd", "other"}
    assert got["caf\ufffd"]["items"] and "\ufffd" in got["caf\ufffd"]["source"]
    # given directly rather than found in a folder
    direct = tmp_path / "direct.jsonl"
    assert runner.invoke(app, ["parse", os.fsdecode(name), "--out", str(direct)]).exit_code == 0
    assert set(records(direct)) == {"caf\ufffd"}


def _block_device() -> str | None:
    for entry in sorted(os.listdir("/dev")):
        path = os.path.join("/dev", entry)
        try:
            if stat.S_ISBLK(os.stat(path).st_mode):
                return path
        except OSError:
            continue
    return None


def test_special_files_are_refused_without_reading(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.txt").write_text(LETTER)
    os.mkfifo(folder / "fifo.txt")  # no writer: opening it to read would block forever
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(folder / "socket.txt"))
    os.symlink("/dev/zero", folder / "zero.txt")  # reads never end
    block = _block_device()
    if block:  # named to come last: a broken build stops at the FIFO before reading a disk
        os.symlink(block, folder / "zz-block.txt")
    out = tmp_path / "out.jsonl"
    try:
        result = run_capped(["parse", str(folder), "--out", str(out)])
    finally:
        listener.close()
    assert result.returncode == 1, result.stderr
    got = records(out)
    assert got["a-good"].get("error") is None and got["a-good"]["items"]
    expected = {"fifo": "FIFO", "socket": "socket", "zero": "character device"}
    if block:
        expected["zz-block"] = "block device"
    for letter_id, what in expected.items():
        assert got[letter_id]["error_kind"] == "unsupported", got[letter_id]
        assert what in got[letter_id]["error"] and "not read" in got[letter_id]["error"]
    assert set(got) == {"a-good", *expected}


def test_special_files_given_directly_and_as_jsonl(tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.jsonl"
    os.symlink("/dev/zero", zero)
    out = tmp_path / "out.jsonl"
    result = run_capped(["parse", str(fifo), str(zero), "--out", str(out)])
    assert result.returncode == 1, result.stderr
    got = records(out)
    assert {got["pipe"]["error_kind"], got["zero"]["error_kind"]} == {"unsupported"}


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(3 << 30)  # a sparse 3 GB file: stat says so without a byte read
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    (raw,) = list(iter_raw([huge]))
    assert raw.error_kind == "too_large" and "limit" in raw.error
    assert reads == []


def test_a_huge_jsonl_line_is_skipped_without_being_held(tmp_path):
    big = tmp_path / "big.jsonl"
    with open(big, "wb") as handle:
        handle.write(json.dumps({"id": "first", "text": LETTER}).encode() + b"\n")
        handle.seek(16 * MAX_LINE_BYTES, 1)  # a sparse run of NUL bytes with no line end: one 320 MB "line"
        handle.write(b"\n" + json.dumps({"id": "after", "text": LETTER}).encode() + b"\n")
    tracemalloc.start()
    try:
        raws = list(iter_raw([big]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(r.id, r.error_kind) for r in raws] == [("first", None), ("big:2", "too_large"), ("after", None)]
    assert "line 2" in raws[1].error
    assert peak < 1.5 * MAX_LINE_BYTES  # at most the limit of the line, never the whole of it


def test_same_file_names_in_different_folders_stay_apart(tmp_path):
    inputs = tmp_path / "letters"
    for year, layout in (("2015", "fdl-issues"), ("2016", "fdl-decisions")):
        (inputs / year).mkdir(parents=True)
        (inputs / year / "letter.txt").write_text(LETTERS[layout])
    (inputs / "top.txt").write_text(LETTERS["professional-review"])
    (inputs / "2016" / "deeper").mkdir()
    (inputs / "2016" / "deeper" / "letter.v2.txt").write_text(LETTER)
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["parse", str(inputs), "--out", str(out)]).exit_code == 0
    got = records(out)
    # directly in the given folder: the stem, as before; deeper: the path from the folder, no suffix
    assert set(got) == {"top", "2015/letter", "2016/letter", "2016/deeper/letter.v2"}
    assert got["2015/letter"]["format"] == "fdl-issues" and got["2016/letter"]["format"] == "fdl-decisions"
    assert all(not record.get("warnings") for record in got.values())
    # scored, they stay apart too; a nested JSONL's line without an id is named after its path
    (inputs / "2015" / "batch.jsonl").write_text("not json\n")
    scored = tmp_path / "scored.jsonl"
    assert runner.invoke(app, ["score", str(inputs), "--out", str(scored)]).exit_code == 1
    got = records(scored)
    assert set(got) == {"top", "2015/batch:1", "2015/letter", "2016/letter", "2016/deeper/letter.v2"}
    assert got["2015/batch:1"]["error_kind"] == "bad_jsonl"
    assert got["2015/letter"]["items"][0]["reason_scores"] and got["2016/letter"]["spans"]


def test_duplicate_ids_are_renamed_and_reported(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "letter.txt").write_text(LETTERS["fdl-issues"])
    (tmp_path / "b" / "letter.txt").write_text(LETTERS["fdl-decisions"])
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps({"id": "x", "text": LETTERS[layout]}) + "\n"
                             for layout in ("fdl-issues", "professional-review")))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["parse", str(tmp_path / "a" / "letter.txt"), str(tmp_path / "b" / "letter.txt"),
                                 str(batch), "--out", str(out)])
    assert result.exit_code == 0, result.output
    got = records(out)
    assert list(got) == ["letter", "letter#2", "x", "x#2"]  # input order, the later one renamed
    assert got["letter#2"]["format"] == "fdl-decisions" and got["x#2"]["format"] == "professional-review"
    for renamed, original in (("letter#2", "letter"), ("x#2", "x")):
        (warning,) = got[renamed]["warnings"]
        assert f"duplicate id '{original}'" in warning and f"renamed '{renamed}'" in warning
    assert not got["letter"].get("warnings") and not got["x"].get("warnings")
    assert "2 duplicate ids renamed" in result.output


def test_a_renamed_id_never_takes_an_id_a_later_input_has(tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps({"id": i, "text": LETTER}) + "\n" for i in ("x", "x", "x#2", "x")))
    assert [r.id for r in iter_raw([batch])] == ["x", "x#2", "x#2#2", "x#3"]


def test_lone_surrogates_in_jsonl_ids_and_text_are_written(tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"id": "bad\\udc80id", "text": ' + json.dumps(LETTER).replace("MAXIMUS", "MAXIMUS \\ud800", 1)
                     + "}\n")
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["parse", str(batch), "--out", str(out)]).exit_code == 0
    (record,) = records(out).values()
    assert record["id"] == "bad\ufffdid"
    assert len(record["text"]) == len(LETTER) + 2 and "MAXIMUS \ufffd" in record["text"]
    assert record["warnings"]


def test_a_link_to_a_folder_gets_a_record_not_a_walk(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(LETTER)
    os.symlink(inputs, inputs / "again")  # followed, it would walk forever
    letters = list(parse_inputs([str(inputs)]))
    assert [(l.id, l.error_kind) for l in letters] == [("again", "unsupported"), ("good", None)]


def test_the_output_is_not_read_back_even_through_a_loop(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(LETTER)
    os.symlink("loop.txt", inputs / "loop.txt")
    out = inputs / "out.jsonl"  # the output inside the input folder
    result = runner.invoke(app, ["parse", str(inputs), "--out", str(out)])
    assert result.exit_code == 1
    assert set(records(out)) == {"good", "loop"}


def test_a_folder_that_cannot_be_listed_gets_a_record(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    (inputs / "locked").mkdir(parents=True)
    (inputs / "good.txt").write_text(LETTER)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    kinds = {raw.id: raw.error_kind for raw in iter_raw([inputs])}
    assert kinds == {"good": None, "locked": "unreadable"}


def test_reading_back_a_file_with_a_repeated_id_says_so(tmp_path, capsys):
    from pipeline.evaluation.metrics import read_jsonl

    path = tmp_path / "old-run.jsonl"  # say, the output of a run before ids were unique
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in (("a", "1"), ("b", "2"), ("a", "3"))))
    records = read_jsonl(path)
    assert records["a"]["text"] == "3" and len(records) == 2
    assert "1 ids appear more than once (first 'a')" in capsys.readouterr().err
