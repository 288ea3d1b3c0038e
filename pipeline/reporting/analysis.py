"""The figures of a scoring run as data: for the notebooks (``notebooks/``) and the HTML report.

Everything a notebook or the report shows is computed here, so that the notebooks
hold only parameters, calls and plots and the report only presentation: service
categories (the table in ``resources/service_categories.json``), the pairing of
gold and predicted items, the totals of a run (``RunSummary``, built while a file
is read, so that a year of letters is never held in memory) and the reason errors
against gold. Tables are ``pandas`` DataFrames.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

from ..corpus import generate_letters
from ..evaluation.metrics import evaluate, match_items, overlap_pairs, read_jsonl
from ..paths import MODELS_DIR
from ..reader.sources import RawText
from ..scoring import Scorer
from ..taxonomy import load_taxonomy
from .highlight import displacy_colors, highlight_html

NONE = "(none)"


# Inputs -----------------------------------------------------------------------------------

def load_records(path: Path) -> dict[str, dict]:
    """A JSONL file of letters (gold or predictions) as {id: record}."""
    return read_jsonl(Path(path))


def generated_records(n: int, seed: int = 13) -> dict[str, dict]:
    """``n`` generated letters (labels true by construction) as {id: record}."""

    return {letter.id: letter.to_json() for letter in generate_letters(n, seed)}


def score_records(records: dict[str, dict] | Iterable[dict], scorer=None) -> dict[str, dict]:
    """The letters' texts scored with ``scorer`` (default: the bundled models), as {id: record}."""

    scorer = scorer or Scorer.load()
    values = records.values() if isinstance(records, dict) else records
    raws = [RawText(id=str(r["id"]), text=r["text"]) for r in values]
    return {letter.id: letter.to_json() for letter in scorer.score(raws)}


