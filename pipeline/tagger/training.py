"""Training the tagger: corpora to ``DocBin``, ``spacy train`` on ``configs/tagger.cfg``, assembly.

The trained part (tok2vec + ner) learns CONDITION, FINDING and GUIDELINE from
generated letters; the rule components are then put around it and the whole
pipeline is saved, so that ``spacy.load(models/tagger)`` gives the full tagger.
Letters are cut into paragraphs for training: batches of whole letters would be
one letter each.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import spacy
from spacy.tokens import DocBin
from spacy.util import filter_spans

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


def letters_to_docbin(letters: Iterable[Letter], nlp=None) -> tuple[DocBin, int]:
    """Paragraph docs with gold entities; returns the DocBin and how many spans did not align."""
    nlp = nlp or spacy.blank("en")
    docbin = DocBin(store_user_data=False)
    misaligned = 0
    for letter in letters:
        spans = sorted((s for s in letter.spans if s.label in LABELS), key=lambda s: s.start)
        for start, end in paragraphs(letter):
            inside = [s for s in spans if s.start >= start and s.end <= end]
            text = letter.text[start:end]
            if not text.strip():
                continue
            doc = nlp.make_doc(text)
            ents = []
            for span in inside:
                ent = doc.char_span(span.start - start, span.end - start, label=span.label, alignment_mode="expand")
                if ent is None:
                    misaligned += 1
                else:
                    ents.append(ent)
            doc.ents = filter_spans(ents)
            docbin.add(doc)
    return docbin, misaligned
