"""The training run's config (``configs/default.toml``): paths resolved against the project root."""
from __future__ import annotations

import os
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..paths import PROJECT_ROOT


@dataclass
class TrainConfig:
    path: Path
    raw: dict

    @classmethod
    def load(cls, path: Path) -> "TrainConfig":
        with open(path, "rb") as handle:
            return cls(Path(path), tomllib.load(handle))

    def resolve(self, value: str) -> Path:
        path = Path(value)
        return path if path.is_absolute() else PROJECT_ROOT / path

    @property
    def seed(self) -> int:
        return int(self.raw.get("seed", 13))

    @property
    def corpus_path(self) -> Path:
        return self.resolve(self.raw["corpus"]["path"])

    @property
    def gold_path(self) -> Path:
        return self.resolve(self.raw["evaluation"]["gold"])


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)


def relative(path: Path) -> str:
    """``path`` relative to the project root when inside it (manifests must not name a machine's folders).

    Symbolic links are not followed: a corpus linked in from another checkout is still
    ``data/processed/...`` of this one.
    """
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(PROJECT_ROOT)).as_posix()
    except ValueError:
        return str(path)
