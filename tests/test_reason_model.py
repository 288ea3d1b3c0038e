"""The compiled reason model computes what the fitted scikit-learn pipeline computes."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from pipeline.corpus.files import read_corpus
from pipeline.paths import PROJECT_ROOT
from pipeline.reasons.compiled import LinearReasons, char_wb_ngrams, word_ngrams
from pipeline.reasons.classifier import ReasonClassifier, examples_from_letters, label_matrix
from pipeline.reasons.rules import sentences


@pytest.fixture(scope="module")
def fitted() -> tuple[ReasonClassifier, list[str]]:
    letters, _ = read_corpus(PROJECT_ROOT / "data" / "annotated" / "train.jsonl")
    examples = examples_from_letters(letters[:40])
    classifier = ReasonClassifier.create(word_max_features=2000, char_max_features=2000, calibration_folds=2)
    classifier.fit([e.text for e in examples], label_matrix(examples, classifier.labels))
    # The evidence-sentence model blended in, trained here on each rationale sentence that
    # the rule baseline finds a cue in, labelled with its item's reasons.
    from pipeline.reasons.classifier import SentenceExample
    from pipeline.reasons.rules import rule_hits

    stated = [SentenceExample(e.letter_id, e.text[h.start:h.end], e.reasons) for e in examples for h in rule_hits(e.text)]
    classifier.fit_sentences(stated, share=0.3, max_features=2000)
    classifier.thresholds["not_recommended_by_guideline"] = 0.35
    probes = [e.text for e in examples_from_letters(letters[40:], upheld_only=False)]
    probes += [t[a:b] for t in probes[:20] for a, b in sentences(t)]
    probes += ["", "a", "No MRI.", "Ünïcode ﬁ text — with dashes\nand a hyphen-\nated line", "x " * 400, None]
    return classifier, probes


def test_compiled_probabilities_equal_the_pipelines(fitted):
    classifier, probes = fitted
    compiled = classifier.compile()
    texts = [p or "" for p in probes]
    expected = classifier.predict_proba(texts)
    got = compiled.predict_proba(probes)
    assert got.shape == expected.shape == (len(probes), len(classifier.labels))
    assert np.abs(got - expected).max() < 1e-5
    assert (compiled.predict(texts) == classifier.predict(texts)).all()
    assert compiled.thresholds["not_recommended_by_guideline"] == 0.35
    # The sentence model is part of it, and moves the probabilities.
    assert compiled.sentences is not None and compiled.sentence_share == 0.3
    assert np.abs(compiled._linear_proba(texts) - got).max() > 1e-3


def test_saved_model_reloads_identically_and_reproducibly(fitted, tmp_path):
    classifier, probes = fitted
    compiled = classifier.compile()
    compiled.save(tmp_path / "a")
    classifier.compile().save(tmp_path / "b")
    for name in ("reasons.json", "reasons.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    loaded = LinearReasons.load(tmp_path / "a")
    assert loaded.labels == compiled.labels and loaded.thresholds == compiled.thresholds
    assert loaded.sentence_share == compiled.sentence_share and loaded.sentences is not None
    assert (loaded.predict_proba(probes) == compiled.predict_proba(probes)).all()


def test_analyzers_match_scikit_learns():
    from sklearn.feature_extraction.text import CountVectorizer

    text = "an mri of the l4-5 disc; no ok a bb ccc dddd eeeee   tabs\tand\nlines é"
    words = CountVectorizer(ngram_range=(1, 3)).build_analyzer()(text)
    chars = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()(text)
    assert sorted(word_ngrams(text, 1, 3)) == sorted(words)
    assert sorted(char_wb_ngrams(text, 3, 5)) == sorted(chars)


def test_compile_refuses_settings_it_cannot_reproduce(fitted):
    classifier, _ = fitted
    vectorizer = classifier.pipeline.named_steps["features"].transformer_list[0][1]
    vectorizer.binary = True
    try:
        with pytest.raises(ValueError, match="does not reproduce"):
            classifier.compile()
    finally:
        vectorizer.binary = False


def test_scoring_imports_no_scikit_learn():
    code = ("import sys; from pipeline.scoring import Scorer; from pipeline.reader.sources import RawText; "
            "s = Scorer.load(); list(s.score([RawText(id='x', text=open(sys.argv[1]).read())])); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'joblib')))")
    letter = next((PROJECT_ROOT / "data" / "examples").glob("*.txt"))
    done = subprocess.run([sys.executable, "-c", code, str(letter)], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
