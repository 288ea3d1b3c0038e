"""``--out`` cannot destroy what imr did not write, two runs cannot share an output, and the
exit status of a resumed run counts the failures already in the output."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.output.guard import OutputLock

from letters_for_tests import LETTERS

ROOT = Path(__file__).resolve().parent.parent
IMR = [sys.executable, "-m", "pipeline.cli"]
runner = CliRunner()


@pytest.fixture
def letters(tmp_path) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir()
    for name, text in LETTERS.items():
        (folder / f"{name}.txt").write_text(text)
    return folder


def _one_line_error(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_out_equal_to_an_input_is_refused_and_the_input_kept(letters):
    jsonl = letters.parent / "in.jsonl"
    jsonl.write_text("".join(json.dumps({"id": n, "text": t}) + "\n" for n, t in LETTERS.items()))
    before = jsonl.read_bytes()
    for command in (["parse"], ["score"]):
        result = runner.invoke(app, [*command, str(jsonl), "--out", str(jsonl)])
        assert result.exit_code == 2
        assert "is also an input" in _one_line_error(result)
        assert jsonl.read_bytes() == before
    # --force does not change that: it would still read the file while emptying it
    result = runner.invoke(app, ["parse", str(jsonl), "--out", str(jsonl), "--force"])
    assert result.exit_code == 2 and jsonl.read_bytes() == before


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt"])
def test_a_file_imr_did_not_write_is_overwritten_only_with_force(letters, suffix):
    notes = letters.parent / f"notes{suffix}"
    notes.write_text("my own notes, not an imr output\n")
    result = runner.invoke(app, ["parse", str(letters), "--out", str(notes)])
    assert result.exit_code == 2 and "--force" in _one_line_error(result)
    assert notes.read_text() == "my own notes, not an imr output\n"
    result = runner.invoke(app, ["parse", str(letters), "--out", str(notes), "--force"])
    assert result.exit_code == 0, result.output
    assert "my own notes" not in notes.read_text()


def test_a_gold_file_is_not_taken_for_an_output(letters):
    gold = letters.parent / "gold.jsonl"
    gold.write_text((ROOT / "data" / "gold" / "dev.jsonl").read_text().splitlines()[0] + "\n")
    before = gold.read_bytes()
    assert runner.invoke(app, ["parse", str(letters), "--out", str(gold)]).exit_code == 2
    assert gold.read_bytes() == before


def test_an_earlier_output_may_be_overwritten(letters):
    out = letters.parent / "out.jsonl"
    assert runner.invoke(app, ["parse", str(letters), "--out", str(out)]).exit_code == 0
    first = out.read_text()
    assert runner.invoke(app, ["parse", str(letters), "--out", str(out)]).exit_code == 0
    assert out.read_text() == first  # written again, not appended to


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_resume_onto_a_file_imr_did_not_write_refuses_without_touching_it(letters, fmt):
    target = letters.parent / f"precious.{fmt}"
    target.write_bytes(b"a,b,c\n1,2,3\nhalf a li")  # no final newline: resume would 'repair' it
    before = target.read_bytes()
    result = runner.invoke(app, ["score", str(letters), "--out", str(target), "--resume"])
    assert target.read_bytes() == before
    assert result.exit_code == 2 and "nothing was changed" in _one_line_error(result)


def test_out_naming_a_folder_is_a_usage_error(letters, tmp_path):
    result = runner.invoke(app, ["parse", str(letters), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "is a folder" in _one_line_error(result)


def test_a_folder_that_is_not_an_imr_parquet_output_is_never_replaced(letters):
    folder = letters.parent / "data.parquet"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    for extra in ([], ["--force"], ["--resume"]):
        result = runner.invoke(app, ["parse", str(letters), "--out", str(folder), *extra])
        assert result.exit_code == 2, extra
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]


def test_out_dash_writes_records_to_stdout_and_the_summary_to_stderr(letters):
    result = subprocess.run(IMR + ["score", str(letters), "--out", "-"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["id"] for r in records) == sorted(LETTERS)
    assert all(r["items"] and r["spans"] for r in records)  # scored, not just read
    assert "letters read: 3" in result.stderr
    assert not (ROOT / "-").exists()
    refused = subprocess.run(IMR + ["score", str(letters), "--out", "-", "--resume"], capture_output=True,
                             text=True, cwd=ROOT)
    assert refused.returncode == 2 and refused.stdout == ""


def test_a_second_run_on_a_locked_output_refuses_and_leaves_it_alone(letters):
    out = letters.parent / "run.csv"
    assert runner.invoke(app, ["parse", str(letters), "--out", str(out)]).exit_code == 0
    before = out.read_bytes()
    with OutputLock(out):  # as a run still writing it would hold it
        for extra in ([], ["--resume"]):
            result = runner.invoke(app, ["parse", str(letters), "--out", str(out), *extra])
            assert result.exit_code == 2 and "another imr run" in _one_line_error(result)
            assert out.read_bytes() == before
    result = runner.invoke(app, ["parse", str(letters), "--out", str(out), "--resume"])
    assert result.exit_code == 0, result.output  # free again once the first run ends
    assert out.read_bytes() == before  # everything was done already


def test_two_concurrent_runs_do_not_interleave(letters, tmp_path):
    """Two processes started together on one output: one writes it, the other refuses."""
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": f"{n}-{i}", "text": t}) + "\n"
                           for i in range(300) for n, t in LETTERS.items()))
    out = tmp_path / "shared.jsonl"
    runs = [subprocess.Popen(IMR + ["parse", str(big), "--out", str(out)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = sorted(run.wait() for run in runs)
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 900  # every record whole, none twice
    # Either the second started after the first finished (both 0), or it was refused.
    assert codes in ([0, 0], [0, 2])


def test_resumed_run_exit_status_counts_earlier_failures(letters):
    (letters / "empty.txt").write_text("")
    out = letters.parent / "out.jsonl"
    first = runner.invoke(app, ["score", str(letters), "--out", str(out)])
    assert first.exit_code == 1
    resumed = runner.invoke(app, ["score", str(letters), "--out", str(out), "--resume"])
    assert resumed.exit_code == 1, resumed.output
    assert "1 of them failed (empty 1)" in resumed.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()].count("empty") == 1
    # Once the failed input is gone from the output, a resumed run that scores it again is clean.
    kept = [line for line in out.read_text().splitlines(keepends=True) if json.loads(line)["id"] != "empty"]
    out.write_text("".join(kept))
    (letters / "empty.txt").write_text(LETTERS["fdl-issues"].replace("Lumbar", "Cervical"))
    again = runner.invoke(app, ["score", str(letters), "--out", str(out), "--resume"])
    assert again.exit_code == 0, again.output


def test_resume_onto_an_older_imr_csv_refuses_without_touching_it(letters):
    older = letters.parent / "older.csv"  # the columns imr wrote before this layout
    older.write_text("letter_id,source,format,error,case_number,item,service,decision\r\nx,x.txt,,,,1,MRI,upheld\r\n")
    before = older.read_bytes()
    result = runner.invoke(app, ["parse", str(letters), "--out", str(older), "--resume"])
    assert older.read_bytes() == before
    assert result.exit_code == 2 and "other columns" in _one_line_error(result)


def test_commands_without_force_do_not_offer_it(letters):
    notes = letters.parent / "notes.jsonl"
    notes.write_text("mine\n")
    result = runner.invoke(app, ["label", str(letters), "--out", str(notes)])
    assert result.exit_code == 2 and "--force" not in _one_line_error(result)
    assert notes.read_text() == "mine\n"
