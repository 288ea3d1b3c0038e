"""Stand-off gold for letters that are not ours: annotations without the letter's text.

Real DWC letters are public records, but their text may not be committed. Their gold
lives in ``data/gold/real/*.jsonl`` as stand-off records: the case id, the PDF's name,
a SHA-256 of the text our reader extracts from it, and items, reasons, evidence and
spans as character offsets into that text. ``join`` puts a record back together with
the text read from the PDF; a text whose hash differs (another extraction, another
file) is refused, because every offset would point somewhere else.

One record a line::

    {"id": "CM16-0213037", "source": "CM16-0213037.pdf", "text_sha256": "...",
     "text_length": 5512, "format": "fdl-issues", "annotator": "A",
     "items": [{"service": "MRI of the right shoulder without contrast",
                "service_range": [2931, 2973], "decision": "upheld",
                "reasons": ["indication_not_met"],
                "evidence": {"indication_not_met": [[4012, 4070]]}, "note": "..."}],
     "spans": [{"start": 100, "end": 129, "label": "GUIDELINE", "negated": false}]}

``spans`` is absent (not ``[]``) on letters whose entities were not annotated, so that
span figures are taken only over letters that have them.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..letters import EntitySpan, Item, Letter
from ..paths import GOLD_DIR
from ..reader.sources import read_file

REAL_GOLD_DIR = GOLD_DIR / "real"
POOL_GOLD = REAL_GOLD_DIR / "pool.jsonl"          # adjudicated gold, every pool letter
SECOND_GOLD = REAL_GOLD_DIR / "second.jsonl"      # the blind second annotation, as annotated
FIRST_GOLD = REAL_GOLD_DIR / "first.jsonl"        # the first annotation of the same letters, before adjudication


class TextMismatch(ValueError):
    """The text read for a stand-off record is not the text it was annotated on."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class StandoffItem:
    service: str
    service_range: tuple[int, int]
    decision: str
    reasons: list[str] = field(default_factory=list)
    evidence: dict[str, list[list[int]]] = field(default_factory=dict)
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"service": self.service, "service_range": list(self.service_range),
                               "decision": self.decision, "reasons": list(self.reasons),
                               "evidence": {k: [list(r) for r in v] for k, v in self.evidence.items()}}
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "StandoffItem":
        return cls(service=raw["service"], service_range=tuple(raw["service_range"]), decision=raw["decision"],
                   reasons=list(raw.get("reasons", [])), evidence={k: [list(r) for r in v] for k, v in
                                                                     raw.get("evidence", {}).items()},
                   note=raw.get("note"))


@dataclass
class StandoffRecord:
    id: str
    source: str
    text_sha256: str
    text_length: int
    items: list[StandoffItem]
    spans: list[EntitySpan] | None = None
    format: str | None = "fdl-issues"
    annotator: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "source": self.source, "text_sha256": self.text_sha256,
                               "text_length": self.text_length, "format": self.format, "annotator": self.annotator,
                               "items": [item.to_json() for item in self.items]}
        if self.spans is not None:
            out["spans"] = [span.to_json() for span in self.spans]
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "StandoffRecord":
        spans = raw.get("spans")
        return cls(id=raw["id"], source=raw["source"], text_sha256=raw["text_sha256"],
                   text_length=int(raw["text_length"]), items=[StandoffItem.from_json(i) for i in raw["items"]],
                   spans=None if spans is None else [EntitySpan.from_json(s) for s in spans],
                   format=raw.get("format"), annotator=raw.get("annotator"))

    def join(self, text: str) -> Letter:
        """The full gold letter: this record's annotations on ``text``, which must be the annotated text."""
        if text_hash(text) != self.text_sha256:
            raise TextMismatch(f"{self.id}: the text read ({len(text)} characters) is not the annotated text "
                               f"({self.text_length} characters): was it extracted another way?")
        items = [Item(service=i.service, decision=i.decision, reasons=list(i.reasons),
                      evidence={k: [list(r) for r in v] for k, v in i.evidence.items()} or None,
                      service_range=i.service_range) for i in self.items]
        return Letter(id=self.id, text=text, format=self.format, items=items, spans=list(self.spans or []),
                      source=self.source)


