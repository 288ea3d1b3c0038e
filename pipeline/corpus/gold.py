"""The hand-written gold dev set: annotated sources in, ``data/gold/dev.jsonl`` out.

Annotators write one letter per file in ``data/gold/letters/`` with inline marks,
so that span offsets are computed, never typed by hand::

    # id: dev-001
    # format: fdl-issues
    # item: Lidoderm 5% patch #30 | upheld | not_recommended_by_guideline, indication_not_met
    # item: Physical therapy, 6 sessions | overturned |
    =====
    ... the letter text, with [[myofascial pain syndrome|C-]] and [[ODG|G]] marks ...

A mark is ``[[text|L]]`` with ``L`` one of ``G`` (GUIDELINE), ``C`` (CONDITION)
or ``F`` (FINDING), followed by ``-`` when the text says the entity is absent.
Everything after the ``=====`` line is the letter, marks removed.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..letters import EntitySpan, Item, Letter
from ..paths import DATA_DIR, GOLD_DIR
from ..validate import check_letter

LABELS = {"G": "GUIDELINE", "C": "CONDITION", "F": "FINDING"}
MARK = re.compile(r"\[\[([^\[\]|]+)\|([GCF])(-?)\]\]")
SEPARATOR = "====="


# Hand-annotated sets: where their sources are and the file each compiles to. The dev
# set judges; the training set teaches; no letter is in both.
SETS = {
    "dev": (GOLD_DIR / "letters", GOLD_DIR / "dev.jsonl"),
    "train": (DATA_DIR / "annotated" / "letters", DATA_DIR / "annotated" / "train.jsonl"),
}


class MarkupError(ValueError):
    """A gold source file that cannot be compiled; the message names the file and the fault."""


def compile_markup(body: str) -> tuple[str, list[EntitySpan]]:
    """Strip ``[[text|L]]`` marks from ``body``; return the plain text and the spans."""
    out: list[str] = []
    spans: list[EntitySpan] = []
    position = 0
    length = 0
    for match in MARK.finditer(body):
        before = body[position:match.start()]
        out.append(before)
        length += len(before)
        surface, label, negated = match.group(1), match.group(2), match.group(3)
        if surface != surface.strip():
            raise MarkupError(f"span {surface!r} has leading or trailing spaces")
        spans.append(EntitySpan(length, length + len(surface), LABELS[label], negated == "-"))
        out.append(surface)
        length += len(surface)
        position = match.end()
    out.append(body[position:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        where = text.find("[[") if "[[" in text else text.find("]]")
        raise MarkupError(f"malformed mark near {text[max(0, where - 30):where + 40]!r}")
    return text, spans


def parse_source(path: Path) -> Letter:
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n" + SEPARATOR + "\n")
    if not sep:
        raise MarkupError(f"{path}: no '{SEPARATOR}' line between header and letter")
    fields: dict[str, str] = {}
    items: list[Item] = []
    for line in head.splitlines():
        if not line.strip():
            continue
        if not line.startswith("#") or ":" not in line:
            raise MarkupError(f"{path}: header line not '# key: value': {line!r}")
        key, _, value = line[1:].partition(":")
        key, value = key.strip(), value.strip()
        if key == "item":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 3:
                raise MarkupError(f"{path}: item needs 'service | decision | reasons': {value!r}")
            service, decision, reasons = parts
            items.append(Item(service=service, decision=decision,
                              reasons=[r.strip() for r in reasons.split(",") if r.strip()]))
        else:
            fields[key] = value
    try:
        text, spans = compile_markup(body)
    except MarkupError as exc:
        raise MarkupError(f"{path}: {exc}") from None
    if "id" not in fields:
        raise MarkupError(f"{path}: no '# id:' line")
    return Letter(id=fields["id"], text=text, format=fields.get("format"), items=items, spans=spans)


def gold_record(letter: Letter) -> dict:
    """The gold-format record of a compiled letter (no reader extras)."""
    return {
        "id": letter.id,
        "text": letter.text,
        "format": letter.format,
        "items": [{"service": i.service, "decision": i.decision, "reasons": i.reasons}
                  for i in letter.items],
        "spans": [s.to_json() for s in letter.spans],
    }


def build_gold(source_dir: Path = GOLD_DIR / "letters", out: Path = GOLD_DIR / "dev.jsonl") -> list[Letter]:
    """Compile every source in ``source_dir`` (sorted by name) into one JSONL file."""
    letters = [parse_source(path) for path in sorted(Path(source_dir).glob("*.txt"))]
    ids = [letter.id for letter in letters]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise MarkupError(f"duplicate ids: {sorted(duplicates)}")
    with open(out, "w", encoding="utf-8") as handle:
        for letter in letters:
            handle.write(json.dumps(gold_record(letter), ensure_ascii=False) + "\n")
    return letters


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.corpus.gold FILE...``: compile and check sources, show their spans."""


    status = 0
    for name in argv if argv is not None else sys.argv[1:]:
        try:
            letter = parse_source(Path(name))
        except MarkupError as exc:
            print(f"ERROR {exc}")
            status = 1
            continue
        problems = check_letter(letter)
        counts = {label: sum(s.label == label for s in letter.spans) for label in LABELS.values()}
        print(f"{name}: id={letter.id} format={letter.format} items={len(letter.items)} spans={counts}")
        for problem in problems:
            print(f"  PROBLEM {problem}")
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
