"""The reason classifier as scoring uses it: a fitted model compiled to plain arrays.

Training builds a scikit-learn ``Pipeline`` (``pipeline.reasons``). Its fitted form is
linear end to end: TF-IDF rows (words, characters) and log cue counts, one logistic
regression per label, and a sigmoid calibration of each regression's score, which is
again a sigmoid of a linear score. ``LinearReasons`` holds exactly that, vocabularies,
idf weights, one weight column and bias per label, and computes the same
probabilities with numpy and the standard library. So scoring neither imports
scikit-learn and scipy (about half of start-up time and ~100 MB per worker) nor
unpickles anything: the artifact is JSON plus an ``.npz`` read with
``allow_pickle=False``. A test holds it to the fitted pipeline's ``predict_proba``.

``ReasonModel`` is what both forms share: labels, thresholds, deciding labels from
probabilities and finding evidence sentences.
"""
from __future__ import annotations

import json
import re
import zipfile
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..reader.textview import join_hyphen_breaks
from .rules import cue_matrix, sentences

MODEL_JSON = "reasons.json"
MODEL_ARRAYS = "reasons.npz"
FORMAT = 1


def normalise(text: str) -> str:
    # PDF line breaks and hyphenation are not signal.
    text = join_hyphen_breaks(text)
    return re.sub(r"\s+", " ", text)


def preprocess(text: str) -> str:
    return normalise(text).lower()


def max_over_sentences(texts: Sequence[str], sentence_proba, labels: int) -> np.ndarray:
    """Per text and label, the highest probability ``sentence_proba`` gives any one of its sentences
    (0 for a text without any); one call for the sentences of all texts."""
    cut = [sentences(text or "") for text in texts]
    flat = [text[s:e] for text, spans in zip(texts, cut) for s, e in spans]
    proba = sentence_proba(flat) if flat else np.zeros((0, labels))
    out = np.zeros((len(texts), labels))
    row = 0
    for number, spans in enumerate(cut):
        if spans:
            out[number] = proba[row:row + len(spans)].max(axis=0)
        row += len(spans)
    return out


@dataclass
class ReasonModel:
    """Labels, per-label thresholds and what follows from probabilities; ``predict_proba`` is the subclass's."""
    labels: list[str]
    thresholds: dict[str, float] = field(default_factory=dict)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

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


# The two analyzers below follow scikit-learn's TfidfVectorizer ("word" with the default
# token pattern, and "char_wb") term for term: a changed n-gram is a changed feature.
_WORD = re.compile(r"(?u)\b\w\w+\b")


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    tokens = _WORD.findall(text)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    grams = []
    for word in text.split():
        word = f" {word} "
        size = len(word)
        for n in range(low, high + 1):
            if size <= n:  # a short word counts once, whole, and no longer n-grams follow
                grams.append(word)
                break
            grams.extend(word[i:i + n] for i in range(size - n + 1))
    return grams


