"""Users' own annotated letters, named by a training config, for ``imr train``.

A config may list any number of annotation files (none by default)::

    [[user]]
    path = "annotations/our-letters.jsonl"   # from `imr annotate import` (gold JSONL)
    weight = 8                               # each item repeated this many times (reasons)
    # tagger_repeat = 10                     # letters with spans, repeated for the tagger (default: weight)
    # texts = "path/to/pdfs"                 # for stand-off records (`import --standoff`): where their letters are

A file holds gold-format records (with ``text``) or stand-off records (``text_sha256``, no
text), which are joined with the letters under ``texts`` and refused when the text read
is not the annotated one. Every letter is checked by ``validate.check_letter`` (the
checks of ``imr data check``); a bad record stops training with its line and what is
wrong. A record's ``annotated`` list (written by ``imr annotate import``) says which parts
people answered: only letters with answered reasons train the reason classifier, only
letters with answered entities train the tagger. Without it, reasons count as answered
and entities as answered when the letter has spans (the convention of the real pool's
gold, whose letters without annotated entities have none).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ..corpus import standoff
from ..corpus.files import sha256_of
from ..letters import Letter
from ..validate import check_letter
from .tasks import ENTITIES, REASONS


@dataclass
class UserSet:
    path: Path
    sha256: str
    weight: int
    tagger_repeat: int
    letters: list[Letter]
    parts: dict[str, list[str]] = field(default_factory=dict)  # letter id -> the annotated kinds

    def with_part(self, kind: str) -> list[Letter]:
        return [letter for letter in self.letters if kind in self.parts[letter.id]]

    def manifest(self, relative: Callable[[Path], str] = str) -> dict[str, Any]:
        """What the model manifests and cards record of this file."""
        return {"path": relative(self.path), "sha256": self.sha256, "letters": len(self.letters),
                "reason_letters": len(self.with_part(REASONS)),
                "upheld_items": sum(1 for l in self.with_part(REASONS) for i in l.items if i.decision == "upheld"),
                "entity_letters": len(self.with_part(ENTITIES)), "weight": self.weight,
                "tagger_repeat": self.tagger_repeat}


def read_user_file(path: Path, texts: Path | None = None) -> tuple[list[Letter], dict[str, list[str]]]:
    """The letters of one annotation file and their annotated parts; ``ValueError`` listing every bad record."""

    letters, parts, bad, seen = [], {}, [], set()
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                if "text" in raw:
                    letter = Letter.from_json(raw)
                    has_spans = bool(letter.spans)
                else:
                    if texts is None:
                        raise ValueError("a stand-off record (no text): give `texts`, the folder of its letter")
                    record = standoff.StandoffRecord.from_json(raw)
                    letter = record.join(standoff.read_source_text(record, texts))
                    has_spans = record.spans is not None
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                bad.append(f"line {number}: {exc}")
                continue
            problems = check_letter(letter) + (["duplicate id"] if letter.id in seen else [])
            if problems:
                bad.append(f"line {number} id={letter.id}: " + "; ".join(problems))
                continue
            seen.add(letter.id)
            letters.append(letter)
            parts[letter.id] = list(raw.get("annotated") or ([REASONS] + ([ENTITIES] if has_spans else [])))
    if bad:
        raise ValueError(f"{path}: {len(bad)} bad record(s)\n" + "\n".join(bad[:20]))
    return letters, parts


def load_user_sets(entries: Sequence[dict[str, Any]], resolve: Callable[[str], Path]) -> list[UserSet]:
    """The ``[[user]]`` entries of a training config, read and checked."""

    sets = []
    for entry in entries or []:
        path = resolve(entry["path"])
        texts = resolve(entry["texts"]) if entry.get("texts") else None
        letters, parts = read_user_file(path, texts)
        weight = int(entry.get("weight", 1))
        sets.append(UserSet(path, sha256_of(path), weight, int(entry.get("tagger_repeat", weight)), letters, parts))
    return sets


def reason_examples(sets: Sequence[UserSet]) -> list:
    """Item examples of the letters with answered reasons, each repeated by its file's weight
    (read once, repeated after: the reader is the costly part)."""
    from ..reasons.classifier import examples_from_letters  # scikit-learn: only when training with user files

    return [example for s in sets for example in examples_from_letters(s.with_part(REASONS)) for _ in range(s.weight)]


def tagger_letters(sets: Sequence[UserSet]) -> list[Letter]:
    """Letters with answered entities, each repeated by its file's ``tagger_repeat`` (for the tagger)."""
    return [letter for s in sets for letter in s.with_part(ENTITIES) for _ in range(s.tagger_repeat)]
