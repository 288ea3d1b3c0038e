"""Shared fixtures: where ../shared/ is (tests that need it skip without it)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not (SHARED / "spec").is_dir():
        pytest.skip("../shared/ is not present")
    return SHARED


@pytest.fixture
def seed_letter(shared_dir: Path) -> str:
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed letter in ../shared/seeds")
    return seeds[0].read_text(encoding="utf-8")