def load(path: Path = POOL_GOLD) -> list[StandoffRecord]:
    with open(path, encoding="utf-8") as handle:
        return [StandoffRecord.from_json(json.loads(line)) for line in handle if line.strip()]


def save(records: Iterable[StandoffRecord], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for record in sorted(records, key=lambda r: r.id):
            handle.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")


def read_source_text(record: StandoffRecord, folder: Path) -> str:
    """The text of the record's letter as the project reads it (``sources.read_file``)."""
    (raw,) = list(read_file(Path(folder) / record.source))
    if raw.error:
        raise TextMismatch(f"{record.id}: {raw.error}")
    return raw.text


def joined(records: Iterable[StandoffRecord], folder: Path, spans_only: bool = False) -> Iterator[Letter]:
    """Full gold letters for the records whose source is in ``folder``; with ``spans_only``, only
    the letters whose entities were annotated."""
    for record in records:
        if spans_only and record.spans is None:
            continue
        yield record.join(read_source_text(record, folder))


def from_annotation(annotation: dict[str, Any], text: str, source: str) -> StandoffRecord:
    """A stand-off record from an annotator's working file, whose ranges carry their quoted text.

    The working file (``{"id", "annotator", "items": [{"service": {"start", "end", "text"},
    "decision", "reasons": [{"label", "evidence": [{"start", "end", "text"}]}], "note"}],
    "spans": [{"start", "end", "text", "label", "negated"}]}``) is checked against ``text``
    quote by quote; the quotes are then dropped, so that no letter text is kept.
    """
    def checked(rng: dict[str, Any], what: str) -> tuple[int, int]:
        start, end = int(rng["start"]), int(rng["end"])
        if text[start:end] != rng["text"]:
            raise TextMismatch(f"{annotation['id']}: {what} {start}-{end} does not hold the quoted text")
        return start, end

    items = []
    for item in annotation["items"]:
        service_range = checked(item["service"], "service")
        reasons, evidence = [], {}
        for reason in item.get("reasons", []):
            label = reason["label"]
            if label not in reasons:
                reasons.append(label)
            evidence.setdefault(label, []).extend(list(checked(ev, f"{label} evidence")) for ev in reason["evidence"])
        items.append(StandoffItem(service=" ".join(item["service"]["text"].split()), service_range=service_range,
                                  decision=item["decision"], reasons=reasons, evidence=evidence,
                                  note=without_quotes(item["note"], text) if item.get("note") else None))
    spans = None
    if "spans" in annotation:
        spans = [EntitySpan(*checked(span, f"{span['label']} span"), label=span["label"],
                            negated=bool(span.get("negated", False)))
                 for span in sorted(annotation["spans"], key=lambda s: (s["start"], s["end"]))]
    return StandoffRecord(id=annotation["id"], source=source, text_sha256=text_hash(text), text_length=len(text),
                          items=items, spans=spans, annotator=annotation.get("annotator"))


def without_quotes(note: str, text: str, words: int = 4) -> str:
    """``note`` with every run of ``words`` or more words that the letter holds verbatim replaced by
    an ellipsis: an annotator's note keeps its reasoning, not the letter's sentences."""
    tokens = note.split(" ")
    flat = " ".join(text.split()).lower()
    out, i = [], 0
    while i < len(tokens):
        j = i + words
        if j <= len(tokens) and " ".join(tokens[i:j]).strip("'\"()").lower() in flat:
            while j < len(tokens) and " ".join(tokens[i:j + 1]).strip("'\"()").lower() in flat:
                j += 1
            out.append("[...]")
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out)
