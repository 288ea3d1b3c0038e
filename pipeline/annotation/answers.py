"""Answers from annotation tools, assembled into gold letters; every problem reported.

Each tool's reader (``prodigy.read_answers``, ``label_studio.read_answers``) turns its
export into ``Answer`` records: one per annotator per task part (the reasons of one item,
the entity spans of one letter), with the ``TaskHeader`` the task was exported with and
the text the tool holds. ``assemble`` groups them by letter and builds the gold letter
when every part is answered, and answered alike by everyone who answered it. Otherwise
the letter is held back and each ``Problem`` says why:

- ``text changed``: the text's hash is not the exported one (offsets would point
  elsewhere), or two answers for one letter carry different texts;
- ``conflict``: annotators gave different reasons for an item, or different spans;
- ``unanswered``: an upheld item or the letter's spans got no answer, or only skips;
- ``rejected``: an annotator rejected a task (Prodigy's reject, Label Studio's "item
  misread" choice): the item as read is wrong and needs fixing by hand;
- ``invalid``: the letter breaks the data contract (``validate.check_letter``, the code
  behind ``imr data check``).

Nothing is dropped without a line in the report.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..letters import EntitySpan, Item, Letter
from ..corpus.standoff import StandoffItem, StandoffRecord, text_hash
from ..validate import check_letter
from .tasks import ENTITIES, REASONS, TaskHeader

ACCEPT, REJECT, SKIP = "accept", "reject", "skip"


@dataclass
class Answer:
    """One annotator's answer to one part of a letter: an item's reasons, or the letter's spans."""
    header: TaskHeader
    text: str
    kind: str                      # REASONS or ENTITIES
    annotator: str
    status: str                    # ACCEPT, REJECT or SKIP
    item: int | None = None        # the item index, for REASONS
    reasons: list[str] = field(default_factory=list)
    spans: list[EntitySpan] = field(default_factory=list)
    where: str = ""                # line or task id in the answer file, for the report


@dataclass
class Problem:
    letter_id: str
    kind: str                      # text changed, conflict, unanswered, rejected, invalid
    message: str
    item: int | None = None

    def __str__(self) -> str:
        where = f"{self.letter_id} item {self.item}" if self.item is not None else self.letter_id
        return f"{where}: {self.kind}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"letter_id": self.letter_id, "item": self.item, "kind": self.kind, "message": self.message}


@dataclass
class Assembled:
    """The gold letters rebuilt from answers, which parts each has, and what was held back."""
    letters: list[Letter]
    parts: dict[str, list[str]]    # letter id -> the annotated kinds
    annotators: dict[str, list[str]]
    problems: list[Problem]

    def records(self) -> list[dict[str, Any]]:
        """Gold-format records; ``annotated`` names the parts people answered (spans [] may mean "not asked")."""
        return [letter.to_json() | {"annotated": self.parts[letter.id]} for letter in self.letters]

    def standoff(self) -> list[StandoffRecord]:
        """The same letters as stand-off records (no text); spans absent where they were not annotated.

        A letter with an item whose service the reader found no range for cannot be stood off
        (the range is what stands for the service's text): it is moved to the problems."""
        out = []
        for letter in list(self.letters):
            if any(item.service_range is None for item in letter.items):
                self.problems.append(Problem(letter.id, "invalid", "an item has no service range: write it as gold "
                                                                   "JSONL (without --standoff) instead"))
                self.letters.remove(letter)
                continue
            items = [StandoffItem(item.service, tuple(item.service_range), item.decision, list(item.reasons))
                     for item in letter.items]
            spans = list(letter.spans) if ENTITIES in self.parts[letter.id] else None
            out.append(StandoffRecord(letter.id, letter.source or letter.id, text_hash(letter.text), len(letter.text),
                                      items, spans, letter.format, ",".join(self.annotators[letter.id]) or None))
        return out


def _span_key(spans: Iterable[EntitySpan]) -> tuple:
    return tuple(sorted((s.start, s.end, s.label, bool(s.negated)) for s in spans))


