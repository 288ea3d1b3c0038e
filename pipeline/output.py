"""Writing scored letters: JSONL (resumable), CSV (one row per item, resumable) and Parquet.

Writers flush after every letter, so a crash loses nothing already scored. On
``--resume`` a partial last line (a crash mid-write) is cut off, and the ids already
written are skipped when the inputs are read again.
"""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from .letters import Letter

# The header fields an analyst groups by, one column each (lists joined with "; ").
HEADER_COLUMNS = ["case_number", "decision_date", "date_of_injury", "ur_denial_date", "priority",
                  "specialties", "licensure_states"]
CSV_COLUMNS = ["letter_id", "source", "format", "error", *HEADER_COLUMNS, "item", "service", "decision", "reasons",
               "reason_scores", "claims_guideline", "reviewer_guideline", "rationale_start", "rationale_end"]


def repair_partial_line(path: Path) -> bool:
    """Cut a last line that has no newline (an interrupted write). Returns whether it cut."""
    with open(path, "rb+") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        if size == 0:
            return False
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return False
        # Walk back to the last newline.
        position = size - 1
        chunk = 65536
        while position > 0:
            start = max(0, position - chunk)
            handle.seek(start)
            data = handle.read(position - start)
            cut = data.rfind(b"\n")
            if cut >= 0:
                handle.truncate(start + cut + 1)
                return True
            position = start
        handle.truncate(0)
        return True


def done_ids(path: Path, fmt: str) -> Counter:
    """How many times each letter id is already in an output file."""
    done: Counter = Counter()
    if not path.exists():
        return done
    repair_partial_line(path)
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    done[str(json.loads(line)["id"])] += 1
    elif fmt == "csv":
        seen_rows: set[tuple[str, str]] = set()
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (row["letter_id"], row["source"])
                if key not in seen_rows:
                    seen_rows.add(key)
                    done[row["letter_id"]] += 1
    else:
        raise ValueError(f"--resume is not supported for {fmt} output; use jsonl or csv")
    return done


def csv_rows(letter: Letter) -> list[dict]:
    header = letter.header.to_json() if letter.header else {}
    base = {"letter_id": letter.id, "source": letter.source or "", "format": letter.format or "",
            "error": letter.error or "",
            **{c: "; ".join(v) if isinstance(v, list) else (v or "") for c in HEADER_COLUMNS for v in [header.get(c)]}}
    if not letter.items:
        return [{**base, "item": "", "service": "", "decision": "", "reasons": "", "reason_scores": "",
                 "claims_guideline": "", "reviewer_guideline": "", "rationale_start": "", "rationale_end": ""}]
    rows = []
    for n, item in enumerate(letter.items, 1):
        rows.append({**base, "item": n, "service": item.service, "decision": item.decision or "",
                     "reasons": ";".join(item.reasons),
                     "reason_scores": json.dumps(item.reason_scores) if item.reason_scores else "",
                     "claims_guideline": item.claims_guideline or "", "reviewer_guideline": item.reviewer_guideline or "",
                     "rationale_start": item.rationale_range[0] if item.rationale_range else "",
                     "rationale_end": item.rationale_range[1] if item.rationale_range else ""})
    return rows


class Writer:
    """Append letters to ``path`` in ``fmt``; one letter at a time, flushed."""

    def __init__(self, path: Path, fmt: str = "jsonl", append: bool = False):
        self.path, self.fmt = Path(path), fmt
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "parquet":
            self._rows: list[dict] = []
            self._writer = None
            return
        fresh = not (append and self.path.exists() and self.path.stat().st_size > 0)
        self._handle = open(self.path, "a" if append else "w", encoding="utf-8", newline="")
        if fmt == "csv":
            self._csv = csv.DictWriter(self._handle, fieldnames=CSV_COLUMNS)
            if fresh:
                self._csv.writeheader()

    def write(self, letter: Letter) -> None:
        if self.fmt == "jsonl":
            self._handle.write(letter.to_jsonl_line())
            self._handle.flush()
        elif self.fmt == "csv":
            self._csv.writerows(csv_rows(letter))
            self._handle.flush()
        else:
            self._rows.extend(csv_rows(letter))
            if len(self._rows) >= 5000:
                self._flush_parquet()

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._rows:
            return
        table = pa.Table.from_pylist([{k: (str(v) if v != "" else None) for k, v in r.items()} for r in self._rows],
                                     schema=pa.schema([(c, pa.string()) for c in CSV_COLUMNS]))
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema)
        self._writer.write_table(table)
        self._rows = []

    def close(self) -> None:
        if self.fmt == "parquet":
            self._flush_parquet()
            if self._writer is not None:
                self._writer.close()
        else:
            self._handle.close()
