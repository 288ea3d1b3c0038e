"""The learning curve: how much k annotated letters of one's own buy, uncertain against random choice.

Simulated on the real pool, whose gold stands in for a user's answers. The real letters
are cut into folds by letter (``crossval.letter_folds``); each fold in turn is held out,
and the other folds are the letters a user could annotate (the candidates). Starting
from the bundled data without real letters (generated letters of the train families and
the hand-annotated letters, as ``imr train`` weighs them), k candidates' gold is added
(their items repeated ``weight`` times, as a ``[[user]]`` file would be) and the reason
classifier retrained; the held-out fold is read and classified as ``imr score`` does.
Pooled over the folds, every real letter is judged by a model that never saw it, and
the figures are the reference scorer's (``evaluation.evaluate``) at each k.

- ``uncertain``: rounds, as the loop runs for a user: the current model (k = 0: the base
  one) scores the candidates, the most uncertain letters by ``select.item_uncertainty``
  (the export's ranking) are added up to the next k, and the model is retrained.
- ``random``: the first k of a seeded shuffle of the candidates, for several seeds.

To keep it affordable (one fit per fold, k and draw, about a hundred fits), the model is
the classifier's core made cheaper (``CurveModel``): the same features (word and
character n-gram TF-IDF and the rule cue counts) into one logistic regression per label
with ``class_weight="balanced"``, but a subset of the generated letters, smaller
vocabularies, repeats given as sample weights (the same objective, a third of the rows),
no probability calibration (a per-label monotone map, which thresholds chosen on the
same scale make moot) and no evidence-sentence model (answers from the annotation tools
carry no evidence). The thresholds are chosen once, out of fold on the hand-annotated
letters, and kept for every k and strategy, so that the curve measures what the added
letters teach the model, not a threshold search on a few items. The figures are
therefore below the model card's, which uses the whole recipe.
"""
from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from ..corpus import standoff
from ..corpus.files import letters_from_dataset, load_corpus
from ..evaluation.crossval import gold_records, letter_folds
from ..evaluation.metrics import evaluate
from ..reader import LetterReader
from ..reader.sources import RawText
from ..reasons.classifier import ReasonClassifier, examples_from_letters, label_matrix
from ..taxonomy import load_taxonomy
from ..training.config import TrainConfig, seed_everything
from ..training.corpus import annotated_letters, ensure_corpus
from .select import select_letters
from .tasks import letter_task
from ..letters import Letter
from ..reasons.compiled import ReasonModel
from ..reasons.classifier import build_pipeline


@dataclass
class CurveSettings:
    ks: list[int] = field(default_factory=lambda: [0, 10, 20, 40, 80])
    seeds: int = 3
    folds: int = 5
    generated: int = 500
    weight: int = 8            # repeats of an annotated real item, as a [[user]] file's default
    C: float = 4.0
    max_features: int = 10000
    seed: int = 13


class CurveModel(ReasonModel):
    """The reason classifier's features and per-label logistic regressions, fitted with sample weights."""

    def __init__(self, labels: list[str], C: float, max_features: int, seed: int):
        super().__init__(list(labels), {label: 0.5 for label in labels})
        self.C, self.seed = C, seed
        self.features = build_pipeline(word_max_features=max_features, char_max_features=max_features).named_steps["features"]

    def fit(self, texts: Sequence[str], Y: np.ndarray, weights: np.ndarray) -> "CurveModel":

        X = self.features.fit_transform(list(texts))
        self.models = []
        for j in range(len(self.labels)):
            if Y[:, j].min() == Y[:, j].max():  # a label no example has: never predicted
                self.models.append(None)
                continue
            model = LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced", random_state=self.seed)
            self.models.append(model.fit(X, Y[:, j], sample_weight=weights))
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        X = self.features.transform([t or "" for t in texts])
        out = np.zeros((X.shape[0], len(self.labels)))
        for j, model in enumerate(self.models):
            if model is not None:
                out[:, j] = model.predict_proba(X)[:, 1]
        return out


