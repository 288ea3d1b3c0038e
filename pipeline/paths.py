"""Where the project's data and models live: the checkout, or the installed package.

From a checkout (an editable install, or ``IMR_HOME`` pointing at one) data and models
are the repository's own ``data/`` and ``models/``, so a retrained model is used as soon
as it is written. An installed wheel has no checkout around it: it carries the default
models and the label set as package data under ``pipeline/bundled/`` (see
``pyproject.toml``), and those are used instead.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("IMR_HOME", Path(__file__).resolve().parent.parent))
BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"


def _checkout_or_bundled(relative: str) -> Path:
    checkout = PROJECT_ROOT / relative
    return checkout if checkout.exists() else BUNDLED_DIR / relative


DATA_DIR = PROJECT_ROOT / "data"
MODELS_DIR = _checkout_or_bundled("models")
TAXONOMY_FILE = _checkout_or_bundled("data/taxonomy.json")
GOLD_DIR = DATA_DIR / "gold"


def default_pdf_dir() -> Path | None:
    """The shared pool of real DWC letters, when this checkout sits beside it (development
    only: the letters are not ours to ship)."""
    folder = PROJECT_ROOT.parent / "shared" / "data" / "real-letters"
    return folder if folder.is_dir() else None
