"""Output formats: chosen from the extension, typed Parquet tables, a documented flat CSV,
and ``--resume`` that loses and repeats nothing in every format after a torn write."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus import generate_letters
from pipeline.letters import Letter
from pipeline.output.schema import csv_columns, reason_ids

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Generated letters (several items each, some overturned) and one input that fails."""
    path = tmp_path_factory.mktemp("in") / "in.jsonl"
    with open(path, "w") as handle:
        for letter in generate_letters(12, seed=31):
            handle.write(json.dumps({"id": letter.id, "text": letter.text}) + "\n")
        handle.write(json.dumps({"id": "bad", "text": ""}) + "\n")
    return path


@pytest.fixture(scope="module")
def whole(inputs, tmp_path_factory) -> dict[str, Path]:
    """One uninterrupted scoring run in each format."""
    folder = tmp_path_factory.mktemp("whole")
    outs = {"jsonl": folder / "w.jsonl", "csv": folder / "w.csv", "parquet": folder / "w.parquet"}
    for out in outs.values():
        result = runner.invoke(app, ["score", str(inputs), "--out", str(out)])
        assert result.exit_code == 1, result.output  # the bad input
    return outs


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _parquet(folder: Path, table: str) -> list[dict]:
    parts = sorted((folder / table).glob("part-*.parquet"))
    return pa.concat_tables([pq.read_table(p) for p in parts]).to_pylist()


# Format from the extension -------------------------------------------------------------------

def test_format_follows_the_extension(whole):
    assert whole["csv"].read_text().startswith(",".join(csv_columns()))
    assert (whole["parquet"] / "items").is_dir() and (whole["parquet"] / "letters").is_dir()
    assert json.loads(whole["jsonl"].read_text().splitlines()[0])["items"]


@pytest.mark.parametrize("name, fmt", [("x.csv", "parquet"), ("x.parquet", "jsonl"), ("x.jsonl", "csv"),
                                       ("x.json", "csv")])
def test_a_format_contradicting_the_extension_is_a_usage_error(tmp_path, name, fmt):
    (tmp_path / "a.txt").write_text("x")
    result = runner.invoke(app, ["score", str(tmp_path / "a.txt"), "--out", str(tmp_path / name), "--format", fmt])
    assert result.exit_code == 2 and "contradicts" in result.output
    assert not (tmp_path / name).exists()


def test_json_and_unknown_extensions_write_jsonl(tmp_path):
    from letters_for_tests import LETTERS

    (tmp_path / "a.txt").write_text(LETTERS["fdl-issues"])
    for name in ("x.json", "x.out"):
        assert runner.invoke(app, ["parse", str(tmp_path / "a.txt"), "--out", str(tmp_path / name)]).exit_code == 0
        assert json.loads((tmp_path / name).read_text())["id"] == "a"


# What the tables carry -----------------------------------------------------------------------

def test_parquet_columns_are_typed(whole):
    folder = whole["parquet"]
    letters = pq.read_schema(next((folder / "letters").glob("part-*.parquet")))
    items = pq.read_schema(next((folder / "items").glob("part-*.parquet")))
    entities = pq.read_schema(next((folder / "entities").glob("part-*.parquet")))
    assert letters.field("decision_date").type == pa.date32()
    assert letters.field("specialties").type == pa.list_(pa.string())
    assert letters.field("items").type == pa.int32()
    assert items.field("rationale_start").type == pa.int32()
    assert items.field("reasons").type == pa.list_(pa.string())
    assert all(items.field(f"score_{label}").type == pa.float64() for label in reason_ids())
    assert pa.types.is_list(items.field("evidence").type)
    assert entities.field("negated").type == pa.bool_() and entities.field("start").type == pa.int32()


def test_parquet_tables_hold_what_the_jsonl_holds(whole):
    records = {r["id"]: r for r in _records(whole["jsonl"])}
    letters = _parquet(whole["parquet"], "letters")
    assert [row["letter_id"] for row in letters] == list(records)
    bad = next(row for row in letters if row["letter_id"] == "bad")
    assert bad["error_kind"] == "empty" and bad["error"]
    for row in letters:
        header = records[row["letter_id"]].get("header") or {}
        for name in ("decision_date", "date_of_injury"):
            expected = header.get(name)
            assert row[name] == (dt.date.fromisoformat(expected) if expected else None)
    items = _parquet(whole["parquet"], "items")
    expected_items = [(r["id"], n, i) for r in records.values() for n, i in enumerate(r["items"], 1)]
    assert [(row["letter_id"], row["item"]) for row in items] == [(lid, n) for lid, n, _ in expected_items]
    for row, (letter_id, _, item) in zip(items, expected_items):
        text = records[letter_id]["text"]
        assert row["rationale"] == item.get("rationale") and row["decision"] == item["decision"]
        assert row["reasons"] == item["reasons"]
        for label in reason_ids():
            assert row[f"score_{label}"] == (item.get("reason_scores") or {}).get(label)
        assert sorted((e["reason"], e["start"], e["end"]) for e in row["evidence"]) == sorted(
            (reason, a, b) for reason, ranges in (item.get("evidence") or {}).items() for a, b in ranges)
        assert all(e["text"] == text[e["start"]:e["end"]] for e in row["evidence"])
    entities = _parquet(whole["parquet"], "entities")
    assert len(entities) == sum(len(r["spans"]) for r in records.values())
    assert all(row["text"] == records[row["letter_id"]]["text"][row["start"]:row["end"]] for row in entities)


