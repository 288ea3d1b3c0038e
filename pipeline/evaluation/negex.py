"""Score ``imr_negation`` on the public NegEx test set (and on our dev gold spans).

``python -m pipeline.evaluation.negex [PATH] [--dev] [--compare-medspacy] [--errors N]``

Each NegEx row is one sentence with one target. The sentence is tokenised with
``spacy.blank("en")``, the target becomes the doc's only entity (``doc.ents``) and the
real component is applied, so what is scored is the pipeline path, not a side copy.
The target is located case-insensitively with flexible whitespace; where it occurs more
than once, the occurrence written in UPPER CASE (the file's way of marking it) is used.
The 11 rows whose target is not in the sentence (it runs across a sentence boundary, see
the data README) are scored as "not found -> Affirmed" and counted separately.

``--dev`` also scores ``data/gold/dev.jsonl``: every gold span becomes an entity of its
sentence (blank English doc plus a small sentence splitter) and ``_.negated`` is compared
with the gold flag. ``--compare-medspacy`` runs medspaCy's default ConText the same way,
for reference only (the component never imports medspaCy).
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.tokens import Doc

from ..paths import GOLD_DIR, PROJECT_ROOT
from ..tagger import negation  # noqa: F401  (registers the "imr_negation" factory)
from .metrics import prf

DEFAULT_NEGEX = PROJECT_ROOT.parent / "shared" / "data" / "external" / "negex" / "rsAnnotations-1-120-random.txt"
DEFAULT_DEV = GOLD_DIR / "dev.jsonl"


@dataclass
class NegexRow:
    """One annotated target."""

    row_id: str
    target: str
    sentence: str
    gold_negated: bool
    start: int | None = None  # character offsets of the target, None if not found
    end: int | None = None


@dataclass
class Scores:
    """Confusion counts for the Negated class, and what they imply."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[tuple[str, bool, str]] = field(default_factory=list)  # (kind, gold, context)

    def add(self, gold: bool, pred: bool, context: str = "") -> None:
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
            self.errors.append(("FP", gold, context))
        elif gold:
            self.fn += 1
            self.errors.append(("FN", gold, context))
        else:
            self.tn += 1

    def as_dict(self) -> dict:
        n = self.tp + self.fp + self.fn + self.tn
        figures = prf(self.tp, self.fp, self.fn, digits=None)
        return {
            "n": n, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
            "precision": figures["precision"], "recall": figures["recall"], "f1": figures["f1"],
            "accuracy": (self.tp + self.tn) / n if n else 0.0,
        }


# -- NegEx file ------------------------------------------------------------------------
def _locate(target: str, sentence: str) -> tuple[int, int] | None:
    """Character span of ``target`` in ``sentence``; prefer an UPPER-CASE occurrence."""
    words = target.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    hits = list(pattern.finditer(sentence))
    if not hits:
        return None
    for m in hits:
        if m.group(0) == m.group(0).upper() and any(c.isalpha() for c in m.group(0)):
            return m.start(), m.end()
    return hits[0].start(), hits[0].end()


def read_negex(path: str | Path) -> list[NegexRow]:
    rows: list[NegexRow] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)  # header
        for rec in reader:
            if len(rec) < 4:
                continue
            row = NegexRow(rec[0], rec[1], rec[2], rec[3].strip().lower() == "negated")
            where = _locate(row.target, row.sentence)
            if where:
                row.start, row.end = where
            rows.append(row)
    return rows


def _target_doc(nlp, text: str, start: int, end: int, label: str = "CONDITION") -> Doc | None:
    doc = nlp.make_doc(text)
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        return None
    doc.ents = [span]
    return doc


def _context(text: str, start: int, end: int) -> str:
    return " ".join(f"{text[:start]}[[{text[start:end]}]]{text[end:]}".split())


def evaluate(path: str | Path = DEFAULT_NEGEX, max_scope: int | None = None) -> dict:
    """Precision/recall/F1 of the Negated class on the NegEx file, plus speed."""
    nlp = spacy.blank("en")
    config = {} if max_scope is None else {"max_scope": max_scope}
    component = nlp.add_pipe("imr_negation", config=config)
    rows = read_negex(path)
    scores, not_found = Scores(), []
    t0 = time.perf_counter()
    for row in rows:
        if row.start is None:
            not_found.append(row.row_id)
            scores.add(row.gold_negated, False, f"{row.row_id}: target not found")
            continue
        doc = _target_doc(nlp, row.sentence, row.start, row.end)
        doc = component(doc)
        pred = bool(doc.ents[0]._.negated)
        scores.add(row.gold_negated, pred, f"{row.row_id}: {_context(row.sentence, row.start, row.end)}")
    elapsed = time.perf_counter() - t0
    out = scores.as_dict()
    out.update(
        {
            "rows": len(rows),
            "not_found": len(not_found),
            "not_found_ids": not_found,
            "not_found_policy": "scored as Affirmed",
            "seconds": elapsed,
            "sentences_per_second": len(rows) / elapsed if elapsed else 0.0,
            "errors": scores.errors,
        }
    )
    return out


