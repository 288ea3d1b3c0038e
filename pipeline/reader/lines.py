"""Classifying the lines of a letter's item section by the table in ``resources/lines.json``."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .tables import tables

BODY = "body"


@dataclass
class Line:
    """One line of the clean text: ``start``/``end`` exclude the newline; ``match`` is the rule's match."""
    kind: str
    start: int
    end: int
    text: str
    match: re.Match | None = None

    def group(self, name: str) -> str | None:
        return self.match.group(name) if self.match and name in self.match.re.groupindex else None


def classify(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Every line of ``text[start:end]`` with its kind: the first table row matching the whole line."""
    end = len(text) if end is None else end
    rules = tables().lines
    out = []
    for found in re.finditer(r"[^\n]*", text[start:end]):
        if found.start() > 0 and found.start() == found.end() and text[start + found.start() - 1] != "\n":
            continue  # the empty match finditer yields right after each line
        line_start, line_end = start + found.start(), start + found.end()
        line = text[line_start:line_end]
        kind, match = BODY, None
        for rule in rules:
            match = rule.pattern.fullmatch(line)
            if match:
                kind = rule.kind
                break
        out.append(Line(kind, line_start, line_end, line, match))
    return out
