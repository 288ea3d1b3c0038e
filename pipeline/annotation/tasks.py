"""What one letter offers an annotator: its text, its items as read, the models' guesses.

A ``LetterTask`` is built from a scored letter (``imr score``'s record). It carries the
letter id, the SHA-256 of the text the offsets index (the same hash as the stand-off
gold's, ``standoff.text_hash``) and every item as the reader read it, so that an answer
coming back from a tool can be matched to its letter and item, and refused when its text
is not the text the offsets were taken on. Each upheld ``ItemTask`` carries the
classifier's reasons and probabilities, the rule baseline's reasons and the item's
uncertainty (``select.item_uncertainty``).

``TaskHeader`` is the part every exported task repeats (under the ``imr`` key), so that
any one answer is enough to rebuild the letter's items.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..letters import EntitySpan, Letter
from ..reasons.rules import rule_hits
from ..corpus.standoff import text_hash

# Kinds of task: the reasons of one upheld item, and the entity spans of one letter.
REASONS, ENTITIES = "reasons", "entities"
KINDS = (REASONS, ENTITIES)


@dataclass
class ItemRef:
    """An item as the reader read it: enough to rebuild the gold item around an answer."""
    index: int
    service: str
    decision: str | None
    service_range: tuple[int, int] | None = None
    rationale_range: tuple[int, int] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "service": self.service, "decision": self.decision,
                "service_range": list(self.service_range) if self.service_range else None,
                "rationale_range": list(self.rationale_range) if self.rationale_range else None}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "ItemRef":
        pair = (lambda v: tuple(int(x) for x in v) if v else None)
        return cls(int(raw["index"]), raw["service"], raw.get("decision"), pair(raw.get("service_range")),
                   pair(raw.get("rationale_range")))


@dataclass
class TaskHeader:
    """Written into every task (``"imr"``): which letter, which text, which items, what was exported."""
    letter_id: str
    text_sha256: str
    text_length: int
    items: list[ItemRef]
    kinds: list[str]
    source: str | None = None
    format: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"letter_id": self.letter_id, "text_sha256": self.text_sha256, "text_length": self.text_length,
                "source": self.source, "format": self.format, "kinds": list(self.kinds),
                "items": [item.to_json() for item in self.items]}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "TaskHeader":
        return cls(str(raw["letter_id"]), raw["text_sha256"], int(raw["text_length"]),
                   [ItemRef.from_json(i) for i in raw["items"]], list(raw.get("kinds", KINDS)),
                   raw.get("source"), raw.get("format"))


@dataclass
class ItemTask:
    """One upheld item to annotate reasons for."""
    ref: ItemRef
    predicted: list[str]
    scores: dict[str, float]
    rules: list[str]
    uncertainty: float = 0.0
    why: list[str] = field(default_factory=list)


@dataclass
class LetterTask:
    """One letter to annotate: its text, the models' entity spans, its upheld items."""
    id: str
    text: str
    items: list[ItemRef]
    upheld: list[ItemTask]
    spans: list[EntitySpan]
    warnings: list[str] = field(default_factory=list)
    source: str | None = None
    format: str | None = None
    uncertainty: float = 0.0

    def header(self, kinds) -> TaskHeader:
        return TaskHeader(self.id, text_hash(self.text), len(self.text), self.items, list(kinds), self.source,
                          self.format)


def letter_task(letter: Letter, thresholds: dict[str, float]) -> LetterTask:
    """The task of a scored letter (items with ``reason_scores``, spans from the tagger)."""
    from .select import item_uncertainty  # here: select imports this module

    refs = [ItemRef(i, item.service, item.decision, item.service_range, item.rationale_range)
            for i, item in enumerate(letter.items)]
    upheld = []
    for ref, item in zip(refs, letter.items):
        if item.decision != "upheld":
            continue
        rules = sorted({hit.reason for hit in rule_hits(item.rationale or "")})
        task = ItemTask(ref, list(item.reasons), dict(item.reason_scores or {}), rules)
        task.uncertainty, task.why = item_uncertainty(task, thresholds, flagged=_flags(letter, item))
        upheld.append(task)
    task = LetterTask(letter.id, letter.text, refs, upheld, list(letter.spans), list(letter.warnings),
                      letter.source, letter.format)
    task.uncertainty = max((item.uncertainty for item in upheld), default=0.0)
    return task


def _flags(letter: Letter, item) -> list[str]:
    """What the reader said is doubtful about this item (its rationale missing, the letter incomplete)."""
    flags = []
    if not item.rationale:
        flags.append("no rationale read")
    flags.extend(w for w in letter.warnings if "truncated" in w or "incomplete" in w or item.service in w)
    return flags
