"""Deterministic generation of annotated training letters.

``generate_letters(n, seed)`` yields ``n`` letters. Letter ``i`` depends only on
``(seed, i)``: its random stream is seeded with the string ``"{seed}:{i}"`` (string
seeds are hashed with SHA-512 by ``random.Random``, independent of
``PYTHONHASHSEED``), so the first 100 letters of a run of 5,000 are the 100 letters
of a run of 100. No sets are iterated and no clock or uuid is read.

A letter is planned (``case.plan_case``), written in one layout by one template
family (``layouts``), and, for about 30% of letters, passed through PDF noise
(``noise``) with every span and range moved to its noisy offsets.
"""
from __future__ import annotations

import random
from typing import Iterator

from ..letters import EntitySpan, Item, Letter, Section
from .builder import TextBuilder
from .case import plan_case
from .renderers import LAYOUTS, RENDERERS
from .noise import apply_noise
from .phrasing import FAMILIES

NOISE_RATE = 0.3

# Whole families are held out: a dev or test letter's rationale sentences were never
# seen in training. fam6 is dev and fam7 test; the rest train.
_SPLITS = {family: "train" for family in FAMILIES}
_SPLITS[FAMILIES[-2]] = "dev"
_SPLITS[FAMILIES[-1]] = "test"


def family_split(family: str) -> str:
    """'train', 'dev' or 'test' for a template family; every letter of a family lands in one split."""
    try:
        return _SPLITS[family]
    except KeyError:
        raise ValueError(f"unknown template family {family!r}") from None


_RUNNING_HEADS = {
    "fdl-issues": "Final Determination Letter for IMR Case Number {case}",
    "fdl-decisions": "MAXIMUS FEDERAL SERVICES, INC.",
    "professional-review": "MEDICAL PROFESSIONAL REVIEW",
}


def generate_letter(seed: int, i: int) -> Letter:
    rng = random.Random(f"{seed}:{i}")
    family = FAMILIES[rng.randrange(len(FAMILIES))]
    layout = LAYOUTS[rng.randrange(len(LAYOUTS))]
    plan = plan_case(rng)
    b = TextBuilder()
    ranges = RENDERERS[layout](b, rng, plan, family)
    text = b.text().rstrip() + "\n"

    def keep(start: int, end: int) -> tuple[int, int]:
        return start, end

    mapper = keep
    if rng.random() < NOISE_RATE:
        head = _RUNNING_HEADS[layout].format(case=plan.case_number)
        noisy = apply_noise(text, rng, plan.case_number, head)
        text = noisy.text
        mapper = noisy.map_range

    spans = []
    for s in b.spans:
        start, end = mapper(s.start, s.end)
        spans.append(EntitySpan(start, end, s.label, s.negated, s.guideline_id))
    sections = []
    for sec in b.sections:
        if sec.end > sec.start:
            start, end = mapper(sec.start, sec.end)
            sections.append(Section(sec.name, start, end, sec.heading))
    items = []
    for item, r in zip(plan.items, ranges):
        items.append(Item(
            service=item.service.name, decision=item.decision, reasons=list(item.reasons),
            service_range=mapper(*r.service) if r.service else None,
            rationale_range=mapper(*r.rationale) if r.rationale else None,
            claims_guideline=item.claims_citation.name if item.claims_citation else None,
            reviewer_guideline=item.reviewer_citation.name if item.reviewer_citation else None,
        ))
    return Letter(id=f"gen-{seed}-{i:06d}", text=text, format=layout, items=items, spans=spans,
                  sections=sections, source="generated", family=family)


def generate_letters(n: int, seed: int) -> Iterator[Letter]:
    """Yield ``n`` generated letters; the same ``(n, seed)`` gives the same letters, byte for byte."""
    for i in range(n):
        yield generate_letter(seed, i)
