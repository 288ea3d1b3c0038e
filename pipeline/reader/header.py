"""The letter's case header as typed fields: case number, dates, priority, the reviewer's credentials.

Fields and their patterns are rows of ``resources/header.json``; dates become ISO dates
(``datetime.date``), lists are split on commas. A field the letter does not carry is
``None``; a date that does not parse is ``None`` with a warning, never a guess.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from . import layouts
from ..letters import LetterHeader
from .tables import RESOURCES

MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    patterns: tuple[re.Pattern, ...]
    continues: bool = False


@lru_cache(maxsize=1)
def fields() -> tuple[Field, ...]:
    table = json.loads((RESOURCES / "header.json").read_text(encoding="utf-8"))
    date = table["date"]
    return tuple(Field(row["name"], row["type"],
                       tuple(re.compile(p.replace("{date}", date), re.IGNORECASE) for p in row["patterns"]),
                       bool(row.get("continues", False)))
                 for row in table["fields"])


def parse_date(value: str) -> dt.date | None:
    """``11/09/2016``, ``11-09-16``, ``2016-11-09`` or ``November 9, 2016`` as a date; else ``None``."""
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        numeric = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})", value)
        if numeric:
            month, day, year = (int(g) for g in numeric.groups())
            if year < 100:
                year += 2000 if year < 70 else 1900
            return dt.date(year, month, day)
        named = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", value, re.IGNORECASE)
        if named and named.group(1)[:3].lower() in MONTHS:
            return dt.date(int(named.group(3)), MONTHS[named.group(1)[:3].lower()], int(named.group(2)))
    except ValueError:
        return None
    return None


def _continued(text: str, end: int, value: str) -> str:
    """A value wrapped onto the next lines: they join until a heading, blank line or label."""
    for line in text[end:].split("\n")[1:3]:
        if not line.strip() or ":" in line or layouts.HEADING_LINE.match(line) or line.strip().isupper():
            break
        value = f"{value} {line.strip()}"
    return value


def split_list(value: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|\band\b(?!\s*&))\s*", value)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def read_header(text: str, limit: int | None = None) -> tuple[LetterHeader, list[str]]:
    """The header fields found in ``text[:limit]`` and any warnings about them."""
    region = text[:limit] if limit else text
    values: dict[str, object] = {}
    warnings = []
    for field in fields():
        for pattern in field.patterns:
            match = pattern.search(region)
            if not match or not match.group("value").strip():
                continue
            raw = match.group("value").strip()
            if field.continues:
                raw = _continued(region, match.end("value"), raw)
            if field.type == "date":
                parsed = parse_date(raw)
                if parsed is None:
                    warnings.append(f"header: {field.name} {raw!r} is not a date; left empty")
                values[field.name] = parsed
            elif field.type == "list":
                values[field.name] = split_list(raw)
            else:
                values[field.name] = " ".join(raw.split()).capitalize() if field.name == "priority" else raw
            break
    return LetterHeader(**values), warnings
