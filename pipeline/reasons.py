"""The denial-reason classifier: multi-label reasons per upheld item, with evidence.

An item is classified from its rationale as the reader extracts it, at training
and at scoring time alike, so the model learns from what it will be given. The
model is one scikit-learn ``Pipeline``: word and character n-gram TF-IDF plus the
rule baseline's cue counts, into a one-vs-rest logistic regression whose
probabilities are calibrated per label (sigmoid, cross-validated). Per-label
thresholds are chosen on held-out generated families.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from .letters import Letter
from .reader import LetterReader
from .rules import CueFeatures, sentences
from .sources import RawText
from .taxonomy import load_taxonomy


@dataclass
class ItemExample:
    """One upheld item's rationale and its gold reasons."""
    letter_id: str
    index: int
    text: str
    reasons: list[str]
    family: str | None = None


def examples_from_letters(letters: Iterable[Letter], reader: LetterReader | None = None,
                          upheld_only: bool = True) -> list[ItemExample]:
    """Rationales as the reader extracts them, paired with the gold items they belong to."""
    from .evaluation import match_items

    reader = reader or LetterReader()
    out = []
    for letter in letters:
        read = reader.read(RawText(id=letter.id, text=letter.text))
        pairs = dict(match_items([i.service for i in letter.items], [i.service for i in read.items]))
        for gi, gold in enumerate(letter.items):
            if upheld_only and gold.decision != "upheld":
                continue
            pi = pairs.get(gi)
            text = (read.items[pi].rationale or "") if pi is not None else ""
            out.append(ItemExample(letter.id, gi, text, list(gold.reasons), letter.family))
    return out


def label_matrix(examples: Sequence[ItemExample], labels: Sequence[str]) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    Y = np.zeros((len(examples), len(labels)), dtype=int)
    for row, example in enumerate(examples):
        for reason in example.reasons:
            Y[row, index[reason]] = 1
    return Y


def normalise(text: str) -> str:
    # PDF line breaks and hyphenation are not signal.
    text = re.sub(r"([a-z])-\s*\n\s*([a-z])", r"\1\2", text)
    return re.sub(r"\s+", " ", text)


def preprocess(text: str) -> str:
    return normalise(text).lower()


def build_pipeline(C: float = 4.0, word_max_features: int = 30000, char_max_features: int = 30000,
                   calibration_folds: int = 3, seed: int = 13) -> Pipeline:
    features = FeatureUnion([
        ("words", TfidfVectorizer(preprocessor=preprocess, ngram_range=(1, 3), min_df=2,
                                  max_features=word_max_features, sublinear_tf=True, dtype=np.float32)),
        ("chars", TfidfVectorizer(preprocessor=preprocess, analyzer="char_wb", ngram_range=(3, 5),
                                  min_df=3, max_features=char_max_features, sublinear_tf=True, dtype=np.float32)),
        ("cues", CueFeatures()),
    ])
    model = OneVsRestClassifier(CalibratedClassifierCV(
        LogisticRegression(C=C, max_iter=2000, class_weight="balanced", random_state=seed),
        method="sigmoid", cv=calibration_folds, ensemble=False))
    return Pipeline([("features", features), ("model", model)])


@dataclass
class ReasonClassifier:
    """The fitted pipeline, the label order and a decision threshold per label."""
    pipeline: Pipeline
    labels: list[str]
    thresholds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def create(cls, **params) -> "ReasonClassifier":
        return cls(build_pipeline(**params), load_taxonomy().reason_ids)

    def fit(self, texts: Sequence[str], Y: np.ndarray) -> "ReasonClassifier":
        self.pipeline.fit(list(texts), Y)
        self.thresholds = {label: 0.5 for label in self.labels}
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.pipeline.predict_proba(list(texts))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.decide(self.predict_proba(texts))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        cut = np.array([self.thresholds.get(label, 0.5) for label in self.labels])
        Y = (proba >= cut).astype(int)
        # Every upheld item has some ground: when nothing clears its threshold, keep the
        # likeliest reason if it is at least half-way there.
        for row in np.where(Y.sum(axis=1) == 0)[0]:
            best = int(np.argmax(proba[row] / cut))
            if proba[row, best] >= 0.5 * cut[best]:
                Y[row, best] = 1
        return Y

    def tune_thresholds(self, texts: Sequence[str], Y: np.ndarray) -> None:
        """Per label, the threshold with the best F1 on held-out data."""
        self.tune_thresholds_from(self.predict_proba(texts), Y)

    def tune_thresholds_from(self, proba: np.ndarray, Y: np.ndarray, grid=np.arange(0.1, 0.91, 0.05)) -> None:
        """Per label, the threshold with the best F1 given held-out probabilities and truth."""
        for j, label in enumerate(self.labels):
            best, best_f1 = 0.5, -1.0
            for t in grid:
                pred = proba[:, j] >= t
                tp = int((pred & (Y[:, j] == 1)).sum())
                fp = int((pred & (Y[:, j] == 0)).sum())
                fn = int((~pred & (Y[:, j] == 1)).sum())
                f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
                if f1 > best_f1 + 1e-9:
                    best, best_f1 = float(round(t, 2)), f1
            self.thresholds[label] = best

    def evidence(self, text: str, reasons: Iterable[str], offset: int = 0, top: int = 2) -> dict[str, list[list[int]]]:
        """For each reason, the ranges (shifted by ``offset``) of the sentences that score it highest."""
        return self.evidence_many([(text, list(reasons), offset)], top=top)[0]

    def evidence_many(self, requests: Sequence[tuple[str, list[str], int]], top: int = 2) -> list[dict[str, list[list[int]]]]:
        """``evidence`` for many (text, reasons, offset) at once: one model call for every sentence."""
        cut = [(text, reasons, offset, sentences(text) if reasons else []) for text, reasons, offset in requests]
        flat = [text[s:e] for text, _, _, spans in cut for s, e in spans]
        proba = self.predict_proba(flat) if flat else np.zeros((0, len(self.labels)))
        out, row = [], 0
        for text, reasons, offset, spans in cut:
            block = proba[row:row + len(spans)]
            row += len(spans)
            found: dict[str, list[list[int]]] = {}
            for reason in reasons if spans else []:
                j = self.labels.index(reason)
                order = np.argsort(-block[:, j])[:top]
                best = block[order[0], j]
                chosen = sorted(int(i) for i in order if block[i, j] >= 0.5 * best)
                found[reason] = [[offset + a, offset + b] for a, b in (_strip(text, *spans[i]) for i in chosen)]
            out.append(found)
        return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
