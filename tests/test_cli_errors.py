"""Usage errors as a user meets them: one plain message and exit status 2, never a traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "gold" / "dev.jsonl"


def imr(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


MISSING = "/nonexistent/missing.jsonl"


@pytest.mark.parametrize("args", [
    ("evaluate", MISSING, "--predictions", str(DEV)),
    ("evaluate", str(DEV), "--predictions", MISSING),
    ("report", MISSING, "--out", "/tmp/never.html"),
    ("report", str(DEV), "--gold", MISSING, "--out", "/tmp/never.html"),
    ("data", "check", MISSING),
    ("train", "--config", MISSING),
    ("tag", str(DEV), "--tagger", "/nonexistent/tagger", "--out", "/tmp/never.jsonl"),
    ("score", str(DEV), "--reasons", "/nonexistent/reasons", "--out", "/tmp/never.jsonl"),
    ("show", MISSING, "--html", "/tmp/never.html"),
    ("negex", MISSING),
], ids=lambda a: " ".join(a[:2]))
def test_a_missing_file_is_a_usage_error_not_a_traceback(args):
    result = imr(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "does not exist" in result.stderr


def test_a_folder_where_a_file_is_wanted_is_one_line_and_status_2(tmp_path):
    result = imr("data", "check", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "is a directory" in result.stderr


def test_evaluate_with_no_letter_in_common_says_so(tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text('{"id": "not-a-dev-letter", "text": "x", "items": []}\n')
    result = imr("evaluate", str(DEV), "--predictions", str(other))
    assert result.returncode == 2
    assert "no id in common" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_is_printed():
    result = imr("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("imr ")


@pytest.mark.parametrize("args, choices", [
    (("train", "--help"), ("tagger", "reasons")),
    (("data", "real-gold", "--help"), ("pool", "first", "second")),
])
def test_options_with_fixed_choices_show_them(args, choices):
    result = imr(*args)
    assert result.returncode == 0
    for choice in choices:
        assert choice in result.stdout


def test_a_bad_choice_is_refused_with_the_choices():
    result = imr("train", "--only", "everything")
    assert result.returncode == 2
    assert "tagger" in result.stderr and "reasons" in result.stderr
