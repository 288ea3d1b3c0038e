"""A letter's text as HTML: entities marked as displaCy marks them, evidence highlighted.

This is the one place that marks up letter text: the report embeds its output for
each letter it shows, the notebooks render rationales with it. Entity colours are
read from ``resources/entity_colors.json`` (``imr show`` and displaCy renderings use
the same file); the marks carry a class per label (``e-FINDING``) whose colour
``highlight_css`` writes, so the colours appear once in any page.
"""
from __future__ import annotations

import html
import json
from functools import lru_cache
from importlib import resources
from typing import Iterable


@lru_cache(maxsize=1)
def entity_colors() -> dict[str, str]:
    """Label -> background colour; ``absent`` (negated entities) and ``fallback`` (labels not
    listed) are keys too."""
    raw = json.loads(resources.files(__package__).joinpath("resources/entity_colors.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def displacy_colors() -> dict[str, str]:
    """The colours as displaCy's ``options={"colors": ...}`` takes them, for spans labelled
    ``LABEL`` or ``LABEL (absent)``."""
    colors = {k: v for k, v in entity_colors().items() if k not in ("absent", "fallback")}
    return dict(colors, **{f"{k} (absent)": entity_colors()["absent"] for k in colors})


@lru_cache(maxsize=1)
def highlight_css() -> str:
    """The CSS the marks of ``highlight_html`` need: the static rules and one colour rule per label."""
    static = resources.files(__package__).joinpath("static/highlight.css").read_text(encoding="utf-8")
    colors = entity_colors()
    rules = [f".entity{{background:{colors['fallback']}}}"]
    rules += [f".entity.e-{label}{{background:{color}}}" for label, color in colors.items()
              if label not in ("absent", "fallback")]
    rules.append(f".entity.neg{{background:{colors['absent']}}}")  # after the labels: absent wins
    return static + "\n".join(rules) + "\n"


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def entity_caption(span: dict) -> str:
    """What a mark says after the entity: its label, the guideline id, "(absent)" when negated."""
    label = str(span.get("label") or "?")
    if span.get("guideline_id"):
        label += " " + span["guideline_id"]
    return label + (" (absent)" if span.get("negated") else "")


def _open_mark(span: dict) -> str:
    label = "".join(c for c in str(span.get("label") or "") if c.isalnum() or c == "_")
    return f'<mark class="entity e-{label}{" neg" if span.get("negated") else ""}">'


def _usable(span: dict, size: int) -> bool:
    """Spans from any file: integer offsets inside the text, not empty."""
    a, b = span.get("start"), span.get("end")
    return isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= size


def highlight_html(text: str, spans: Iterable[dict], evidence: Iterable[tuple[int, int, str]] = (),
                   start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` as escaped HTML, entities as marks (negated ones with class ``neg``
    and labelled "(absent)"), evidence ranges ``(start, end, title)`` highlighted with the
    titles on hover. Overlapping entities keep the first; spans outside the text are ignored."""
    text = text or ""
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    ents = sorted((s for s in spans if _usable(s, len(text)) and s["start"] < end and s["end"] > start),
                  key=lambda s: (s["start"], -s["end"]))
    kept, last = [], start
    for s in ents:  # entities do not overlap; keep the first of any that do
        if s["start"] >= last:
            kept.append(s)
            last = s["end"]
    ev = [(max(a, start), min(b, end), t) for a, b, t in evidence
          if isinstance(a, int) and isinstance(b, int) and a < end and b > start and a < b]
    cuts = sorted({start, end, *(max(start, s["start"]) for s in kept), *(min(end, s["end"]) for s in kept),
                   *(a for a, _, _ in ev), *(b for _, b, _ in ev)})
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
            out.append(f'<span class="el">{_esc(entity_caption(ent))}</span></mark>')
    return "".join(out)


def item_evidence(items: Iterable[dict]) -> list[tuple[int, int, str]]:
    """The evidence ranges of a letter's items as ``highlight_html`` takes them, titled
    "item N: reason". Only upheld items have reasons, so only theirs count."""
    out = []
    for n, item in enumerate(items, 1):
        if item.get("decision") != "upheld":
            continue
        for reason, ranges in (item.get("evidence") or {}).items():
            for r in ranges or []:
                if isinstance(r, (list, tuple)) and len(r) >= 2:
                    out.append((r[0], r[1], f"item {n}: {reason}"))
    return out
