"""The notebooks execute top to bottom on small inputs, without a cell error.

Each notebook's first code cell (tagged ``parameters``) holds its inputs; the test
appends small overrides to it, runs the notebook with nbclient in a fresh kernel
and fails on the first cell that raises. The notebooks are kept without outputs.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def run_notebook(name: str, overrides: dict, cwd: Path, timeout: int = 300):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    params = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in params.metadata.get("tags", []), "the first code cell holds the parameters"
    params.source += "\n# test overrides\n" + "\n".join(f"{k} = {v!r}" for k, v in overrides.items())
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                                     resources={"metadata": {"path": str(cwd)}})
    # Inline plots (images in the outputs), whatever MPLBACKEND the environment sets.
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
    try:
        client.execute(env=env)
    except nbclient.exceptions.CellExecutionError as exc:  # the message names the cell and the traceback
        pytest.fail(f"{name}: a cell failed\n{exc}")
    return nb


def outputs_text(nb) -> str:
    return json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebooks_are_kept_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: clear the outputs before committing"
        assert "import pipeline" in "".join(c.source for c in nb.cells) or "from pipeline" in "".join(
            c.source for c in nb.cells)


def test_corpus_overview_runs(tmp_path):
    nb = run_notebook("01-corpus-overview.ipynb", {"N_GENERATED": 40}, tmp_path)
    assert "image/png" in outputs_text(nb)


def test_error_analysis_runs(tmp_path):
    nb = run_notebook("02-error-analysis.ipynb", {"LIMIT": 20, "ERRORS_SHOWN": 1}, tmp_path)
    text = outputs_text(nb)
    assert "image/png" in text and 'class=\\"entity' in text  # plots and a rendered rationale


def test_scoring_run_runs(tmp_path):
    report = tmp_path / "run.html"
    nb = run_notebook("03-scoring-run.ipynb", {"N_LETTERS": 25, "OUT_PATH": str(tmp_path / "run.jsonl"),
                                               "REPORT_PATH": str(report)}, tmp_path)
    assert "image/png" in outputs_text(nb)
    assert (tmp_path / "run.jsonl").exists() and report.exists()
