"""The ``imr`` command line as a user runs it."""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app

from letters_for_tests import LETTERS

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _command_paths(group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,)
        if hasattr(command, "commands"):
            yield from _command_paths(command, prefix + (name,))


def test_every_command_has_help():
    import typer.main

    paths = list(_command_paths(typer.main.get_command(app)))
    assert ("parse",) in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Usage" in result.output


def test_parse_writes_one_record_per_input_and_exits_1_on_failure(tmp_path):
    (tmp_path / "good.txt").write_text(LETTERS["fdl-issues"])
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["parse", str(tmp_path / "good.txt"), str(tmp_path / "empty.txt"), "--out", str(out)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["good", "empty"]
    assert records[0]["items"][0]["decision"] == "upheld" and records[0]["spans"] == []
    assert records[1]["error_kind"] == "empty" and records[1]["items"] == []
    assert "letters read: 1" in result.output and "empty 1" in result.output


def test_parse_exits_0_when_all_inputs_read(tmp_path):
    (tmp_path / "good.txt").write_text(LETTERS["fdl-decisions"])
    result = runner.invoke(app, ["parse", str(tmp_path), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0


def test_bundled_examples_parse_in_every_layout_with_offsets_into_their_text(tmp_path):
    out = tmp_path / "examples.jsonl"
    result = runner.invoke(app, ["parse", str(ROOT / "data" / "examples"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["format"] for r in records} == {"fdl-issues", "fdl-decisions", "professional-review"}
    for record in records:
        assert record["items"], record["id"]
        for item in record["items"]:
            assert item["decision"] in ("upheld", "overturned")
            start, end = item["service_range"]
            assert " ".join(item["service"].split()) in " ".join(record["text"][start:end].split())
            start, end = item["rationale_range"]
            assert record["text"][start:end].strip() and item["rationale"].strip()


