"""A single self-contained HTML report of scored letters (``imr report``).

The page works offline: CSS, JavaScript and charts (inline SVG) are all inside
the file, no CDN. It shows totals (letters, items, upheld rate, errors), reasons
by frequency and by service category and, with a gold file, the reference
scorer's per-label figures and the false positives and negatives of each label.
Letters are embedded once as a JSON blob and rendered in the browser a page at a
time (entities coloured as displaCy does, negated ones marked "absent",
evidence sentences highlighted), so a 10,000-letter run stays a file of
reasonable size that opens quickly. An index box searches ids and services.

The service-category keyword map (``service_category``) and the gold/prediction
item pairing (``item_pairs``, ``reason_errors``) live here and are reused by
``pipeline.analysis``.
"""
from __future__ import annotations

import html
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Iterable

from .evaluation import evaluate, match_items, read_jsonl
from .taxonomy import load_taxonomy

# Service categories --------------------------------------------------------------------------

#: First match wins, so the order matters (a post-operative therapy is therapy, a
#: carpal tunnel injection an injection, a cold therapy unit equipment).
CATEGORY_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("psych", ("psych", "cognitive behavio", "cbt", "biofeedback", "hypnotherap", "counsel")),
    ("home care", ("home health", "home care", "health aide", "housekeeping", "homemaker", "transportation",
                   "nursing", "caregiver", "attendant")),
    ("injection", ("inject", "epidural", "nerve block", "branch block", "facet block", " block", "rhizotomy",
                   "radiofrequency", "ablation", "synvisc", "orthovisc", "euflexxa", "hyaluron", "platelet-rich",
                   "prp", "botox", "trigger point")),
    ("imaging", ("mri", "x-ray", "xray", "x ray", "radiograph", "ct scan", "ct of", "bone scan", "ultrasound",
                 "emg", "ncv", "ncs", "nerve conduction", "arthrogram", "polysomnograph", "sleep study",
                 "imaging", "myelogram", "discogram", "scan")),
    ("DME", ("unit", "brace", "tens", "h-wave", "splint", "orthotic", "orthosis", "mattress", "scooter", "wheelchair", "chair",
             "device", "traction", "machine", "stimulator unit", "cane", "walker", "gym", "pillow", "cushion",
             "collar", "support", "sling", "equipment", "rental", "purchase")),
    ("therapy", ("therapy", "therapies", "physiotherap", "chiropract", "acupunct", "massage", "manipulation",
                 "work hardening", "work conditioning", "functional restoration", "restoration program",
                 "rehabilitation", "exercise", "aquatic", "help program", "pool")),
    ("surgery", ("surgery", "surgical", "arthroscop", "arthroplasty", "fusion", "discectomy", "laminectomy",
                 "laminotomy", "foraminotomy", "release", "repair", "reconstruction", "transposition",
                 "debridement", "kyphoplasty", "vertebroplasty", "implant", "stimulator", "intrathecal pump",
                 "meniscectomy", "decompression", "replacement", "-ectomy", "ectomy", "otomy", "plasty",
                 "operative", "assistant surgeon", "inpatient")),
    ("drug", ("medication", "tablet", "capsule", "cream", "gel", "ointment", "patch", "compound", "topical",
              "lotion", "spray", "norco", "hydrocodone", "oxycodone", "oxycontin", "percocet", "tramadol",
              "ultram", "morphine", "fentanyl", "methadone", "codeine", "gabapentin", "neurontin", "lyrica",
              "pregabalin", "cyclobenzaprine", "flexeril", "soma", "tizanidine", "baclofen", "naproxen",
              "ibuprofen", "celebrex", "meloxicam", "omeprazole", "prilosec", "ambien", "zolpidem", "xanax",
              "cymbalta", "lidoderm", "toradol")),
)
CATEGORIES = tuple(name for name, _ in CATEGORY_KEYWORDS) + ("other",)
_DOSE = re.compile(r"\d\s*(?:mg|mcg|gm|g|ml|%)\b|#\s*\d", re.I)


def service_category(service: str | None) -> str:
    """A coarse category for a service as written: drug, injection, imaging, therapy, surgery,
    DME, psych, home care or other."""
    text = " " + (service or "").lower() + " "
    for name, keywords in CATEGORY_KEYWORDS:
        if name == "drug" and _DOSE.search(text):
            return "drug"
        if any(k in text for k in keywords):
            return name
    return "other"


# Items of gold and predictions, paired ------------------------------------------------------

def read_records(path: Path) -> list[dict]:
    """The records of a JSONL file in file order (later duplicates of an id win, as in ``read_jsonl``)."""
    return list(read_jsonl(Path(path)).values())


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


def rationale_of(pred_record: dict | None, item: dict | None) -> str:
    if not item:
        return ""
    if item.get("rationale"):
        return item["rationale"]
    rr = item.get("rationale_range")
    if rr and pred_record:
        return pred_record.get("text", "")[rr[0]:rr[1]]
    return ""


def reason_errors(gold: dict[str, dict], pred: dict[str, dict]) -> list[dict]:
    """Every false positive and false negative reason, counted as ``evaluate`` counts them
    (over gold items: predicted reasons on overturned gold items are false positives,
    an unmatched gold item predicts nothing)."""
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
            pred_set = set((p_item or {}).get("reasons", []))
            scores = (p_item or {}).get("reason_scores") or {}
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


