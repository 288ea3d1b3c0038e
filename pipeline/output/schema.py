"""Scored letters as analyst tables: typed rows for Parquet, flat rows for CSV.

Three tables, one row per letter, per disputed item and per entity span, joined on
``letter_id`` (items and entities also on their 1-based ``item`` / ``span`` number).
Parquet keeps the types (dates, integers, one float column per reason score, booleans,
lists, the evidence as a list of structs); the CSV is the items table flattened, with
the letter's fields repeated on each of its rows, since a spreadsheet has no joins.
Reason scores are empty (null) where the item has none: overturned items have no
reasons, so they have no scores either.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ..letters import DATE_FIELDS, Letter, LetterHeader
from ..taxonomy import load_taxonomy

HEADER_FIELDS = ["case_number", "date_assigned", "date_of_injury", "decision_date", "ur_denial_date",
                 "application_received", "priority", "licensure_states", "specialties"]
LIST_FIELDS = ("licensure_states", "specialties")
# Several evidence sentences of one reason share a CSV cell, separated by this.
EVIDENCE_JOIN = " | "


def reason_ids() -> list[str]:
    return load_taxonomy().reason_ids


# Rows ---------------------------------------------------------------------------------------

def _header_values(letter: Letter) -> dict:
    header = letter.header or LetterHeader()
    return {name: getattr(header, name) for name in HEADER_FIELDS}


def letter_row(letter: Letter) -> dict:
    decisions = [item.decision for item in letter.items]
    return {
        "letter_id": letter.id, "source": letter.source, "format": letter.format,
        "error_kind": (letter.error_kind or "error") if letter.error else None, "error": letter.error,
        "warnings": list(letter.warnings),
        **_header_values(letter),
        "items": len(letter.items), "upheld": decisions.count("upheld"), "overturned": decisions.count("overturned"),
        "spans": len(letter.spans), "text_chars": len(letter.text or ""),
    }


def _evidence(letter: Letter, item) -> list[dict]:
    out = []
    for reason, ranges in (item.evidence or {}).items():
        for start, end in ranges:
            out.append({"reason": reason, "start": int(start), "end": int(end), "text": letter.text[start:end]})
    return out


def item_rows(letter: Letter) -> list[dict]:
    rows = []
    for number, item in enumerate(letter.items, 1):
        scores = item.reason_scores or {}
        service = item.service_range or (None, None)
        rationale = item.rationale_range or (None, None)
        rows.append({
            "letter_id": letter.id, "item": number, "service": item.service,
            "service_start": service[0], "service_end": service[1], "decision": item.decision,
            "reasons": list(item.reasons),
            **{f"score_{label}": (float(scores[label]) if label in scores else None) for label in reason_ids()},
            "evidence": _evidence(letter, item),
            "claims_guideline": item.claims_guideline, "reviewer_guideline": item.reviewer_guideline,
            "rationale": item.rationale, "rationale_start": rationale[0], "rationale_end": rationale[1],
        })
    return rows


def entity_rows(letter: Letter) -> list[dict]:
    return [{"letter_id": letter.id, "span": number, "start": span.start, "end": span.end, "label": span.label,
             "text": letter.text[span.start:span.end], "negated": span.negated, "guideline_id": span.guideline_id}
            for number, span in enumerate(letter.spans, 1)]


# Parquet schemas ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def schemas() -> dict:
    """The three tables' Arrow schemas (pyarrow is imported here: JSONL runs never need it)."""
    import pyarrow as pa

    text, int32, strings = pa.string(), pa.int32(), pa.list_(pa.string())
    header = [(name, pa.date32() if name in DATE_FIELDS else strings if name in LIST_FIELDS else text)
              for name in HEADER_FIELDS]
    letters = pa.schema([("letter_id", text), ("source", text), ("format", text), ("error_kind", text),
                         ("error", text), ("warnings", strings), *header, ("items", int32), ("upheld", int32),
                         ("overturned", int32), ("spans", int32), ("text_chars", pa.int64())])
    evidence = pa.struct([("reason", text), ("start", int32), ("end", int32), ("text", text)])
    items = pa.schema([("letter_id", text), ("item", int32), ("service", text), ("service_start", int32),
                       ("service_end", int32), ("decision", text), ("reasons", strings),
                       *[(f"score_{label}", pa.float64()) for label in reason_ids()],
                       ("evidence", pa.list_(evidence)), ("claims_guideline", text), ("reviewer_guideline", text),
                       ("rationale", text), ("rationale_start", int32), ("rationale_end", int32)])
    entities = pa.schema([("letter_id", text), ("span", int32), ("start", int32), ("end", int32), ("label", text),
                          ("text", text), ("negated", pa.bool_()), ("guideline_id", text)])
    return {"letters": letters, "items": items, "entities": entities}


TABLES = ("letters", "items", "entities")


# CSV: the items table, flat -----------------------------------------------------------------

def csv_columns() -> list[str]:
    return ["letter_id", "source", "format", "error_kind", "error", "warnings", *HEADER_FIELDS,
            "items", "item", "service", "decision", "reasons",
            *[f"score_{label}" for label in reason_ids()], *[f"evidence_{label}" for label in reason_ids()],
            "claims_guideline", "reviewer_guideline", "rationale", "rationale_start", "rationale_end",
            "service_start", "service_end"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def csv_rows(letter: Letter) -> list[dict]:
    """One row per item; a letter without items (or that could not be read) gets one row with ``item`` empty.

    ``items`` (the letter's item count) is on every row: it is how ``--resume`` tells a
    letter written whole from one cut short.
    """
    base = letter_row(letter)
    flat = {name: _cell(base[name]) for name in
            ("letter_id", "source", "format", "error_kind", "error", "warnings", *HEADER_FIELDS, "items")}
    rows = []
    for item in item_rows(letter):
        row = dict(flat)
        for name in ("item", "service", "decision", "reasons", "claims_guideline", "reviewer_guideline", "rationale",
                     "rationale_start", "rationale_end", "service_start", "service_end"):
            row[name] = _cell(item[name])
        row["reasons"] = ";".join(item["reasons"])
        for label in reason_ids():
            score = item[f"score_{label}"]
            row[f"score_{label}"] = "" if score is None else repr(score)
            row[f"evidence_{label}"] = EVIDENCE_JOIN.join(e["text"] for e in item["evidence"] if e["reason"] == label)
        rows.append(row)
    if not rows:
        rows.append({**{name: "" for name in csv_columns()}, **flat})
    return rows


def csv_expected_rows(items_cell: str) -> int:
    """How many CSV rows a letter with this ``items`` cell has."""
    try:
        return max(1, int(items_cell))
    except ValueError:
        return 1

