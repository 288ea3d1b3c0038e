"""A built wheel scores anywhere: models and the label set travel as package data.

One slow-ish test: build the wheel (pip, offline through the configured index), install
it into an empty folder, and score the example letters from another folder with only
the wheel and the dependencies on the path (no checkout, no editable install). Skips
when the build backend cannot be obtained.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_OURS = ("imr_reader", "__editable__", "pipeline", "_imr_reader")


def _dependencies_only(into: Path) -> Path:
    """A folder of links to the installed dependencies, without this project's own (editable) install."""
    into.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(NOT_OURS) and entry.suffix != ".pth":
            (into / entry.name).symlink_to(entry)
    return into


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sources(into: Path) -> Path:
    """What the build reads, copied: building in the checkout would leave (and later reuse) a build/ folder."""
    into.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, into / name)
    shutil.copytree(ROOT / "pipeline", into / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models", into / "models")
    (into / "data").mkdir()
    shutil.copy(ROOT / "data" / "taxonomy.json", into / "data" / "taxonomy.json")
    return into


def test_the_wheel_scores_the_examples_from_another_folder(tmp_path):
    source = _sources(tmp_path / "source")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                            str(source)], capture_output=True, text=True)
    if built.returncode != 0 and ("No matching distribution" in built.stderr or "Could not find a version" in built.stderr):
        pytest.skip("the build backend (setuptools) cannot be obtained here")
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("imr_reader-*.whl")
    shutil.rmtree(source)  # nothing of the sources is left to find
    site = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target",
                                str(site), str(wheel)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("IMR_HOME", "PYTHONPATH")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(_dependencies_only(tmp_path / "deps"))])

    def wheel_python(*args):
        # -S: no site-packages of this environment (and so no editable install): only PYTHONPATH.
        return subprocess.run([sys.executable, "-S", *args], capture_output=True, text=True, cwd=elsewhere, env=env)

    where = wheel_python("-c", "import pipeline.paths as p; print(p.MODELS_DIR); print(p.TAXONOMY_FILE)")
    assert where.returncode == 0, where.stderr
    assert all(Path(line).is_relative_to(site / "pipeline" / "bundled") for line in where.stdout.split())

    scored = wheel_python("-m", "pipeline.cli", "score", str(ROOT / "data" / "examples"), "--out", "scored.jsonl")
    assert scored.returncode == 0, scored.stderr
    reference = subprocess.run([sys.executable, "-m", "pipeline.cli", "score", str(ROOT / "data" / "examples"),
                                "--out", str(tmp_path / "checkout.jsonl")], capture_output=True, text=True, cwd=ROOT)
    assert reference.returncode == 0, reference.stderr
    from_wheel = _records(elsewhere / "scored.jsonl")
    assert len(from_wheel) == len(list((ROOT / "data" / "examples").glob("*.txt"))) + len(
        list((ROOT / "data" / "examples").glob("*.pdf")))
    assert all(record["items"] and record["spans"] for record in from_wheel)
    assert from_wheel == _records(tmp_path / "checkout.jsonl")  # the same models as the checkout's
