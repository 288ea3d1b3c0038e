"""The figures the README and the model cards quote, guarded.

The default models are scored on the gold dev set (written letters) exactly as a user
scores letters, and each figure must stay at or above what the models' manifests
recorded when they were trained, less `TOLERANCE`. A change that costs quality fails
here by name. The same scored output must pass the project's own validator.
Real-letter figures are cross-validated at training time (no shipped model is held out
on them), so here the real pool is checked for what the reader promises: every letter
read, every item found with its decision, output valid.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluation.metrics import evaluate
from pipeline.letters import Letter
from pipeline.scoring import DEFAULT_REASONS, DEFAULT_TAGGER, score_stream
from pipeline.reader.sources import RawText, iter_raw
from pipeline.validate import check_letter

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "gold" / "dev.jsonl"
# Scoring is deterministic; the slack only absorbs float noise across platforms.
TOLERANCE = 0.005


def _manifest_metrics(model_dir: Path) -> dict:
    return json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))["metrics"]


@pytest.fixture(scope="module")
def dev_gold() -> dict[str, dict]:
    records = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {record["id"]: record for record in records}


@pytest.fixture(scope="module")
def dev_scored(dev_gold) -> list[Letter]:
    return list(score_stream(RawText(id=i, text=r["text"]) for i, r in dev_gold.items()))


@pytest.fixture(scope="module")
def dev_figures(dev_gold, dev_scored) -> dict:
    return evaluate(dev_gold, {letter.id: letter.to_json() for letter in dev_scored})


def _at_least(measured: float, recorded: float, what: str) -> None:
    assert measured >= recorded - TOLERANCE, f"{what}: {measured:.4f} now, {recorded:.4f} recorded"


def test_reader_items_and_decisions_on_written_letters(dev_figures):
    recorded = _manifest_metrics(DEFAULT_REASONS)["gold_dev_scored"]
    _at_least(dev_figures["items"]["f1"], recorded["items"]["f1"], "items F1")
    _at_least(dev_figures["decision_accuracy"], recorded["decision_accuracy"], "decision accuracy")


def test_reasons_on_written_letters(dev_figures):
    recorded = _manifest_metrics(DEFAULT_REASONS)["gold_dev_scored"]["reasons"]
    measured = dev_figures["reasons"]
    _at_least(measured["micro"]["f1"], recorded["micro"]["f1"], "reasons micro F1")
    _at_least(measured["macro_f1"], recorded["macro_f1"], "reasons macro F1")
    _at_least(measured["exact_set_accuracy"], recorded["exact_set_accuracy"], "reasons exact sets")


@pytest.mark.parametrize("label", ["GUIDELINE", "CONDITION", "FINDING"])
@pytest.mark.parametrize("match", ["spans_exact", "spans_overlap"])
def test_spans_on_written_letters(dev_figures, label, match):
    recorded = _manifest_metrics(DEFAULT_TAGGER)["gold_dev"][match][label]["f1"]
    _at_least(dev_figures[match][label]["f1"], recorded, f"{label} {match} F1")


def test_negation_on_written_letters(dev_figures):
    recorded = _manifest_metrics(DEFAULT_TAGGER)["gold_dev"]["negation_accuracy"]
    _at_least(dev_figures["negation_accuracy"], recorded, "negation accuracy")


def test_scored_written_letters_pass_the_validator(dev_scored):
    problems = {letter.id: check_letter(letter) for letter in dev_scored}
    assert {i: p for i, p in problems.items() if p} == {}


def test_overturned_items_carry_no_reasons(dev_scored):
    overturned = [item for letter in dev_scored for item in letter.items if item.decision == "overturned"]
    assert overturned
    assert all(not item.reasons and not item.evidence for item in overturned)


@pytest.fixture(scope="module")
def pool_scored() -> list[Letter]:
    shared = ROOT.parent / "shared"
    folder = shared / "data" / "real-letters"
    if not folder.is_dir():
        pytest.skip("../shared/data/real-letters is not present")
    pdfs = sorted(folder.glob("*.pdf"))
    return list(score_stream(iter_raw([str(p) for p in pdfs])))


def test_real_pool_scored_output_is_complete_and_valid(pool_scored):
    from pipeline.corpus import standoff

    gold = {record.id: record for record in standoff.load(standoff.POOL_GOLD)}
    assert [letter.id for letter in pool_scored if letter.error] == []
    assert {letter.id for letter in pool_scored} == set(gold)
    assert sum(len(letter.items) for letter in pool_scored) == sum(len(r.items) for r in gold.values())
    problems = {letter.id: check_letter(letter) for letter in pool_scored}
    assert {i: p for i, p in problems.items() if p} == {}
