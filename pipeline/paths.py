"""Where the project's data and models live.

The package is installed in editable mode from the repository, so data files are
found beside it; ``IMR_HOME`` points elsewhere when the tree is moved.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("IMR_HOME", Path(__file__).resolve().parent.parent))
DATA_DIR = PROJECT_ROOT / "data"
MODELS_DIR = PROJECT_ROOT / "models"
TAXONOMY_FILE = DATA_DIR / "taxonomy.json"
GOLD_DIR = DATA_DIR / "gold"
