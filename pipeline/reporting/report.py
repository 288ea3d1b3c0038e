"""The HTML report of a scoring run (``imr report``): one self-contained file.

The scored JSONL is read once, a record at a time: the totals, reason and
service-category counts are aggregated while reading (``analysis.RunSummary``),
and only the letters the report shows are kept. A run of at most ``max_letters``
letters shows every letter; a larger one (a year is ~150,000) shows the first
letters with a read error or a disagreement with gold, then a seeded random sample
of the others, and says so, so that the file stays a few megabytes and opens in a
browser. With a gold file the predictions of the gold letters are kept as well, for
the reference scorer's figures and the reason errors.

Presentation lives in ``templates/report.html.j2`` (Jinja2) and ``static/``
(``report.css``, ``report.js``, ``highlight.css``), read with ``importlib.resources``
and inlined, so the page works offline. Letter texts are marked up by
``pipeline.reporting.highlight`` and embedded as HTML in a JSON blob the page script pages
through. The figures themselves come from ``pipeline.reporting.analysis``.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import re
import sys
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jinja2

from .analysis import (RunSummary, disagrees_with_gold, item_pairs, reason_errors, record_items,
                       service_categories, shown_reasons, stream_records)
from ..evaluation.metrics import evaluate, read_jsonl
from .highlight import highlight_css, highlight_html, item_evidence
from ..taxonomy import load_taxonomy

#: Letters a report shows in full; a larger run shows a sample of this many.
DEFAULT_MAX_LETTERS = 500
DEFAULT_SEED = 13
#: Chart colours (Tableau 10), in the order bars and segments take them.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
#: What a record keeps when it is held for the letter view (no sections, sources...).
_VIEW_FIELDS = ("id", "text", "format", "items", "spans", "header", "warnings", "error", "error_kind")


# Which letters the report shows --------------------------------------------------------------

@dataclass
class LetterSample:
    """The letters a report shows, chosen while the file streams past.

    Up to ``limit`` letters: first the *priority* letters (read errors, disagreements with
    gold) in file order, at most half the limit so that a run with many failures still
    shows a sample of the rest; then the others (later priority letters among them) whose
    key ``blake2b(seed, id)`` is smallest: a random sample that depends only on the seed
    and the ids, not on the file's order or on how many letters came before. Holds at
    most ``limit`` records at any time."""
    limit: int
    seed: int = DEFAULT_SEED
    total: int = 0
    priority: list[tuple[int, dict]] = field(default_factory=list)
    _others: list = field(default_factory=list)  # max-heap of (-key, -position, record)

    def _key(self, record: dict) -> int:
        digest = hashlib.blake2b(f"{self.seed}\x00{record.get('id')}".encode("utf-8", "replace"), digest_size=8)
        return int.from_bytes(digest.digest(), "big")

    def offer(self, position: int, record: dict, priority: bool = False) -> None:
        self.total += 1
        kept = {k: record[k] for k in _VIEW_FIELDS if k in record}
        if priority and len(self.priority) < (self.limit + 1) // 2:
            self.priority.append((position, kept))
        else:
            heapq.heappush(self._others, (-self._key(record), -position, kept))
        while self._others and len(self._others) > self.limit - len(self.priority):
            heapq.heappop(self._others)  # the largest key goes

    @property
    def partial(self) -> bool:
        return self.total > self.limit

    def chosen(self) -> list[dict]:
        """The letters shown, in file order."""
        picked = self.priority + [(-neg_pos, record) for _, neg_pos, record in self._others]
        return [record for _, record in sorted(picked, key=lambda pr: pr[0])]

    def describe(self) -> dict:
        return {"total": self.total, "shown": min(self.total, self.limit), "limit": self.limit,
                "seed": self.seed, "partial": self.partial, "priority": len(self.priority)}


# One letter as the page script takes it -------------------------------------------------------

def letter_view(record: dict, labels: list[str], gold_record: dict | None) -> dict:
    """A letter for the page: id, format, header line, error and warnings, its items (service,
    decision, reasons and scores of upheld items, the paired gold item), gold items no
    prediction matched, whether it disagrees with gold, and its text marked up as HTML."""
    items = record_items(record)
    gold_of: dict[int, int] = {}
    gold_only: list[dict] = []
    g_items = record_items(gold_record) if gold_record is not None else []
    if gold_record is not None:
        for gi, pi in item_pairs({"items": g_items}, {"items": items}):
            if pi is not None and gi is not None:
                gold_of[pi] = gi
            elif gi is not None:
                g = g_items[gi]
                gold_only.append({"svc": g.get("service", ""), "dec": g.get("decision"), "rs": g.get("reasons") or []})
    out_items = []
    for pi, item in enumerate(items):
        scores = item.get("reason_scores") if item.get("decision") == "upheld" else None
        row = {"svc": str(item.get("service") or ""), "dec": item.get("decision"), "rs": shown_reasons(item),
               "p": [scores.get(label) for label in labels] if scores else None}
        if gold_record is not None:
            g = g_items[gold_of[pi]] if pi in gold_of else None
            row["g"] = {"dec": g.get("decision"), "rs": g.get("reasons") or []} if g else None
        out_items.append(row)
    text = record.get("text") if isinstance(record.get("text"), str) else ""
    spans = [s for s in record.get("spans") or [] if isinstance(s, dict)]
    out = {"id": str(record.get("id")), "fmt": record.get("format") or "", "items": out_items,
           "n": len(text), "ents": len(spans), "html": highlight_html(text, spans, item_evidence(items))}
    header = record.get("header") if isinstance(record.get("header"), dict) else {}
    facts = [f"decided {header['decision_date']}" if header.get("decision_date") else "", header.get("priority") or "",
             ", ".join(header.get("specialties") or [])]
    if any(facts):
        out["hdr"] = " · ".join(f for f in facts if f)  # the case header an analyst reads first
    if record.get("error"):
        out["err"] = f'{record.get("error_kind") or "error"}: {record["error"]}'
    if record.get("warnings"):
        out["warn"] = [str(w) for w in record["warnings"]]
    if gold_only:
        out["gonly"] = gold_only
    if gold_record is not None:
        out["dis"] = disagrees_with_gold({"items": g_items}, {"items": items})
    return out


def _tidy(record: dict) -> dict:
    """The record with items the pairing can take whatever the file held: only objects, each
    with a string service."""
    items = [dict(item, service=str(item.get("service") or "")) for item in record_items(record)]
    return dict(record, items=items)


# The page -----------------------------------------------------------------------------------

def json_for_script(value) -> str:
    """JSON to place inside a ``<script>`` element: nothing in it may close the element or
    open a comment, and the line separators JavaScript once took for line ends are escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _excerpt(text: str, limit: int = 420) -> str:
    """A rationale on one line, cut at a word near ``limit`` characters."""
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    env.filters["excerpt"] = _excerpt
    env.filters["dict_sum"] = lambda d: sum(d.values())
    return env


