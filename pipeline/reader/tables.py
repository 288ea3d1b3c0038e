"""The reader's pattern tables, loaded once from ``resources/*.json``.

``vocabulary.json`` holds the decision vocabulary (each outcome word and what it
means); ``lines.json`` the line kinds and how an item's name sits in its head. The
code never spells an outcome word or a line form itself: a new letter form is a new
row in these files.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import layouts

# A section heading, as the layouts module's heading table defines it.
HEADING = layouts.HEADING_LINE.pattern.lstrip("^")
RESOURCES = Path(__file__).resolve().parent / "resources"
# How letters number their items: "1.", "(2)", "b)", "III.".
NUMBER = r"\(?(?:\d{1,2}|[IVX]{1,5}|[ivx]{1,5}|[a-zA-Z])[.)]"


@dataclass(frozen=True)
class LineRule:
    kind: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Tables:
    outcomes: tuple[tuple[re.Pattern, str], ...]  # (whole-word pattern, decision)
    decision_pattern: str                          # one alternation of every outcome word
    lines: tuple[LineRule, ...]
    item_names: tuple[tuple[str, re.Pattern], ...]  # (form, pattern with group 'service')
    name_lead: re.Pattern                           # what starts a head before the name
    name_tail: re.Pattern                           # what ends a head after the name
    verdict_end: re.Pattern                         # a line that ends a rationale without a period

    def decision_of_word(self, word: str) -> str | None:
        """The decision an outcome word means (``Upheld`` -> ``upheld``), else ``None``."""
        word = word.strip(" \t.:")
        return next((decision for pattern, decision in self.outcomes if pattern.fullmatch(word)), None)


def _read(name: str) -> dict:
    return json.loads((RESOURCES / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def tables() -> Tables:
    vocabulary = _read("vocabulary.json")["outcomes"]
    # Longest first, so that "overturned" wins over "overturn" and "non-certified" over "certified".
    words = sorted((row["pattern"] for row in vocabulary), key=len, reverse=True)
    decision = "(?:" + "|".join(words) + r")\b"
    outcomes = tuple((re.compile(row["pattern"], re.IGNORECASE), row["decision"]) for row in vocabulary)
    layout = _read("lines.json")

    def fill(pattern: str) -> str:
        return pattern.replace("{decision}", decision).replace("{number}", NUMBER).replace("{heading}", HEADING)

    lines = tuple(LineRule(row["kind"], re.compile(fill(row["pattern"]), re.IGNORECASE)) for row in layout["lines"])
    names = tuple((row["form"], re.compile(fill(row["pattern"]), re.IGNORECASE | re.DOTALL))
                  for row in layout["item_names"]["rows"])
    tail = re.compile(layout["item_names"]["tail"]["pattern"] + r"\Z", re.IGNORECASE)
    lead = re.compile(fill(layout["item_names"]["lead"]["pattern"]), re.IGNORECASE)
    verdict_end = re.compile(layout["item_names"]["verdict_end"]["pattern"], re.IGNORECASE)
    return Tables(outcomes=outcomes, decision_pattern=decision, lines=lines, item_names=names, name_lead=lead,
                  name_tail=tail, verdict_end=verdict_end)
