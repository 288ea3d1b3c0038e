"""Cross-validation by letter: figures on real letters from models that never saw them.

The real pool is small, so its figures come from k folds of whole letters: each fold is
predicted by a model trained on the other folds (plus the written and generated data),
with thresholds chosen on the other folds' out-of-fold probabilities, so neither the
model nor its thresholds saw the letters they are judged on. The pooled predictions are
scored with ``evaluation.evaluate`` (the reference scorer's definitions).
"""
from __future__ import annotations

import random
from typing import Iterable, Sequence

from ..letters import Letter
from ..reader import LetterReader
from ..reader.sources import RawText
from ..scoring import Scorer


def letter_folds(letter_ids: Iterable[str], k: int, seed: int) -> dict[str, int]:
    """Each letter's fold, 0..k-1: a seeded shuffle dealt round-robin, so folds differ in size by one at most."""
    ids = sorted(set(letter_ids))
    random.Random(seed).shuffle(ids)
    return {letter_id: number % k for number, letter_id in enumerate(ids)}


def predicted_records(letters: Sequence[Letter], reasons_model) -> dict[str, dict]:
    """The held letters as ``imr score`` would give their items (no entities): read, then classified."""

    reader = LetterReader()
    read = [reader.read(RawText(id=letter.id, text=letter.text)) for letter in letters]
    Scorer(None, reasons_model, reader).classify(read)
    return {letter.id: letter.to_json() for letter in read}


def gold_records(letters: Sequence[Letter]) -> dict[str, dict]:
    return {letter.id: letter.to_json() for letter in letters}