def _charts(summary: RunSummary, labels: list[str]) -> dict:
    """The rows of the summary's three charts."""
    reasons = [(label, summary.reasons.get(label, 0)) for label in sorted(labels, key=lambda x: -summary.reasons.get(x, 0))]
    order = {c: i for i, c in enumerate(service_categories())}
    cats = sorted(summary.categories.items(), key=lambda kv: (-kv[1].items, order.get(kv[0], len(order))))
    decisions = [(f"{c} ({v.upheld / max(1, v.upheld + v.overturned):.0%} upheld)",
                  {"upheld": v.upheld, "overturned": v.overturned}) for c, v in cats]
    category_reasons = [(c, dict(v.reasons)) for c, v in cats]
    return {"reasons": reasons, "decisions": decisions, "category_reasons": category_reasons}


@dataclass
class ReportResult:
    path: Path
    summary: RunSummary
    sample: dict


def write_report(predictions_path: Path, gold_path: Path | None = None, out_path: Path | None = None,
                 page_size: int = 200, title: str | None = None, error_limit: int = 200,
                 max_letters: int = DEFAULT_MAX_LETTERS, seed: int = DEFAULT_SEED) -> ReportResult:
    """Write the report for a predictions JSONL (and optionally a gold JSONL) in one pass over
    the predictions; ``out_path`` defaults to the predictions path with ``.html``."""
    predictions_path = Path(predictions_path)
    out_path = Path(out_path) if out_path is not None else predictions_path.with_suffix(".html")
    tax = load_taxonomy()
    labels = tax.reason_ids
    gold = read_jsonl(Path(gold_path)) if gold_path else None

    summary = RunSummary()
    sample = LetterSample(limit=max(1, int(max_letters)), seed=seed)
    gold_preds: dict[str, dict] = {}  # the predictions of gold letters (few), for the figures
    for position, record in stream_records(predictions_path):
        summary.add(record)
        if record is None:
            continue
        record = _tidy(record)
        letter_id = str(record.get("id"))
        gold_record = gold.get(letter_id) if gold is not None else None
        if gold_record is not None:
            gold_preds[letter_id] = record
        flagged = bool(record.get("error")) or (gold_record is not None and disagrees_with_gold(gold_record, record))
        sample.offer(position, record, priority=flagged)

    gold_figures = errors = None
    if gold is not None:
        gold_figures = evaluate(gold, gold_preds)
        errors = {label: {"fp": [], "fn": []} for label in labels}
        for e in reason_errors(gold, gold_preds):
            errors[e["label"]][e["kind"]].append(e)

    letters = [letter_view(r, labels, gold.get(str(r.get("id"))) if gold is not None else None)
               for r in sample.chosen()]
    data = {"labels": labels, "pageSize": max(1, int(page_size)), "gold": gold is not None,
            "total": summary.letters, "letters": letters}
    title = title or f"IMR report: {predictions_path.name}"
    subtitle = (predictions_path.name + (f" against {Path(gold_path).name}" if gold_path else "")
                + f" · built {time.strftime('%Y-%m-%d %H:%M')}")
    page = _environment().get_template("report.html.j2").render(
        title=title, subtitle=subtitle, css=_static("report.css") + highlight_css(), js=_static("report.js"),
        data_json=json_for_script(data), t=summary.totals(), charts=_charts(summary, labels), labels=labels,
        palette=PALETTE, reason_colors={label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)},
        entity_labels=tax.entity_labels, gold=gold_figures, errors=errors, error_limit=error_limit,
        sample=sample.describe())
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(page, encoding="utf-8")
    return ReportResult(out_path, summary, sample.describe())