def _agreed(answers: list[Answer], key, letter_id: str, item: int | None, what: str,
            problems: list[Problem]):
    """The one answer everyone who answered gave, or None with the problem recorded."""
    rejected = [a for a in answers if a.status == REJECT]
    accepted = [a for a in answers if a.status == ACCEPT]
    if rejected:
        names = ", ".join(sorted({a.annotator for a in rejected}))
        problems.append(Problem(letter_id, "rejected", f"{what} rejected by {names} ({rejected[0].where}): "
                                                      "the item as read needs fixing by hand", item))
        return None
    if not accepted:
        names = sorted({a.annotator for a in answers if a.annotator})
        skipped = f" (skipped by {', '.join(names)})" if names else ""
        problems.append(Problem(letter_id, "unanswered", f"{what} has no answer{skipped}", item))
        return None
    distinct: dict[Any, list[Answer]] = defaultdict(list)
    for answer in accepted:
        distinct[key(answer)].append(answer)
    if len(distinct) > 1:
        sides = "; ".join(f"{', '.join(sorted({a.annotator for a in group}))}: {_describe(value)}"
                          for value, group in distinct.items())
        problems.append(Problem(letter_id, "conflict", f"{what} answered differently: {sides}", item))
        return None
    return accepted[0]


def _describe(value) -> str:
    if value and isinstance(value[0], tuple):  # spans
        return f"{len(value)} spans"
    return "[" + ", ".join(value) + "]" if value else "[] (no reason)"


def assemble(answers: Iterable[Answer]) -> Assembled:
    """Gold letters from answers; a letter with any problem is held back and reported."""
    by_letter: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_letter[answer.header.letter_id].append(answer)
    letters, parts, annotators, problems = [], {}, {}, []
    for letter_id in sorted(by_letter):
        group = by_letter[letter_id]
        found: list[Problem] = []
        header = group[0].header
        for answer in group:
            if answer.header.text_sha256 != header.text_sha256 or text_hash(answer.text) != answer.header.text_sha256:
                found.append(Problem(letter_id, "text changed", f"the text of {answer.where} is not the exported "
                                                                 "text (hash differs): its offsets cannot be trusted"))
                break
        kinds = [kind for kind in (REASONS, ENTITIES) if kind in header.kinds]
        items = []
        if not found:
            for ref in header.items:
                item = Item(ref.service, ref.decision, service_range=ref.service_range)
                if ref.decision == "upheld" and REASONS in kinds:
                    chosen = _agreed([a for a in group if a.kind == REASONS and a.item == ref.index],
                                     lambda a: tuple(sorted(a.reasons)), letter_id, ref.index,
                                     f"the reasons of '{ref.service}'", found)
                    if chosen is not None:
                        item.reasons = sorted(set(chosen.reasons), key=chosen.reasons.index)
                items.append(item)
            spans: list[EntitySpan] = []
            if ENTITIES in kinds:
                chosen = _agreed([a for a in group if a.kind == ENTITIES], lambda a: _span_key(a.spans), letter_id,
                                 None, "the entity spans", found)
                if chosen is not None:
                    spans = sorted(chosen.spans, key=lambda s: (s.start, s.end, s.label))
            upheld = {r.index for r in header.items if r.decision == "upheld"}
            stray = [a.where for a in group if a.kind == REASONS and a.item not in upheld]
            if stray:
                found.append(Problem(letter_id, "invalid", f"reasons answered where no exported upheld item is "
                                                           f"({', '.join(stray)}): a rationale region added or moved?"))
        if not found:
            letter = Letter(letter_id, group[0].text, format=header.format, items=items, spans=spans,
                            source=header.source)
            found.extend(Problem(letter_id, "invalid", message) for message in check_letter(letter))
        if found:
            problems.extend(found)
            continue
        letters.append(letter)
        parts[letter_id] = kinds
        annotators[letter_id] = sorted({a.annotator for a in group if a.status == ACCEPT})
    return Assembled(letters, parts, annotators, problems)
