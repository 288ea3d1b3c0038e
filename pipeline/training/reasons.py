"""The reason classifier: generated, hand-annotated and real items, cross-validated by letter.

Out-of-fold predictions over the hand-annotated and real letters give the thresholds
and the real letters' cross-validated figures; the final classifier is fitted on
everything and saved compiled to arrays (what scoring loads: no pickle, no scikit-learn).
"""
from __future__ import annotations

import numpy as np

from ..corpus.files import letters_from_dataset, read_corpus
from ..evaluation.crossval import gold_records, letter_folds, predicted_records
from ..evaluation.metrics import evaluate, prf
from ..reasons.classifier import ReasonClassifier, RuleBaseline, examples_from_letters, label_matrix, sentence_examples
from . import manifests
from .cards import write_card
from .config import TrainConfig, seed_everything
from ..annotation.user_sets import reason_examples
from .corpus import annotated_letters, real_letters as read_real_letters, user_sets


def label_figures(Y: np.ndarray, P: np.ndarray, labels: list[str]) -> dict:
    """Per-label, micro and macro figures of predicted label matrix ``P`` against ``Y``."""
    per = {}
    totals = np.zeros(3, dtype=int)
    for j, label in enumerate(labels):
        tp = int(((P[:, j] == 1) & (Y[:, j] == 1)).sum())
        fp = int(((P[:, j] == 1) & (Y[:, j] == 0)).sum())
        fn = int(((P[:, j] == 0) & (Y[:, j] == 1)).sum())
        totals += (tp, fp, fn)
        per[label] = prf(tp, fp, fn)
    present = [l for l in labels if per[l]["support"]]
    return {"per_label": per, "micro": prf(*totals.tolist()),
            "macro_f1": round(sum(per[l]["f1"] for l in present) / len(present), 4) if present else 0.0}


def scored_figures(letters: list, compiled) -> dict:
    """The reference scorer's reason figures for ``letters`` read and classified as ``imr score`` does."""
    figures = evaluate(gold_records(letters), predicted_records(letters, compiled))
    return {"reasons": figures["reasons"], "items": figures["items"], "decision_accuracy": figures["decision_accuracy"]}


def train_reasons(config: TrainConfig, corpus, corpus_sha: str, code_commit: str | None = None, log=print) -> dict:
    section = config.raw["reasons"]
    output = config.resolve(section["output"])
    weight = int(config.raw["corpus"].get("annotated_weight", 1))
    real_section = config.raw.get("real", {})
    real_weight = int(real_section.get("weight", weight))
    seed_everything(config.seed)
    splits = {name: examples_from_letters(letters_from_dataset(corpus[name])) for name in ("train", "dev", "test")}
    hand = examples_from_letters(annotated_letters(config))
    real_letters = read_real_letters(config, log)
    real = examples_from_letters(real_letters)
    # Rationale sentences of the real letters, labelled by the gold evidence they overlap.
    real_sentences = sentence_examples(real_letters)
    user = reason_examples(user_sets(config))  # users' annotated items ([[user]]), repeated by their files' weight
    share = float(section.get("sentence_share", 0.0)) if real_sentences else 0.0
    gold_letters, _ = read_corpus(config.gold_path)
    splits["gold_dev"] = examples_from_letters(gold_letters)

    def create():
        return ReasonClassifier.create(C=float(section.get("C", 4.0)),
                                       word_max_features=int(section.get("word_max_features", 30000)),
                                       char_max_features=int(section.get("char_max_features", 30000)),
                                       calibration_folds=int(section.get("calibration_folds", 3)), seed=config.seed)

    def fit(hand_part, real_part, sentence_part):
        # Hand-written and real items are repeated: a few hundred of them must weigh against
        # thousands of generated ones.
        examples = splits["train"] + hand_part * weight + real_part * real_weight + user
        classifier = create()
        classifier.fit([e.text for e in examples], label_matrix(examples, classifier.labels))
        if share:
            classifier.fit_sentences(sentence_part, share, C=float(section.get("sentence_C", 4.0)),
                                     ngram_max=int(section.get("sentence_ngram_max", 2)), seed=config.seed)
        return classifier

    labels = create().labels
    log(f"reasons: {len(splits['train'])} generated, {len(hand)} hand-annotated (x{weight}) and {len(real)} real "
        f"(x{real_weight}) training items; {len(real_sentences)} real rationale sentences (share {share})"
        + (f"; {len(user)} user training items (weights applied)" if user else ""))
    metrics: dict = {}
    thresholds = None
    people = hand + real  # items written or annotated by people: thresholds are chosen on these
    if len(people) >= 100:
        # k folds of whole letters over the hand-annotated and the real letters together:
        # out-of-fold probabilities for every such item, from a model that never saw its letter.
        k = int(real_section.get("folds", 5))
        fold_of = letter_folds([e.letter_id for e in people] + [letter.id for letter in real_letters], k, config.seed)
        held_fold = np.array([fold_of[e.letter_id] for e in people])
        truth = label_matrix(people, labels)
        oof = np.zeros((len(people), len(labels)))
        fold_models = []
        for fold in range(k):
            model = fit([e for e in hand if fold_of[e.letter_id] != fold], [e for e in real if fold_of[e.letter_id] != fold],
                        [e for e in real_sentences if fold_of[e.letter_id] != fold])
            rows = np.where(held_fold == fold)[0]
            oof[rows] = model.predict_proba([people[i].text for i in rows])
            fold_models.append(model)
            log(f"reasons: fold {fold + 1}/{k} predicted ({len(rows)} items)")
        tuner = create()
        if real_letters:
            # Each fold's real letters, classified by that fold's model with thresholds chosen on the
            # other folds: the cross-validated real-letter figures.
            predicted = {}
            for fold, model in enumerate(fold_models):
                others = held_fold != fold
                tuner.tune_thresholds_from(oof[others], truth[others])
                model.thresholds = dict(tuner.thresholds)
                held = [letter for letter in real_letters if fold_of[letter.id] == fold]
                predicted.update(predicted_records(held, model.compile()))
            metrics["real_cv"] = evaluate(gold_records(real_letters), predicted) | {"folds": k}
        tuner.tune_thresholds_from(oof, truth)
        thresholds = tuner.thresholds
    classifier = fit(hand, real, real_sentences)
    if thresholds is None:
        classifier.tune_thresholds([e.text for e in splits["dev"]], label_matrix(splits["dev"], labels))
    else:
        classifier.thresholds = thresholds
    baseline = RuleBaseline().fit(None)
    for name in ("test", "gold_dev"):
        texts = [e.text for e in splits[name]]
        Y = label_matrix(splits[name], labels)
        metrics[name] = {"model": label_figures(Y, classifier.predict(texts), labels),
                         "rule_baseline": label_figures(Y, baseline.predict(texts), labels), "items": len(texts)}
    output.mkdir(parents=True, exist_ok=True)
    for stale in output.glob("*"):
        if stale.is_file():
            stale.unlink()
    compiled = classifier.compile()  # what scoring loads: arrays, no pickle, no scikit-learn
    compiled.save(output)
    metrics["gold_dev_scored"] = scored_figures(gold_letters, compiled)
    manifest = manifests.write(output, manifests.reasons_record(
        config, corpus_sha, labels, classifier.thresholds, hand, real_letters, real, real_sentences, share, metrics,
        code_commit))
    write_card(output, manifest.data)
    return metrics