class Classified:
    """The real letters read once; classified again by each model, as ``imr score`` would."""

    def __init__(self, letters: Sequence[Letter]):

        reader = LetterReader()
        self.read = {letter.id: reader.read(RawText(id=letter.id, text=letter.text, source=letter.source))
                     for letter in letters}

    def run(self, model, ids: Sequence[str]) -> dict[str, Letter]:
        """The letters ``ids`` with items classified by ``model`` (a ``ReasonModel``); no evidence."""
        letters = [self.read[i] for i in ids]
        items = [item for letter in letters for item in letter.items]
        proba = model.predict_proba([item.rationale or "" for item in items])
        decided = model.decide(proba)
        for item, row, chosen in zip(items, proba, decided):
            item.reason_scores = {label: round(float(p), 4) for label, p in zip(model.labels, row)}
            upheld = item.decision == "upheld" and item.rationale
            item.reasons = [label for label, on in zip(model.labels, chosen) if on] if upheld else []
            item.evidence = None
        return {letter.id: Letter.from_json(letter.to_json()) for letter in letters}  # a copy: the next run rewrites


def learning_curve(config_path: Path, pdfs: Path, settings: CurveSettings, log: Callable[[str], None] = print) -> dict:
    """The curve's figures (see the module's docstring); one BLAS thread, as the machine is shared and the
    fits gain nothing from a second one (it mostly waits, on the CPU)."""

    with threadpool_limits(limits=1):
        return _learning_curve(config_path, pdfs, settings, log)


def _learning_curve(config_path: Path, pdfs: Path, settings: CurveSettings, log: Callable[[str], None]) -> dict:

    started = time.process_time()
    config = TrainConfig.load(config_path)
    seed_everything(settings.seed)
    ensure_corpus(config, log)
    corpus = load_corpus(config.corpus_path)
    generated = examples_from_letters(list(letters_from_dataset(corpus["train"]))[:settings.generated])
    hand = examples_from_letters(annotated_letters(config))
    hand_weight = int(config.raw["corpus"].get("annotated_weight", 1))
    real_letters = list(standoff.joined(standoff.load(config.resolve(config.raw["real"]["gold"])), pdfs))
    real_items: dict[str, list] = {letter.id: [] for letter in real_letters}
    for example in examples_from_letters(real_letters):
        real_items[example.letter_id].append(example)
    gold = gold_records(real_letters)
    classified = Classified(real_letters)
    all_ids = sorted(real_items)
    fits = 0

    labels = load_taxonomy().reason_ids

    def fit(people: Sequence, real_ids: Sequence[str] = ()):
        """A model on the generated items, ``people`` (x the hand-annotated weight) and the real letters ``real_ids``
        (x the user weight)."""
        nonlocal fits
        real = [e for i in real_ids for e in real_items[i]]
        examples = generated + list(people) + real
        weights = np.array([1.0] * len(generated) + [hand_weight] * len(people) + [settings.weight] * len(real))
        model = CurveModel(labels, settings.C, settings.max_features, settings.seed)
        model.fit([e.text for e in examples], label_matrix(examples, labels), weights)
        fits += 1
        return model

    # Thresholds: out of fold on the hand-annotated letters (two folds of letters), once.
    hand_fold = letter_folds([e.letter_id for e in hand], 2, settings.seed)
    oof = np.zeros((len(hand), len(labels)))
    for fold in range(2):
        model = fit([e for e in hand if hand_fold[e.letter_id] != fold])
        rows = [i for i, e in enumerate(hand) if hand_fold[e.letter_id] == fold]
        oof[rows] = model.predict_proba([hand[i].text for i in rows])
    tuner = ReasonClassifier(labels)
    tuner.tune_thresholds_from(oof, label_matrix(hand, labels))
    thresholds = dict(tuner.thresholds)
    log(f"curve: thresholds (out of fold on {len(hand)} hand-annotated items): {thresholds}")

    def compiled(model):
        model.thresholds = dict(thresholds)
        return model

    base = compiled(fit(hand))
    base_predicted = classified.run(base, all_ids)
    log(f"curve: k=0 fitted ({time.process_time() - started:.0f} s CPU so far)")
    fold_of = letter_folds(all_ids, settings.folds, settings.seed)
    steps = sorted(k for k in settings.ks if k > 0)
    # pooled[(strategy, draw, k)] = {letter id: predicted record}, filled fold by fold
    pooled: dict[tuple[str, int, int], dict[str, dict]] = {}
    chosen_log: dict[str, dict] = {}
    for fold in range(settings.folds):
        held = [i for i in all_ids if fold_of[i] == fold]
        candidates = [i for i in all_ids if fold_of[i] != fold]

        def judge(key, model):
            pooled.setdefault(key, {}).update({i: l.to_json() for i, l in classified.run(model, held).items()})

        # Uncertain: rounds, each model choosing the next letters.
        selected: list[str] = []
        predicted = {i: base_predicted[i] for i in candidates}
        for k in steps:
            need = min(k, len(candidates)) - len(selected)
            pending = [letter_task(predicted[i], thresholds) for i in candidates if i not in selected]
            selected += [t.id for t in select_letters(pending, "uncertain", need)]
            model = compiled(fit(hand, selected))
            judge(("uncertain", 0, k), model)
            predicted = classified.run(model, candidates)
            log(f"curve: fold {fold + 1}/{settings.folds} uncertain k={k} ({time.process_time() - started:.0f} s CPU)")
        chosen_log[f"fold {fold}"] = {"uncertain": list(selected)}
        for draw in range(settings.seeds):
            order = sorted(candidates)
            random.Random(settings.seed * 1000 + fold * 100 + draw).shuffle(order)
            for k in steps:
                judge(("random", draw, k), compiled(fit(hand, order[:k])))
            log(f"curve: fold {fold + 1}/{settings.folds} random draw {draw + 1} ({time.process_time() - started:.0f} s CPU)")

    def figures(predicted: dict[str, dict]) -> dict:
        reasons = evaluate(gold, predicted)["reasons"]
        return {"macro_f1": reasons["macro_f1"], "micro_f1": reasons["micro"]["f1"],
                "exact_sets": reasons["exact_set_accuracy"]}

    zero = figures({i: base_predicted[i].to_json() for i in all_ids})
    points = []
    for k in sorted(settings.ks):
        if k == 0:
            points.append({"k": 0, "uncertain": zero, "random": [zero] * settings.seeds})
            continue
        points.append({"k": k, "uncertain": figures(pooled[("uncertain", 0, k)]),
                       "random": [figures(pooled[("random", draw, k)]) for draw in range(settings.seeds)]})
    for point in points:
        macro = [r["macro_f1"] for r in point["random"]]
        point["random_mean"] = {key: round(float(np.mean([r[key] for r in point["random"]])), 4)
                                for key in ("macro_f1", "micro_f1", "exact_sets")}
        point["random_range"] = [min(macro), max(macro)]
    return {"what": "real-letter reasons figures, cross-validated by letter, against the number k of real letters "
                    "annotated (simulated with the pool's gold) on top of the bundled data without real letters",
            "settings": asdict(settings), "letters": len(all_ids), "upheld_items": sum(map(len, real_items.values())),
            "candidates_per_fold": [sum(1 for i in all_ids if fold_of[i] != f) for f in range(settings.folds)],
            "thresholds": thresholds, "fits": fits, "cpu_seconds": round(time.process_time() - started),
            "points": points, "selected": chosen_log}


