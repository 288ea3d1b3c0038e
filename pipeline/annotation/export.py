"""``imr annotate export``: letters scored by the current models, selected, written as a tool's tasks.

The inputs are read and scored as ``imr score`` does (reader, tagger, reason classifier);
each readable letter becomes a ``LetterTask``, ``select.select_letters`` orders and cuts
them, and the tool's writer puts the task files in the output folder beside
``manifest.json``: which letters were exported (id, text hash, uncertainty), how they
were chosen, and the models' checksums, so that ``imr annotate import --tasks`` can tell
a letter nobody answered from one that was never asked.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .. import artifacts
from ..reader.sources import iter_raw
from ..scoring import DEFAULT_REASONS, DEFAULT_TAGGER, Scorer
from ..taxonomy import load_taxonomy
from ..corpus.standoff import text_hash
from . import label_studio, prodigy
from .select import select_letters
from .tasks import KINDS, LetterTask, letter_task

TOOLS = ("prodigy", "label-studio")
MANIFEST = "manifest.json"


@dataclass
class ExportResult:
    tasks: list[LetterTask]
    files: dict[str, int]
    skipped: list[str] = field(default_factory=list)  # inputs that could not be read, with why


def letter_tasks(inputs: Iterable[str], tagger: Path | None = None, reasons: Path | None = None,
                 skipped: list[str] | None = None) -> tuple[list[LetterTask], dict]:
    """Every readable input as a task, scored by the models; the reasons model's thresholds and manifest."""

    scorer = Scorer.load(tagger or DEFAULT_TAGGER, reasons or DEFAULT_REASONS)
    thresholds = dict(scorer.reasons.thresholds)
    tasks = []
    for letter in scorer.score(iter_raw(inputs)):
        if letter.error or not letter.items:
            if skipped is not None:
                skipped.append(f"{letter.id}: {letter.error or 'no disputed items read'}")
            continue
        tasks.append(letter_task(letter, thresholds))
    # Scorer.load verified both manifests; their checksums name the models that made the predictions.
    models = {name: json.loads((Path(path) / artifacts.MANIFEST).read_text(encoding="utf-8"))["files"]
              for name, path in (("tagger", tagger or DEFAULT_TAGGER), ("reasons", reasons or DEFAULT_REASONS))}
    return tasks, models


def model_version(models: dict) -> str:
    """A short name for the models that made the predictions (from their files' checksums)."""
    digest = text_hash(json.dumps(models, sort_keys=True))
    return f"imr-{digest[:12]}"


def write_export(tasks: Sequence[LetterTask], tool: str, out: Path, kinds: Sequence[str] = KINDS,
                 models: dict | None = None, selection: dict | None = None) -> dict[str, int]:

    version = model_version(models or {})
    if tool == "prodigy":
        files = prodigy.write_tasks(tasks, out, kinds, load_taxonomy().reason_ids)
    elif tool == "label-studio":
        files = label_studio.write_tasks(tasks, out, kinds, version)
    else:
        raise ValueError(f"unknown tool {tool!r}; choose from {', '.join(TOOLS)}")
    manifest = {"tool": tool, "kinds": list(kinds), "selection": selection or {}, "model_version": version,
                "models": models or {},
                "letters": [{"id": t.id, "text_sha256": text_hash(t.text), "upheld_items": len(t.upheld),
                             "uncertainty": t.uncertainty} for t in tasks]}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return files


def export(inputs: Iterable[str], tool: str, out: Path, strategy: str = "uncertain", n: int | None = None,
           seed: int = 13, kinds: Sequence[str] = KINDS, tagger: Path | None = None,
           reasons: Path | None = None) -> ExportResult:
    skipped: list[str] = []
    tasks, models = letter_tasks(inputs, tagger, reasons, skipped)
    chosen = select_letters(tasks, strategy, n, seed)
    files = write_export(chosen, tool, out, kinds, models,
                         {"strategy": strategy, "n": n, "seed": seed if strategy == "random" else None,
                          "candidates": len(tasks)})
    return ExportResult(chosen, files, skipped)


def exported_letters(folder: Path) -> dict[str, str]:
    """Letter id -> text hash of an export folder's manifest."""
    manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    return {entry["id"]: entry["text_sha256"] for entry in manifest["letters"]}
