"""Training runs from a config: a small run is reproducible and writes verifiable models."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import artifacts
from pipeline.scoring import Scorer, load_reasons
from pipeline.sources import RawText
from pipeline.training import run

from letters_for_tests import LETTERS

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """
name = "tiny"
seed = 7
[corpus]
path = "{tmp}/gen.jsonl"
n = 120
seed = 3
[evaluation]
gold = "{root}/data/gold/dev.jsonl"
[tagger]
config = "{root}/configs/tagger.cfg"
output = "{out}/tagger"
max_steps = 12
dev_limit = 20
generated_letters = 30
[reasons]
output = "{out}/reasons"
C = 1.0
word_max_features = 3000
char_max_features = 3000
calibration_folds = 2
"""


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("train")
    config = tmp / "tiny.toml"
    config.write_text(CONFIG.format(tmp=tmp, root=ROOT, out=tmp / "models"))
    results = run(config, log=lambda message: None)
    return tmp, config, results


def test_a_tiny_run_trains_both_models_from_the_config(tiny_run):
    tmp, _, results = tiny_run
    assert (tmp / "gen.jsonl").exists()  # the corpus was generated from the config
    for name in ("tagger", "reasons"):
        manifest = artifacts.verify(tmp / "models" / name)
        assert manifest.data["files"] and manifest.data["libraries"]["spacy"]
        assert (tmp / "models" / name / "MODEL_CARD.md").read_text().startswith("# Model card")
    assert set(results["reasons"]["gold_dev"]) == {"model", "rule_baseline", "items"}
    assert "GUIDELINE" in results["tagger"]["gold_dev"]["spans_overlap"]
    scorer = Scorer.load(tmp / "models" / "tagger", tmp / "models" / "reasons")
    (letter,) = list(scorer.score([RawText(id="x", text=LETTERS["fdl-issues"])]))
    assert [i.decision for i in letter.items] == ["upheld", "overturned"]
    assert set(letter.items[0].reason_scores) == set(scorer.reasons.labels)
    assert any(s.label == "GUIDELINE" and s.guideline_id for s in letter.spans)


def test_the_same_config_gives_the_same_classifier(tiny_run):
    tmp, config, results = tiny_run
    first = load_reasons(tmp / "models" / "reasons")
    probe = [LETTERS["fdl-decisions"], "There is no urine drug screen and no functional improvement."]
    before = first.predict_proba(probe)
    again = run(config, only="reasons", log=lambda message: None)
    assert again["reasons"] == results["reasons"]
    assert (load_reasons(tmp / "models" / "reasons").predict_proba(probe) == before).all()


def test_saved_tagger_loads_in_a_fresh_process_through_entry_points(tiny_run):
    tmp, _, _ = tiny_run
    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); "
            "doc = nlp('The ODG does not support it in the absence of myofascial pain syndrome.'); "
            "print(nlp.pipe_names); print([(e.text, e.label_, e._.guideline_id) for e in doc.ents if e.label_ == 'GUIDELINE'])")
    out = subprocess.run([sys.executable, "-c", code, str(tmp / "models" / "tagger")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "imr_negation" in out.stdout and "('ODG', 'GUIDELINE', 'ODG')" in out.stdout


def test_a_tiny_run_with_real_letters_cross_validates_on_them(tmp_path):
    from conftest import SHARED

    pool = SHARED / "data" / "real-letters"
    if not pool.is_dir():
        pytest.skip("../shared/data/real-letters is not present")
    config = tmp_path / "tiny-real.toml"
    config.write_text(CONFIG.format(tmp=tmp_path, root=ROOT, out=tmp_path / "models")
                      + 'sentence_share = 0.3\n'
                      + f'[real]\ngold = "{ROOT}/data/gold/real/pool.jsonl"\npdfs = "{pool}"\nweight = 2\nfolds = 2\n')
    results = run(config, only="reasons", log=lambda message: None)
    real = results["reasons"]["real_cv"]
    assert real["folds"] == 2 and real["letters"] == 104
    assert real["reasons"]["micro"]["support"] >= 390 and real["evidence"]["scored"] > 0
    manifest = artifacts.verify(tmp_path / "models" / "reasons")
    assert manifest.data["real"]["letters"] == 104 and manifest.data["real"]["sentence_share"] == 0.3
    card = (tmp_path / "models" / "reasons" / "MODEL_CARD.md").read_text()
    assert "real letters, cross-validated" in card
    assert load_reasons(tmp_path / "models" / "reasons").sentences is not None