def build_report(predictions_path: Path, gold_path: Path | None = None, out_path: Path | None = None,
                 page_size: int = 200, title: str | None = None, error_limit: int = 200,
                 max_letters: int = DEFAULT_MAX_LETTERS, seed: int = DEFAULT_SEED) -> Path:
    """``write_report``, returning only the path written."""
    return write_report(predictions_path, gold_path, out_path, page_size, title, error_limit, max_letters, seed).path


def report_command(predictions: Path, gold: Path | None, out: Path, max_letters: int = DEFAULT_MAX_LETTERS,
                   seed: int = DEFAULT_SEED) -> None:
    """``imr report``: build the report and print a one-line summary. An input that is not a
    file, or an output that is a folder, is a usage error: one line, exit status 2."""
    for what, path in (("scored letters", predictions), ("gold", gold)):
        if path is not None and not Path(path).is_file():
            print(f"error: {what}: {path} is not a file", file=sys.stderr)
            raise SystemExit(2)
    if Path(out).is_dir():
        print(f"error: --out {out} is a folder; name the HTML file to write", file=sys.stderr)
        raise SystemExit(2)
    started = time.perf_counter()
    result = write_report(Path(predictions), Path(gold) if gold else None, Path(out), max_letters=max_letters,
                          seed=seed)
    t, s = result.summary.totals(), result.sample
    shown = f", {s['shown']} shown (sample, seed {s['seed']})" if s["partial"] else ""
    size = result.path.stat().st_size
    print(f"wrote {result.path}: {t['letters']} letters{shown}, {t['items']} items, upheld rate "
          f"{t['upheld_rate']:.1%}, {t['errors']} errors{', with gold' if gold else ''} ({size / 1e6:.1f} MB, "
          f"{time.perf_counter() - started:.1f} s)")
