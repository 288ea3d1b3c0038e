"""The three letter layouts of ``taxonomy.md`` section 4, written into a TextBuilder.

* ``fdl-issues``: HOW THE IMR FINAL DETERMINATION WAS MADE / CLINICAL CASE SUMMARY /
  IMR ISSUES, DECISIONS AND RATIONALES, each item "<service>:  Upheld" with the two
  guideline citations and a decision rationale (the reference letter's layout);
* ``fdl-decisions``: MAXIMUS letterhead, notice with case number and dates, a
  "Dear ..." paragraph, DOCUMENTS REVIEWED, CLINICAL CASE SUMMARY and numbered
  "Is the request for <service> medically necessary?" items;
* ``professional-review``: MEDICAL PROFESSIONAL REVIEW with ISSUE AT DISPUTE, CASE
  SUMMARY, documents, guidelines relied upon, one shared rationale section with a
  paragraph per item, and reviewer qualifications.

Each item's rationale (reasons, distractors, decision sentence) is written by
``write_rationale`` from the letter's template family, whatever the layout, so a
family's phrasings are seen in every layout. Every layout records the item's
``service`` range and ``rationale`` range for the reader's training.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from .builder import TextBuilder, usable
from .case import CasePlan, ItemPlan, write_case_summary
from .vocabulary import DOCUMENTS, MEDICAL_DIRECTORS, SPECIALTIES, STATES, SUBSPECIALTIES, SURNAMES
from .phrasing import (DISTRACTORS, FAMILIES, FILLERS, OPENERS, OVERTURNED, OVERTURNED_CLOSERS, UPHELD_CLOSERS,
                       phrasings)

LAYOUTS = ("fdl-issues", "fdl-decisions", "professional-review")

# Distractors that affirm the diagnosis would contradict these reasons.
_DIAGNOSIS_REASONS = {"indication_not_met", "not_recommended_by_guideline"}


@dataclass
class ItemRanges:
    service: tuple[int, int] | None = None
    rationale: tuple[int, int] | None = None


# Phrasings that only read right when the missing indication is a diagnosis; a
# situation ("a homebound status") cannot be "diagnosed" or "documented a ...".
_DIAGNOSIS_WORDING = ("diagnos", "lack of documented", "history of {ind-}", "the condition this")


def _pick(rng: random.Random, templates, ctx) -> str | None:
    ok = usable(templates, ctx)
    ind = ctx.get("ind-")
    if isinstance(ind, str) and ind.startswith(("a ", "an ", "the ")):
        ok = [t for t in ok if "{ind-}" not in t or not any(w in t for w in _DIAGNOSIS_WORDING)]
    return rng.choice(ok) if ok else None


def write_rationale(b: TextBuilder, rng: random.Random, item: ItemPlan, family: str,
                    closer: bool = True) -> None:
    """The reviewer's rationale for one item, in ``family``'s phrasing."""
    f = FAMILIES.index(family)
    ctx = item.ctx
    sentences: list[str] = []
    if item.decision == "upheld":
        if rng.random() < 0.85:
            sentences.append(_pick(rng, OPENERS[f], ctx))
        body = [_pick(rng, phrasings(reason, family), ctx) for reason in item.reasons]
        # A label whose sentence could not be written would be a false label: fail loudly.
        assert all(body), (item.service.name, item.reasons, family)
        if rng.random() < 0.4:
            options = [t for t in DISTRACTORS[f]
                       if not ("{cond}" in t and _DIAGNOSIS_REASONS & set(item.reasons))]
            pick = _pick(rng, options, ctx)
            if pick:
                body.insert(rng.randrange(len(body) + 1), pick)
        if rng.random() < 0.3:
            body.insert(rng.randrange(len(body) + 1), rng.choice(FILLERS[f]))
        sentences.extend(body)
        if closer:
            sentences.append(_pick(rng, UPHELD_CLOSERS[f], ctx))
    else:
        if rng.random() < 0.5:
            sentences.append(_pick(rng, OPENERS[f], ctx))
        sentences.append(_pick(rng, OVERTURNED[f], ctx))
        if rng.random() < 0.3:
            sentences.append(rng.choice(FILLERS[f]))
        if closer:
            sentences.append(_pick(rng, OVERTURNED_CLOSERS[f], ctx))
    sep = "  " if rng.random() < 0.3 else " "
    for i, s in enumerate(x for x in sentences if x):
        if i:
            b.add(sep)
        b.template(s, ctx)


def _heading(b: TextBuilder, rng: random.Random, name: str, heading: str, style: int) -> None:
    b.open_section(name, heading)
    if style == 1:
        b.add(f" {heading} \n\n")
    else:
        b.add(f"{heading}\n\n")


def _citation(b: TextBuilder, item: ItemPlan, which: str, rng: random.Random) -> None:
    """'<guideline> <topic>, Page(s): nn' with only the guideline name as the span."""
    cit = item.claims_citation if which == "claims" else item.reviewer_citation
    assert cit is not None
    b.entity(cit.name, "GUIDELINE", guideline_id=cit.gid)
    if cit.topic:
        b.add(rng.choice((", ", " ", " - ")) + cit.topic)
    if cit.pages:
        word = "pages" if "-" in cit.pages else "page"
        b.add(rng.choice((f" Page(s): {cit.pages}", f", {word} {cit.pages}", f", page(s) {cit.pages}")))
    b.add(".")


def _how_made(b: TextBuilder, rng: random.Random) -> None:
    spec = rng.choice(SPECIALTIES)
    sub = rng.choice(SUBSPECIALTIES)
    b.add(rng.choice(("MAXIMUS Federal Services sent the complete case file to an expert reviewer. ",
                      "The complete case file was sent by MAXIMUS Federal Services to an expert reviewer. ")))
    b.add("He/she has no affiliation with the employer, employee, providers or the claims administrator. ")
    b.add(f"The expert reviewer is {spec}, ")
    if sub:
        b.add(f"has a subspecialty in {sub} ")
    b.add(f"and is licensed to practice in {rng.choice(STATES)}. ")
    b.add(rng.choice(("He/she has been in active clinical practice for more than five years and is currently working "
                      "at least 24 hours a week in active practice. ",
                      "The expert reviewer has been in active practice for more than 5 years. ")))
    b.add("The expert reviewer was selected based on his/her clinical experience, education, background, and expertise "
          "in the same or similar specialties that evaluate and/or treat the medical condition and disputed "
          "items/services. ")
    b.add("He/she is familiar with governing laws and regulations, including the strength of evidence hierarchy that "
          "applies to Independent Medical Review determinations.\n\n")


def _decision_word(rng: random.Random, decision: str) -> str:
    if decision == "upheld":
        return rng.choice(("Upheld", "Upheld", "Upheld", "UPHELD"))
    return rng.choice(("Overturned", "Overturned", "OVERTURNED"))


# ---------------------------------------------------------------------------
def render_fdl_issues(b: TextBuilder, rng: random.Random, plan: CasePlan, family: str) -> list[ItemRanges]:
    style = rng.randrange(2)
    if rng.random() < 0.4:
        b.open_section("header")
        b.add(f"IMR Case Number: {plan.case_number}\nDate of Injury: {plan.injury_date}\n\n")
    _heading(b, rng, "qualifications", "HOW THE IMR FINAL DETERMINATION WAS MADE", style)
    _how_made(b, rng)
    _heading(b, rng, "case_summary", "CLINICAL CASE SUMMARY", style)
    b.add("The expert reviewer developed the following clinical case summary based on a review of the case file, "
          "including all medical records:\n\n")
    write_case_summary(b, rng, plan)
    b.add("\n\n")
    _heading(b, rng, "issues", "IMR ISSUES, DECISIONS AND RATIONALES", style)
    b.add("The Final Determination was based on decisions for the disputed items/services set forth below:\n\n")
    ranges = []
    for item in plan.items:
        r = ItemRanges()
        start = b.length
        b.add(item.service.name)
        r.service = (start, b.length)
        b.add(rng.choice((":  ", ": ", " : ")) + _decision_word(rng, item.decision) + "\n\n")
        b.add("Claims Administrator guideline: Decision based on ")
        _citation(b, item, "claims", rng)
        b.add("\n\n")
        b.add("MAXIMUS guideline: ")
        if item.reviewer_citation and item.reviewer_citation.gid in ("ODG", "ACOEM", "OTHER") and rng.random() < 0.6:
            b.add("The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation ")
        else:
            b.add("Decision based on ")
        _citation(b, item, "reviewer", rng)
        b.add("\n\n")
        b.add("Decision rationale: ")
        start = b.length
        write_rationale(b, rng, item, family)
        r.rationale = (start, b.length)
        b.add("\n\n")
        ranges.append(r)
    if rng.random() < 0.25:
        # The PDF's bookmark outline, which text extraction appends after the last page.
        b.close_section()
        b.add("\n\t" + "\n\t".join(["HOW THE IMR FINAL DETERMINATION WAS MADE", "CLINICAL CASE SUMMARY",
                                     "IMR ISSUES, DECISIONS AND RATIONALES"]))
        for item in plan.items:
            b.add(f"\n\t{item.service.name}:  {_decision_word(rng, item.decision)}")
        b.add("\n")
    return ranges


def _plural_decision(plan: CasePlan) -> str:
    decisions = {i.decision for i in plan.items}
    if decisions == {"upheld"}:
        return ("UPHOLD. This means we decided that none of the disputed items/services are medically necessary "
                "and appropriate.")
    if decisions == {"overturned"}:
        return ("OVERTURN. This means we decided that all of the disputed items/services are medically necessary "
                "and appropriate.")
    return ("OVERTURN (in part). This means we decided that some of the disputed items/services are medically "
            "necessary and appropriate.")


def render_fdl_decisions(b: TextBuilder, rng: random.Random, plan: CasePlan, family: str) -> list[ItemRanges]:
    b.open_section("header")
    b.add("MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nP.O. Box 138009\nSacramento, CA 95813-8009\n"
          "Fax: (916) 605-4270\n\n")
    b.add("Notice of Independent Medical Review Determination\n\n")
    b.add(f"Dated: {plan.report_dates[2]}\n\n")
    pad = "  " if rng.random() < 0.5 else " "
    b.add(f"IMR Case Number:{pad}{plan.case_number}\nDate of Injury:{pad}{plan.injury_date}\n"
          f"UR Denial Date:{pad}{plan.ur_date}\nPriority:{pad}Standard\n")
    b.add("Treatment(s) in Dispute Listed on IMR Application:\n")
    for item in plan.items:
        b.add(f"{item.service.name}\n")
    b.add("\n")
    b.add(f"Dear {rng.choice(('Mr.', 'Ms.', 'Dr.'))} {rng.choice(SURNAMES)}:\n\n")
    b.add("MAXIMUS Federal Services has completed the Independent Medical Review (IMR) of the above workers' "
          "compensation case. This letter provides you with the IMR Final Determination and explains how the "
          "determination was made.\n\n")
    b.add(f"Final Determination: {_plural_decision(plan)} A detailed explanation of the decision for each of the "
          "disputed items/services is provided later in this letter.\n\n")
    b.add("This determination is final and binding.\n\nSincerely,\n\n"
          f"{rng.choice(MEDICAL_DIRECTORS)}\nMedical Director\n\n")
    _heading(b, rng, "qualifications", "HOW THE IMR FINAL DETERMINATION WAS MADE", 0)
    _how_made(b, rng)
    _heading(b, rng, "documents", "DOCUMENTS REVIEWED", 0)
    for doc in rng.sample(DOCUMENTS, rng.randint(3, 7)):
        b.add(f"{doc}\n")
    b.add("\n")
    _heading(b, rng, "case_summary", "CLINICAL CASE SUMMARY", 0)
    write_case_summary(b, rng, plan)
    b.add("\n\n")
    _heading(b, rng, "issues", rng.choice(("IMR DECISION(S) AND RATIONALE(S)", "IMR DECISION(S) AND RATIONALE(S)")), 0)
    b.add("The Final Determination was based on decisions for the disputed items/services set forth below:\n\n")
    ranges = []
    for n, item in enumerate(plan.items, 1):
        r = ItemRanges()
        b.add(f"{n}. Is the request for ")
        start = b.length
        b.add(item.service.name)
        r.service = (start, b.length)
        b.add(" medically necessary?\n\n")
        b.add("Section of the Medical Treatment Utilization Schedule (MTUS) cited by the Claims Administrator:\n\n")
        b.add("The Claims Administrator based its decision on the ")
        _citation(b, item, "claims", rng)
        b.add("\n\n")
        b.add("Section of the Medical Treatment Utilization Schedule (MTUS) used by the Expert Reviewer:\n\n")
        b.add(rng.choice(("The Expert Reviewer based his/her decision on the ", "The Expert Reviewer relied on the ")))
        _citation(b, item, "reviewer", rng)
        b.add("\n\n")
        b.add("Rationale for the Decision:\n\n")
        start = b.length
        write_rationale(b, rng, item, family, closer=rng.random() < 0.5)
        b.add("\n\n")
        neg = "not " if item.decision == "upheld" else ""
        b.add(f"The request for {item.service.name} is {neg}medically necessary and appropriate.")
        r.rationale = (start, b.length)
        b.add("\n\n")
        ranges.append(r)
    b.add(rng.choice(("/pm\n", "cc: Department of Industrial Relations\n", "")))
    return ranges


def render_professional_review(b: TextBuilder, rng: random.Random, plan: CasePlan, family: str) -> list[ItemRanges]:
    b.open_section("header", "MEDICAL PROFESSIONAL REVIEW")
    b.add("MEDICAL PROFESSIONAL REVIEW\n\n")
    b.add(f"IMR Case Number: {plan.case_number}\nDate of Injury: {plan.injury_date}\n\n")
    per_issue = rng.random() < 0.5
    ranges = [ItemRanges() for _ in plan.items]
    # The issue list summarises the decisions, so it stays in the header section.
    b.add("ISSUE AT DISPUTE:\n\n")
    for n, item in enumerate(plan.items, 1):
        b.add(f"{n}. ")
        start = b.length
        b.add(item.service.name)
        ranges[n - 1].service = (start, b.length)
        if per_issue:
            if item.decision == "upheld":
                b.add(rng.choice((" - Upheld", " is not medically necessary", " - non-certified", ": UPHELD")))
            else:
                b.add(rng.choice((" - Overturned", " is medically necessary", " - certified", ": OVERTURNED")))
        b.add("\n")
    b.add("\n")
    _heading(b, rng, "case_summary", "CASE SUMMARY:", 0)
    write_case_summary(b, rng, plan)
    b.add("\n\n")
    _heading(b, rng, "documents", "DOCUMENTS REVIEWED FOR DETERMINATION:", 0)
    for doc in rng.sample(DOCUMENTS, rng.randint(3, 7)):
        b.add(f"{rng.choice(('- ', '* ', ''))}{doc}\n")
    b.add("\n")
    _heading(b, rng, "guidelines", "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:", 0)
    for n, item in enumerate(plan.items, 1):
        b.add(f"{n}. ")
        _citation(b, item, "reviewer", rng)
        b.add(rng.choice((" This guideline addresses the requested treatment.", " It is the applicable guideline.",
                          "")) + "\n")
    b.add("\n")
    _heading(b, rng, "issues", "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:", 0)
    for n, item in enumerate(plan.items, 1):
        start = b.length
        lead = rng.randrange(3)
        if lead == 0:
            b.add(f"{n}. Regarding the request for {item.service.name}: ")
        elif lead == 1:
            b.add(f"{item.service.name}: ")
        else:
            b.add(f"As to issue #{n}, {item.service.name}. ")
        write_rationale(b, rng, item, family)
        r = ranges[n - 1]
        r.rationale = (start, b.length)
        b.add("\n\n")
    _heading(b, rng, "qualifications", "MEDICAL REVIEWER QUALIFICATIONS:", 0)
    b.add(f"The reviewer is {rng.choice(SPECIALTIES)} and is licensed to practice in {rng.choice(STATES)}. "
          "The reviewer has no conflict of interest with the parties to this review.\n")
    return ranges


RENDERERS = {
    "fdl-issues": render_fdl_issues,
    "fdl-decisions": render_fdl_decisions,
    "professional-review": render_professional_review,
}
