"""Scoring letters: reader, tagger and reason classifier together.

``Scorer.score`` turns raw texts into fully scored ``Letter`` records: items with
decisions, reasons, calibrated ``reason_scores`` and ``evidence`` ranges, and the
letter's entity spans with ``negated`` and ``guideline_id``. Every offset indexes
the letter's own text. Models are loaded once per process, and a model that does
not load is an ``ArtifactError`` (the command line's exit status 2), in a worker
process as in the main one.

One letter never takes others down with it: a letter that breaks the reader, the
tagger or the classifier gets an ``internal`` error record and the rest of its batch
is scored. A letter longer than ``PIECE_CHARS`` (spaCy refuses texts over
``max_length``, 1,000,000 characters, and needs ~1 GB per 100,000 characters for
longer ones) is tagged in pieces cut at paragraph breaks, its spans shifted back to
offsets in the whole text.
"""
from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import artifacts
from .artifacts import ArtifactError
from .letters import EntitySpan, Letter, internal_error
from .paths import MODELS_DIR
from .reader import LetterReader
from .reader.sources import RawText
from .reasons.compiled import LinearReasons

DEFAULT_TAGGER = MODELS_DIR / "tagger"
DEFAULT_REASONS = MODELS_DIR / "reasons"
# The libraries whose versions decide how each artifact reads: spaCy's own files, and
# for the reasons JSON plus a pickle-free .npz, numpy alone.
TAGGER_LIBRARIES = ("spacy",)
REASONS_LIBRARIES = ("numpy",)
# The files without which each model cannot be what it claims (the manifest lists these and every other file).
# (For the tagger: spaCy's config and meta, and the trained components' weights and vocabulary.)
TAGGER_FILES = ("config.cfg", "meta.json", "ner/cfg", "ner/model", "ner/moves", "tok2vec/cfg", "tok2vec/model",
                "vocab/strings.json")
REASONS_FILES = ("reasons.json", "reasons.npz")
# Real letters are 5-50 kB; a text this long is tagged in pieces of at most this many characters.
PIECE_CHARS = 100_000


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message[:300]}{'...' if len(message) > 300 else ''}"


def load_tagger(path: Path = DEFAULT_TAGGER):
    """The tagger at ``path`` once its manifest checks out; ``ArtifactError`` if it cannot be used."""
    # spaCy and the components take a second or two to import: only when a tagger is loaded.
    import spacy

    from . import tagger  # noqa: F401  (registers the components and extensions)

    artifacts.verify(path, libraries=TAGGER_LIBRARIES, required=TAGGER_FILES)
    try:
        # The saved tokenizer is spaCy's English default, which the config already builds;
        # reading it again from disk re-adds every special case (~0.6 s of start-up). A test
        # checks that the two are the same, should the tokenizer ever be customised.
        return spacy.load(path, exclude=["tokenizer"])
    except Exception as exc:  # checksums match, yet it does not load: still an unusable model
        raise ArtifactError(f"{path}: the tagger does not load ({_one_line(exc)})") from exc


def load_reasons(path: Path = DEFAULT_REASONS) -> LinearReasons:
    """The reason classifier at ``path`` once its manifest checks out; ``ArtifactError`` if it cannot be used."""
    artifacts.verify(path, libraries=REASONS_LIBRARIES, required=REASONS_FILES)
    try:
        return LinearReasons.load(path)
    except Exception as exc:
        raise ArtifactError(f"{path}: the reason classifier does not load ({_one_line(exc)})") from exc


def doc_spans(doc, offset: int = 0) -> list[EntitySpan]:
    """The doc's entities as output spans, trimmed of white space at either end, shifted by ``offset``
    (where the doc's text starts in the letter, for a letter tagged in pieces).

    The NER may take a line-break token into an entity ('chronic \\n'); the contract
    (and `imr data check`) wants spans that start and end on text. An entity that is
    all white space is dropped.
    """
    text = doc.text  # Doc.text joins all tokens on each access: read it once
    spans = []
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append(EntitySpan(offset + start, offset + end, ent.label_, bool(ent._.negated), ent._.guideline_id))
    return spans


