"""The real DWC letters of ../shared/data/real-letters, read as a user reads them (`imr parse`,
`imr score` on the PDFs), against the project's stand-off gold (data/gold/real/). Skips when
../shared is absent: the letters are not ours to commit."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from pipeline.corpus import standoff
from pipeline.cli import app
from pipeline.evaluation.metrics import evaluate, match_items

from conftest import SHARED

POOL = SHARED / "data" / "real-letters"
HEADER_LABELS = {  # a label the letter writes -> the field it fills
    "case_number": r"Case Number:", "date_assigned": r"Date Assigned:", "date_of_injury": r"Date of Injury:",
    "decision_date": r"Decision Date:", "ur_denial_date": r"UR Denial Date:", "priority": r"Priority:",
    "application_received": r"Application\s+Received:", "licensure_states": r"State\(s\) of Licensure:",
    "specialties": r"Certification\(s\)/Specialty:",
}


@pytest.fixture(scope="module")
def pool():
    if not POOL.is_dir() or not list(POOL.glob("*.pdf")):
        pytest.skip("../shared/data/real-letters is not present")
    return sorted(POOL.glob("*.pdf"))


@pytest.fixture(scope="module")
def gold(pool):
    return {r.id: r.join(standoff.read_source_text(r, POOL)).to_json() for r in standoff.load()}


def _run(command: str, pool, tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp(command) / "out.jsonl"
    result = CliRunner().invoke(app, [command, *map(str, pool), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


@pytest.fixture(scope="module")
def parsed(pool, tmp_path_factory):
    return _run("parse", pool, tmp_path_factory)


@pytest.fixture(scope="module")
def scored(pool, tmp_path_factory):
    return _run("score", pool, tmp_path_factory)


def test_gold_covers_the_pool_and_matches_the_text_we_extract(pool, gold):
    # join() refuses a text whose hash differs: every PDF still reads to the annotated text.
    assert set(gold) == {p.stem for p in pool}
    assert sum(len(g["items"]) for g in gold.values()) >= 240


@pytest.mark.parametrize("command", ["parsed", "scored"])
def test_every_item_and_decision(command, gold, request):
    records = request.getfixturevalue(command)
    assert not [r["id"] for r in records.values() if r.get("error")]
    figures = evaluate(gold, records)
    assert figures["items"]["f1"] >= 0.995 and figures["decision_accuracy"] >= 0.995, figures["items"]


def test_items_read_exactly_name_their_service_where_the_gold_does(gold, parsed):
    exact = total = 0
    for letter_id, g in gold.items():
        p = parsed[letter_id]
        for gi, pi in match_items([i["service"] for i in g["items"]], [i["service"] for i in p["items"]]):
            total += 1
            exact += tuple(p["items"][pi]["service_range"]) == tuple(g["items"][gi]["service_range"])
    assert exact / total >= 0.99


def test_header_fields_are_filled_wherever_the_letter_has_them(parsed):
    for record in parsed.values():
        header = record.get("header") or {}
        for name, label in HEADER_LABELS.items():
            if re.search(label, record["text"]):
                assert header.get(name), (record["id"], name)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", header["decision_date"])


def test_no_page_furniture_or_heading_inside_a_rationale(parsed):
    for record in parsed.values():
        for item in record["items"]:
            rationale = item.get("rationale") or ""
            assert not re.search(r"Page \d+ of \d+|Case Number:|IMR ISSUES, DECISIONS|Claims Administrator guideline:",
                                 rationale), (record["id"], item["service"])
            start, end = item["rationale_range"]
            assert len(rationale) == end - start


def test_every_upheld_item_is_scored_with_reasons_and_evidence(scored):
    upheld = [i for r in scored.values() for i in r["items"] if i["decision"] == "upheld"]
    assert upheld and all(i.get("reason_scores") for i in upheld)
    assert sum(bool(i["reasons"]) for i in upheld) / len(upheld) >= 0.9


def test_evaluate_agrees_with_the_reference_scorer_on_real_gold_with_evidence(gold, scored, tmp_path):
    import subprocess
    import sys

    gold_path, pred_path = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold_path.write_text("".join(json.dumps(g) + "\n" for g in gold.values()), encoding="utf-8")
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in scored.values()), encoding="utf-8")
    ours = tmp_path / "ours.json"
    result = CliRunner().invoke(app, ["evaluate", str(gold_path), "--predictions", str(pred_path), "--json", str(ours)])
    assert result.exit_code == 0, result.output
    reference = tmp_path / "reference.json"
    subprocess.run([sys.executable, str(SHARED / "tools" / "score_predictions.py"), str(gold_path), str(pred_path),
                    "--json", str(reference)], check=True, capture_output=True)
    figures = json.loads(ours.read_text())
    assert figures == json.loads(reference.read_text())
    assert figures["evidence"]["scored"] > 100  # the real gold marks evidence, so evidence is scored
