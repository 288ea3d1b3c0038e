"""Model artifacts are refused when tampered, truncated or from other library versions."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import artifacts
from pipeline.artifacts import ArtifactError
from pipeline.cli import app
from pipeline.scoring import DEFAULT_REASONS, load_reasons


@pytest.fixture
def model_copy(tmp_path) -> Path:
    target = tmp_path / "reasons"
    shutil.copytree(DEFAULT_REASONS, target)
    return target


def test_bundled_models_verify():
    for name in ("tagger", "reasons"):
        artifacts.verify(DEFAULT_REASONS.parent / name)


def test_tampered_artifact_is_refused(model_copy):
    blob = model_copy / "reasons.npz"
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF
    blob.write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match="checksum mismatch"):
        load_reasons(model_copy)


def test_truncated_artifact_is_refused(model_copy):
    blob = model_copy / "reasons.npz"
    blob.write_bytes(blob.read_bytes()[:1000])
    with pytest.raises(ArtifactError, match="checksum mismatch"):
        load_reasons(model_copy)


def test_missing_manifest_is_refused(model_copy):
    (model_copy / "manifest.json").unlink()
    with pytest.raises(ArtifactError, match="no manifest.json"):
        load_reasons(model_copy)


def test_other_library_version_is_refused(model_copy):
    manifest = json.loads((model_copy / "manifest.json").read_text())
    manifest["libraries"]["numpy"] = "0.1.0"
    (model_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtifactError, match="numpy 0.1.0"):
        load_reasons(model_copy)


def test_score_exits_2_with_a_clear_message_on_a_bad_model(model_copy, tmp_path):
    (model_copy / "reasons.npz").write_bytes(b"not a model")
    letter = tmp_path / "a.txt"
    letter.write_text("HOW THE IMR FINAL DETERMINATION WAS MADE\n")
    result = CliRunner().invoke(app, ["score", str(letter), "--out", str(tmp_path / "o.jsonl"),
                                      "--reasons", str(model_copy)])
    assert result.exit_code == 2
    assert "checksum mismatch" in result.output
    with_workers = CliRunner().invoke(app, ["score", str(letter), "--out", str(tmp_path / "o2.jsonl"),
                                            "--reasons", str(model_copy), "--workers", "2"])
    assert with_workers.exit_code == 2 and "checksum mismatch" in with_workers.output
