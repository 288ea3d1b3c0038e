"""Planning one synthetic case: the injured worker, the disputed items and their reasons.

Labels are true by construction: reasons are drawn first, then the text is
written to state them, and the case summary is drawn so that it never documents
what a rationale says is absent (a lacking indication is kept out of the
diagnoses; required signs and tests are disjoint from documented findings in the
lexicon).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..taxonomy import load_taxonomy
from .builder import SlotValue, TextBuilder
from .vocabulary import (CATEGORY, MECHANISMS, OCCUPATIONS, REGIONS, SERVICES, TREATMENTS, Citation, Region,
                      Service)

OVERTURN_RATE = 0.12
ITEM_COUNT_WEIGHTS = [(1, 34), (2, 25), (3, 18), (4, 11), (5, 7), (6, 5)]
REASON_COUNT_WEIGHTS = [(1, 50), (2, 38), (3, 12)]
REGION_WEIGHTS = [("lumbar", 28), ("cervical", 15), ("thoracic", 3), ("shoulder", 11), ("knee", 10), ("wrist_hand", 8), ("elbow", 4),
                  ("hip", 4), ("ankle_foot", 4), ("head", 4), ("psych", 5), ("general", 4)]

# Some services are judged on signs that belong to their category, not their body region.
CATEGORY_SIGNS: dict[str, tuple[str, ...]] = {
    "tpi": ("discrete trigger points with a twitch response", "circumscribed trigger points with referred pain",
            "a palpable taut band with a twitch response"),
    "nerve_block": ("tenderness over the occipital nerve with radiating pain", "a positive occipital Tinel's sign"),
}

# Likewise for the test results a category's guideline asks for.
CATEGORY_TESTS: dict[str, tuple[str, ...]] = {
    "esi": ("nerve root compression on imaging", "electrodiagnostic evidence of radiculopathy",
            "imaging findings that corroborate radiculopathy", "an MRI showing neural foraminal stenosis at the requested level"),
    "visco": ("radiographic evidence of severe osteoarthritis", "standing radiographs showing joint space narrowing"),
    "joint_inj": ("imaging consistent with the diagnosis",),
}


@dataclass
class ItemPlan:
    service: Service
    decision: str
    reasons: list[str]
    ctx: dict[str, SlotValue] = field(default_factory=dict)
    claims_citation: Citation | None = None
    reviewer_citation: Citation | None = None


@dataclass
class CasePlan:
    region: Region
    age: int
    sex: str
    occupation: str
    mechanism: str
    injury_date: str
    ur_date: str
    case_number: str
    conditions: list[str]
    symptoms: list[str]
    exam: list[str]
    normal: list[str]
    imaging: list[tuple[str, str, str]]   # (study, date, result)
    treatments: list[str]
    items: list[ItemPlan]
    report_dates: list[str]


_SYMPTOM_WORDS = ("pain", "numbness", "tingling", "weakness", "giving way", "locking", "stiffness", "dizziness",
                  "paresthesias", "complaints", "dropping", "tinnitus", "blurred", "insomnia", "anxiety", "irritability",
                  "concentration", "spasms", "headache", "nausea", "sleep", "sciatica", "effusion")


def is_symptom(condition: str) -> bool:
    """Reported complaints (CONDITIONs too, per taxonomy section 5) as opposed to named diagnoses;
    only these are written as what the worker 'complained of'."""
    return any(w in condition for w in _SYMPTOM_WORDS) and "syndrome" not in condition


def weighted_choice(rng: random.Random, pairs):
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for value, w in pairs:
        r -= w
        if r < 0:
            return value
    return pairs[-1][0]


def weighted_sample(rng: random.Random, pairs, k: int) -> list:
    pool = list(pairs)
    out = []
    while pool and len(out) < k:
        v = weighted_choice(rng, pool)
        out.append(v)
        pool = [(x, w) for x, w in pool if x != v]
    return out


def date(rng: random.Random, y0: int, y1: int) -> str:
    y, m, d = rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28)
    style = rng.randrange(3)
    if style == 0:
        return f"{m}/{d}/{y % 100:02d}"
    if style == 1:
        return f"{m:02d}/{d:02d}/{y}"
    return f"{m}/{d}/{y}"


def _services_for(region: str) -> list[tuple[Service, int]]:
    # Services of the case's own region are likelier than region-free ones (drugs, DME).
    out = []
    for s in SERVICES:
        if s.region == region:
            out.append((s, 8))
        elif s.region == "any" or (s.region == "general" and region != "psych"):
            # A psychological or headache case does not dispute surgery-related items.
            if region in ("psych", "head") and CATEGORY[s.category].group in ("surgery", "dme") \
                    or region in ("psych", "head") and s.category == "postop":
                continue
            out.append((s, 1))
    return out


_SERVICES_BY_REGION = {name: _services_for(name) for name in REGIONS}


def plan_case(rng: random.Random) -> CasePlan:
    region = REGIONS[weighted_choice(rng, REGION_WEIGHTS)]
    n_items = weighted_choice(rng, ITEM_COUNT_WEIGHTS)
    services = weighted_sample(rng, _SERVICES_BY_REGION[region.name], n_items)
    reason_order = load_taxonomy().reason_ids

    items: list[ItemPlan] = []
    for svc in services:
        if rng.random() < OVERTURN_RATE:
            items.append(ItemPlan(svc, "overturned", []))
            continue
        cat = CATEGORY[svc.category]
        k = weighted_choice(rng, REASON_COUNT_WEIGHTS)
        chosen = weighted_sample(rng, sorted(cat.reasons.items()), k)
        items.append(ItemPlan(svc, "upheld", sorted(chosen, key=reason_order.index)))

    # What rationales will say is absent must not be documented in the summary.
    absent_conditions: set[str] = set()
    for it in items:
        _fill_item_slots(rng, it, region)
        if "indication_not_met" in it.reasons:
            absent_conditions.add(str(it.ctx["ind-"]))
        for key in ("ind",):
            if key in it.ctx:
                absent_conditions.add(str(it.ctx[key]))

    general = REGIONS["general"]
    cond_pool = [c for c in region.conditions if c not in absent_conditions]
    conditions = rng.sample(cond_pool, min(len(cond_pool), rng.randint(2, 4)))
    extra = [c for c in general.conditions if c not in absent_conditions and c not in conditions]
    if region.name != "general" and rng.random() < 0.5:
        conditions.append(rng.choice(extra))
    rest = [c for c in cond_pool if c not in conditions and is_symptom(c)]
    symptoms = rng.sample(rest, min(len(rest), rng.randint(0, 2)))
    exam = rng.sample(region.exam, min(len(region.exam), rng.randint(2, 4)))
    normal = rng.sample(region.normal, min(len(region.normal), rng.randint(1, 2)))
    imaging = []
    for study in rng.sample(region.imaging_studies, rng.randint(0, min(2, len(region.imaging_studies)))):
        imaging.append((study, date(rng, 2011, 2014), rng.choice(region.imaging)))

    plan = CasePlan(
        region=region, age=rng.randint(24, 66), sex=rng.choice(("male", "female")),
        occupation=rng.choice(OCCUPATIONS), mechanism=rng.choice(MECHANISMS),
        injury_date=date(rng, 2003, 2012), ur_date=date(rng, 2013, 2014),
        case_number=f"CM{rng.choice((13, 13, 14, 15))}-0{rng.randint(0, 999999):06d}",
        conditions=conditions, symptoms=symptoms, exam=exam, normal=normal, imaging=imaging,
        treatments=rng.sample(TREATMENTS, rng.randint(2, 4)), items=items,
        report_dates=[date(rng, 2013, 2014) for _ in range(3)],
    )
    # Slots that point at documented facts are filled once the summary is drawn.
    documented = exam + [r for _, _, r in imaging]
    for it in items:
        # The region's own diagnoses, not an incidental one ("not recommended for hypertension").
        it.ctx["cond"] = rng.choice(conditions[:max(1, len(conditions) - 1)] if region.name != "general" else conditions)
        it.ctx["find"] = rng.choice(documented)
    return plan


def _fill_item_slots(rng: random.Random, it: ItemPlan, region: Region) -> None:
    svc, cat = it.service, CATEGORY[it.service.category]
    own = REGIONS.get(svc.region, region) if svc.region not in ("any", "general") else region
    ctx = it.ctx
    ctx["svc"] = svc.name
    it.claims_citation = svc.guidelines[0]
    it.reviewer_citation = rng.choice(svc.guidelines)
    cit = it.reviewer_citation
    ctx["g"] = (_surface(rng, cit), cit.gid)
    # A bare "MTUS" names the schedule, not one of its parts (taxonomy guideline ids).
    ctx["gs"] = (cit.short, "MTUS" if cit.short == "MTUS" else cit.gid)
    ctx["bp"] = own.body_part
    signs = CATEGORY_SIGNS.get(svc.category, own.required_signs)
    ctx["sign-"] = rng.choice(signs)
    ctx["test-"] = rng.choice(CATEGORY_TESTS.get(svc.category, own.required_tests))
    if cat.indications:
        ind = rng.choice(cat.indications)
        if "indication_not_met" in it.reasons:
            ctx["ind-"] = ind
        ctx["ind"] = ind
    for slot, values in (("limit", cat.limits), ("done", cat.done), ("prior", cat.prior), ("prereq", cat.prereq),
                         ("monitor", cat.monitor), ("unspec", cat.unspecified)):
        if values:
            ctx[slot] = rng.choice(values)
    if svc.qty:
        ctx["qty"] = svc.qty


def _surface(rng: random.Random, cit: Citation) -> str:
    """A written form of the guideline name; all variants keep chapter or edition inside the span."""
    if cit.gid == "ODG":
        chapter = cit.name[len("Official Disability Guidelines (ODG) "):]
        return rng.choice((cit.name, f"ODG {chapter}", f"Official Disability Guidelines {chapter}", "ODG",
                           "Official Disability Guidelines"))
    if cit.gid == "MTUS-CPMTG":
        return rng.choice((cit.name, "California MTUS Chronic Pain Medical Treatment Guidelines",
                           "Chronic Pain Medical Treatment Guidelines", "MTUS Chronic Pain Treatment Guidelines",
                           "CA MTUS Chronic Pain Guidelines"))
    if cit.gid == "MTUS-ACOEM":
        chapter = cit.name.rsplit(" ", 1)[-1]
        return rng.choice((cit.name, f"ACOEM Practice Guidelines, Chapter {chapter}", f"MTUS/ACOEM Chapter {chapter}",
                           "ACOEM Practice Guidelines, 2nd Edition (2004)"))
    if cit.gid == "MTUS-PSTG":
        return rng.choice((cit.name, "Post-Surgical Treatment Guidelines", "California MTUS Post-Surgical Treatment Guidelines"))
    return cit.name


def write_case_summary(b: TextBuilder, rng: random.Random, plan: CasePlan) -> None:
    """History, diagnoses, exam and imaging in the voice of a reviewer's summary.
    Each element is one of a few sentence shapes, so summaries do not all read alike."""
    p = plan
    first = rng.randrange(3)
    if first == 0:
        b.add(f"The injured worker is a {p.age}-year-old {p.sex} {p.occupation} who sustained an industrial injury on "
              f"{p.injury_date} while {p.mechanism}. ")
    elif first == 1:
        b.add(f"This is a {p.age}-year-old {p.sex} with a date of injury of {p.injury_date}. The mechanism of injury was "
              f"{p.mechanism}. ")
    else:
        b.add(f"The patient is a {p.age}-year-old {p.occupation} injured on {p.injury_date}. ")
    shape = rng.randrange(3)
    if shape == 0:
        b.add("The diagnoses include ")
    elif shape == 1:
        b.add("Current diagnoses are ")
    else:
        b.add("The treating physician has diagnosed ")
    b.entity_list(p.conditions, "CONDITION")
    b.add(". ")
    if p.symptoms:
        b.add(rng.choice((f"The progress report dated {p.report_dates[0]} notes ",
                          f"On {p.report_dates[0]}, the injured worker complained of ",
                          "Subjective complaints include ")))
        b.entity_list(p.symptoms, "CONDITION")
        b.add(". ")
    if rng.random() < 0.5:
        b.add(f"Treatment to date has included {_plain_list(p.treatments)}. ")
    b.add(rng.choice((f"The {p.report_dates[1]} examination revealed ", "Physical examination showed ",
                      "On exam there was ", "Objective findings include ")))
    b.entity_list(p.exam, "FINDING")
    b.add(". ")
    b.add(rng.choice(("There was ", "The exam also noted ", "Findings also included ")))
    b.entity_list(p.normal, "FINDING")
    b.add(". ")
    for study, when, result in p.imaging:
        lead = rng.choice((f"{study} dated {when} showed ", f"The {study} performed on {when} demonstrated ",
                           f"Per the report of the {study} from {when}, there was "))
        b.add(lead[0].upper() + lead[1:])
        b.entity(result, "FINDING")
        b.add(". ")
    b.add(rng.choice((f"The treating physician requested {_plain_list([i.service.name for i in p.items])}. ",
                      f"Utilization review dated {p.ur_date} non-certified the requests. ",
                      f"A request for authorization was submitted and denied by utilization review on {p.ur_date}. ")))


def _plain_list(values: list[str]) -> str:
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " and " + values[-1]
