"""Corpora: the gold dev set, generated letters read back by the reader, family splits, the checker."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus.files import CorpusError, corpus_stats, letters_from_dataset, load_corpus, read_corpus
from pipeline.corpus import generate_letters
from pipeline.evaluation.metrics import evaluate, read_jsonl
from pipeline.corpus.gold import build_gold, gold_record
from pipeline.paths import GOLD_DIR
from pipeline.reader import read_text
from pipeline.taxonomy import load_taxonomy

runner = CliRunner()
DEV = GOLD_DIR / "dev.jsonl"


def test_gold_dev_set_is_valid_and_large_enough():
    letters, bad = read_corpus(DEV, strict=False)
    assert bad == []
    stats = corpus_stats(letters)
    assert stats.letters >= 80 and stats.items >= 200
    for reason in load_taxonomy().reason_ids:
        assert stats.reasons[reason] >= 8, reason
    assert stats.decisions["overturned"] / stats.items >= 0.15
    assert set(stats.formats) == {"fdl-issues", "fdl-decisions", "professional-review"}
    assert all(stats.spans[label] > 100 for label in ("GUIDELINE", "CONDITION", "FINDING"))


def test_gold_sources_compile_to_the_committed_dev_set(tmp_path):
    out = tmp_path / "dev.jsonl"
    build_gold(out=out)
    assert out.read_text(encoding="utf-8") == DEV.read_text(encoding="utf-8")


def test_evaluate_scores_the_gold_against_itself_as_perfect():
    figures = evaluate(read_jsonl(DEV), read_jsonl(DEV))
    assert figures["items"]["f1"] == 1.0 and figures["decision_accuracy"] == 1.0
    assert figures["reasons"]["micro"]["f1"] == 1.0 and figures["reasons"]["exact_set_accuracy"] == 1.0
    assert all(v["f1"] == 1.0 for v in figures["spans_exact"].values())


def _words(service: str) -> list[str]:
    """A service as the reference scorer compares it: lower case, punctuation removed."""
    return re.sub(r"[^a-z0-9 ]+", " ", service.lower()).split()


def test_generated_letters_pass_the_checker_and_read_back():
    for letter in generate_letters(300, seed=13):
        record = letter.to_json()
        read = read_text(record["text"], letter.id)
        assert read.format == letter.format, letter.id
        assert [(_words(i.service), i.decision) for i in read.items] == \
            [(_words(i.service), i.decision) for i in letter.items], letter.id


def test_data_check_passes_on_generated_and_flags_bad_records(tmp_path):
    good = tmp_path / "good.jsonl"
    result = runner.invoke(app, ["data", "generate", "--n", "40", "--seed", "3", "--out", str(good)])
    assert result.exit_code == 0
    assert runner.invoke(app, ["data", "check", str(good)]).exit_code == 0
    records = [json.loads(line) for line in good.read_text().splitlines()]
    records[0]["spans"].append({"start": 5, "end": 10**6, "label": "FINDING"})
    records[1]["items"][0]["reasons"].append("bad_reason")
    over = next(r for r in records if any(i["decision"] == "overturned" for i in r["items"]))
    next(i for i in over["items"] if i["decision"] == "overturned")["reasons"] = ["missing_exam_finding"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = runner.invoke(app, ["data", "check", str(bad)])
    assert result.exit_code == 1
    assert records[0]["id"] in result.output and "offsets outside the text" in result.output
    assert "unknown reasons ['bad_reason']" in result.output
    assert "overturned item with reasons" in result.output
    with pytest.raises(CorpusError, match=records[0]["id"]):
        read_corpus(bad)


def test_load_corpus_splits_hold_out_whole_families(tmp_path):
    path = tmp_path / "gen.jsonl"
    with open(path, "w") as handle:
        for letter in generate_letters(400, seed=5):
            handle.write(json.dumps(letter.to_json()) + "\n")
    corpus = load_corpus(path)
    assert set(corpus) == {"train", "dev", "test"}
    families = {name: set(split["family"]) for name, split in corpus.items()}
    assert not families["train"] & families["dev"]
    assert not families["train"] & families["test"]
    assert not families["dev"] & families["test"]
    first = next(letters_from_dataset(corpus["test"]))
    assert first.items and first.spans and first.family in families["test"]


def test_gold_records_have_the_contract_shape():
    letter = next(iter(read_corpus(DEV)[0]))
    record = gold_record(letter)
    assert set(record) == {"id", "text", "format", "items", "spans"}
    assert set(record["items"][0]) == {"service", "decision", "reasons"}
