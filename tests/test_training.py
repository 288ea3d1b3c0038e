"""Training runs from a config: a small run is reproducible and writes verifiable models."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import artifacts
from pipeline.scoring import Scorer, load_reasons
from pipeline.reader.sources import RawText
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


def test_the_tiny_tagger_carries_its_component_data_and_reads_its_own_copy(tiny_run):
    import spacy

    tmp, _, _ = tiny_run
    tagger = tmp / "models" / "tagger"
    manifest = artifacts.verify(tagger)
    assert {"imr_lexicon/terms.json", "imr_negation/rules.json"} <= set(manifest.files)
    terms = json.loads((tagger / "imr_lexicon" / "terms.json").read_text())
    assert "radiculopathy" in terms["CONDITION"] and "antalgic gait" in terms["FINDING"]
    # The saved copy decides, not the package's files: a pipeline whose saved rules lack "no"
    # no longer negates after "no".
    copy = tmp / "edited-tagger"
    import shutil

    shutil.copytree(tagger, copy)
    rules = json.loads((copy / "imr_negation" / "rules.json").read_text())
    for group in rules["groups"]:
        group["literals"] = [literal for literal in group["literals"] if literal != "no"]
    (copy / "imr_negation" / "rules.json").write_text(json.dumps(rules))
    text = "There is no radiculopathy."

    def negated(path):
        doc = spacy.load(path)(text)
        return [(e.text, e._.negated) for e in doc.ents if e.text == "radiculopathy"]

    assert negated(tagger) == [("radiculopathy", True)]
    assert negated(copy) == [("radiculopathy", False)]


def test_the_tiny_tagger_meta_and_manifest_say_what_and_which_commit(tiny_run):
    tmp, _, results = tiny_run
    tagger = tmp / "models" / "tagger"
    meta = json.loads((tagger / "meta.json").read_text())
    manifest = artifacts.verify(tagger).data
    assert meta["name"] == "imr_tagger" and meta["version"] == manifest["version"] != "0.0.0"
    assert meta["description"] and meta["requirements"] == [f"imr-reader>={manifest['version']}"]
    gold = results["tagger"]["gold_dev"]
    assert meta["performance"]["ents_per_type"]["FINDING"]["f"] == gold["spans_exact"]["FINDING"]["f1"]
    assert meta["pipeline"] == ["imr_sentences", "imr_sections", "tok2vec", "ner", "imr_lexicon", "imr_guidelines",
                                "imr_negation"]
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode == 0:
        for name in ("tagger", "reasons"):
            assert artifacts.verify(tmp / "models" / name).data["code_commit"] == head.stdout.strip()


def test_spacy_train_alone_builds_the_whole_pipeline_from_the_config(tmp_path):
    # No --code: the components, the reader and the lexicon terms come through entry points.
    letters = ROOT / "data" / "annotated" / "train.jsonl"
    out = subprocess.run([sys.executable, "-m", "spacy", "train", str(ROOT / "configs" / "tagger.cfg"),
                          "--output", str(tmp_path / "out"), "--paths.train", str(letters), "--paths.dev", str(letters),
                          "--training.max_steps", "4", "--training.eval_frequency", "2", "--corpora.dev.limit", "20"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); print(nlp.pipe_names); "
            "print(len(nlp.get_pipe('imr_lexicon').terms['CONDITION']))")
    loaded = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out" / "model-best")], capture_output=True,
                            text=True)
    assert loaded.returncode == 0, loaded.stderr
    names, terms = loaded.stdout.splitlines()
    assert names == str(["imr_sentences", "imr_sections", "tok2vec", "ner", "imr_lexicon", "imr_guidelines",
                         "imr_negation"])
    assert int(terms) > 100


def test_manifest_paths_stay_relative_when_the_corpus_is_a_link(tmp_path, monkeypatch):
    from pipeline.training import config as training_config

    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    (root / "data").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "gen.jsonl").write_text("")
    (root / "data" / "gen.jsonl").symlink_to(elsewhere / "gen.jsonl")
    monkeypatch.setattr(training_config, "PROJECT_ROOT", root)
    assert training_config.relative(root / "data" / "gen.jsonl") == "data/gen.jsonl"
    assert training_config.relative(elsewhere / "gen.jsonl") == str(elsewhere / "gen.jsonl")