def write_jsonl(records: dict[str, dict] | Iterable[dict], path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    values = records.values() if isinstance(records, dict) else records
    with open(path, "w", encoding="utf-8") as handle:
        for r in values:
            handle.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def stream_records(path: Path) -> Iterator[tuple[int, dict | None]]:
    """``(line number, record)`` for every non-blank line of a JSONL file, one at a time, so
    that a year of scored letters is never held in memory. A line that is not a JSON object
    (a torn last line, a stray edit) gives ``None`` instead of ending the read."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            yield number, record if isinstance(record, dict) else None


def record_items(record: dict) -> list[dict]:
    """A record's items, whatever the file holds (``null``, a missing key, stray non-objects)."""
    return [item for item in record.get("items") or [] if isinstance(item, dict)]


def shown_reasons(item: dict) -> list[str]:
    """An item's reasons as the report and tables show them: only an upheld item has reasons
    (a model's scores on an overturned item are no reason for anything)."""
    return list(item.get("reasons") or []) if item.get("decision") == "upheld" else []


# Service categories -------------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryRule:
    """One row of ``resources/service_categories.json``: a category and what gives it."""
    category: str
    pattern: re.Pattern


def _word_pattern(word: str) -> str:
    """A word or phrase of the table as a regular expression matched on word boundaries."""
    head, tail = word.startswith("*"), word.endswith("*")
    core = word.strip("*").lower()
    parts = [re.escape(p) for p in re.split(r"[\s\-/]+", core) if p]
    body = r"[\s\-/]+".join(parts)
    return (r"(?<![a-z0-9])" + (r"[a-z]*" if head else "") + body + (r"[a-z]*" if tail else "")
            + r"(?![a-z0-9])")


@lru_cache(maxsize=1)
def category_rules() -> tuple[CategoryRule, ...]:
    raw = json.loads(resources.files(__package__).joinpath("resources/service_categories.json")
                     .read_text(encoding="utf-8"))
    rules = []
    for row in raw["rules"]:
        source = row.get("pattern") or "|".join(_word_pattern(w) for w in row["words"])
        rules.append(CategoryRule(row["category"], re.compile(source, re.I)))
    return tuple(rules)


def service_categories() -> list[str]:
    """Every category the table can give, in table order, then ``other``."""
    return list(dict.fromkeys(rule.category for rule in category_rules())) + ["other"]


def service_category(service: str | None) -> str:
    """A coarse category for a service as written (drug, injection, imaging, therapy, surgery,
    DME, psych, home care, evaluation, lab test, or other): the first rule of the table that
    matches a whole word or phrase of it."""
    text = str(service or "").lower()
    return next((rule.category for rule in category_rules() if rule.pattern.search(text)), "other")


# Items of gold and predictions, paired ------------------------------------------------------

def item_pairs(gold_record: dict, pred_record: dict | None) -> list[tuple[int | None, int | None]]:
    """(gold index, predicted index) for every item of both, paired as the scorer pairs them;
    None on the side where an item has no partner. Gold order first, then unpaired predictions."""
    g_items = gold_record.get("items") or []
    p_items = (pred_record or {}).get("items") or []
    partner = dict(match_items([i.get("service", "") for i in g_items], [i.get("service", "") for i in p_items]))
    out: list[tuple[int | None, int | None]] = [(gi, partner.get(gi)) for gi in range(len(g_items))]
    taken = set(partner.values())
    out.extend((None, pi) for pi in range(len(p_items)) if pi not in taken)
    return out


def disagrees_with_gold(gold_record: dict, pred_record: dict) -> bool:
    """Whether a letter's items differ from gold's: an unpaired item on either side, another
    decision, or another reason set (reasons of upheld items only)."""
    g_items, p_items = gold_record.get("items") or [], pred_record.get("items") or []
    for gi, pi in item_pairs(gold_record, pred_record):
        if gi is None or pi is None:
            return True
        g, p = g_items[gi], p_items[pi]
        if g.get("decision") != p.get("decision") or set(shown_reasons(g)) != set(shown_reasons(p)):
            return True
    return False


def rationale_of(pred_record: dict | None, item: dict | None) -> str:
    """An item's rationale: as the record gives it, else cut from the text by its range."""
    if not item:
        return ""
    if item.get("rationale"):
        return item["rationale"]
    rr = item.get("rationale_range")
    if rr and pred_record:
        return (pred_record.get("text") or "")[rr[0]:rr[1]]
    return ""


def reason_errors(gold: dict[str, dict], pred: dict[str, dict]) -> list[dict]:
    """Every false positive and false negative reason, counted as ``evaluate`` counts them
    (over gold items: predicted reasons on overturned gold items are false positives, an
    unmatched gold item predicts nothing). ``score`` is the predicted item's probability for
    the label when that item is upheld, else None: scores of an overturned item are no reasons."""
    labels = load_taxonomy().reason_ids
    out = []
    for letter_id, g in gold.items():
        p = pred.get(letter_id)
        g_items, p_items = g.get("items") or [], (p or {}).get("items") or []
        for gi, pi in item_pairs(g, p):
            if gi is None:
                continue
            g_item = g_items[gi]
            p_item = p_items[pi] if pi is not None else None
            gold_set = set(g_item.get("reasons", [])) if g_item.get("decision") == "upheld" else set()
            pred_set = set((p_item or {}).get("reasons") or [])
            upheld = (p_item or {}).get("decision") == "upheld"
            scores = ((p_item or {}).get("reason_scores") or {}) if upheld else {}
            for label in labels:
                kind = "fp" if label in pred_set - gold_set else "fn" if label in gold_set - pred_set else None
                if kind is None:
                    continue
                out.append({
                    "label": label, "kind": kind, "letter_id": letter_id, "gold_index": gi, "pred_index": pi,
                    "service": g_item.get("service", ""), "gold_decision": g_item.get("decision"),
                    "pred_decision": (p_item or {}).get("decision"),
                    "gold_reasons": sorted(gold_set), "pred_reasons": sorted(pred_set),
                    "score": scores.get(label), "rationale": rationale_of(p, p_item),
                    "rationale_range": (p_item or {}).get("rationale_range"),
                    "evidence": (p_item or {}).get("evidence") or {},
                })
    return out


# Totals of a run ----------------------------------------------------------------------------

@dataclass
class CategoryCounts:
    items: int = 0
    upheld: int = 0
    overturned: int = 0
    reasons: Counter = field(default_factory=Counter)


@dataclass
class RunSummary:
    """The totals of a scoring run, built one record at a time (``add``): letters, items and
    decisions, read errors by kind, entities, reasons of upheld items overall and per service
    category, lines that were not records, and ids seen more than once."""
    letters: int = 0
    items: int = 0
    upheld: int = 0
    overturned: int = 0
    errors: int = 0
    error_kinds: Counter = field(default_factory=Counter)
    spans: int = 0
    negated_spans: int = 0
    reasons: Counter = field(default_factory=Counter)
    categories: dict[str, CategoryCounts] = field(default_factory=dict)
    unreadable_lines: int = 0
    duplicate_ids: int = 0
    _ids: set = field(default_factory=set, repr=False)

    def add(self, record: dict | None) -> None:
        """Count one record (None: a line that was not one)."""
        if record is None:
            self.unreadable_lines += 1
            return
        self.letters += 1
        letter_id = str(record.get("id"))
        self.duplicate_ids += letter_id in self._ids
        self._ids.add(letter_id)
        if record.get("error"):
            self.errors += 1
            self.error_kinds[record.get("error_kind") or "error"] += 1
        for item in record_items(record):
            decision, reasons = item.get("decision"), shown_reasons(item)
            row = self.categories.setdefault(service_category(item.get("service")), CategoryCounts())
            for counts in (self, row):
                counts.items += 1
                counts.upheld += decision == "upheld"
                counts.overturned += decision == "overturned"
                counts.reasons.update(reasons)
        for span in record.get("spans") or []:
            if isinstance(span, dict):
                self.spans += 1
                self.negated_spans += bool(span.get("negated"))

    @property
    def upheld_rate(self) -> float:
        decided = self.upheld + self.overturned
        return round(self.upheld / decided, 4) if decided else 0.0

    def totals(self) -> dict:
        return {"letters": self.letters, "items": self.items, "upheld": self.upheld, "overturned": self.overturned,
                "upheld_rate": self.upheld_rate, "errors": self.errors, "error_kinds": dict(self.error_kinds),
                "spans": self.spans, "negated_spans": self.negated_spans,
                "unreadable_lines": self.unreadable_lines, "duplicate_ids": self.duplicate_ids}


def run_summary(records: Iterable[dict | None]) -> RunSummary:
    summary = RunSummary()
    for record in records:
        summary.add(record)
    return summary


def totals(records: Iterable[dict | None]) -> dict:
    """Letters, items, upheld and overturned items, upheld rate, errors (and by kind), entities
    (and negated ones), lines that were not records, repeated ids."""
    return run_summary(records).totals()


# Describing a corpus ----------------------------------------------------------------------

def item_guidelines(record: dict, item: dict) -> list[str]:
    """Normalised guideline ids (``guideline_id`` of GUIDELINE spans) cited in an item's block:
    from its service line to the end of its rationale."""
    ranges = [r for r in (item.get("service_range"), item.get("rationale_range")) if r]
    if not ranges:
        return []
    start, end = min(r[0] for r in ranges), max(r[1] for r in ranges)
    return sorted({s["guideline_id"] for s in record.get("spans") or []
                   if s.get("label") == "GUIDELINE" and s.get("guideline_id") and s["start"] < end and s["end"] > start})


def letters_frame(records: dict[str, dict]) -> pd.DataFrame:
    rows = []
    for r in records.values():
        spans = r.get("spans") or []
        rows.append({"id": r["id"], "format": r.get("format") or "unknown", "family": r.get("family"),
                     "chars": len(r.get("text", "")), "items": len(r.get("items") or []),
                     "spans": len(spans), "negated": sum(bool(s.get("negated")) for s in spans),
                     "error": r.get("error_kind") if r.get("error") else None})
    return pd.DataFrame(rows)


def items_frame(records: dict[str, dict]) -> pd.DataFrame:
    """One row per item: letter, layout, service and its category, decision, reasons,
    guideline ids cited in the item's block and (predictions) the reason scores."""
    rows = []
    for r in records.values():
        for index, item in enumerate(r.get("items") or []):
            rows.append({"letter_id": r["id"], "format": r.get("format") or "unknown", "index": index,
                         "service": item.get("service", ""), "category": service_category(item.get("service")),
                         "decision": item.get("decision"), "reasons": list(item.get("reasons") or []),
                         "guidelines": item_guidelines(r, item), "reason_scores": item.get("reason_scores")})
    return pd.DataFrame(rows, columns=["letter_id", "format", "index", "service", "category", "decision",
                                       "reasons", "guidelines", "reason_scores"])


def spans_frame(records: dict[str, dict]) -> pd.DataFrame:
    rows = [{"letter_id": r["id"], "label": s["label"], "negated": bool(s.get("negated")),
             "guideline_id": s.get("guideline_id"), "text": r["text"][s["start"]:s["end"]]}
            for r in records.values() for s in r.get("spans") or []]
    return pd.DataFrame(rows, columns=["letter_id", "label", "negated", "guideline_id", "text"])


def reason_count_table(records: dict[str, dict]) -> pd.DataFrame:
    labels = load_taxonomy().reason_ids
    counts = Counter(reason for r in records.values() for item in r.get("items") or [] for reason in item.get("reasons") or [])
    return pd.DataFrame({"items": [counts.get(label, 0) for label in labels]}, index=pd.Index(labels, name="reason"))


# Rates over a scoring run -------------------------------------------------------------------

def rates_by(items: pd.DataFrame, column: str) -> pd.DataFrame:
    """Items, upheld rate and each reason's rate among upheld items, per value of ``column``
    (``category``, ``format`` or ``guidelines``; a list column counts an item once per value)."""
    labels = load_taxonomy().reason_ids
    frame = items.explode(column) if column == "guidelines" else items
    frame = frame.assign(**{column: frame[column].fillna(NONE)})
    rows = {}
    for key, group in frame.groupby(column, sort=False):
        upheld = group[group["decision"] == "upheld"]
        row = {"items": len(group), "upheld_rate": round(len(upheld) / len(group), 3) if len(group) else 0.0}
        for label in labels:
            row[label] = round(sum(label in rs for rs in upheld["reasons"]) / len(upheld), 3) if len(upheld) else 0.0
        rows[key] = row
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("items", ascending=False)


# Against gold -------------------------------------------------------------------------------

def per_label_table(gold: dict[str, dict], pred: dict[str, dict]) -> pd.DataFrame:
    """Precision, recall, F1 and support per reason (the reference scorer's figures), plus micro."""
    result = evaluate(gold, pred)
    table = pd.DataFrame.from_dict(result["reasons"]["per_label"], orient="index")
    table.loc["micro"] = result["reasons"]["micro"]
    table.index.name = "reason"
    return table


def real_and_written(written: pd.DataFrame, models_dir: Path | None = None) -> pd.DataFrame:
    """Per-reason F1 of this run's written letters beside the real letters' cross-validated F1.

    The real figures are those the training run recorded in the reason model's manifest
    (cross-validation by letter over the real DWC pool; no model saw the letters it was
    judged on). A model trained without real letters has none: that column is empty.
    """

    manifest = json.loads(((models_dir or MODELS_DIR) / "reasons" / "manifest.json").read_text(encoding="utf-8"))
    real = manifest.get("metrics", {}).get("real_cv", {}).get("reasons")
    table = pd.DataFrame({"written letters F1": written["f1"], "written n": written["support"]})
    if real:
        per_label = dict(real["per_label"], micro=real["micro"])
        table["real letters F1 (cross-validated)"] = [per_label[label]["f1"] for label in table.index]
        table["real n"] = [per_label[label]["support"] for label in table.index]
    else:
        table["real letters F1 (cross-validated)"] = None
    return table


def span_table(gold: dict[str, dict], pred: dict[str, dict]) -> pd.DataFrame:
    result = evaluate(gold, pred)
    rows = {label: {"exact_f1": result["spans_exact"][label]["f1"], **{f"overlap_{k}": v for k, v in
                    result["spans_overlap"][label].items()}} for label in result["spans_exact"]}
    return pd.DataFrame.from_dict(rows, orient="index")


def _paired_items(gold: dict[str, dict], pred: dict[str, dict]):
    """(gold record, gold item, predicted record, predicted item or None) for every gold item."""
    for letter_id, g in gold.items():
        p = pred.get(letter_id)
        p_items = (p or {}).get("items") or []
        for gi, pi in item_pairs(g, p):
            if gi is not None:
                yield g, g["items"][gi], p, (p_items[pi] if pi is not None else None)


def reason_confusion(gold: dict[str, dict], pred: dict[str, dict]) -> pd.DataFrame:
    """Gold reason (rows) by predicted reason (columns) over gold upheld items: each cell counts
    items whose gold set holds the row label and predicted set the column label; ``(none)`` is
    an empty set on that side. The diagonal is agreement; off-diagonal cells show which label
    is taken for which."""
    labels = load_taxonomy().reason_ids
    axis = labels + [NONE]
    table = pd.DataFrame(0, index=pd.Index(axis, name="gold"), columns=pd.Index(axis, name="predicted"))
    for _, g_item, _, p_item in _paired_items(gold, pred):
        if g_item.get("decision") != "upheld":
            continue
        g_set = list(g_item.get("reasons") or []) or [NONE]
        p_set = list((p_item or {}).get("reasons") or []) or [NONE]
        for a in g_set:
            for b in p_set:
                table.loc[a, b] += 1
    return table


def reason_cooccurrence(records: dict[str, dict]) -> pd.DataFrame:
    """How often two reasons are given to the same item (the diagonal: items with the reason)."""
    labels = load_taxonomy().reason_ids
    table = pd.DataFrame(0, index=labels, columns=labels)
    for r in records.values():
        for item in r.get("items") or []:
            rs = [x for x in item.get("reasons") or [] if x in table.index]
            for a in rs:
                for b in rs:
                    table.loc[a, b] += 1
    return table


def score_matrix(gold: dict[str, dict], pred: dict[str, dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(truth, scores) over gold upheld items, one column per reason. An unmatched gold item, or
    one without ``reason_scores``, scores 0."""
    labels = load_taxonomy().reason_ids
    truth, scores = [], []
    for _, g_item, _, p_item in _paired_items(gold, pred):
        if g_item.get("decision") != "upheld":
            continue
        gold_set = set(g_item.get("reasons") or [])
        s = (p_item or {}).get("reason_scores") or {}
        truth.append([int(label in gold_set) for label in labels])
        scores.append([float(s.get(label) or 0.0) for label in labels])
    return pd.DataFrame(truth, columns=labels), pd.DataFrame(scores, columns=labels)


def pr_points(truth: Sequence[int], scores: Sequence[float]) -> pd.DataFrame:
    """Precision and recall at every distinct score used as the threshold (score >= threshold)."""
    pairs = sorted(zip(scores, truth), key=lambda x: -x[0])
    positives = sum(truth)
    rows, tp, fp = [], 0, 0
    for i, (score, t) in enumerate(pairs):
        tp += t
        fp += 1 - t
        if i + 1 < len(pairs) and pairs[i + 1][0] == score:
            continue
        rows.append({"threshold": score, "precision": tp / (tp + fp), "recall": tp / positives if positives else 0.0})
    return pd.DataFrame(rows, columns=["threshold", "precision", "recall"])


def pr_curves(gold: dict[str, dict], pred: dict[str, dict],
              thresholds: dict[str, float] | None = None) -> dict[str, dict]:
    """Per reason: the curve (``pr_points``), the average precision and, with ``thresholds``
    (``ReasonClassifier.thresholds``), the operating point at the model's threshold. The
    operating point counts score >= threshold alone; the scorer's fallback (keep the likeliest
    reason when none clears) can add a few positives."""
    truth, scores = score_matrix(gold, pred)
    out = {}
    for label in truth.columns:
        curve = pr_points(truth[label].tolist(), scores[label].tolist())
        entry: dict = {"curve": curve, "support": int(truth[label].sum())}
        recall_steps = curve["recall"].diff().fillna(curve["recall"])
        entry["average_precision"] = float((recall_steps * curve["precision"]).sum()) if len(curve) else 0.0
        if thresholds and label in thresholds:
            t = thresholds[label]
            chosen = scores[label] >= t
            tp = int((chosen & (truth[label] == 1)).sum())
            n = int(chosen.sum())
            entry["threshold"] = t
            entry["operating_point"] = {"precision": tp / n if n else 0.0,
                                        "recall": tp / entry["support"] if entry["support"] else 0.0}
        out[label] = entry
    return out


def reason_error_frame(gold: dict[str, dict], pred: dict[str, dict]) -> pd.DataFrame:
    """The false positives and false negatives of every reason (see ``reason_errors``)."""
    return pd.DataFrame(reason_errors(gold, pred),
                        columns=["label", "kind", "letter_id", "gold_index", "pred_index", "service",
                                 "gold_decision", "pred_decision", "gold_reasons", "pred_reasons", "score",
                                 "rationale", "rationale_range", "evidence"])


def error_counts(errors: pd.DataFrame) -> pd.DataFrame:
    labels = load_taxonomy().reason_ids
    table = pd.crosstab(errors["label"], errors["kind"]).reindex(index=labels, columns=["fp", "fn"], fill_value=0)
    return table.fillna(0).astype(int)


def rationale_html(pred: dict[str, dict], error: dict, pad: int = 0) -> str:
    """An error's rationale from the predicted letter, entities coloured as displaCy does (negated
    ones marked "(absent)") and the item's evidence sentences highlighted."""
    record = pred.get(error["letter_id"]) or {}
    rr = error.get("rationale_range")
    if not record or not rr:
        return "<i>(no predicted item matched)</i>"
    evidence = [(a, b, reason) for reason, ranges in (error.get("evidence") or {}).items() for a, b in ranges]
    start, end = max(0, rr[0] - pad), min(len(record["text"]), rr[1] + pad)
    return highlight_html(record["text"], record.get("spans") or [], evidence, start, end)


def displacy_html(record: dict, start: int = 0, end: int | None = None) -> str:
    """``record['text'][start:end]`` rendered by displaCy (manual ``ent`` style), negated entities
    labelled "(absent)" and greyed; the colours are those of ``imr show``."""
    from spacy import displacy  # spaCy takes seconds to import: only when a notebook renders

    text = record["text"]
    end = len(text) if end is None else end
    ents, last = [], start
    for s in sorted(record.get("spans") or [], key=lambda s: (s["start"], -s["end"])):
        if s["start"] >= last and s["end"] <= end:
            ents.append({"start": s["start"] - start, "end": s["end"] - start,
                         "label": s["label"] + (" (absent)" if s.get("negated") else "")})
            last = s["end"]
    return displacy.render({"text": text[start:end], "ents": ents}, style="ent", manual=True, jupyter=False,
                           options={"colors": displacy_colors()})


# Span errors --------------------------------------------------------------------------------

def boundary_type(gold_span: dict, pred_span: dict) -> str:
    """How an overlapping prediction's boundaries differ from gold's."""
    gs, ge, ps, pe = gold_span["start"], gold_span["end"], pred_span["start"], pred_span["end"]
    if (gs, ge) == (ps, pe):
        return "exact"
    if ps <= gs and pe >= ge:
        return "too long"
    if ps >= gs and pe <= ge:
        return "too short"
    return "shifted"


def span_errors(gold: dict[str, dict], pred: dict[str, dict]) -> pd.DataFrame:
    """Every span that is not an exact match, with its kind: ``missed`` (no predicted span of the
    label overlaps), ``spurious`` (no gold span of the label overlaps; ``wrong_label`` when a gold
    span of another label does), a boundary error (``too long``, ``too short``, ``shifted``:
    overlap-matched, other boundaries) and, for overlap-matched pairs, ``negation`` when the
    negated flags differ."""
    labels = load_taxonomy().entity_labels
    rows = []
    for letter_id, g in gold.items():
        p = pred.get(letter_id) or {}
        text = g.get("text", "")
        g_all = [s for s in g.get("spans") or [] if s["label"] in labels]
        p_all = [s for s in p.get("spans") or [] if s.get("label") in labels]
        for label in labels:
            gl = [s for s in g_all if s["label"] == label]
            pl = [s for s in p_all if s["label"] == label]
            pairs = overlap_pairs(gl, pl)
            paired_g = {id(a) for a, _ in pairs}
            paired_p = {id(b) for _, b in pairs}
            for gs, ps in pairs:
                kind = boundary_type(gs, ps)
                if kind != "exact":
                    rows.append(_span_row(letter_id, label, kind, text, gs, ps))
                if bool(gs.get("negated")) != bool(ps.get("negated")):
                    rows.append(_span_row(letter_id, label, "negation", text, gs, ps))
            for gs in gl:
                if id(gs) not in paired_g:
                    rows.append(_span_row(letter_id, label, "missed", text, gs, None))
            for ps in pl:
                if id(ps) not in paired_p:
                    other = any(s["label"] != label and s["start"] < ps["end"] and s["end"] > ps["start"] for s in g_all)
                    rows.append(_span_row(letter_id, label, "wrong_label" if other else "spurious", text, None, ps))
    return pd.DataFrame(rows, columns=["letter_id", "label", "kind", "gold_text", "pred_text", "gold_negated",
                                       "pred_negated", "gold_start", "pred_start"])


def _span_row(letter_id, label, kind, text, gs, ps) -> dict:
    return {"letter_id": letter_id, "label": label, "kind": kind,
            "gold_text": text[gs["start"]:gs["end"]] if gs else None,
            "pred_text": text[ps["start"]:ps["end"]] if ps else None,
            "gold_negated": bool(gs.get("negated")) if gs else None,
            "pred_negated": bool(ps.get("negated")) if ps else None,
            "gold_start": gs["start"] if gs else None, "pred_start": ps["start"] if ps else None}


SPAN_ERROR_KINDS = ["missed", "spurious", "wrong_label", "too long", "too short", "shifted", "negation"]


def span_error_table(errors: pd.DataFrame) -> pd.DataFrame:
    """Span errors counted by label (rows) and kind (columns)."""
    labels = load_taxonomy().entity_labels
    return pd.crosstab(errors["label"], errors["kind"]).reindex(index=labels, columns=SPAN_ERROR_KINDS,
                                                                fill_value=0).fillna(0).astype(int)
