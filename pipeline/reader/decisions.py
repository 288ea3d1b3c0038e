"""Reading a decision out of the words a letter uses for it.

Letters say "Upheld", "UPHOLD", "is not medically necessary and appropriate",
"non-certified", "the Claims Administrator's decision is overturned", "medical
necessity is established"... ``decision_of`` maps a phrase to ``upheld`` (the
denial stands) or ``overturned``; ``conclusions`` finds the sentences in a passage
that state a decision, so that the last one can be taken as the reviewer's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

UPHELD = "upheld"
OVERTURNED = "overturned"

# Denial stands. Checked before the positive patterns, because most of them contain
# a positive phrase ("not medically necessary" contains "medically necessary").
_NEGATIVE = [
    r"\bnot\s+(?:deemed\s+|considered\s+|found\s+(?:to\s+be\s+)?|shown\s+to\s+be\s+)?(?:medically\s+)?necessary",
    r"\bnot\s+(?:been\s+)?(?:established|supported|substantiated|warranted|indicated|certified|approved|appropriate)",
    r"\bnot\s+(?:be\s+)?recommended\s+as\s+medically\s+necessary",
    r"\bcannot\s+be\s+(?:recommended|supported|certified|approved|considered|deemed|found)",
    r"\bcan\s?not\s+be\s+(?:recommended|supported|certified|approved)",
    r"\bno\s+medical\s+necessity\b", r"\bmedical\s+necessity\s+(?:is|was|has)\s+not\b",
    r"\bunnecessary\b", r"\bnon-?\s?certifi(?:ed|cation)\b", r"\bnon-?\s?certify\b",
    r"\bnot\s+medically\s+indicated\b",
    r"\b(?:is|was|are|were|remains?|be)\s+(?:hereby\s+)?upheld\b", r"\bupheld\b", r"\buphold(?:s|ing)?\b",
    r"\b(?:is|was|are|were)\s+(?:therefore\s+|thus\s+|hence\s+)?denied\b", r"\bdenial\s+(?:is|was)\s+(?:upheld|affirmed|sustained|maintained)\b",
    r"\b(?:denial|decision)\s+stands\b", r"\bdenied\b", r"\bnot\s+(?:shown|found)\s+to\s+be\s+necessary",
    r"\bneither\b[^.]{0,160}?\b(?:is|was|are|were)\s+medically\s+necessary",
]
_POSITIVE = [
    r"\bmedically\s+necessary\b", r"\bmedical\s+necessity\s+(?:is|was|has\s+been)\s+(?:established|demonstrated|met|supported)",
    r"\boverturn(?:ed|s|ing)?\b", r"\breversed\b", r"\bcertified\b", r"\bcertify\b", r"\bapproved\b",
    r"\brecommend(?:s|ed)?\s+(?:its\s+)?approval\b",
    r"\b(?:is|are|was|were)\s+(?:therefore\s+|thus\s+)?(?:supported|warranted|indicated|appropriate|recommended|established)\b",
]
_NEG = re.compile("|".join(_NEGATIVE), re.IGNORECASE)
_POS = re.compile("|".join(_POSITIVE), re.IGNORECASE)
# Either wording on the claims administrator's decision flips its sense: "the Claims
# Administrator's decision is overturned" means the item IS necessary.
_ADMIN_DECISION = re.compile(
    r"(?:claims\s+administrator|utilization\s+review|UR)(?:'s)?\s+(?:decision|determination|denial)"
    r"[^.]{0,40}?\b(?P<verb>upheld|uphold|overturned|overturn|reversed|affirmed|sustained)", re.IGNORECASE)


# "The denial (of Soma) is affirmed", "the non-certification is overturned": a verdict on
# the denial itself, whatever other decision words the sentence holds.
_DENIAL_VERDICT = re.compile(
    r"\b(?:denial|non-?\s?certification|adverse\s+determination)(?:\s+of\s+[^.]{0,60}?)?\s+(?:is|was|are|were|be|has\s+been)"
    r"\s+(?:not\s+)?(?:hereby\s+)?(?P<verb>upheld|affirmed|sustained|maintained|overturned|reversed|rescinded)\b",
    re.IGNORECASE)


def decision_of(phrase: str) -> str | None:
    """``upheld``/``overturned`` for a phrase that states a decision, else ``None``."""
    admin = _ADMIN_DECISION.search(phrase) or _DENIAL_VERDICT.search(phrase)
    if admin:
        verb = admin.group("verb").lower()
        upheld = verb.startswith(("uphe", "uphold", "affirm", "sustain", "maintain"))
        if re.search(r"\bnot\s+$", phrase[admin.start():admin.start("verb")]):
            upheld = not upheld  # "the utilization review denial is not upheld"
        return UPHELD if upheld else OVERTURNED
    if _NEG.search(phrase):
        return UPHELD
    if _POS.search(phrase):
        return OVERTURNED
    return None


# A sentence that concludes on a request: names the request / item and states necessity.
_CONCLUSION = re.compile(
    r"(?:medically\s+necessary|medical\s+necessity|non-?\s?certifi|\bcertified\b|\bupheld\b|\boverturned\b|"
    r"\bdenied\b|\bapproved\b|\bwarranted\b|\bsupported\b|\bnot\s+recommended\s+as\b|\bappropriate\b|"
    r"\baffirmed\b|\breversed\b|\brecommend(?:s|ed)?\s+(?:its\s+)?approval\b)",
    re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]+|$)", re.DOTALL)
# Quoted guideline text says "recommended"/"not recommended" about treatments in
# general; only sentences that speak of the request (or of necessity) are conclusions.
_ABOUT_REQUEST = re.compile(
    r"\brequest|\bmedically\s+necessary|medical\s+necessity|\bcertif|\bupheld\b|\boverturned\b|\bdenial\b|\bapproval\b|"
    r"\btherefore\b|\bthus\b|\bas\s+such\b|\bconsequently\b|\baccordingly\b", re.IGNORECASE)


# What utilization review did earlier is history, not the reviewer's conclusion:
# "Utilization review previously non-certified the request", "it was denied by UR".
_EARLIER_ACTION = r"(?:previously\s+|initially\s+|had\s+|has\s+)?(?:non-?\s?certified|denied|modified|certified|approved)"
_REVIEW_BODY = r"(?:utilization\s+review(?:er)?|UR|claims\s+administrator|carrier|insurer)"
_HISTORY = re.compile(
    rf"\b{_REVIEW_BODY}(?:'s)?\s+(?:[a-z]+\s+){{0,2}}?{_EARLIER_ACTION}\b"
    rf"|\b(?:was|were|had\s+been|has\s+been)\s+{_EARLIER_ACTION}\s+(?:by|in|at)\s+(?:the\s+)?(?:prior\s+)?{_REVIEW_BODY}\b",
    re.IGNORECASE)


@dataclass
class Conclusion:
    start: int
    end: int
    text: str
    decision: str


_RATIONALE_HEADING = re.compile(r"\bRATIONALE\s+FOR\s+WHY\b")  # in capitals: the heading, not a sentence


def conclusions(passage: str, offset: int = 0) -> list[Conclusion]:
    """Sentences of ``passage`` that state a decision on a request, in order."""
    found = []
    for match in _SENTENCE.finditer(passage):
        sentence = match.group(0)
        # Judge the sentence without any report of the earlier utilization review.
        if _RATIONALE_HEADING.search(sentence):
            continue  # "RATIONALE FOR WHY ... IS/WAS NOT MEDICALLY NECESSARY:" repeated after a page break
        own = _HISTORY.sub(" ", sentence) if not _ADMIN_DECISION.search(sentence) else sentence
        if not own.strip() or not _CONCLUSION.search(own) or not _ABOUT_REQUEST.search(own):
            continue
        decision = decision_of(own)
        if decision:
            found.append(Conclusion(offset + match.start(), offset + match.end(), sentence.strip(), decision))
    return found