def test_overturned_items_have_no_reason_scores_in_any_format(whole):
    items = [i for r in _records(whole["jsonl"]) for i in r["items"]]
    assert any(i["decision"] == "overturned" for i in items) and any(i["decision"] == "upheld" for i in items)
    assert all("reason_scores" not in i for i in items if i["decision"] == "overturned")
    assert all(set(i["reason_scores"]) == set(reason_ids()) for i in items if i["decision"] == "upheld")
    rows = list(csv.DictReader(open(whole["csv"], newline="")))
    for row in rows:
        scores = [row[f"score_{label}"] for label in reason_ids()]
        assert (all(scores) if row["decision"] == "upheld" else not any(scores)), row["decision"]
    for row in _parquet(whole["parquet"], "items"):
        upheld = row["decision"] == "upheld"
        assert all((row[f"score_{label}"] is not None) == upheld for label in reason_ids())


def test_csv_is_the_flat_items_table_with_rationale_evidence_and_errors(whole):
    records = _records(whole["jsonl"])
    rows = list(csv.DictReader(open(whole["csv"], newline="")))
    assert len(rows) == sum(max(1, len(r["items"])) for r in records)
    items = [(r, i) for r in records for i in r["items"]]
    item_rows = [row for row in rows if row["item"]]
    for row, (record, item) in zip(item_rows, items):
        assert row["letter_id"] == record["id"] and row["rationale"] == (item.get("rationale") or "")
        assert row["items"] == str(len(record["items"]))
        for reason, ranges in (item.get("evidence") or {}).items():
            for a, b in ranges:
                assert record["text"][a:b] in row[f"evidence_{reason}"]
    (bad,) = [row for row in rows if row["letter_id"] == "bad"]
    assert bad["error_kind"] == "empty" and bad["error"] and bad["item"] == ""


def test_readme_documents_every_csv_column():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`([a-z_<>]+)`", readme))
    for column in csv_columns():
        generic = re.sub(rf"^(score|evidence)_({'|'.join(reason_ids())})$", r"\1_<reason>", column)
        assert generic in documented, column


# Resume after a torn write, every format -------------------------------------------------------

def _resume(inputs: Path, out: Path) -> None:
    result = runner.invoke(app, ["score", str(inputs), "--out", str(out), "--resume"])
    assert result.exit_code == 1, result.output  # 'bad' failed, in this run or an earlier one


def test_jsonl_resume_after_a_torn_write(inputs, whole, tmp_path):
    data = whole["jsonl"].read_bytes()
    cut = tmp_path / "cut.jsonl"
    third = data.index(b"\n", data.index(b"\n", data.index(b"\n") + 1) + 1) + 1
    cut.write_bytes(data[:third + 200])  # three records and the start of a fourth
    _resume(inputs, cut)
    assert cut.read_bytes() == data


def _csv_rows(data: bytes) -> list[tuple[list[str], int, int]]:
    """(row, start byte, end byte) of every data row of a CSV output (rationales span lines)."""
    offset, rows = 0, []

    def lines():
        nonlocal offset
        for line in data.splitlines(keepends=True):
            offset += len(line)
            yield line.decode("utf-8")

    start = 0
    for row in csv.reader(lines()):
        rows.append((row, start, offset))
        start = offset
    return rows[1:]


@pytest.mark.parametrize("where", ["row boundary inside a letter", "inside a quoted rationale",
                                   "letter boundary", "after the header"])
def test_csv_resume_after_a_torn_write(inputs, whole, tmp_path, where):
    data = whole["csv"].read_bytes()
    rows = _csv_rows(data)
    index = {name: n for n, name in enumerate(csv_columns())}
    # The first row of a letter with several items, not the first letter.
    number = next(n for n, (row, _, _) in enumerate(rows)
                  if n > 0 and row[index["item"]] == "1" and int(row[index["items"]]) >= 2)
    row, start, end = rows[number]
    rationale = row[index["rationale"]]
    assert "\n" in rationale or len(rationale) > 40
    cut_at = {"row boundary inside a letter": end,
              "inside a quoted rationale": data.index(rationale[:30].encode(), start) + 20,
              "letter boundary": start,
              "after the header": rows[0][1]}[where]
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[:cut_at])
    _resume(inputs, cut)
    assert cut.read_bytes() == data  # each letter once, every row, in input order


