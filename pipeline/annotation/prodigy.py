"""Prodigy: task files out (JSONL), the ``prodigy db-out`` answers back in.

Two task files, one per interface:

- ``reasons.jsonl``: one task per upheld item for the ``choice`` interface: ``text`` is the
  letter, its one span (label ``RATIONALE``) highlights the item's rationale, ``options``
  are the taxonomy's reasons and ``accept`` holds the classifier's, pre-selected. Run with
  several choices allowed: ``PRODIGY_CONFIG_OVERRIDES='{"choice_style": "multiple"}'
  prodigy mark imr_reasons reasons.jsonl --view-id choice``.
- ``entities.jsonl``: one task per letter for ``ner_manual``: ``tokens`` (spaCy's English
  tokenizer, the tagger's) and the tagger's ``spans``; a negated entity has its own label
  (``CONDITION-NEGATED``), because ``ner_manual`` has no span attributes. Run with
  ``prodigy ner.manual imr_entities blank:en entities.jsonl --label GUIDELINE,CONDITION,CONDITION-NEGATED,FINDING,FINDING-NEGATED``.

Every task carries the ``TaskHeader`` under ``imr`` (Prodigy keeps unknown keys through
``db-out``) and a short ``meta`` the interface shows. ``db-out`` writes one JSON object a
line: the task as shown, with ``answer`` (``accept``, ``reject`` or ``ignore``), the edited
``accept`` or ``spans``, and ``_annotator_id`` / ``_session_id`` for named sessions.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator, Sequence

import spacy

from ..letters import EntitySpan
from .answers import ACCEPT, REJECT, SKIP, Answer
from .tasks import ENTITIES, REASONS, LetterTask, TaskHeader

NEGATED = "-NEGATED"
RATIONALE = "RATIONALE"
REASONS_FILE, ENTITIES_FILE = "reasons.jsonl", "entities.jsonl"
ANSWERS = {"accept": ACCEPT, "reject": REJECT, "ignore": SKIP}


def span_label(span: EntitySpan) -> str:
    return span.label + (NEGATED if span.negated else "")


def entity_labels(labels: Sequence[str]) -> list[str]:
    """The ner_manual labels: each entity label, and its negated twin for those that can be absent."""
    return [name for label in labels for name in ((label,) if label == "GUIDELINE" else (label, label + NEGATED))]


def reason_task(task: LetterTask, item, header: TaskHeader, reasons: Sequence[str]) -> dict[str, Any]:
    ref = item.ref
    spans = [{"start": ref.rationale_range[0], "end": ref.rationale_range[1], "label": RATIONALE}] \
        if ref.rationale_range else []
    return {
        "text": task.text, "spans": spans,
        "options": [{"id": reason, "text": reason.replace("_", " ")} for reason in reasons],
        "accept": list(item.predicted),
        "meta": {"letter": task.id, "item": ref.index + 1, "service": ref.service,
                 "uncertainty": item.uncertainty},
        "imr": {"kind": REASONS, "item": ref.index, "scores": item.scores, "rules": item.rules, "why": item.why,
                **header.to_json()},
    }


def entity_task(task: LetterTask, header: TaskHeader, nlp) -> dict[str, Any]:
    doc = nlp.make_doc(task.text)
    tokens = [{"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
              for t in doc]
    spans = []
    for span in task.spans:
        aligned = doc.char_span(span.start, span.end, alignment_mode="expand")
        if aligned is None:
            continue
        spans.append({"start": aligned.start_char, "end": aligned.end_char, "token_start": aligned.start,
                      "token_end": aligned.end - 1, "label": span_label(span)})
    return {"text": task.text, "tokens": tokens, "spans": spans,
            "meta": {"letter": task.id, "uncertainty": task.uncertainty},
            "imr": {"kind": ENTITIES, **header.to_json()}}


def write_tasks(tasks: Sequence[LetterTask], out: Path, kinds: Sequence[str], reasons: Sequence[str]) -> dict[str, int]:
    """``reasons.jsonl`` and/or ``entities.jsonl`` in ``out``; how many tasks each holds."""

    nlp = spacy.blank("en")  # the tagger's tokenizer (a test holds the two equal)
    counts = {}
    out.mkdir(parents=True, exist_ok=True)
    if REASONS in kinds:
        with open(out / REASONS_FILE, "w", encoding="utf-8") as handle:
            for task in tasks:
                header = task.header(kinds)
                for item in task.upheld:
                    handle.write(json.dumps(reason_task(task, item, header, reasons), ensure_ascii=False) + "\n")
                    counts[REASONS_FILE] = counts.get(REASONS_FILE, 0) + 1
    if ENTITIES in kinds:
        with open(out / ENTITIES_FILE, "w", encoding="utf-8") as handle:
            for task in tasks:
                handle.write(json.dumps(entity_task(task, task.header(kinds), nlp), ensure_ascii=False) + "\n")
                counts[ENTITIES_FILE] = counts.get(ENTITIES_FILE, 0) + 1
    return counts


def looks_like(path: Path) -> bool:
    """A JSONL file whose first record has Prodigy's ``answer`` and our ``imr`` header."""
    with open(path, encoding="utf-8") as handle:
        first = handle.readline().strip()
    try:
        record = json.loads(first)
    except json.JSONDecodeError:
        return False
    return isinstance(record, dict) and "answer" in record and "imr" in record


def read_answers(path: Path) -> Iterator[Answer]:
    """``prodigy db-out`` JSONL (one or both task kinds, any number of sessions) as ``Answer`` records."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            where = f"line {number}"
            imr = record.get("imr")
            if not imr:
                raise ValueError(f"{path}: {where} has no 'imr' header: not a task exported by imr annotate export")
            header = TaskHeader.from_json(imr)
            annotator = str(record.get("_annotator_id") or record.get("_session_id") or "default")
            status = ANSWERS.get(record.get("answer"), SKIP)
            if imr["kind"] == REASONS:
                yield Answer(header, record["text"], REASONS, annotator, status, item=int(imr["item"]),
                             reasons=[str(r) for r in record.get("accept", [])], where=where)
            else:
                spans = [EntitySpan(int(s["start"]), int(s["end"]), s["label"].removesuffix(NEGATED),
                                    negated=s["label"].endswith(NEGATED)) for s in record.get("spans", [])]
                yield Answer(header, record["text"], ENTITIES, annotator, status, spans=spans, where=where)
