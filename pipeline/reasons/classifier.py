"""The denial-reason classifier: multi-label reasons per upheld item, with evidence.

An item is classified from its rationale as the reader extracts it, at training
and at scoring time alike, so the model learns from what it will be given. The
model is one scikit-learn ``Pipeline``: word and character n-gram TF-IDF plus the
rule baseline's cue counts, into a one-vs-rest logistic regression whose
probabilities are calibrated per label (sigmoid, cross-validated). Per-label
thresholds come from out-of-fold predictions on hand-annotated letters
(``pipeline.training``). ``ReasonClassifier.compile`` turns the fitted pipeline into
``LinearReasons`` (``pipeline.reasons.compiled``), the form ``models/reasons`` holds
and scoring loads. The rule baseline's scikit-learn faces live here too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from ..evaluation.metrics import match_items, prf
from ..letters import Letter
from ..reader import LetterReader
from .compiled import LinearReasons, ReasonModel, TfidfBlock, max_over_sentences, preprocess
from .rules import cue_matrix, sentences
from ..reader.sources import RawText
from ..taxonomy import load_taxonomy


@dataclass
class ItemExample:
    """One upheld item's rationale and its gold reasons."""
    letter_id: str
    index: int
    text: str
    reasons: list[str]
    family: str | None = None


def read_items(letters: Iterable[Letter], reader: LetterReader | None = None):
    """(letter, gold item index, gold item, the item the reader read for it or None), for every gold item."""
    reader = reader or LetterReader()
    for letter in letters:
        read = reader.read(RawText(id=letter.id, text=letter.text))
        pairs = dict(match_items([i.service for i in letter.items], [i.service for i in read.items]))
        for gi, gold in enumerate(letter.items):
            yield letter, gi, gold, read.items[pairs[gi]] if gi in pairs else None


def examples_from_letters(letters: Iterable[Letter], reader: LetterReader | None = None,
                          upheld_only: bool = True) -> list[ItemExample]:
    """Rationales as the reader extracts them, paired with the gold items they belong to."""
    return [ItemExample(letter.id, gi, (item.rationale or "") if item else "", list(gold.reasons), letter.family)
            for letter, gi, gold, item in read_items(letters, reader)
            if not upheld_only or gold.decision == "upheld"]


@dataclass
class SentenceExample:
    """One sentence of an upheld item's rationale and the reasons whose gold evidence it states."""
    letter_id: str
    text: str
    reasons: list[str]


def sentence_examples(letters: Iterable[Letter], reader: LetterReader | None = None) -> list[SentenceExample]:
    """Every rationale sentence (as the reader extracts the rationale) of the upheld items of gold
    letters that mark evidence, labelled with the reasons whose evidence ranges it overlaps."""
    out = []
    for letter, _, gold, item in read_items(letters, reader):
        if gold.decision != "upheld" or not gold.evidence or item is None or not item.rationale:
            continue
        offset = item.rationale_range[0]
        for start, end in sentences(item.rationale):
            stated = [reason for reason, ranges in gold.evidence.items()
                      if any(offset + start < b and offset + end > a for a, b in ranges)]
            out.append(SentenceExample(letter.id, item.rationale[start:end], stated))
    return out


def label_matrix(examples: Sequence[ItemExample], labels: Sequence[str]) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    Y = np.zeros((len(examples), len(labels)), dtype=int)
    for row, example in enumerate(examples):
        for reason in example.reasons:
            Y[row, index[reason]] = 1
    return Y