# Totals and charts --------------------------------------------------------------------------

def totals(records: Iterable[dict]) -> dict:
    letters = items = upheld = overturned = errors = spans = negated = 0
    error_kinds: Counter = Counter()
    for r in records:
        letters += 1
        if r.get("error"):
            errors += 1
            error_kinds[r.get("error_kind") or "error"] += 1
        for item in r.get("items") or []:
            items += 1
            upheld += item.get("decision") == "upheld"
            overturned += item.get("decision") == "overturned"
        for s in r.get("spans") or []:
            spans += 1
            negated += bool(s.get("negated"))
    decided = upheld + overturned
    return {"letters": letters, "items": items, "upheld": upheld, "overturned": overturned,
            "upheld_rate": round(upheld / decided, 4) if decided else 0.0, "errors": errors,
            "error_kinds": dict(error_kinds), "spans": spans, "negated_spans": negated}


def reason_counts(records: Iterable[dict]) -> Counter:
    counts: Counter = Counter()
    for r in records:
        for item in r.get("items") or []:
            counts.update(item.get("reasons") or [])
    return counts


def category_counts(records: Iterable[dict]) -> dict[str, dict]:
    """Per service category: items, upheld, overturned and reason counts."""
    out = {c: {"items": 0, "upheld": 0, "overturned": 0, "reasons": Counter()} for c in CATEGORIES}
    for r in records:
        for item in r.get("items") or []:
            row = out[service_category(item.get("service"))]
            row["items"] += 1
            row["upheld"] += item.get("decision") == "upheld"
            row["overturned"] += item.get("decision") == "overturned"
            row["reasons"].update(item.get("reasons") or [])
    return {c: v for c, v in out.items() if v["items"]}


PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
ENTITY_COLORS = {"GUIDELINE": "#9ecae1", "CONDITION": "#fdd0a2", "FINDING": "#c7e9c0"}
ABSENT_COLOR = "#d9d9d9"


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _svg_open(title: str, width: int, height: int) -> list[str]:
    """The opening of a chart: the svg element and its title line."""
    return [f'<svg class="chart" role="img" aria-label="{_esc(title)}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
            f'<text x="0" y="16" class="ct">{_esc(title)}</text>']


def bar_chart_svg(rows: list[tuple[str, float]], title: str, width: int = 720, label_width: int = 270,
                  color: str = PALETTE[0], value_format: str = "{:g}") -> str:
    """A horizontal bar chart as inline SVG."""
    bar_h, gap, top = 18, 6, 26
    height = top + len(rows) * (bar_h + gap) + 8
    biggest = max((v for _, v in rows), default=0) or 1
    room = width - label_width - 60
    parts = _svg_open(title, width, height)
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(1.0, room * value / biggest) if value else 0
        parts.append(f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{_esc(label)}</text>'
                     f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}">'
                     f'<title>{_esc(label)}: {_esc(value_format.format(value))}</title></rect>'
                     f'<text x="{label_width + w + 4:.1f}" y="{y + 13}">{_esc(value_format.format(value))}</text>')
    if not rows:
        parts.append(f'<text x="0" y="{top + 12}">(nothing to show)</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_svg(rows: list[tuple[str, dict[str, float]]], segments: list[str], title: str,
                    colors: dict[str, str] | None = None, width: int = 720, label_width: int = 200) -> str:
    """Horizontal stacked bars (one per row, one segment per key of ``segments``) with a legend."""
    colors = colors or {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(segments)}
    bar_h, gap, top = 18, 6, 26
    legend_rows = (len(segments) + 2) // 3
    height = top + len(rows) * (bar_h + gap) + 10 + legend_rows * 18
    biggest = max((sum(v.values()) for _, v in rows), default=0) or 1
    room = width - label_width - 60
    parts = _svg_open(title, width, height)
    for i, (label, values) in enumerate(rows):
        y = top + i * (bar_h + gap)
        x = float(label_width)
        parts.append(f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{_esc(label)}</text>')
        for seg in segments:
            v = values.get(seg, 0)
            if not v:
                continue
            w = room * v / biggest
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colors[seg]}">'
                         f'<title>{_esc(label)} / {_esc(seg)}: {v:g}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{sum(values.values()):g}</text>')
    y0 = top + len(rows) * (bar_h + gap) + 10
    for i, seg in enumerate(segments):
        x, y = (i % 3) * (width // 3), y0 + (i // 3) * 18
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colors[seg]}"/>'
                     f'<text x="{x + 16}" y="{y + 11}" class="lg">{_esc(seg)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# Letters, rendered server-side for notebooks -------------------------------------------------

