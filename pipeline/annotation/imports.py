"""``imr annotate import``: an answer file from either tool, back into gold letters.

The tool is told by the file's shape (Label Studio exports one JSON list, Prodigy's
``db-out`` writes JSONL) unless named. With the export folder (``--tasks``), letters that
were exported and got no answer at all are reported too: an answer file alone cannot
show what is missing from it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from . import label_studio, prodigy
from .answers import Answer, Assembled, Problem, assemble
from .export import exported_letters

TOOLS = ("prodigy", "label-studio")


def detect_tool(path: Path) -> str:

    if label_studio.looks_like(path):
        return "label-studio"
    if prodigy.looks_like(path):
        return "prodigy"
    raise ValueError(f"{path}: neither a Label Studio JSON export nor a Prodigy db-out JSONL of imr tasks")


def read_answers(path: Path, tool: str | None = None) -> Iterator[Answer]:

    tool = tool or detect_tool(path)
    if tool == "prodigy":
        return prodigy.read_answers(path)
    if tool == "label-studio":
        return label_studio.read_answers(path)
    raise ValueError(f"unknown tool {tool!r}; choose from {', '.join(TOOLS)}")


def import_answers(path: Path, tool: str | None = None, tasks: Path | None = None) -> Assembled:
    """Gold letters from an answer file; with ``tasks`` (the export folder), letters never answered are reported."""
    answers = list(read_answers(Path(path), tool))
    result = assemble(answers)
    if tasks is not None:

        seen = {answer.header.letter_id for answer in answers}
        for letter_id, digest in sorted(exported_letters(tasks).items()):
            if letter_id not in seen:
                result.problems.append(Problem(letter_id, "unanswered", "exported, but the answer file has nothing "
                                                                        "for this letter"))
    return result
