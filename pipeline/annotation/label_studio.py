"""Label Studio: tasks and labeling config out, the JSON export back in.

One task per letter (``tasks.json``, Label Studio's import format: ``data`` plus
``predictions``) and the labeling config that matches it (``config.xml``, from the
template ``templates/label-studio.xml`` with the taxonomy's reasons filled in):

- entity regions (``Labels`` named ``label``: GUIDELINE, CONDITION, FINDING), negation a
  per-region choice (``negated``);
- one ``RATIONALE`` region per upheld item over its rationale (so the rationale is
  highlighted), with the item's reasons as per-region choices (``reasons``, several
  allowed), the classifier's pre-selected, and a per-region ``item_problem`` choice
  (``misread``) for an item the reader got wrong. The region's id is ``item-<index>``.

The task's ``data`` holds the text, the letter id and the ``TaskHeader`` (``imr``). Label
Studio's JSON export gives each task back with ``annotations``: per annotation the
annotator (``completed_by``), ``was_cancelled``, and ``result``, where a region is one
``labels`` result and its per-region choices are ``choices`` results with the same ``id``.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator, Sequence
from xml.sax.saxutils import quoteattr

from ..letters import EntitySpan
from ..taxonomy import load_taxonomy
from .answers import ACCEPT, REJECT, SKIP, Answer
from .tasks import ENTITIES, REASONS, LetterTask, TaskHeader

TEMPLATE = Path(__file__).parent / "templates" / "label-studio.xml"
TASKS_FILE, CONFIG_FILE = "tasks.json", "config.xml"
RATIONALE, MISREAD, NEGATED = "RATIONALE", "misread", "negated"
ITEM_PREFIX = "item-"


def labeling_config() -> str:
    """The labeling config (XML) for the tasks ``write_tasks`` writes: the template with the reasons filled in."""
    tax = load_taxonomy()
    choices = "\n".join(f"      <Choice value={quoteattr(reason)} hint={quoteattr(text)}/>"
                        for reason, text in tax.reasons.items())
    return TEMPLATE.read_text(encoding="utf-8").replace("{{reason_choices}}", choices)


def _region(region_id: str, start: int, end: int, text: str, name: str, kind: str, value: list[str]) -> dict[str, Any]:
    return {"id": region_id, "from_name": name, "to_name": "text", "type": kind,
            "value": {"start": start, "end": end, "text": text[start:end], kind: value}}


def task_json(task: LetterTask, kinds: Sequence[str], model_version: str) -> dict[str, Any]:
    header = task.header(kinds)
    result = []
    if ENTITIES in kinds:
        for n, span in enumerate(task.spans):
            region = f"e{n}"
            result.append(_region(region, span.start, span.end, task.text, "label", "labels", [span.label]))
            if span.negated:
                result.append(_region(region, span.start, span.end, task.text, NEGATED, "choices", [NEGATED]))
    if REASONS in kinds:
        for item in task.upheld:
            if not item.ref.rationale_range:
                continue
            start, end = item.ref.rationale_range
            region = f"{ITEM_PREFIX}{item.ref.index}"
            result.append(_region(region, start, end, task.text, "label", "labels", [RATIONALE]))
            if item.predicted:
                result.append(_region(region, start, end, task.text, "reasons", "choices", list(item.predicted)))
    return {"data": {"text": task.text, "letter_id": task.id, "imr": header.to_json(),
                     "uncertainty": task.uncertainty,
                     "why": {str(item.ref.index): item.why for item in task.upheld}},
            "predictions": [{"model_version": model_version, "score": task.uncertainty, "result": result}]}


def write_tasks(tasks: Sequence[LetterTask], out: Path, kinds: Sequence[str], model_version: str) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    (out / TASKS_FILE).write_text(json.dumps([task_json(t, kinds, model_version) for t in tasks], ensure_ascii=False,
                                             indent=1) + "\n", encoding="utf-8")
    (out / CONFIG_FILE).write_text(labeling_config(), encoding="utf-8")
    return {TASKS_FILE: len(tasks), CONFIG_FILE: 1}


def looks_like(path: Path) -> bool:
    """A JSON list (Label Studio's export), not JSONL."""
    with open(path, encoding="utf-8") as handle:
        return handle.read(64).lstrip().startswith("[")


def _annotator(annotation: dict[str, Any]) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):  # some exports expand the user
        who = who.get("email") or who.get("id")
    return str(who if who is not None else annotation.get("id", "default"))


def annotation_answers(header: TaskHeader, text: str, annotation: dict[str, Any], where: str) -> Iterator[Answer]:
    """The answers one Label Studio annotation gives: the letter's spans and each upheld item's reasons."""
    annotator = _annotator(annotation)
    upheld = {ref.index: ref for ref in header.items if ref.decision == "upheld"}
    if annotation.get("was_cancelled"):
        # A skipped task answers nothing; it is reported where nobody else answered.
        if ENTITIES in header.kinds:
            yield Answer(header, text, ENTITIES, annotator, SKIP, where=where)
        for index in upheld if REASONS in header.kinds else ():
            yield Answer(header, text, REASONS, annotator, SKIP, item=index, where=where)
        return
    regions: dict[str, dict[str, Any]] = defaultdict(dict)
    for result in annotation.get("result", []):
        if "id" not in result or "value" not in result:  # relations and the like: our config makes none
            continue
        value = result["value"]
        region = regions[result["id"]]
        region.setdefault("start", value.get("start"))
        region.setdefault("end", value.get("end"))
        if result.get("type") == "labels":
            region["label"] = (value.get("labels") or [None])[0]
        elif result.get("type") == "choices":
            region[result["from_name"]] = list(value.get("choices", []))
    spans, by_range = [], {ref.rationale_range: i for i, ref in upheld.items() if ref.rationale_range}
    for region_id, region in regions.items():
        label = region.get("label")
        if label == RATIONALE:
            index = None
            if region_id.startswith(ITEM_PREFIX) and region_id[len(ITEM_PREFIX):].isdigit():
                index = int(region_id[len(ITEM_PREFIX):])  # moved or resized: still the exported item's region
            if index is None:
                index = by_range.get((region["start"], region["end"]))
            status = REJECT if MISREAD in region.get("item_problem", []) else ACCEPT
            yield Answer(header, text, REASONS, annotator, status, item=index, reasons=region.get("reasons", []),
                         where=f"{where} region {region_id}")
        elif label is not None:
            spans.append(EntitySpan(int(region["start"]), int(region["end"]), label,
                                    negated=NEGATED in region.get(NEGATED, [])))
    if ENTITIES in header.kinds:
        yield Answer(header, text, ENTITIES, annotator, ACCEPT, spans=spans, where=where)


def read_answers(path: Path) -> Iterator[Answer]:
    """A Label Studio JSON export (tasks with ``annotations``) as ``Answer`` records."""
    tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    for task in tasks:
        data = task.get("data", {})
        if "imr" not in data:
            raise ValueError(f"{path}: task {task.get('id')} has no 'imr' header: not a task exported by imr annotate export")
        header = TaskHeader.from_json(data["imr"])
        where = f"task {task.get('id', '?')}"
        if not task.get("annotations"):
            # Not annotated at all: its parts are reported as unanswered.
            yield from annotation_answers(header, data.get("text", ""), {"was_cancelled": True, "completed_by": ""},
                                          where)
        for annotation in task.get("annotations", []):
            yield from annotation_answers(header, data.get("text", ""), annotation,
                                          f"{where} annotation {annotation.get('id', '?')}")