def highlight_html(text: str, spans: Iterable[dict], evidence: Iterable[tuple[int, int, str]] = (),
                   start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` as escaped HTML, entities as displaCy marks (negated ones grey and
    labelled "(absent)"), evidence ranges ``(start, end, title)`` highlighted. The same markup
    as the report's browser renderer, for notebooks."""
    end = len(text) if end is None else end
    ents = sorted((s for s in spans if s["start"] < end and s["end"] > start), key=lambda s: (s["start"], -s["end"]))
    kept, last = [], start
    for s in ents:  # entities do not overlap; keep the first of any that do
        if s["start"] >= last:
            kept.append(s)
            last = s["end"]
    ev = [(max(a, start), min(b, end), t) for a, b, t in evidence if a < end and b > start]
    cuts = sorted({start, end, *(max(start, min(end, s["start"])) for s in kept),
                   *(max(start, min(end, s["end"])) for s in kept), *(a for a, _, _ in ev), *(b for _, b, _ in ev)})
    out, k = [], 0
    for a, b in zip(cuts, cuts[1:]):
        while k < len(kept) and kept[k]["end"] <= a:
            k += 1
        ent = kept[k] if k < len(kept) and kept[k]["start"] <= a < kept[k]["end"] else None
        if ent is not None and a == max(start, ent["start"]):
            out.append(_open_mark(ent))
        piece = _esc(text[a:b])
        titles = [t for x, y, t in ev if x <= a and b <= y]
        out.append(f'<span class="ev" title="{_esc("; ".join(titles))}">{piece}</span>' if titles else piece)
        if ent is not None and b == min(end, ent["end"]):
            out.append(f'<span class="el">{_esc(_ent_label(ent))}</span></mark>')
    return "".join(out)


def _ent_label(span: dict) -> str:
    label = span["label"]
    if span.get("guideline_id"):
        label += " " + span["guideline_id"]
    return label + (" (absent)" if span.get("negated") else "")


def _open_mark(span: dict) -> str:
    color = ABSENT_COLOR if span.get("negated") else ENTITY_COLORS.get(span["label"], "#ddd")
    neg = " neg" if span.get("negated") else ""
    return f'<mark class="entity{neg}" style="background: {color}">'


HIGHLIGHT_CSS = """
.entity{padding:0.15em 0.35em;margin:0 0.1em;line-height:1;border-radius:0.35em;box-decoration-break:clone;-webkit-box-decoration-break:clone}
.entity.neg{text-decoration:line-through;text-decoration-color:#777;outline:1px dashed #555}
.entity .el{font-size:0.7em;font-weight:bold;margin-left:0.4em;vertical-align:middle;text-decoration:none;display:inline-block}
.ev{background:#fff59d;border-bottom:2px solid #f9a825}
"""


# The page -----------------------------------------------------------------------------------

def _compact_letter(record: dict, labels: list[str], gold_record: dict | None) -> dict:
    ent_labels = load_taxonomy().entity_labels
    items = record.get("items") or []
    out_items = []
    gold_of: dict[int, int | None] = {}
    gold_only: list[dict] = []
    if gold_record is not None:
        for gi, pi in item_pairs(gold_record, record):
            if pi is not None:
                gold_of[pi] = gi
            elif gi is not None:
                g = gold_record["items"][gi]
                gold_only.append({"svc": g.get("service", ""), "dec": g.get("decision"), "rs": g.get("reasons", [])})
    for pi, item in enumerate(items):
        scores = item.get("reason_scores")
        row = {"svc": item.get("service", ""), "dec": item.get("decision"), "rs": item.get("reasons") or [],
               "p": [scores.get(label) for label in labels] if scores else None,
               "ev": item.get("evidence") or {}, "rr": item.get("rationale_range")}
        gi = gold_of.get(pi)
        if gold_record is not None:
            g = gold_record["items"][gi] if gi is not None else None
            row["g"] = {"dec": g.get("decision"), "rs": g.get("reasons", [])} if g else None
        out_items.append(row)
    spans = []
    for s in record.get("spans") or []:
        label = s.get("label")
        spans.append([s["start"], s["end"], ent_labels.index(label) if label in ent_labels else -1,
                      1 if s.get("negated") else 0, s.get("guideline_id") or ""])
    spans.sort(key=lambda s: (s[0], -s[1]))
    out = {"id": str(record["id"]), "fmt": record.get("format") or "", "text": record.get("text", ""),
           "items": out_items, "spans": spans}
    header = record.get("header") or {}
    facts = [f"decided {header['decision_date']}" if header.get("decision_date") else "", header.get("priority") or "",
             ", ".join(header.get("specialties") or [])]
    if any(facts):
        out["hdr"] = " · ".join(f for f in facts if f)  # the case header an analyst reads first
    if record.get("error"):
        out["err"] = f'{record.get("error_kind") or "error"}: {record["error"]}'
    if record.get("warnings"):
        out["warn"] = list(record["warnings"])
    if gold_only:
        out["gonly"] = gold_only
    return out


def _json_for_script(value) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # Nothing inside may close the script element or open a comment.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _table(header: list[str], rows: list[list], cls: str = "") -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _figures_section(result: dict) -> str:
    rs = result["reasons"]
    rows = [[_esc(label), f'{v["precision"]:.3f}', f'{v["recall"]:.3f}', f'{v["f1"]:.3f}', v["support"]]
            for label, v in rs["per_label"].items()]
    rows.append(["<b>micro</b>", f'{rs["micro"]["precision"]:.3f}', f'{rs["micro"]["recall"]:.3f}',
                 f'{rs["micro"]["f1"]:.3f}', rs["micro"]["support"]])
    it = result["items"]
    spans = [[_esc(label), f'{result["spans_exact"][label]["f1"]:.3f}', f'{v["precision"]:.3f}',
              f'{v["recall"]:.3f}', f'{v["f1"]:.3f}', v["support"]] for label, v in result["spans_overlap"].items()]
    return (
        '<section id="figures"><h2>Against gold</h2>'
        f'<p class="kpis"><span>gold letters <b>{result["letters"]}</b></span>'
        f'<span>missing from predictions <b>{result["letters_missing_from_predictions"]}</b></span>'
        f'<span>items F1 <b>{it["f1"]:.3f}</b></span>'
        f'<span>decision accuracy <b>{result["decision_accuracy"]:.3f}</b></span>'
        f'<span>reasons micro F1 <b>{rs["micro"]["f1"]:.3f}</b></span>'
        f'<span>macro F1 <b>{rs["macro_f1"]:.3f}</b></span>'
        f'<span>exact reason sets <b>{rs["exact_set_accuracy"]:.3f}</b></span>'
        f'<span>negation accuracy <b>{result["negation_accuracy"]:.3f}</b></span></p>'
        '<h3>Reasons per label</h3>'
        + _table(["label", "precision", "recall", "F1", "support"], rows, "num")
        + '<h3>Entity spans</h3>'
        + _table(["label", "exact F1", "overlap P", "overlap R", "overlap F1", "support"], spans, "num")
        + "</section>")


def _errors_section(errors: list[dict], labels: list[str], limit: int) -> str:
    by = {(label, kind): [] for label in labels for kind in ("fp", "fn")}
    for e in errors:
        by[(e["label"], e["kind"])].append(e)
    parts = ['<section id="errors"><h2>Reason errors</h2><p class="note">False positives (predicted, not in gold)'
             ' and false negatives (in gold, not predicted) per label, with the predicted item\'s rationale.'
             ' Click an id to open the letter.</p>']
    for label in labels:
        fp, fn = by[(label, "fp")], by[(label, "fn")]
        parts.append(f'<details class="errs"><summary><b>{_esc(label)}</b> &mdash; {len(fp)} false positive(s),'
                     f' {len(fn)} false negative(s)</summary>')
        for kind, rows, name in (("fp", fp, "False positives"), ("fn", fn, "False negatives")):
            if not rows:
                continue
            parts.append(f"<h4>{name}</h4><ol>")
            for e in rows[:limit]:
                score = "" if e["score"] is None else f' p={e["score"]:.2f}'
                excerpt = re.sub(r"\s+", " ", e["rationale"]).strip()
                if len(excerpt) > 420:
                    excerpt = excerpt[:420].rsplit(" ", 1)[0] + " …"
                parts.append(
                    f'<li class="err {kind}"><a href="#letter={_esc(e["letter_id"])}" class="goto" '
                    f'data-id="{_esc(e["letter_id"])}">{_esc(e["letter_id"])}</a> '
                    f'<i>{_esc(e["service"])}</i>{_esc(score)}<br><span class="small">gold: '
                    f'{_esc(", ".join(e["gold_reasons"]) or "—")} | predicted: '
                    f'{_esc(", ".join(e["pred_reasons"]) or "—")}</span>'
                    f'<blockquote>{_esc(excerpt) or "<i>(no predicted item matched)</i>"}</blockquote></li>')
            if len(rows) > limit:
                parts.append(f"<li class=small>… and {len(rows) - limit} more</li>")
            parts.append("</ol>")
        parts.append("</details>")
    parts.append("</section>")
    return "".join(parts)


def build_report(predictions_path: Path, gold_path: Path | None = None, out_path: Path | None = None,
                 page_size: int = 200, title: str | None = None, error_limit: int = 200) -> Path:
    """Write the report for a predictions JSONL (and optionally a gold JSONL); returns its path
    (default: the predictions path with ``.html``)."""
    predictions_path = Path(predictions_path)
    out_path = Path(out_path) if out_path is not None else predictions_path.with_suffix(".html")
    tax = load_taxonomy()
    labels = tax.reason_ids
    pred = read_jsonl(predictions_path)
    records = list(pred.values())
    gold = read_jsonl(Path(gold_path)) if gold_path else None

    t = totals(records)
    counts = reason_counts(records)
    cats = category_counts(records)
    reason_chart = bar_chart_svg([(label, counts.get(label, 0)) for label in
                                  sorted(labels, key=lambda x: -counts.get(x, 0))], "Reasons by frequency (items)")
    cat_rows = sorted(cats.items(), key=lambda kv: -kv[1]["items"])
    decision_chart = stacked_bar_svg(
        [(f'{c} ({v["upheld"] / max(1, v["upheld"] + v["overturned"]):.0%} upheld)',
          {"upheld": v["upheld"], "overturned": v["overturned"]}) for c, v in cat_rows],
        ["upheld", "overturned"], "Items by service category",
        colors={"upheld": PALETTE[2], "overturned": PALETTE[4]})
    category_chart = stacked_bar_svg([(c, dict(v["reasons"])) for c, v in cat_rows], labels,
                                     "Reasons by service category")
    kpis = (f'<p class="kpis" id="totals"><span>letters <b id="t-letters">{t["letters"]}</b></span>'
            f'<span>items <b id="t-items">{t["items"]}</b></span>'
            f'<span>upheld <b>{t["upheld"]}</b></span><span>overturned <b>{t["overturned"]}</b></span>'
            f'<span>upheld rate <b id="t-upheld-rate">{t["upheld_rate"]:.1%}</b></span>'
            f'<span>errors <b id="t-errors">{t["errors"]}</b></span>'
            f'<span>entities <b>{t["spans"]}</b> ({t["negated_spans"]} absent)</span></p>')
    if t["error_kinds"]:
        kpis += '<p class="small">errors by kind: ' + ", ".join(
            f"{_esc(k)} {v}" for k, v in sorted(t["error_kinds"].items())) + "</p>"

    gold_html = ""
    if gold is not None:
        result = evaluate(gold, pred)
        gold_html = _figures_section(result) + _errors_section(reason_errors(gold, pred), labels, error_limit)

    letters = [_compact_letter(r, labels, gold.get(str(r["id"])) if gold is not None else None) for r in records]
    data = {"labels": labels, "entities": tax.entity_labels, "colors": ENTITY_COLORS, "absent": ABSENT_COLOR,
            "pageSize": max(1, int(page_size)), "gold": gold is not None, "letters": letters}
    title = title or f"IMR report: {predictions_path.name}"
    parts = {
        "TITLE": _esc(title), "CSS": PAGE_CSS + HIGHLIGHT_CSS,
        "SUBTITLE": _esc(predictions_path.name + (f" against {Path(gold_path).name}" if gold_path else "")
                         + f" · built {time.strftime('%Y-%m-%d %H:%M')}"),
        "TOTALS": kpis, "CHARTS": reason_chart + decision_chart + category_chart, "GOLD": gold_html,
        "JS": PAGE_JS, "DATA": _json_for_script(data),
    }
    # One pass, so that nothing inserted is itself searched for placeholders.
    page = re.sub(r"%%([A-Z]+)%%", lambda m: parts[m.group(1)], PAGE)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(page, encoding="utf-8")
    return out_path


def report_command(predictions: Path, gold: Path | None, out: Path) -> None:
    """``imr report``: build the report and print a one-line summary."""
    started = time.perf_counter()
    path = build_report(Path(predictions), Path(gold) if gold else None, Path(out))
    t = totals(read_jsonl(Path(predictions)).values())
    size = path.stat().st_size
    print(f"wrote {path}: {t['letters']} letters, {t['items']} items, upheld rate {t['upheld_rate']:.1%}, "
          f"{t['errors']} errors{', with gold' if gold else ''} ({size / 1e6:.1f} MB, "
          f"{time.perf_counter() - started:.1f} s)")


PAGE_CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#263238;color:#fff;padding:12px 24px}
header h1{margin:0;font-size:20px} header .sub{opacity:.75;font-size:12px}
main{padding:12px 24px;max-width:1400px}
section{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:10px 16px;margin:12px 0}
h2{font-size:17px;margin:6px 0 10px} h3{font-size:15px;margin:12px 0 6px} h4{margin:8px 0 4px}
.kpis span{display:inline-block;margin:0 18px 6px 0;padding:6px 10px;background:#eceff1;border-radius:4px}
.kpis b{font-size:16px}
svg.chart{display:block;margin:6px 0 14px;font-size:12px;max-width:100%;height:auto}
svg.chart .ct{font-weight:bold;font-size:13px} svg.chart .lg{font-size:11px}
table{border-collapse:collapse;margin:4px 0} th,td{border:1px solid #ddd;padding:3px 8px;vertical-align:top}
th{background:#f5f5f5;text-align:left} table.num td:not(:first-child){text-align:right;font-variant-numeric:tabular-nums}
.small{font-size:12px;color:#555} .note{color:#555}
blockquote{margin:4px 0 8px 0;padding:4px 10px;border-left:3px solid #ccc;color:#333;background:#fcfcfc}
li.err.fp{border-left:3px solid #e15759;padding-left:6px;margin-bottom:4px} li.err.fn{border-left:3px solid #f28e2b;padding-left:6px;margin-bottom:4px}
#controls{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #ddd;padding:8px 0}
#controls input,#controls select,#controls button{font:inherit;padding:3px 6px;margin-right:6px}
#layout{display:flex;gap:14px;align-items:flex-start}
#index{width:210px;flex:none;max-height:80vh;overflow:auto;position:sticky;top:56px;font-size:12px;border:1px solid #e0e0e0;background:#fff;padding:4px}
#index a{display:block;padding:1px 4px;text-decoration:none;color:#1565c0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#index a.up::after{content:" ●";color:#e15759} #index a.bad{color:#b71c1c;font-weight:bold}
#letters{flex:1;min-width:0}
.letter{border:1px solid #cfd8dc;border-radius:6px;margin:0 0 14px;background:#fff;padding:8px 12px}
.letter h3{margin:2px 0 6px;font-size:15px} .letter .meta{font-size:12px;color:#666;margin-left:8px;font-weight:normal}
.letter .error{color:#b71c1c;font-weight:bold} .letter .warn{color:#8d6e00;font-size:12px}
.items td{font-size:13px}
.dec{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
.dec.upheld{background:#e15759} .dec.overturned{background:#59a14f} .dec.none{background:#999}
.chip{display:inline-block;margin:1px 3px 1px 0;padding:0 6px;border-radius:10px;background:#e3f2fd;font-size:12px;border:1px solid #bbdefb}
.chip.tp{background:#e8f5e9;border-color:#a5d6a7} .chip.fp{background:#ffebee;border-color:#ef9a9a}
.chip.fn{background:#fff3e0;border-color:#ffcc80;text-decoration:underline dotted}
.bars{font-size:11px} .bars td{border:none;padding:0 4px} .bar{display:inline-block;height:8px;background:#4e79a7;vertical-align:middle}
.text{white-space:pre-wrap;font:12.5px/1.9 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;border-top:1px solid #eee;padding-top:6px;overflow-wrap:anywhere}
.pager{margin:8px 0} .pager button{margin-right:4px}
#js-status{font-size:11px;color:#999} #js-error{background:#ffebee;color:#b71c1c;border:1px solid #e57373;padding:8px;font-weight:bold}
.legend mark{margin-right:8px}
"""

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>%%TITLE%%</title><style>%%CSS%%</style>
<script>
window.__reportErrors = [];
window.onerror = function (message, source, line, column, error) {
  window.__reportErrors.push(String(message) + " (line " + line + ")");
  var mark = function () {
    var box = document.getElementById("js-error");
    if (!box) { box = document.createElement("div"); box.id = "js-error"; document.body.insertBefore(box, document.body.firstChild); }
    box.setAttribute("data-report-error", "1");
    box.textContent = "Script error: " + window.__reportErrors.join("; ");
    document.body.setAttribute("data-report-error", "1");
  };
  if (document.body) { mark(); } else { document.addEventListener("DOMContentLoaded", mark); }
  return false;
};
</script>
</head><body>
<header><h1>%%TITLE%%</h1><div class="sub">%%SUBTITLE%%</div></header>
<main>
<section id="summary"><h2>Totals</h2>%%TOTALS%%%%CHARTS%%</section>
%%GOLD%%
<section id="letters-section"><h2>Letters</h2>
<p class="legend small"><mark class="entity" style="background:#9ecae1">guideline</mark>
<mark class="entity" style="background:#fdd0a2">condition</mark><mark class="entity" style="background:#c7e9c0">finding</mark>
<mark class="entity neg" style="background:#d9d9d9">absent (negated)</mark><span class="ev">evidence for a reason</span>
&nbsp; reasons: <span class="chip">predicted (probability)</span><span class="chip tp">agrees with gold</span><span class="chip fp">not in gold</span><span class="chip fn">missed (gold)</span></p>
<div id="controls"><input id="search" type="search" placeholder="search id or service…" size="28">
<select id="f-decision"><option value="">any decision</option><option value="upheld">has upheld item</option><option value="overturned">has overturned item</option></select>
<select id="f-reason"><option value="">any reason</option></select>
<label><input id="f-errors" type="checkbox"> read errors only</label>
<label id="f-diff-box"><input id="f-diff" type="checkbox"> disagrees with gold</label>
<button id="expand">expand texts</button><button id="collapse">collapse texts</button>
<span id="count" class="small"></span> <span id="js-status">loading…</span></div>
<div class="pager" id="pager-top"></div>
<div id="layout"><nav id="index" aria-label="letter index"></nav><div id="letters"><noscript>The letter pages need JavaScript.</noscript></div></div>
<div class="pager" id="pager-bottom"></div>
</section>
</main>
<script type="application/json" id="report-data">%%DATA%%</script>
<script>%%JS%%</script>
</body></html>
"""

PAGE_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var L = DATA.letters, LABELS = DATA.labels, ENTS = DATA.entities, PAGE = DATA.pageSize;
  var byId = {}; L.forEach(function (l, i) { byId[l.id] = i; });
  var state = { filtered: L.map(function (_, i) { return i; }), page: 0 };
  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function $(id) { return document.getElementById(id); }

  function entLabel(s) { var l = ENTS[s[2]] || "?"; if (s[4]) l += " " + s[4]; if (s[3]) l += " (absent)"; return l; }
  function openMark(s) {
    var color = s[3] ? DATA.absent : (DATA.colors[ENTS[s[2]]] || "#ddd");
    return '<mark class="entity' + (s[3] ? " neg" : "") + '" style="background: ' + color + '">';
  }
  // The letter text, escaped, with entity marks and evidence highlights (same markup as report.highlight_html).
  function highlight(text, spans, ev) {
    var kept = [], last = 0;
    spans.forEach(function (s) { if (s[0] >= last && s[1] > s[0] && s[1] <= text.length) { kept.push(s); last = s[1]; } });
    var cuts = {}; cuts[0] = 1; cuts[text.length] = 1;
    kept.forEach(function (s) { cuts[s[0]] = 1; cuts[s[1]] = 1; });
    ev.forEach(function (e) { cuts[Math.max(0, Math.min(text.length, e[0]))] = 1; cuts[Math.max(0, Math.min(text.length, e[1]))] = 1; });
    var pos = Object.keys(cuts).map(Number).sort(function (a, b) { return a - b; });
    var out = [], k = 0;
    for (var i = 0; i + 1 < pos.length; i++) {
      var a = pos[i], b = pos[i + 1];
      while (k < kept.length && kept[k][1] <= a) k++;
      var ent = (k < kept.length && kept[k][0] <= a && a < kept[k][1]) ? kept[k] : null;
      if (ent && a === ent[0]) out.push(openMark(ent));
      var piece = esc(text.slice(a, b)), titles = [];
      ev.forEach(function (e) { if (e[0] <= a && b <= e[1]) titles.push(e[2]); });
      out.push(titles.length ? '<span class="ev" title="' + esc(titles.join("; ")) + '">' + piece + "</span>" : piece);
      if (ent && b === ent[1]) out.push('<span class="el">' + esc(entLabel(ent)) + "</span></mark>");
    }
    return out.join("");
  }

  function decision(d) { return '<span class="dec ' + (d || "none") + '">' + esc(d || "none") + "</span>"; }
  function reasonsCell(item) {
    var chips = [], gold = item.g ? (item.g.dec === "upheld" ? item.g.rs : []) : null;
    item.rs.forEach(function (r) {
      var p = item.p ? item.p[LABELS.indexOf(r)] : null, cls = gold ? (gold.indexOf(r) >= 0 ? " tp" : " fp") : "";
      chips.push('<span class="chip' + cls + '" title="' + (cls === " fp" ? "not in gold" : "predicted") + '">' + esc(r) + (p != null ? " " + p.toFixed(2) : "") + "</span>");
    });
    if (gold) gold.forEach(function (r) {
      if (item.rs.indexOf(r) < 0) {
        var p = item.p ? item.p[LABELS.indexOf(r)] : null;
        chips.push('<span class="chip fn" title="in gold, not predicted">' + esc(r) + (p != null ? " " + p.toFixed(2) : "") + "</span>");
      }
    });
    return chips.join("") || '<span class="small">—</span>';
  }
  function scoreBars(item) {
    if (!item.p) return "";
    var rows = LABELS.map(function (l, j) { return [l, item.p[j] || 0]; }).sort(function (a, b) { return b[1] - a[1]; });
    return '<details><summary class="small">all scores</summary><table class="bars">' + rows.map(function (r) {
      return "<tr><td>" + esc(r[0]) + '</td><td><span class="bar" style="width:' + Math.round(r[1] * 120) + 'px"></span> ' + r[1].toFixed(3) + "</td></tr>";
    }).join("") + "</table></details>";
  }
  function evidenceOf(l) {
    var ev = [];
    l.items.forEach(function (it, n) {
      Object.keys(it.ev || {}).forEach(function (r) { (it.ev[r] || []).forEach(function (x) { ev.push([x[0], x[1], "item " + (n + 1) + ": " + r]); }); });
    });
    return ev;
  }
  function renderLetter(i) {
    var l = L[i], h = ['<article class="letter" id="letter-' + esc(l.id) + '" data-letter-id="' + esc(l.id) + '">'];
    h.push("<h3>" + esc(l.id) + '<span class="meta">' + esc(l.fmt || "") + (l.hdr ? " · " + esc(l.hdr) : "") + " · " + l.items.length + " item(s) · " + l.spans.length + " entities</span></h3>");
    if (l.err) h.push('<div class="error">' + esc(l.err) + "</div>");
    (l.warn || []).forEach(function (w) { h.push('<div class="warn">warning: ' + esc(w) + "</div>"); });
    if (l.items.length) {
      h.push('<table class="items"><thead><tr><th>#</th><th>service</th><th>decision</th>' + (DATA.gold ? "<th>gold</th>" : "") + "<th>reasons (probability)</th><th>scores</th></tr></thead><tbody>");
      l.items.forEach(function (it, n) {
        var g = DATA.gold ? "<td>" + (it.g ? decision(it.g.dec) : '<span class="small">no gold item</span>') + "</td>" : "";
        h.push('<tr class="item"><td>' + (n + 1) + '</td><td class="svc">' + esc(it.svc) + "</td><td>" + decision(it.dec) + "</td>" + g + "<td>" + reasonsCell(it) + "</td><td>" + scoreBars(it) + "</td></tr>");
      });
      h.push("</tbody></table>");
    }
    (l.gonly || []).forEach(function (g) {
      h.push('<div class="warn">gold item not found: ' + esc(g.svc) + " (" + esc(g.dec) + (g.rs.length ? ": " + esc(g.rs.join(", ")) : "") + ")</div>");
    });
    h.push('<details class="body"' + (state.open ? " open" : "") + ' data-i="' + i + '"><summary class="small">letter text (' + l.text.length + ' characters)</summary><div class="text"></div></details>');
    h.push("</article>");
    return h.join("");
  }
  function fillText(det) {
    var box = det.querySelector(".text");
    if (det.open && !box.getAttribute("data-done")) {
      var l = L[Number(det.getAttribute("data-i"))];
      box.innerHTML = highlight(l.text, l.spans, evidenceOf(l));
      box.setAttribute("data-done", "1");
    }
  }
  function pager() {
    var pages = Math.max(1, Math.ceil(state.filtered.length / PAGE)), h = [];
    h.push('<button data-p="' + (state.page - 1) + '"' + (state.page <= 0 ? " disabled" : "") + ">‹ prev</button>");
    var shown = {};
    [0, state.page - 2, state.page - 1, state.page, state.page + 1, state.page + 2, pages - 1].forEach(function (p) {
      if (p >= 0 && p < pages && !shown[p]) { shown[p] = 1; h.push('<button data-p="' + p + '"' + (p === state.page ? ' disabled style="font-weight:bold"' : "") + ">" + (p + 1) + "</button>"); }
    });
    h.push('<button data-p="' + (state.page + 1) + '"' + (state.page >= pages - 1 ? " disabled" : "") + ">next ›</button>");
    h.push('<span class="small"> page ' + (state.page + 1) + " of " + pages + "</span>");
    return h.join("");
  }
  function render() {
    var from = state.page * PAGE, idx = state.filtered.slice(from, from + PAGE);
    $("letters").innerHTML = idx.map(renderLetter).join("") || '<p class="small">No letter matches.</p>';
    $("index").innerHTML = idx.map(function (i) {
      var l = L[i], up = l.items.some(function (it) { return it.dec === "upheld"; });
      return '<a href="#letter=' + encodeURIComponent(l.id) + '" data-id="' + esc(l.id) + '" class="' + (l.err ? "bad" : up ? "up" : "") + '">' + esc(l.id) + "</a>";
    }).join("");
    $("pager-top").innerHTML = $("pager-bottom").innerHTML = pager();
    $("count").textContent = state.filtered.length + " of " + L.length + " letters";
    Array.prototype.forEach.call(document.querySelectorAll("details.body"), function (d) {
      fillText(d); d.addEventListener("toggle", function () { fillText(d); });
    });
  }
  function applyFilter() {
    var q = $("search").value.trim().toLowerCase(), dec = $("f-decision").value, rsn = $("f-reason").value;
    var errs = $("f-errors").checked, diff = $("f-diff").checked;
    state.filtered = [];
    L.forEach(function (l, i) {
      if (errs && !l.err) return;
      if (q && l.id.toLowerCase().indexOf(q) < 0 && !l.items.some(function (it) { return it.svc.toLowerCase().indexOf(q) >= 0; })) return;
      if (dec && !l.items.some(function (it) { return it.dec === dec; })) return;
      if (rsn && !l.items.some(function (it) { return it.rs.indexOf(rsn) >= 0 || (it.g && it.g.rs.indexOf(rsn) >= 0); })) return;
      if (diff && !(l.gonly || l.items.some(function (it) {
        if (!it.g) return true;
        var g = it.g.dec === "upheld" ? it.g.rs.slice().sort().join() : "";
        return it.g.dec !== it.dec || g !== it.rs.slice().sort().join();
      }))) return;
      state.filtered.push(i);
    });
    state.page = 0; render();
  }
  function goTo(id) {
    if (!(id in byId)) return;
    var at = state.filtered.indexOf(byId[id]);
    if (at < 0) { $("search").value = ""; $("f-decision").value = ""; $("f-reason").value = ""; $("f-errors").checked = false; $("f-diff").checked = false; applyFilter(); at = state.filtered.indexOf(byId[id]); }
    var page = Math.floor(at / PAGE);
    if (page !== state.page) { state.page = page; render(); }
    var el = document.getElementById("letter-" + id);
    if (el) { var d = el.querySelector("details.body"); if (d && !d.open) { d.open = true; fillText(d); } el.scrollIntoView(); }
  }
  function fromHash() {
    var m = /^#letter=(.+)$/.exec(location.hash);
    if (m) goTo(decodeURIComponent(m[1]));
  }

  LABELS.forEach(function (r) { var o = document.createElement("option"); o.value = r; o.textContent = r; $("f-reason").appendChild(o); });
  if (!DATA.gold) $("f-diff-box").style.display = "none";
  state.open = L.length <= 50;
  var timer = null;
  $("search").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(applyFilter, 150); });
  ["f-decision", "f-reason", "f-errors", "f-diff"].forEach(function (id) { $(id).addEventListener("change", applyFilter); });
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t.tagName === "BUTTON" && t.hasAttribute("data-p")) { state.page = Number(t.getAttribute("data-p")); render(); $("letters-section").scrollIntoView(); }
  });
  $("expand").addEventListener("click", function () { state.open = true; Array.prototype.forEach.call(document.querySelectorAll("details.body"), function (d) { d.open = true; fillText(d); }); });
  $("collapse").addEventListener("click", function () { state.open = false; Array.prototype.forEach.call(document.querySelectorAll("details.body"), function (d) { d.open = false; }); });
  window.addEventListener("hashchange", fromHash);
  render();
  fromHash();
  var status = $("js-status");
  status.textContent = "ready";
  status.setAttribute("data-ready", window.__reportErrors.length ? "error" : "ok");
  document.body.setAttribute("data-report-ready", "1");
})();
"""
