"""Which letters to annotate first.

``uncertain`` puts first the letters whose items the models are least sure of, so that
an hour of annotation corrects the most; ``random`` is a seeded, unbiased sample (for an
evaluation set, or to compare against); ``all`` keeps the input order.

An upheld item's uncertainty adds up three signs (each also given in words, ``why``):

- how near its probabilities are to their thresholds: per label ``1 - |p - t| / room``,
  where ``room`` is the distance from the threshold to 0 or 1 on p's side, so 1 at the
  threshold and 0 at certainty; the item takes its least certain label;
- how many labels the rule baseline (``pipeline.reasons.rules``) decides otherwise than the
  classifier, 0.25 each up to 0.5: two readers disagreeing is a sign that one is wrong;
- 0.5 when the reader flagged the item (no rationale read, a truncated letter).

The unit of selection is the letter, scored by its most uncertain item: an answer is
turned into gold a letter at a time (every item, every span), retraining and
cross-validation work by letter, and the case summary read once serves all its items.
"""
from __future__ import annotations

import random
from typing import Sequence

from .tasks import ItemTask, LetterTask

STRATEGIES = ("uncertain", "random", "all")
RULE_WEIGHT, RULE_CAP, FLAG_WEIGHT = 0.25, 0.5, 0.5


def closeness(p: float, t: float) -> float:
    """1 at the threshold, 0 at certainty (p = 0 below it, p = 1 above it)."""
    room = t if p < t else 1.0 - t
    return max(0.0, 1.0 - abs(p - t) / room) if room > 0 else 0.0


def item_uncertainty(task: ItemTask, thresholds: dict[str, float], flagged: Sequence[str] = ()) -> tuple[float, list[str]]:
    """The item's uncertainty and its reasons in words."""
    why = []
    score = 0.0
    if task.scores:
        label, near = max(((label, closeness(p, thresholds.get(label, 0.5))) for label, p in task.scores.items()),
                          key=lambda pair: pair[1])
        score += near
        why.append(f"{label} p={task.scores[label]:.2f} (threshold {thresholds.get(label, 0.5):.2f})")
    disagree = sorted(set(task.predicted) ^ set(task.rules))
    if disagree:
        score += min(RULE_CAP, RULE_WEIGHT * len(disagree))
        why.append("rules disagree on " + ", ".join(disagree))
    if flagged:
        score += FLAG_WEIGHT
        why.extend(f"reader: {flag}" for flag in flagged)
    return round(score, 4), why


def select_letters(tasks: Sequence[LetterTask], strategy: str, n: int | None = None, seed: int = 13) -> list[LetterTask]:
    """The first ``n`` letters (all when ``n`` is None) in the strategy's order."""
    if strategy == "uncertain":
        # Most uncertain first; then the most upheld items (more to learn per letter read); then the id.
        ordered = sorted(tasks, key=lambda t: (-t.uncertainty, -len(t.upheld), t.id))
    elif strategy == "random":
        ordered = sorted(tasks, key=lambda t: t.id)  # the same sample whatever the input order
        random.Random(seed).shuffle(ordered)
    elif strategy == "all":
        ordered = list(tasks)
    else:
        raise ValueError(f"unknown selection {strategy!r}; choose from {', '.join(STRATEGIES)}")
    return ordered if n is None else ordered[:n]
