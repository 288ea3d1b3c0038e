"""Loading models: every tampered or broken model is refused with one line and exit status 2.

The manifest must list every file of the model; a file it does not list, a listed
file missing or changed, an empty, unreadable or absent manifest, and other library
versions are all refused before anything loads, in one process or several. A model
whose checksums match but which does not load ends the run the same way, also when
it is loaded in worker processes.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import artifacts
from pipeline.artifacts import ArtifactError
from pipeline.cli import app
from pipeline.scoring import DEFAULT_REASONS, DEFAULT_TAGGER, REASONS_FILES, TAGGER_FILES, load_reasons, load_tagger

from letters_for_tests import LETTERS

ROOT = Path(__file__).resolve().parent.parent
IMR = [sys.executable, "-m", "pipeline.cli"]
runner = CliRunner()
MODELS = {"tagger": DEFAULT_TAGGER, "reasons": DEFAULT_REASONS}
# The file each case tampers with, and the library whose version it forges.
WEIGHTS = {"tagger": "ner/model", "reasons": "reasons.npz"}
LIBRARY = {"tagger": "spacy", "reasons": "numpy"}


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _manifest(model: Path) -> dict:
    return json.loads((model / "manifest.json").read_text())


def _write_manifest(model: Path, data: dict) -> None:
    (model / "manifest.json").write_text(json.dumps(data))


def tamper(model: Path, kind: str, case: str) -> None:
    weights = model / WEIGHTS[kind]
    if case == "missing file":
        weights.unlink()
    elif case == "changed bytes":
        _flip_a_byte(weights)
    elif case == "empty files map":  # the manifest vouches for nothing, and the weights are changed
        _write_manifest(model, {**_manifest(model), "files": {}})
        _flip_a_byte(weights)
    elif case == "unknown file":
        (weights.parent / "extra.bin").write_bytes(b"loaded by nobody, checked by nobody")
    elif case == "bad json manifest":
        (model / "manifest.json").write_text('{"files": {"reasons.json": ')
    elif case == "missing manifest":
        (model / "manifest.json").unlink()
    elif case == "version mismatch":
        data = _manifest(model)
        data["libraries"][LIBRARY[kind]] = "0.1.0"
        _write_manifest(model, data)
    elif case == "manifest not an object":
        (model / "manifest.json").write_text("[]")
    elif case == "needed file not listed":  # the manifest is consistent with the folder, but the model is gone
        name = WEIGHTS[kind]
        data = _manifest(model)
        del data["files"][name]
        _write_manifest(model, data)
        weights.unlink()
    else:
        raise ValueError(case)


CASES = {  # case: what the one-line message must say
    "missing file": "listed in the manifest but missing",
    "changed bytes": "checksum mismatch",
    "empty files map": "lists no files",
    "unknown file": "not listed in the manifest",
    "bad json manifest": "unreadable manifest",
    "missing manifest": "no manifest.json",
    "version mismatch": "0.1.0",
    "manifest not an object": "unreadable manifest",
    "needed file not listed": "does not list",
}


@pytest.fixture
def models(tmp_path) -> dict[str, Path]:
    copies = {}
    for kind, source in MODELS.items():
        copies[kind] = tmp_path / kind
        shutil.copytree(source, copies[kind])
    return copies


@pytest.fixture
def letter(tmp_path) -> Path:
    path = tmp_path / "letter.txt"
    path.write_text(LETTERS["fdl-issues"])
    return path


def _score(letter: Path, models: dict[str, Path], out: Path, workers: int = 1):
    return runner.invoke(app, ["score", str(letter), "--out", str(out), "--tagger", str(models["tagger"]),
                               "--reasons", str(models["reasons"]), "--workers", str(workers)])


def test_bundled_manifests_list_every_file_and_verify():
    for kind, model in MODELS.items():
        manifest = artifacts.verify(model, required=TAGGER_FILES if kind == "tagger" else REASONS_FILES)
        assert sorted(manifest.files) == artifacts.model_files(model)
        assert "MODEL_CARD.md" not in manifest.files and "manifest.json" not in manifest.files


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("kind", sorted(MODELS))
def test_tampered_model_is_refused_in_one_line_with_status_2(models, letter, tmp_path, kind, case):
    tamper(models[kind], kind, case)
    for workers in (1, 2):
        out = tmp_path / f"out-{workers}.jsonl"
        result = _score(letter, models, out, workers)
        assert result.exit_code == 2, (workers, result.output, result.exception)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.output
        assert CASES[case] in lines[0]
        assert "Traceback" not in result.output
        assert not out.exists() or out.read_text() == ""  # nothing scored with the tampered model


@pytest.mark.parametrize("case", sorted(CASES))
def test_loaders_raise_artifact_error(models, case):
    tamper(models["reasons"], "reasons", case)
    with pytest.raises(ArtifactError, match=CASES[case]):
        load_reasons(models["reasons"])


def test_missing_model_directory_is_refused(tmp_path):
    with pytest.raises(ArtifactError, match="no such model directory"):
        load_tagger(tmp_path / "nowhere")


def _break_but_keep_checksums(model: Path) -> None:
    """Weights that do not load, with a manifest rewritten to match them: only loading can tell."""
    (model / "ner" / "model").write_bytes(b"\x00 not a spaCy model")
    extra = {k: v for k, v in _manifest(model).items() if k not in ("files", "libraries")}
    artifacts.write_manifest(model, extra)
    artifacts.verify(model)  # the checksums alone pass


def test_a_model_that_does_not_load_is_status_2(models, letter, tmp_path):
    _break_but_keep_checksums(models["tagger"])
    result = _score(letter, models, tmp_path / "out.jsonl")
    assert result.exit_code == 2, result.output
    assert "the tagger does not load" in result.output and "Traceback" not in result.output


def test_a_model_that_fails_in_the_workers_ends_the_run(models, letter, tmp_path):
    """The pool restarted workers whose initializer failed, forever (102 tracebacks in 90 s, no record)."""
    _break_but_keep_checksums(models["tagger"])
    out = tmp_path / "out.jsonl"
    result = subprocess.run(IMR + ["score", str(letter), "--out", str(out), "--workers", "2",
                                   "--tagger", str(models["tagger"]), "--reasons", str(models["reasons"])],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)  # a safety net, not the test
    assert result.returncode == 2, result.stderr[-2000:]
    assert "error: " in result.stderr and "the tagger does not load" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_tag_with_a_tampered_tagger_is_one_line_and_status_2(models, letter, tmp_path, case, monkeypatch, capsys):
    """Through ``main``, as the ``imr`` script runs: every command, not only ``score``, says so in one line."""
    from pipeline.cli import main

    tamper(models["tagger"], "tagger", case)
    monkeypatch.setattr(sys, "argv", ["imr", "tag", str(letter), "--out", str(tmp_path / "t.jsonl"),
                                      "--tagger", str(models["tagger"])])
    with pytest.raises(SystemExit) as exit_status:
        main()
    assert exit_status.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and CASES[case] in lines[0]


def test_write_manifest_then_verify_round_trip(models):
    model = models["reasons"]
    (model / "notes.txt").write_text("a file the model ships with")
    with pytest.raises(ArtifactError, match="notes.txt: not listed"):
        artifacts.verify(model)
    extra = {k: v for k, v in _manifest(model).items() if k not in ("files", "libraries")}
    manifest = artifacts.write_manifest(model, extra)
    assert "notes.txt" in manifest.files
    assert artifacts.verify(model, required=REASONS_FILES).files == manifest.files
