"""Scoring letters: reader, tagger and reason classifier together.

``Scorer.score`` turns raw texts into fully scored ``Letter`` records: items with
decisions, reasons, calibrated ``reason_scores`` and ``evidence`` ranges, and the
letter's entity spans with ``negated`` and ``guideline_id``. Every offset indexes
the letter's own text. Models are loaded once per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import artifacts
from .letters import EntitySpan, Letter
from .paths import MODELS_DIR
from .reader import LetterReader
from .reason_model import LinearReasons
from .sources import RawText

DEFAULT_TAGGER = MODELS_DIR / "tagger"
DEFAULT_REASONS = MODELS_DIR / "reasons"
# The libraries whose versions decide how each artifact reads: spaCy's own files, and
# for the reasons JSON plus a pickle-free .npz, numpy alone.
TAGGER_LIBRARIES = ("spacy",)
REASONS_LIBRARIES = ("numpy",)


def load_tagger(path: Path = DEFAULT_TAGGER):
    import spacy

    from . import tagger  # noqa: F401  (registers the components and extensions)

    artifacts.verify(path, libraries=TAGGER_LIBRARIES)
    # The saved tokenizer is spaCy's English default, which the config already builds;
    # reading it again from disk re-adds every special case (~0.6 s of start-up). A test
    # checks that the two are the same, should the tokenizer ever be customised.
    return spacy.load(path, exclude=["tokenizer"])


def load_reasons(path: Path = DEFAULT_REASONS) -> LinearReasons:
    artifacts.verify(path, libraries=REASONS_LIBRARIES)
    return LinearReasons.load(path)


def doc_spans(doc) -> list[EntitySpan]:
    """The doc's entities as output spans, trimmed of white space at either end.

    The NER may take a line-break token into an entity ('chronic \\n'); the contract
    (and `imr data check`) wants spans that start and end on text. An entity that is
    all white space is dropped.
    """
    spans = []
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        while start < end and doc.text[start].isspace():
            start += 1
        while end > start and doc.text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append(EntitySpan(start, end, ent.label_, bool(ent._.negated), ent._.guideline_id))
    return spans


@dataclass
class Scorer:
    tagger: object
    reasons: object
    reader: LetterReader

    @classmethod
    def load(cls, tagger_path: Path = DEFAULT_TAGGER, reasons_path: Path = DEFAULT_REASONS) -> "Scorer":
        return cls(load_tagger(tagger_path), load_reasons(reasons_path), LetterReader())

    def score(self, raws: Iterable[RawText], batch_size: int = 16) -> Iterator[Letter]:
        batch: list[Letter] = []
        for raw in raws:
            try:
                batch.append(self.reader.read(raw))
            except Exception as exc:  # one bad letter never ends the run
                batch.append(Letter(id=raw.id, text=raw.text, source=raw.source, error_kind="internal",
                                    error=f"internal error while reading ({type(exc).__name__}: {exc})"))
            if len(batch) >= batch_size:
                yield from self._finish(batch)
                batch = []
        if batch:
            yield from self._finish(batch)

    def _finish(self, letters: list[Letter]) -> list[Letter]:
        readable = [l for l in letters if not l.error]
        for letter, doc in zip(readable, self.tagger.pipe(l.text for l in readable)):
            letter.spans = doc_spans(doc)
        self.classify(readable)
        return letters

    def classify(self, letters: list[Letter]) -> None:
        """Reasons, probabilities and evidence for every item of ``letters`` (read, not yet classified)."""
        items = [item for letter in letters for item in letter.items]
        if not items:
            return
        texts = [item.rationale or "" for item in items]
        proba = self.reasons.predict_proba(texts)
        decided = self.reasons.decide(proba)
        labels = self.reasons.labels
        for item, row, chosen in zip(items, proba, decided):
            upheld = item.decision == "upheld" and item.rationale
            item.reasons = [label for label, on in zip(labels, chosen) if on] if upheld else []
            # Scores only where reasons can be given: a denial reason for an approved item means nothing.
            item.reason_scores = {label: round(float(p), 4) for label, p in zip(labels, row)} if upheld else None
        # Evidence for every item of the batch in one model call.
        requests = [(item.rationale or "", item.reasons, item.rationale_range[0] if item.rationale_range else 0)
                    for item in items]
        for item, evidence in zip(items, self.reasons.evidence_many(requests)):
            item.evidence = evidence


# Many letters, one or several processes ----------------------------------------------------

_WORKER: Scorer | None = None


def _init_worker(tagger_path: str, reasons_path: str) -> None:
    global _WORKER
    _WORKER = Scorer.load(Path(tagger_path), Path(reasons_path))


def _score_chunk(raws: list[RawText]) -> list[Letter]:
    return list(_WORKER.score(raws))


def _chunks(raws: Iterable[RawText], size: int) -> Iterator[list[RawText]]:
    chunk: list[RawText] = []
    for raw in raws:
        chunk.append(raw)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def score_stream(raws: Iterable[RawText], workers: int = 1, tagger_path: Path = DEFAULT_TAGGER,
                 reasons_path: Path = DEFAULT_REASONS, chunk_size: int = 16) -> Iterator[Letter]:
    """Scored letters in input order; with ``workers`` > 1, in that many processes."""
    if workers <= 1:
        yield from Scorer.load(tagger_path, reasons_path).score(raws, batch_size=chunk_size)
        return
    import multiprocessing

    # Check the models here: a worker whose initializer fails is restarted by the pool forever.
    artifacts.verify(tagger_path, libraries=TAGGER_LIBRARIES)
    artifacts.verify(reasons_path, libraries=REASONS_LIBRARIES)
    context = multiprocessing.get_context("spawn")  # no model state copied half-initialised
    with context.Pool(workers, initializer=_init_worker, initargs=(str(tagger_path), str(reasons_path))) as pool:
        # imap keeps input order and reads ahead lazily, so memory stays flat.
        for letters in pool.imap(_score_chunk, _chunks(raws, chunk_size)):
            yield from letters
