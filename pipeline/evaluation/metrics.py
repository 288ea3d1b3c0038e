"""Figures for predictions against gold, with the data contract's definitions.

Items are paired one-to-one by the token-set Jaccard similarity of their
normalised services (at least 0.5, best pairs first, ties to the nearer position);
reasons are counted over every gold upheld item, an unmatched one predicting
nothing; spans are counted exactly and by one-to-one character overlap per label;
negation accuracy is over overlap pairs; evidence accuracy, where the gold marks
evidence, is the share of correctly predicted reasons whose evidence overlaps it. The reference scorer in the shared
tools computes the same numbers; a test holds the two together.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

from ..taxonomy import load_taxonomy

MATCH_THRESHOLD = 0.5


def service_tokens(service: str) -> frozenset[str]:
    return frozenset(re.sub(r"[^a-z0-9 ]+", " ", service.lower()).split())


def match_items(gold: Sequence[str], pred: Sequence[str]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of similar services."""
    gold_tokens = [service_tokens(s) for s in gold]
    pred_tokens = [service_tokens(s) for s in pred]
    candidates = []
    for gi, g in enumerate(gold_tokens):
        for pi, p in enumerate(pred_tokens):
            union = g | p
            similarity = len(g & p) / len(union) if union else 0.0
            if similarity >= MATCH_THRESHOLD:
                candidates.append((similarity, -abs(gi - pi), gi, pi))
    candidates.sort(reverse=True)
    taken_g, taken_p, pairs = set(), set(), []
    for _, _, gi, pi in candidates:
        if gi in taken_g or pi in taken_p:
            continue
        taken_g.add(gi)
        taken_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def prf(tp: int, fp: int, fn: int, digits: int | None = 4) -> dict[str, float]:
    """Precision, recall, F1 (rounded to ``digits`` as reported; ``None``: exact) and support.
    The project's one definition: evaluation, threshold tuning and the NegEx figures use it."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if digits is not None:
        precision, recall, f1 = round(precision, digits), round(recall, digits), round(f1, digits)
    return {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}


def overlap_pairs(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            shared = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if shared > 0:
                candidates.append((shared, gi, pi))
    candidates.sort(reverse=True)
    taken_g, taken_p, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi in taken_g or pi in taken_p:
            continue
        taken_g.add(gi)
        taken_p.add(pi)
        pairs.append((gold[gi], pred[pi]))
    return pairs


def evidence_ranges(value) -> list[tuple[int, int]]:
    """Evidence written as [start, end] or [[start, end], ...], as a list of pairs."""
    if not value:
        return []
    if isinstance(value[0], int):
        return [(value[0], value[1])]
    return [(int(a), int(b)) for a, b in value]


def read_jsonl(path: Path) -> dict[str, dict]:
    """The records of a JSONL file by id; an id met twice is reported on standard error (the last one is kept)."""
    records = {}
    repeated: Counter = Counter()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                key = str(record["id"])
                if key in records:
                    repeated[key] += 1
                records[key] = record
    if repeated:
        first = next(iter(repeated))
        print(f"warning: {path}: {len(repeated)} ids appear more than once (first {first!r}); only the last record "
              "of each is used", file=sys.stderr)
    return records


def evaluate(gold: dict[str, dict], pred: dict[str, dict]) -> dict:
    """All figures, as one dict shaped like the reference scorer's JSON."""
    tax = load_taxonomy()
    reasons, labels = tax.reason_ids, tax.entity_labels
    items = Counter()
    decided = right = 0
    per_reason = {r: Counter() for r in reasons}
    exact_sets = upheld = 0
    unknown = Counter()
    exact = {label: Counter() for label in labels}
    loose = {label: Counter() for label in labels}
    negation_right = negation_total = 0
    evidence_hits = evidence_total = 0
    gold_has_evidence = False
    for letter_id, g in gold.items():
        p = pred.get(letter_id, {})
        g_items, p_items = g.get("items", []), p.get("items") or []
        pairs = match_items([i.get("service", "") for i in g_items], [i.get("service", "") for i in p_items])
        items["tp"] += len(pairs)
        items["fp"] += len(p_items) - len(pairs)
        items["fn"] += len(g_items) - len(pairs)
        partner = dict(pairs)
        for gi, g_item in enumerate(g_items):
            p_item = p_items[partner[gi]] if gi in partner else None
            if p_item is not None:
                decided += 1
                right += p_item.get("decision") == g_item["decision"]
            is_upheld = g_item["decision"] == "upheld"
            gold_has_evidence = gold_has_evidence or bool(g_item.get("evidence"))
            gold_set = set(g_item.get("reasons", [])) if is_upheld else set()
            pred_set = set(p_item.get("reasons", [])) if p_item else set()
            unknown.update(pred_set - set(reasons))
            if is_upheld:
                upheld += 1
                exact_sets += gold_set == pred_set
            for reason in reasons:
                if reason in gold_set and reason in pred_set:
                    per_reason[reason]["tp"] += 1
                    gold_ranges = evidence_ranges((g_item.get("evidence") or {}).get(reason))
                    if gold_ranges:  # does the predicted evidence point at a sentence that states it?
                        evidence_total += 1
                        pred_ranges = evidence_ranges((p_item.get("evidence") or {}).get(reason))
                        evidence_hits += any(ps < ge and pe > gs for gs, ge in gold_ranges for ps, pe in pred_ranges)
                elif reason in pred_set:
                    per_reason[reason]["fp"] += 1
                elif reason in gold_set:
                    per_reason[reason]["fn"] += 1
        g_spans = [s for s in g.get("spans", []) if s["label"] in labels]
        p_spans = [s for s in p.get("spans") or [] if s.get("label") in labels]
        for label in labels:
            gl = [s for s in g_spans if s["label"] == label]
            pl = [s for s in p_spans if s["label"] == label]
            g_set = {(s["start"], s["end"]) for s in gl}
            p_set = {(s["start"], s["end"]) for s in pl}
            exact[label].update(tp=len(g_set & p_set), fp=len(p_set - g_set), fn=len(g_set - p_set))
            pairs_ = overlap_pairs(gl, pl)
            loose[label].update(tp=len(pairs_), fp=len(pl) - len(pairs_), fn=len(gl) - len(pairs_))
            for gs, ps in pairs_:
                negation_total += 1
                negation_right += bool(gs.get("negated", False)) == bool(ps.get("negated", False))
    reason_figures = {r: prf(c["tp"], c["fp"], c["fn"]) for r, c in per_reason.items()}
    present = [r for r in reasons if reason_figures[r]["support"] > 0]
    totals = Counter()
    for counts in per_reason.values():
        totals.update(counts)
    overlap = {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in loose.items()}
    result = {
        "letters": len(gold),
        "letters_missing_from_predictions": sum(1 for i in gold if i not in pred),
        "letters_with_error": sum(1 for i in gold if i in pred and pred[i].get("error")),
        "items": prf(items["tp"], items["fp"], items["fn"]),
        "decision_accuracy": round(right / decided, 4) if decided else 0.0,
        "reasons": {
            "micro": prf(totals["tp"], totals["fp"], totals["fn"]),
            "macro_f1": round(sum(reason_figures[r]["f1"] for r in present) / len(present), 4) if present else 0.0,
            "exact_set_accuracy": round(exact_sets / upheld, 4) if upheld else 0.0,
            "per_label": reason_figures,
            "unknown_labels_predicted": dict(unknown),
        },
        "spans_exact": {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in exact.items()},
        "spans_overlap": overlap,
        "spans_overlap_macro_f1": round(sum(v["f1"] for v in overlap.values()) / len(labels), 4),
        "negation_accuracy": round(negation_right / negation_total, 4) if negation_total else 0.0,
    }
    if gold_has_evidence:  # only where the gold marks evidence, as the reference scorer does
        result["evidence"] = {"accuracy": round(evidence_hits / evidence_total, 4) if evidence_total else 0.0,
                              "scored": evidence_total}
    return result