def test_parquet_resume_after_an_interrupted_commit(inputs, whole, tmp_path):
    """Parts committed, then a kill between writing a part's items and its letters file."""
    from pipeline.output.writers import PartsWriter

    letters = [Letter.from_json(r) for r in _records(whole["jsonl"])]
    out = tmp_path / "cut.parquet"
    writer = PartsWriter(out, append=False, part_letters=4, part_seconds=1e9)
    for letter in letters[:6]:
        writer.write(letter)  # part 1 committed (4 letters); 2 letters buffered
    # The kill: part 2's items file renamed into place, its letters file still temporary.
    (out / "items" / "part-000002.parquet").write_bytes(next((out / "items").glob("part-000001.parquet")).read_bytes())
    (out / "letters" / ".part-000002.parquet.tmp").write_bytes(b"PAR1 half")
    _resume(inputs, out)
    for table in ("letters", "items", "entities"):
        assert _parquet(out, table) == _parquet(whole["parquet"], table), table
    assert not list(out.rglob("*.tmp"))


def test_parquet_resume_with_no_output_and_on_a_finished_one(inputs, whole, tmp_path):
    out = tmp_path / "new.parquet"
    _resume(inputs, out)  # nothing to resume: a full run
    assert _parquet(out, "items") == _parquet(whole["parquet"], "items")
    before = {p: p.read_bytes() for p in out.rglob("part-*.parquet")}
    _resume(inputs, out)  # finished: nothing lost, nothing added
    assert {p: p.read_bytes() for p in out.rglob("part-*.parquet")} == before
    assert [r["letter_id"] for r in _parquet(out, "letters")] == [r["id"] for r in _records(whole["jsonl"])]


def test_parquet_output_reads_back_with_pandas(whole):
    pd = pytest.importorskip("pandas")
    items = pd.read_parquet(whole["parquet"] / "items")
    letters = pd.read_parquet(whole["parquet"] / "letters")
    assert len(items) == sum(len(r["items"]) for r in _records(whole["jsonl"]))
    assert set(items["letter_id"]) <= set(letters["letter_id"])


# Progress --------------------------------------------------------------------------------------

def test_progress_shows_the_total_and_the_rate(tmp_path):
    from letters_for_tests import LETTERS

    for n in range(5):
        for name, text in LETTERS.items():
            (tmp_path / f"{name}-{n}.txt").write_text(text)
    out = tmp_path / "out" / "p.jsonl"
    result = runner.invoke(app, ["parse", str(tmp_path), "--out", str(out), "--progress"])
    assert result.exit_code == 0
    assert "15/15" in result.output and "letters/s" in result.output
    for name in LETTERS:
        (tmp_path / f"{name}-new.txt").write_text(LETTERS[name])
    resumed = runner.invoke(app, ["parse", str(tmp_path), "--out", str(out), "--progress", "--resume"])
    assert "3/3" in resumed.output  # what is left to do, not what the folder holds


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_resume_after_sigkill_loses_and_repeats_nothing(tmp_path, fmt):
    import os
    import signal
    import subprocess
    import time

    inputs = tmp_path / "in.jsonl"
    with open(inputs, "w") as handle:
        for letter in generate_letters(60, seed=32):
            handle.write(json.dumps({"id": letter.id, "text": letter.text}) + "\n")
    imr = [sys.executable, "-m", "pipeline.cli", "score", str(inputs)]
    whole, cut = tmp_path / f"whole.{fmt}", tmp_path / f"cut.{fmt}"
    subprocess.run(imr + ["--out", str(whole)], capture_output=True, cwd=ROOT)
    small_parts = ["--part-size", "2"] if fmt == "parquet" else []
    process = subprocess.Popen(imr + ["--out", str(cut), *small_parts], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)

    def written() -> int:
        if fmt == "csv":
            return cut.read_bytes().count(b"\n") if cut.exists() else 0
        return len(list((cut / "letters").glob("part-*.parquet"))) if (cut / "letters").is_dir() else 0

    deadline = time.time() + 120
    while time.time() < deadline and written() < 4:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if fmt == "csv":
        assert len(cut.read_bytes()) < len(whole.read_bytes()), "the run should have been killed part-way"
    else:
        assert 0 < len(_parquet(cut, "letters")) < 60, "the run should have been killed part-way"
    result = subprocess.run(imr + ["--out", str(cut), "--resume"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "inputs were already in the output" in result.stderr  # it did resume, not start over
    if fmt == "csv":
        assert cut.read_bytes() == whole.read_bytes()
    else:
        for table in ("letters", "items", "entities"):
            assert _parquet(cut, table) == _parquet(whole, table), table


def test_the_readme_duckdb_query_runs(whole):
    duckdb = pytest.importorskip("duckdb")
    folder = whole["parquet"].as_posix()
    rows = duckdb.sql(f"SELECT l.decision_date, i.* FROM '{folder}/items/*.parquet' i "
                      f"JOIN '{folder}/letters/*.parquet' l USING (letter_id)").fetchall()
    assert len(rows) == len(_parquet(whole["parquet"], "items"))
