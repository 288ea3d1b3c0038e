"""Checks that an annotated letter record keeps the data contract.

Used on load of every corpus and by ``imr data check``: a bad record is reported
with its id and what is wrong, never dropped silently.
"""
from __future__ import annotations

import re

from .letters import Letter
from .reader.textview import join_hyphen_breaks
from .taxonomy import load_taxonomy


def _squash(text: str) -> str:
    # Services are compared without case, hyphenated line breaks or runs of white space,
    # because PDF text may break a service name across lines.
    text = join_hyphen_breaks(text.lower())
    return re.sub(r"\s+", " ", text)


def check_letter(letter: Letter) -> list[str]:
    """Every way ``letter`` breaks the contract, as messages; empty when it is sound."""
    tax = load_taxonomy()
    problems: list[str] = []
    if not letter.text:
        problems.append("empty text")
    if letter.format is not None and letter.format not in tax.formats:
        problems.append(f"unknown format {letter.format!r}")
    if not letter.items:
        problems.append("no items")
    squashed = _squash(letter.text)
    for n, item in enumerate(letter.items, 1):
        where = f"item {n} ({item.service!r})"
        if not item.service.strip():
            problems.append(f"item {n}: empty service")
        elif _squash(item.service) not in squashed:
            problems.append(f"{where}: service not found in the text")
        if item.decision not in tax.decisions:
            problems.append(f"{where}: unknown decision {item.decision!r}")
        unknown = [r for r in item.reasons if r not in tax.reasons]
        if unknown:
            problems.append(f"{where}: unknown reasons {unknown}")
        if item.decision == "overturned" and item.reasons:
            problems.append(f"{where}: overturned item with reasons {item.reasons}")
        if len(set(item.reasons)) != len(item.reasons):
            problems.append(f"{where}: repeated reason")
    seen: set[tuple[int, int, str]] = set()
    for span in letter.spans:
        where = f"span {span.start}-{span.end} {span.label}"
        if span.label not in tax.entities:
            problems.append(f"{where}: unknown label")
        if not 0 <= span.start < span.end <= len(letter.text):
            problems.append(f"{where}: offsets outside the text (length {len(letter.text)})")
            continue
        surface = letter.text[span.start:span.end]
        if surface != surface.strip():
            problems.append(f"{where}: span {surface!r} starts or ends with white space")
        if (span.start, span.end, span.label) in seen:
            problems.append(f"{where}: duplicate span")
        seen.add((span.start, span.end, span.label))
    return problems