def format_table(result: dict) -> list[str]:
    lines = [f"letters {result['letters']}  missing {result['letters_missing_from_predictions']}"
             f"  with error {result['letters_with_error']}"]
    it = result["items"]
    lines.append(f"items      P {it['precision']:.3f}  R {it['recall']:.3f}  F1 {it['f1']:.3f}"
                 f"  decision accuracy {result['decision_accuracy']:.3f}")
    rs = result["reasons"]
    lines.append(f"reasons    micro F1 {rs['micro']['f1']:.3f}  macro F1 {rs['macro_f1']:.3f}"
                 f"  exact sets {rs['exact_set_accuracy']:.3f}")
    for label, v in rs["per_label"].items():
        lines.append(f"  {label:34s} P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}  n={v['support']}")
    for label in result["spans_exact"]:
        e, o = result["spans_exact"][label], result["spans_overlap"][label]
        lines.append(f"spans {label:10s} exact F1 {e['f1']:.3f}  overlap P {o['precision']:.3f}"
                     f" R {o['recall']:.3f} F1 {o['f1']:.3f}  n={o['support']}")
    lines.append(f"negation accuracy {result['negation_accuracy']:.3f}")
    evidence = result.get("evidence")
    if evidence:
        lines.append(f"evidence   {evidence['accuracy']:.3f} of {evidence['scored']} correct reasons point at a gold "
                     "evidence range")
    return lines


def format_columns(results: dict[str, dict]) -> list[str]:
    """Several evaluations side by side, one column each (say written letters and real letters)."""
    names = list(results)
    width = max(12, *(len(n) for n in names))

    def row(title: str, values) -> str:
        return f"{title:40s}" + "".join(f"{v:>{width + 2}}" for v in values)

    def figure(value) -> str:
        return "-" if value is None else f"{value:.3f}"

    lines = [row("", names), row("letters", [str(r["letters"]) for r in results.values()])]
    lines.append(row("items F1", [figure(r["items"]["f1"]) for r in results.values()]))
    lines.append(row("decision accuracy", [figure(r["decision_accuracy"]) for r in results.values()]))
    for key, title in (("micro", "reasons micro F1"), ("macro_f1", "reasons macro F1"),
                       ("exact_set_accuracy", "reasons exact sets")):
        lines.append(row(title, [figure(r["reasons"][key]["f1"] if key == "micro" else r["reasons"][key])
                                 for r in results.values()]))
    labels = next(iter(results.values()))["reasons"]["per_label"]
    for label in labels:
        lines.append(row(f"  {label}", [figure(r["reasons"]["per_label"][label]["f1"])
                                        if r["reasons"]["per_label"][label]["support"] else "-"
                                        for r in results.values()]))
    for label in next(iter(results.values()))["spans_exact"]:
        lines.append(row(f"spans {label} exact / overlap F1",
                         [f"{figure(r['spans_exact'][label]['f1'])} / {figure(r['spans_overlap'][label]['f1'])}"
                          if r["spans_overlap"][label]["support"] else "-" for r in results.values()]))
    lines.append(row("negation accuracy", [figure(r["negation_accuracy"]) for r in results.values()]))
    lines.append(row("evidence accuracy", [figure(r["evidence"]["accuracy"]) if r.get("evidence") else "-"
                                           for r in results.values()]))
    return lines