def text_pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """``text`` as ``(offset, piece)`` pairs of at most ``size`` characters, joined they give ``text``.

    Each cut is at the last paragraph break of the window, else the last line break,
    else the last space (in the second half of the window, so pieces stay large), and
    only as a last resort mid-word.
    """
    pieces, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut >= size // 2:
                cut += len(separator)
                break
        else:
            cut = size
        pieces.append((start, window[:cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def tag_spans(nlp, text: str, piece_chars: int = PIECE_CHARS) -> list[EntitySpan]:
    """The entity spans of ``text``, tagged whole or, when longer than ``piece_chars``, piece by piece."""
    size = min(piece_chars, nlp.max_length)
    if len(text) <= size:
        return doc_spans(nlp(text))
    # One piece at a time: spaCy's memory grows with the text it holds at once.
    return [span for offset, piece in text_pieces(text, size) for span in doc_spans(nlp(piece), offset)]


@dataclass
class Scorer:
    tagger: object
    reasons: object
    reader: LetterReader
    piece_chars: int = PIECE_CHARS

    @classmethod
    def load(cls, tagger_path: Path = DEFAULT_TAGGER, reasons_path: Path = DEFAULT_REASONS) -> "Scorer":
        return cls(load_tagger(tagger_path), load_reasons(reasons_path), LetterReader())

    def score(self, raws: Iterable[RawText], batch_size: int = 16) -> Iterator[Letter]:
        batch: list[Letter] = []
        for raw in raws:
            try:
                batch.append(self.reader.read(raw))
            except Exception as exc:  # one bad letter never ends the run
                batch.append(internal_error(raw.id, raw.text, raw.source, "reading", exc, raw.warnings))
            if len(batch) >= batch_size:
                yield from self._finish(batch)
                batch = []
        if batch:
            yield from self._finish(batch)

    def _finish(self, letters: list[Letter]) -> list[Letter]:
        readable = [l for l in letters if not l.error]
        try:
            self._tag(readable)
            self.classify(readable)
        except Exception:
            # One letter broke the batch: score them one by one, so that only it fails.
            for number, letter in enumerate(letters):
                if letter.error:
                    continue
                try:
                    self._tag([letter])
                    self.classify([letter])
                except Exception as exc:
                    letters[number] = internal_error(letter.id, letter.text, letter.source, "scoring", exc,
                                                     letter.warnings)
        return letters

    def _tag(self, letters: list[Letter]) -> None:
        size = min(self.piece_chars, self.tagger.max_length)
        short = [l for l in letters if len(l.text) <= size]
        for letter, doc in zip(short, self.tagger.pipe(l.text for l in short)):
            letter.spans = doc_spans(doc)
        for letter in letters:
            if len(letter.text) > size:
                letter.spans = tag_spans(self.tagger, letter.text, size)
                note = (f"long letter ({len(letter.text):,} characters): entities tagged in pieces of at most "
                        f"{size:,} characters, cut at paragraph breaks")
                if note not in letter.warnings:
                    letter.warnings.append(note)

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
# Why this worker has no scorer. The pool restarts a worker whose initializer raises, forever;
# so the initializer keeps the failure and the first task raises it to the parent instead.
_WORKER_FAILURE: str | None = None


def _init_worker(tagger_path: str, reasons_path: str) -> None:
    global _WORKER, _WORKER_FAILURE
    try:
        _WORKER = Scorer.load(Path(tagger_path), Path(reasons_path))
    except Exception as exc:
        _WORKER_FAILURE = str(exc) if isinstance(exc, ArtifactError) else f"models do not load ({_one_line(exc)})"


def _score_chunk(raws: list[RawText]) -> list[Letter]:
    if _WORKER is None:
        raise ArtifactError(f"in a worker process: {_WORKER_FAILURE or 'models not loaded'}")
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
    """Scored letters in input order; with ``workers`` > 1, in that many processes.

    Raises ``ArtifactError`` (before any letter, or from the first task of a worker
    that could not load the models) when the models cannot be used.
    """
    if workers <= 1:
        yield from Scorer.load(tagger_path, reasons_path).score(raws, batch_size=chunk_size)
        return

    # Check the models here first, so that a tampered model is refused before any process starts.
    artifacts.verify(tagger_path, libraries=TAGGER_LIBRARIES, required=TAGGER_FILES)
    artifacts.verify(reasons_path, libraries=REASONS_LIBRARIES, required=REASONS_FILES)
    context = multiprocessing.get_context("spawn")  # no model state copied half-initialised
    with context.Pool(workers, initializer=_init_worker, initargs=(str(tagger_path), str(reasons_path))) as pool:
        # imap keeps input order and reads ahead lazily, so memory stays flat.
        for letters in pool.imap(_score_chunk, _chunks(raws, chunk_size)):
            yield from letters
