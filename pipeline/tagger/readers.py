"""spaCy corpus readers over the project's letter JSONL (``imr.LetterParagraphs.v1``).

``configs/tagger.cfg`` names this reader for its train and dev corpora, so that
``python -m spacy train configs/tagger.cfg --paths.train letters.jsonl --paths.dev
dev.jsonl`` reads letters as ``imr data generate``, ``imr data build-gold`` and the
training run write them (one ``Letter`` per line; a letter may repeat, which is how
the training run weighs hand-annotated and real letters). Letters are cut into
paragraphs: batches of whole letters would be one letter each. Gold spans become
entities, expanded to token boundaries (a span that no token boundary can hold is left
out).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import filter_spans, registry

from ..letters import Letter

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
LABELS = ("CONDITION", "FINDING", "GUIDELINE")


def paragraphs(letter: Letter) -> Iterable[tuple[int, int]]:
    start = 0
    for match in PARAGRAPH_BREAK.finditer(letter.text):
        if match.start() > start:
            yield start, match.start()
        start = match.end()
    if start < len(letter.text):
        yield start, len(letter.text)


def read_letters(path: Path) -> Iterator[Letter]:
    """Every line of a letter JSONL, repeats included (unlike ``corpora.read_corpus``, which refuses them)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield Letter.from_json(json.loads(line))


def paragraph_docs(letters: Iterable[Letter], nlp: Language) -> Iterator[Doc]:
    """Paragraph docs with gold entities."""
    for letter in letters:
        spans = sorted((s for s in letter.spans if s.label in LABELS), key=lambda s: s.start)
        for start, end in paragraphs(letter):
            text = letter.text[start:end]
            if not text.strip():
                continue
            doc = nlp.make_doc(text)
            ents = []
            for span in (s for s in spans if s.start >= start and s.end <= end):
                ent = doc.char_span(span.start - start, span.end - start, label=span.label, alignment_mode="expand")
                if ent is not None:
                    ents.append(ent)
            doc.ents = filter_spans(ents)
            yield doc


@registry.readers("imr.LetterParagraphs.v1")
def letter_paragraphs(path: Path, limit: int = 0) -> Callable[[Language], Iterator[Example]]:
    """Examples of the paragraphs of the letters in ``path``; ``limit`` > 0 keeps the first ``limit``."""

    def read(nlp: Language) -> Iterator[Example]:
        for n, reference in enumerate(paragraph_docs(read_letters(Path(path)), nlp)):
            if limit and n >= limit:
                break
            yield Example(nlp.make_doc(reference.text), reference)

    return read
