"""The label contract (version 1), read from ``data/taxonomy.json``.

Every label id the code uses comes from this one file, so that a change to the
taxonomy is a change in one place.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import TAXONOMY_FILE


@dataclass(frozen=True)
class Taxonomy:
    version: int
    reasons: dict[str, str]
    entities: dict[str, str]
    decisions: dict[str, str]
    formats: dict[str, str]
    guideline_ids: dict[str, str]

    @property
    def reason_ids(self) -> list[str]:
        return list(self.reasons)

    @property
    def entity_labels(self) -> list[str]:
        return list(self.entities)


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return Taxonomy(
        version=raw["version"],
        reasons=raw["reasons"],
        entities=raw["entities"],
        decisions=raw["decisions"],
        formats=raw["formats"],
        guideline_ids=raw["guideline_ids"],
    )