class CueFeatures(BaseEstimator, TransformerMixin):
    """Labeling-function counts as features (log-scaled), for the trained classifier."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):

        return csr_matrix(np.log1p(cue_matrix(list(X))))


class RuleBaseline(BaseEstimator, ClassifierMixin):
    """A reason is predicted when its labeling function fires on any sentence."""

    def fit(self, X, Y=None):
        self.classes_ = np.array(load_taxonomy().reason_ids)
        return self

    def predict_proba(self, X) -> np.ndarray:
        return (cue_matrix(list(X)) > 0).astype(float)

    def predict(self, X) -> np.ndarray:
        return self.predict_proba(X).astype(int)


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


class SentenceClassifier(BaseEstimator, ClassifierMixin):
    """Reasons a single sentence states: word n-gram TF-IDF into one-vs-rest logistic regression,
    trained on the evidence sentences of annotated letters (``sentence_examples``).

    ``predict_proba`` of a rationale is, per label, the highest probability of any one of its
    sentences: a reason is as likely as the one sentence that states it best, so a criterion
    quoted in one sentence and met in the next does not add up to a reason.
    """

    def __init__(self, C: float = 4.0, max_features: int = 20000, ngram_max: int = 2, seed: int = 13):
        self.C, self.max_features, self.ngram_max, self.seed = C, max_features, ngram_max, seed

    def fit(self, texts: Sequence[str], Y: np.ndarray) -> "SentenceClassifier":
        self.pipeline_ = Pipeline([
            ("words", TfidfVectorizer(preprocessor=preprocess, ngram_range=(1, self.ngram_max), min_df=2,
                                      max_features=self.max_features, sublinear_tf=True, dtype=np.float32)),
            ("model", OneVsRestClassifier(LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced",
                                                             random_state=self.seed))),
        ])
        self.pipeline_.fit(list(texts), Y)
        return self

    def sentence_proba(self, sentence_texts: Sequence[str]) -> np.ndarray:
        return self.pipeline_.predict_proba(list(sentence_texts))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return max_over_sentences(texts, self.sentence_proba, len(self.pipeline_.named_steps["model"].estimators_))

    def compile(self, labels: list[str]) -> LinearReasons:
        """As arrays: one TF-IDF block, a weight column and bias per label, no cue features."""
        vectorizer = self.pipeline_.named_steps["words"]
        block = TfidfBlock(vectorizer.analyzer, tuple(vectorizer.ngram_range),
                           {term: int(i) for term, i in vectorizer.vocabulary_.items()}, vectorizer.idf_.astype(np.float32))
        columns, bias = [], []
        for estimator in self.pipeline_.named_steps["model"].estimators_:
            if hasattr(estimator, "coef_"):
                columns.append(estimator.coef_[0].astype(np.float64))
                bias.append(float(estimator.intercept_[0]))
            else:  # a label no training sentence states: scikit-learn predicts it never (or always)
                columns.append(np.zeros(len(block.idf)))
                bias.append(30.0 if float(np.ravel(estimator.y_)[0]) else -30.0)
        return LinearReasons(list(labels), {}, [block], np.stack(columns, axis=1).astype(np.float32),
                             np.array(bias, dtype=np.float64), cues=False)


@dataclass
class ReasonClassifier(ReasonModel):
    """The scikit-learn pipeline being trained, with the label order and a threshold per label; with a
    ``sentence_model``, its probabilities are blended in at ``sentence_share``."""
    pipeline: Pipeline | None = None
    sentence_model: SentenceClassifier | None = None
    sentence_share: float = 0.0

    @classmethod
    def create(cls, **params) -> "ReasonClassifier":
        return cls(load_taxonomy().reason_ids, pipeline=build_pipeline(**params))

    def fit(self, texts: Sequence[str], Y: np.ndarray) -> "ReasonClassifier":
        self.pipeline.fit(list(texts), Y)
        self.thresholds = {label: 0.5 for label in self.labels}
        return self

    def fit_sentences(self, examples: Sequence[SentenceExample], share: float, **params) -> "ReasonClassifier":
        """Train the evidence-sentence model on ``examples`` and blend it in at ``share``."""
        Y = label_matrix(examples, self.labels)
        self.sentence_model = SentenceClassifier(**params).fit([e.text for e in examples], Y)
        self.sentence_share = share
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        proba = self.pipeline.predict_proba(list(texts))
        if self.sentence_model is not None and self.sentence_share:
            proba = (1 - self.sentence_share) * proba + self.sentence_share * self.sentence_model.predict_proba(texts)
        return proba

    def tune_thresholds(self, texts: Sequence[str], Y: np.ndarray) -> None:
        """Per label, the threshold with the best F1 on held-out data."""
        self.tune_thresholds_from(self.predict_proba(texts), Y)

    def tune_thresholds_from(self, proba: np.ndarray, Y: np.ndarray, grid=np.arange(0.1, 0.91, 0.05)) -> None:
        """Per label, the threshold with the best F1 given held-out probabilities and truth."""
        for j, label in enumerate(self.labels):
            best, best_f1 = 0.5, -1.0
            for t in grid:
                pred = proba[:, j] >= t
                f1 = prf(int((pred & (Y[:, j] == 1)).sum()), int((pred & (Y[:, j] == 0)).sum()),
                         int((~pred & (Y[:, j] == 1)).sum()), digits=None)["f1"]
                if f1 > best_f1 + 1e-9:
                    best, best_f1 = float(round(t, 2)), f1
            self.thresholds[label] = best

    def compile(self) -> LinearReasons:
        """The fitted pipeline as arrays (``LinearReasons``), which scoring loads without scikit-learn.

        Per label, calibration maps the regression score ``w.x + c`` to
        ``sigmoid(-(a (w.x + c) + b))``, which is one linear model: ``-a w`` and ``-(a c + b)``.
        """
        features = self.pipeline.named_steps["features"]
        if [name for name, _ in features.transformer_list] != ["words", "chars", "cues"]:
            raise ValueError("LinearReasons expects the features words, chars and cues, in that order")
        blocks = []
        for name, vectorizer in features.transformer_list[:2]:
            if vectorizer.preprocessor is not preprocess or vectorizer.analyzer not in ("word", "char_wb") \
                    or not vectorizer.sublinear_tf or vectorizer.norm != "l2" or vectorizer.binary \
                    or not vectorizer.use_idf or vectorizer.token_pattern != r"(?u)\b\w\w+\b":
                raise ValueError(f"the {name!r} vectorizer has settings LinearReasons does not reproduce")
            blocks.append(TfidfBlock(vectorizer.analyzer, tuple(vectorizer.ngram_range),
                                     {term: int(i) for term, i in vectorizer.vocabulary_.items()},
                                     vectorizer.idf_.astype(np.float32)))
        columns, bias = [], []
        for estimator in self.pipeline.named_steps["model"].estimators_:
            (calibrated,) = estimator.calibrated_classifiers_  # ensemble=False: one regression on all data
            (sigmoid,) = calibrated.calibrators
            regression = calibrated.estimator
            columns.append(-sigmoid.a_ * regression.coef_[0].astype(np.float64))
            bias.append(-(sigmoid.a_ * float(regression.intercept_[0]) + sigmoid.b_))
        compiled = LinearReasons(list(self.labels), dict(self.thresholds), blocks,
                                 np.stack(columns, axis=1).astype(np.float32), np.array(bias, dtype=np.float64))
        if self.sentence_model is not None and self.sentence_share:
            compiled.sentences = self.sentence_model.compile(list(self.labels))
            compiled.sentence_share = self.sentence_share
        return compiled
