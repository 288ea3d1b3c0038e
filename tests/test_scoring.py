"""Scoring with the bundled models: the reference letter, streaming, resume, formats, evaluation."""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus import generate_letters
from pipeline.evaluation.metrics import evaluate, read_jsonl
from pipeline.scoring import Scorer
from pipeline.reader.sources import RawText

ROOT = Path(__file__).resolve().parent.parent
IMR = [sys.executable, "-m", "pipeline.cli"]
runner = CliRunner()


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer.load()


def test_reference_letter_is_scored(scorer, seed_letter):
    (letter,) = list(scorer.score([RawText(id="seed", text=seed_letter)]))
    (item,) = letter.items
    assert item.decision == "upheld"
    assert "missing_exam_finding" in item.reasons
    start, end = item.rationale_range
    for ranges in item.evidence.values():
        for a, b in ranges:
            assert start <= a < b <= end  # evidence points into the rationale
    assert abs(sum(item.reason_scores.values())) > 0 and set(item.reasons) <= set(item.reason_scores)
    spans = {(seed_letter[s.start:s.end], s.label): s for s in letter.spans}
    assert spans[("ODG", "GUIDELINE")].guideline_id == "ODG"
    assert spans[("MTUS Chronic Pain Treatment Guidelines", "GUIDELINE")].guideline_id == "MTUS-CPMTG"
    assert spans[("Official Disability Guidelines (ODG) neck", "GUIDELINE")].guideline_id == "ODG"
    negated = {(text, label) for (text, label), s in spans.items() if s.negated}
    assert ("myofascial pain syndrome", "CONDITION") in negated
    assert any("trigger points" in text and label == "FINDING" for text, label in negated)
    strength = seed_letter.index("normal strength")
    covering = [s for s in letter.spans if s.label == "FINDING" and s.start <= strength < s.end]
    assert covering and not covering[0].negated  # a normal result is a finding, not an absence


def test_overturned_items_get_no_reasons(scorer):
    letters = list(scorer.score(RawText(id=l.id, text=l.text) for l in generate_letters(30, seed=21)))
    items = [i for l in letters for i in l.items]
    assert any(i.decision == "overturned" for i in items)
    assert all(i.reasons == [] for i in items if i.decision == "overturned")
    assert sum(bool(i.reasons) for i in items if i.decision == "upheld") > 0.8 * sum(i.decision == "upheld" for i in items)
    assert all(set(i.reason_scores) == set(scorer.reasons.labels) for i in items if i.decision == "upheld")
    assert all(i.reason_scores is None for i in items if i.decision == "overturned")


def _write_inputs(path: Path, n: int, seed: int) -> list[str]:
    ids = []
    with open(path, "w") as handle:
        for letter in generate_letters(n, seed):
            handle.write(json.dumps({"id": letter.id, "text": letter.text}) + "\n")
            ids.append(letter.id)
    with open(path, "a") as handle:  # and one bad record, which must not stop the run
        handle.write(json.dumps({"id": "bad", "text": ""}) + "\n")
    return ids + ["bad"]


def test_resume_after_sigkill_gives_the_uninterrupted_output(tmp_path):
    inputs = tmp_path / "in.jsonl"
    ids = _write_inputs(inputs, 60, seed=8)
    whole = tmp_path / "whole.jsonl"
    subprocess.run(IMR + ["score", str(inputs), "--out", str(whole)], capture_output=True, cwd=ROOT)
    cut = tmp_path / "cut.jsonl"
    process = subprocess.Popen(IMR + ["score", str(inputs), "--out", str(cut)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and (not cut.exists() or cut.read_bytes().count(b"\n") < 5):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = cut.read_bytes().count(b"\n")
    assert 0 < done_before < len(ids), "the run should have been killed part-way"
    with open(cut, "ab") as handle:  # as if the kill came mid-write
        handle.write(b'{"id": "half-writ')
    result = subprocess.run(IMR + ["score", str(inputs), "--out", str(cut), "--resume"], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 1  # the bad record
    resumed = [json.loads(line) for line in cut.read_text().splitlines()]
    assert [r["id"] for r in resumed] == ids  # each letter exactly once, in input order
    assert resumed == [json.loads(line) for line in whole.read_text().splitlines()]


def test_two_workers_give_the_same_output_as_one(tmp_path):
    inputs = tmp_path / "in.jsonl"
    _write_inputs(inputs, 24, seed=9)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert runner.invoke(app, ["score", str(inputs), "--out", str(one)]).exit_code == 1
    assert runner.invoke(app, ["score", str(inputs), "--out", str(two), "--workers", "2"]).exit_code == 1
    assert one.read_text() == two.read_text()


def test_csv_and_parquet_have_one_row_per_item(tmp_path):
    inputs = tmp_path / "in.jsonl"
    _write_inputs(inputs, 6, seed=10)
    jsonl = tmp_path / "o.jsonl"
    runner.invoke(app, ["score", str(inputs), "--out", str(jsonl)])
    items = sum(max(1, len(json.loads(l)["items"])) for l in jsonl.read_text().splitlines())
    runner.invoke(app, ["score", str(inputs), "--out", str(tmp_path / "o.csv"), "--format", "csv"])
    rows = list(csv.DictReader(open(tmp_path / "o.csv")))
    assert len(rows) == items and rows[-1]["error"]
    runner.invoke(app, ["score", str(inputs), "--out", str(tmp_path / "o.parquet"), "--format", "parquet"])
    import pyarrow.parquet as pq

    items_with_a_decision = items - sum(not json.loads(l)["items"] for l in jsonl.read_text().splitlines())
    assert pq.read_table(tmp_path / "o.parquet" / "items").num_rows == items_with_a_decision


def test_evaluate_agrees_with_the_reference_scorer(shared_dir, tmp_path):
    gold = ROOT / "data" / "gold" / "dev.jsonl"
    inputs = tmp_path / "in.jsonl"
    with open(inputs, "w") as handle:
        for record in read_jsonl(gold).values():
            handle.write(json.dumps({"id": record["id"], "text": record["text"]}) + "\n")
    pred = tmp_path / "pred.jsonl"
    runner.invoke(app, ["score", str(inputs), "--out", str(pred)])
    ours = tmp_path / "ours.json"
    result = runner.invoke(app, ["evaluate", str(gold), "--predictions", str(pred), "--json", str(ours)])
    assert result.exit_code == 0
    reference = tmp_path / "ref.json"
    subprocess.run([sys.executable, str(shared_dir / "tools" / "score_predictions.py"), str(gold), str(pred),
                    "--json", str(reference)], check=True, capture_output=True)
    assert json.loads(ours.read_text()) == json.loads(reference.read_text())
    assert evaluate(read_jsonl(gold), read_jsonl(pred)) == json.loads(reference.read_text())