def evaluate_medspacy(path: str | Path = DEFAULT_NEGEX) -> dict:
    """medspaCy ConText defaults on the same rows, gold span straight into doc.ents."""
    import medspacy  # slow import; reference comparison only

    try:  # PyRuSH logs every sentence at DEBUG through loguru
        from loguru import logger

        logger.disable("PyRuSH")
    except ImportError:
        pass
    nlp = medspacy.load()
    context = nlp.get_pipe("medspacy_context")
    before = [proc for name, proc in nlp.pipeline if name not in ("medspacy_context", "medspacy_target_matcher")]
    rows = read_negex(path)
    scores = Scores()
    t0 = time.perf_counter()
    for row in rows:
        if row.start is None:
            scores.add(row.gold_negated, False)
            continue
        doc = nlp.make_doc(row.sentence)
        for proc in before:
            doc = proc(doc)
        span = doc.char_span(row.start, row.end, label="CONDITION", alignment_mode="expand")
        if span is None:
            scores.add(row.gold_negated, False)
            continue
        doc.ents = [span]
        doc = context(doc)
        scores.add(row.gold_negated, bool(doc.ents[0]._.is_negated))
    elapsed = time.perf_counter() - t0
    out = scores.as_dict()
    out["sentences_per_second"] = len(rows) / elapsed if elapsed else 0.0
    return out


# -- our dev gold ----------------------------------------------------------------------
_SENT_END = {".", "?", "!"}


def _split_sentences(doc: Doc) -> Doc:
    """Mark sentence starts: after . ? ! before a capital/digit/quote, and after blank lines."""
    for i, tok in enumerate(doc):
        if i == 0:
            tok.is_sent_start = True
            continue
        prev = doc[i - 1]
        if prev.is_space and prev.text.count("\n") >= 2:
            tok.is_sent_start = True
        elif tok.is_space:
            tok.is_sent_start = False
        else:
            j = i - 1
            while j >= 0 and doc[j].is_space:
                j -= 1
            tok.is_sent_start = bool(
                j >= 0 and doc[j].text in _SENT_END and (tok.text[0].isupper() or tok.text[0].isdigit() or tok.text[0] in "\"'(")
            )
    return doc


def evaluate_dev(path: str | Path = DEFAULT_DEV, max_scope: int | None = None) -> dict:
    """Negation accuracy on our own gold spans (each span an entity in its sentence)."""
    nlp = spacy.blank("en")
    config = {} if max_scope is None else {"max_scope": max_scope}
    component = nlp.add_pipe("imr_negation", config=config)
    scores, skipped, n_spans = Scores(), 0, 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            doc = _split_sentences(nlp.make_doc(rec["text"]))
            ents = []
            for sp in rec.get("spans", []):
                span = doc.char_span(sp["start"], sp["end"], label=sp["label"], alignment_mode="expand")
                if span is None:
                    skipped += 1
                    continue
                ents.append((span, bool(sp.get("negated"))))
            # Gold spans may overlap; the component takes them as a span group instead.
            doc.spans["sc"] = [s for s, _ in ents]
            component(doc)
            text = rec["text"]
            for span, gold in ents:
                n_spans += 1
                ctx = text[max(0, span.start_char - 70) : span.start_char] + "[[" + span.text + "]]" + text[span.end_char : span.end_char + 40]
                scores.add(gold, bool(span._.negated), f"{rec.get('id')} {span.label_}: " + " ".join(ctx.split()))
    out = scores.as_dict()
    out.update({"spans": n_spans, "skipped": skipped, "errors": scores.errors})
    return out


# -- command line ----------------------------------------------------------------------
def _table(title: str, res: dict) -> str:
    lines = [
        title,
        f"  {'n':>5} {'TP':>5} {'FP':>5} {'FN':>5} {'TN':>5}  {'P(Neg)':>7} {'R(Neg)':>7} {'F1(Neg)':>7} {'acc':>7}",
        f"  {res['n']:>5} {res['tp']:>5} {res['fp']:>5} {res['fn']:>5} {res['tn']:>5}"
        f"  {res['precision']:>7.3f} {res['recall']:>7.3f} {res['f1']:>7.3f} {res['accuracy']:>7.3f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT_NEGEX))
    ap.add_argument("--max-scope", type=int, default=None)
    ap.add_argument("--dev", action="store_true", help="also score data/gold/dev.jsonl")
    ap.add_argument("--compare-medspacy", action="store_true", help="also run medspaCy ConText defaults")
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors of each run")
    args = ap.parse_args(argv)

    if not Path(args.path).is_file():
        print(f"NegEx file not found: {args.path}", file=sys.stderr)
        return 2
    res = evaluate(args.path, args.max_scope)
    print(_table("imr_negation on NegEx (Negated class)", res))
    print(
        f"  rows {res['rows']}; target not in sentence: {res['not_found']} "
        f"({res['not_found_policy']}: ids {', '.join(res['not_found_ids'])})"
    )
    print(f"  speed: {res['sentences_per_second']:.0f} sentences/s ({res['seconds']:.2f} s)")
    for kind, _, ctx in res["errors"][: args.errors]:
        print(f"  {kind} {ctx}")
    if args.compare_medspacy:
        ref = evaluate_medspacy(args.path)
        print(_table("medspaCy ConText defaults, gold span as doc.ents (reference)", ref))
        print(f"  speed: {ref['sentences_per_second']:.0f} sentences/s")
    if args.dev:
        dev = evaluate_dev(DEFAULT_DEV, args.max_scope)
        print(_table(f"imr_negation on {DEFAULT_DEV.name} gold spans", dev))
        print(f"  spans {dev['spans']} (skipped, not alignable: {dev['skipped']})")
        for kind, _, ctx in dev["errors"][: args.errors]:
            print(f"  {kind} {ctx}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
