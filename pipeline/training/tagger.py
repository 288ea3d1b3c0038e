"""The tagger: ``spacy train`` on ``configs/tagger.cfg``, cross-validated on the real letters, saved whole.

The config holds the whole pipeline (rule components made by their factories around
the trained tok2vec + ner), so what ``spacy train`` saves as ``model-best`` is the
tagger that ships; this stage only writes its letter files, fills the paths in, blanks
them again in the saved ``config.cfg`` and writes a ``meta.json`` as spaCy packages
carry one.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import spacy
from spacy.cli.train import train as spacy_train
from thinc.api import Config

from .. import tagger  # noqa: F401  (registers the components, the reader and the lexicon terms)
from ..corpus.files import read_corpus
from ..evaluation.crossval import gold_records, letter_folds
from ..evaluation.metrics import evaluate
from ..scoring import doc_spans, load_tagger
from ..evaluation import negex
from . import manifests
from .cards import write_card
from .config import TrainConfig
from .corpus import real_letters, write_tagger_letters


def fit_tagger(config: TrainConfig, corpus, real: list, work: Path, log=print) -> Path:
    """Train on generated, hand-annotated and ``real`` letters in ``work``; the saved pipeline's folder."""
    section = config.raw["tagger"]
    train_path, dev_path = write_tagger_letters(config, corpus, real, work / "letters")
    overrides = {"paths.train": str(train_path), "paths.dev": str(dev_path),
                 "system.seed": config.seed, "training.seed": config.seed}
    # The spaCy config carries the run's settings; a run config may override the two that
    # size it (tests train for a few steps).
    if "max_steps" in section:
        overrides["training.max_steps"] = int(section["max_steps"])
    if "dev_limit" in section:
        overrides["corpora.dev.limit"] = int(section["dev_limit"])
    spacy_train(config.resolve(section["config"]), work / "out", overrides=overrides)
    best = work / "out" / "model-best"
    return best if best.exists() else work / "out" / "model-last"  # a short run never evaluates


def forget_training_paths(model_dir: Path) -> None:
    """Blank the corpus paths in a saved pipeline's config.cfg.

    Loading never reads them, and a fresh temporary directory per run would make every
    retraining's config.cfg (and so its checksum) differ.
    """
    path = Path(model_dir) / "config.cfg"
    saved = Config().from_disk(path, interpolate=False)
    for key in ("train", "dev"):
        saved["paths"][key] = None
    saved.to_disk(path)


def tagged(nlp, letters: list) -> dict:
    return {letter.id: {"id": letter.id, "items": [], "spans": [s.to_json() for s in doc_spans(doc)]}
            for letter, doc in zip(letters, nlp.pipe(letter.text for letter in letters))}


def span_figures(gold: dict, pred: dict) -> dict:
    result = evaluate(gold, pred)
    return {"spans_exact": result["spans_exact"], "spans_overlap": result["spans_overlap"],
            "negation_accuracy": result["negation_accuracy"], "letters": len(gold)}


def evaluate_tagger(nlp, gold_path: Path) -> dict:
    """Span figures of the tagger on the gold dev set, and the negation component on the NegEx set."""
    gold_letters, _ = read_corpus(gold_path)
    gold = {letter.id: letter.to_json() for letter in gold_letters}
    metrics = {"gold_dev": span_figures(gold, tagged(nlp, gold_letters))}
    if negex.DEFAULT_NEGEX.exists():  # the public NegEx set, read from ../shared when present
        figures = negex.evaluate()
        metrics["negex"] = {key: figures[key] for key in ("precision", "recall", "f1", "accuracy", "rows", "not_found")
                            if key in figures}
    return metrics


def train_tagger(config: TrainConfig, corpus, corpus_sha: str, code_commit: str | None, log=print) -> dict:
    section = config.raw["tagger"]
    output = config.resolve(section["output"])
    real = [letter for letter in real_letters(config, log) if letter.spans]
    metrics = {}
    folds = int(section.get("real_cv_folds", 0))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if real and folds > 1:
            # Cross-validation by letter over the real letters with entities: the same recipe,
            # each fold's letters tagged by a tagger trained without them.
            fold_of = letter_folds((letter.id for letter in real), folds, config.seed)
            predicted = {}
            for fold in range(folds):
                log(f"tagger: cross-validation fold {fold + 1}/{folds}")
                trained = fit_tagger(config, corpus, [l for l in real if fold_of[l.id] != fold], tmp / f"fold{fold}", log)
                predicted.update(tagged(spacy.load(trained), [l for l in real if fold_of[l.id] == fold]))
            metrics["real_cv"] = span_figures(gold_records(real), predicted) | {"folds": folds}
        trained = fit_tagger(config, corpus, real, tmp / "final", log)
        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(trained, output)
    forget_training_paths(output)
    metrics |= evaluate_tagger(spacy.load(output), config.gold_path)
    record = manifests.tagger_record(config, corpus_sha, real, metrics, code_commit)
    manifests.write_tagger_meta(output, record)
    manifest = manifests.write(output, record)
    load_tagger(output)  # what scoring loads must load: checksums, versions, components
    write_card(output, manifest.data)
    return metrics