@dataclass
class TfidfBlock:
    """One fitted TF-IDF vectorizer: analyzer, n-gram range, vocabulary and idf (sublinear tf, l2 rows)."""
    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray  # float32, one per vocabulary index
    # char_wb n-grams never cross a word, so a word's features can be remembered: letters
    # repeat their words, and evidence re-reads each rationale sentence by sentence.
    _word_features: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)

    def features(self, text: str) -> list[int]:
        """The vocabulary indices of ``text``'s n-grams, once per occurrence."""
        low, high = self.ngram_range
        vocabulary = self.vocabulary
        if self.analyzer == "word":
            return [i for i in map(vocabulary.get, word_ngrams(text, low, high)) if i is not None]
        cache = self._word_features
        if len(cache) > 50_000:  # bounded, so that memory stays flat over a long run
            cache.clear()
        out: list[int] = []
        for word in text.split():
            known = cache.get(word)
            if known is None:
                known = cache[word] = [i for i in map(vocabulary.get, char_wb_ngrams(word, low, high)) if i is not None]
            out.extend(known)
        return out

    def transform(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The TF-IDF rows of ``texts`` as (row, feature index, value) triples, rows in order."""
        rows, index, counts = array("q"), array("q"), array("f")  # typed buffers: numpy reads them without copying ints
        for row, text in enumerate(texts):
            counted = Counter(self.features(text))
            rows.extend([row] * len(counted))
            index.extend(counted)
            counts.extend(counted.values())
        rows_ = np.frombuffer(rows, dtype=np.int64)
        index_ = np.frombuffer(index, dtype=np.int64)
        values = (np.log(np.frombuffer(counts, dtype=np.float32)) + np.float32(1.0)) * self.idf[index_]
        values = values.astype(np.float64)
        norms = np.sqrt(np.bincount(rows_, weights=values * values, minlength=len(texts)))
        return rows_, index_, values / norms[rows_] if len(values) else values


@dataclass
class LinearReasons(ReasonModel):
    """The fitted reason classifier as arrays: ``predict_proba`` = sigmoid(features @ weights + bias).

    With a ``sentences`` model (an evidence-sentence classifier, itself a ``LinearReasons``
    without cue features), an item's probability is blended with the highest probability
    that model gives any one sentence of the rationale: ``(1 - share) p_item + share
    max_s p_sentence(s)``.
    """
    blocks: list[TfidfBlock] = field(default_factory=list)
    weights: np.ndarray | None = None  # (word features + char features [+ cue features], labels)
    bias: np.ndarray | None = None  # (labels,)
    cues: bool = True
    sentences: "LinearReasons | None" = None
    sentence_share: float = 0.0

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        raw = [t or "" for t in texts]
        proba = self._linear_proba(raw)
        if self.sentences is not None and self.sentence_share:
            proba = (1.0 - self.sentence_share) * proba + self.sentence_share * self.sentences.max_over_sentences(raw)
        return proba

    def max_over_sentences(self, texts: Sequence[str]) -> np.ndarray:
        return max_over_sentences(texts, self._linear_proba, len(self.labels))

    def _linear_proba(self, raw: Sequence[str]) -> np.ndarray:
        prepared = [preprocess(t) for t in raw]
        scores = np.tile(self.bias, (len(raw), 1))
        start = 0
        for block in self.blocks:
            rows, index, values = block.transform(prepared)
            if len(rows):
                # A sparse-times-dense product: weight rows scaled by their feature values,
                # summed per text (rows arrive sorted, so each text is one run).
                contributions = self.weights[start + index].astype(np.float64) * values[:, None]
                firsts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
                scores[rows[firsts]] += np.add.reduceat(contributions, firsts, axis=0)
            start += len(block.idf)
        if self.cues:
            # The cue counts, as in training, are taken on the text as given, not the preprocessed one.
            scores += np.log1p(cue_matrix(list(raw))).astype(np.float64) @ self.weights[start:]
        return 1.0 / (1.0 + np.exp(-scores))

    # Saving and loading: JSON and a pickle-free .npz ----------------------------------

    def _meta_and_arrays(self, prefix: str = "") -> tuple[dict, dict]:
        meta = {"cues": self.cues,
                "blocks": [{"analyzer": b.analyzer, "ngram_range": list(b.ngram_range),
                            "terms": sorted(b.vocabulary, key=b.vocabulary.get)} for b in self.blocks]}
        arrays = {f"{prefix}weights": self.weights, f"{prefix}bias": self.bias,
                  **{f"{prefix}idf_{i}": b.idf for i, b in enumerate(self.blocks)}}
        return meta, arrays

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta, arrays = self._meta_and_arrays()
        meta = {"format": FORMAT, "labels": self.labels, "thresholds": self.thresholds, **meta}
        if self.sentences is not None:
            sentence_meta, sentence_arrays = self.sentences._meta_and_arrays("sentences_")
            meta["sentences"] = {"share": self.sentence_share, **sentence_meta}
            arrays.update(sentence_arrays)
        (directory / MODEL_JSON).write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
        # np.savez stamps the zip entries with the current time; a fixed stamp lets a
        # retraining reproduce the file byte for byte.
        with zipfile.ZipFile(directory / MODEL_ARRAYS, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(entry, "w") as handle:
                    np.lib.format.write_array(handle, np.ascontiguousarray(array), allow_pickle=False)

    @classmethod
    def _from_parts(cls, labels, thresholds, meta: dict, arrays, prefix: str = "") -> "LinearReasons":
        blocks = [TfidfBlock(b["analyzer"], tuple(b["ngram_range"]), {t: i for i, t in enumerate(b["terms"])},
                             arrays[f"{prefix}idf_{i}"]) for i, b in enumerate(meta["blocks"])]
        return cls(labels, thresholds, blocks, arrays[f"{prefix}weights"], arrays[f"{prefix}bias"],
                   cues=meta.get("cues", True))

    @classmethod
    def load(cls, directory: Path) -> "LinearReasons":
        directory = Path(directory)
        meta = json.loads((directory / MODEL_JSON).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{directory}: reason model format {meta.get('format')!r}, expected {FORMAT}")
        with np.load(directory / MODEL_ARRAYS, allow_pickle=False) as arrays:
            model = cls._from_parts(meta["labels"], meta["thresholds"], meta, arrays)
            if "sentences" in meta:
                model.sentences = cls._from_parts(meta["labels"], {}, meta["sentences"], arrays, "sentences_")
                model.sentence_share = float(meta["sentences"]["share"])
            return model