def format_curve(figures: dict) -> list[str]:
    lines = [f"{'k':>4}  {'uncertain macro':>15}  {'random macro (mean, range)':>28}  {'uncertain micro':>15}  "
             f"{'random micro':>12}"]
    for p in figures["points"]:
        lo, hi = p["random_range"]
        lines.append(f"{p['k']:>4}  {p['uncertain']['macro_f1']:>15.3f}  {p['random_mean']['macro_f1']:>12.3f} "
                     f"({lo:.3f}-{hi:.3f})  {p['uncertain']['micro_f1']:>15.3f}  {p['random_mean']['micro_f1']:>12.3f}")
    lines.append(f"{figures['fits']} fits, {figures['cpu_seconds']} s CPU")
    return lines


def curve_frame(figures: dict):
    """One row per k, strategy and draw (random has several draws; uncertain one), for plotting."""

    rows = []
    for point in figures["points"]:
        rows.append({"k": point["k"], "strategy": "uncertain", "draw": 0, **point["uncertain"]})
        rows.extend({"k": point["k"], "strategy": "random", "draw": draw, **values}
                    for draw, values in enumerate(point["random"]))
    return pd.DataFrame(rows)


def comparison(figures: dict, metric: str = "macro_f1"):
    """Per k: uncertain, the random draws' mean and range, and whether uncertain is above every draw."""

    rows = []
    for point in figures["points"]:
        draws = [r[metric] for r in point["random"]]
        mine = point["uncertain"][metric]
        rows.append({"k": point["k"], "uncertain": mine, "random mean": round(sum(draws) / len(draws), 4),
                     "random min": min(draws), "random max": max(draws),
                     "uncertain - random mean": round(mine - sum(draws) / len(draws), 4),
                     "above every random draw": point["k"] > 0 and mine > max(draws)})
    return pd.DataFrame(rows).set_index("k")
