"""The transparent rule baseline: labeling functions for denial reasons.

Each reason has cue patterns over a rationale's sentences. A sentence that only
quotes guideline criteria ("guidelines recommend ... when ...") says what is
required, not what is missing, so cues that need an absence ("no documentation
of", "not documented") fire only together with a lack cue in the same sentence.
The baseline labels unlabelled letters for weak supervision (``imr label``), feeds
the classifier as features, and is the bar the trained model must beat; its
scikit-learn faces (``CueFeatures``, ``RuleBaseline``) live in ``pipeline.reasons``.
This module imports no scikit-learn: scoring runs without it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..taxonomy import load_taxonomy

# "Something is missing": the shared core of most denial sentences.
LACK = (r"(?:\bno\b|\bnot\b|\bnor\b|\bwithout\b|\babsen(?:ce|t)\b|\black(?:s|ing)?\b|\bfail(?:s|ed|ure)?\s+to\b|"
        r"\bnone\b|\bneither\b|\bnowhere\b|\bmissing\b|\bunclear\b|\binsufficient\b|\binadequate\b|\bdoes\s+not\b|"
        r"\bdid\s+not\b|\bhas\s+not\b|\bhave\s+not\b|\bwas\s+not\b|\bwere\s+not\b|\bis\s+not\b|\bare\s+not\b|"
        r"\bsilent\b|\bundocumented\b|\bunknown\b|\bnever\b)")

CUES: dict[str, list[str]] = {
    "missing_exam_finding": [
        r"\b(?:exam(?:ination)?|physical\s+findings?|objective\s+(?:findings?|signs?|evidence)|on\s+exam|clinical\s+findings?)\b",
        r"\b(?:trigger\s+points?|twitch|radicular\s+(?:findings|signs)|dermatomal|reflex(?:es)?|straight\s+leg|"
        r"strength|weakness|sensory\s+(?:deficit|loss|changes?)|instability|tenderness|range\s+of\s+motion|"
        r"provocative|tinel|phalen|neurologic(?:al)?\s+(?:deficit|findings?)|spurling|mcmurray|effusion|atrophy)\b",
    ],
    "missing_diagnostic_evidence": [
        r"\b(?:mri|ct\s+scan|x-?rays?|radiographs?|imaging|emg|ncv|nerve\s+conduction|electrodiagnostic|"
        r"laborator(?:y|ies)|lab\s+(?:tests?|results?)|ultrasound|bone\s+scan|studies|study|films?)\b",
        r"\b(?:corroborat|confirm|demonstrat|show|reveal|support)\w*",
    ],
    "no_functional_improvement": [
        r"\bfunctional\s+(?:improvement|gains?|benefit|restoration|change)|\bobjective\s+(?:improvement|benefit|gains?)|"
        r"\bimprovement\s+in\s+(?:function|activities|adls?|work)|\bmeasurable\s+(?:improvement|benefit|gains?)|"
        r"\breduc\w*\s+in\s+(?:medication|pain|opioid)|\bdecreas\w*\s+(?:in\s+)?(?:medication|pain)|\bbenefit\b|\befficacy\b|"
        r"\bresponse\s+to\b|\breturn\s+to\s+work\b|\bwork\s+status\b|\bpain\s+relief\b|\bimprove(?:d|ment)?\b",
    ],
    "conservative_care_not_exhausted": [
        r"\b(?:conservative|first-?line|non-?operative|lower\s+levels?\s+of\s+care)\b|\b(?:trial|failure|failed|"
        r"exhaust\w*|tried|attempt\w*)\b[^.]{0,60}\b(?:physical\s+therapy|therapy|nsaids?|medications?|exercise|"
        r"home\s+exercise|injections?|activity\s+modification|splint\w*|bracing|antidepressants?|anticonvulsants?|"
        r"tens|acetaminophen|rest)\b",
    ],
    "not_recommended_by_guideline": [
        r"\bnot\s+(?:recommended|supported|endorsed)\b|\bexperimental\b|\binvestigational\b|\binsufficient\s+evidence\b|"
        r"\blimited\s+evidence\b|\bno\s+(?:quality\s+|good\s+|high-quality\s+)?evidence\b|\bnot\s+fda[- ]approved\b|"
        r"\bnot\s+approved\b|\bdoes\s+not\s+(?:recommend|support)\b|\bdo\s+not\s+(?:recommend|support)\b|"
        r"\bunproven\b|\bnot\s+an?\s+(?:option|accepted)|\bnot\s+indicated\s+for\b",
    ],
    "indication_not_met": [
        r"\b(?:diagnosis|diagnosed|indication|indicated|condition|candidate|criteria|post-?operative|surgery\s+(?:was|has|is)|"
        r"insomnia|neuropathic|myofascial|radiculopathy|osteoarthritis|spasm|depression|anxiety|homebound|"
        r"red\s+flags?|in\s+the\s+absence\s+of|non-?certified|not\s+(?:been\s+)?(?:approved|certified)|denied)\b",
    ],
    "exceeds_guideline_limits": [
        r"\b(?:exceed\w*|in\s+excess|beyond|more\s+than|over|longer\s+than|already\s+(?:completed|had|received|attended)|"
        r"limit\w*|maximum|up\s+to|short-?term|long-?term|weeks?|months?|sessions?|visits?|mg|med|morphine|"
        r"quantity|duration|frequency|\d+\s*(?:sessions?|visits?|treatments?|weeks?|days?|months?|tablets?|mg))\b",
        r"\b(?:exceed\w*|in\s+excess\s+of|beyond|more\s+than|already|surpass\w*|over\s+the|outside|longer\s+than|"
        r"not\s+(?:recommended|indicated)\s+for\s+(?:long|chronic|extended|prolonged)|short-?term|total\s+of|up\s+to)",
    ],
    "monitoring_not_documented": [
        r"\b(?:urine\s+drug\s+(?:screens?|tests?|testing)|uds|drug\s+screen\w*|toxicology|cures|pain\s+(?:agreement|contract)|"
        r"opioid\s+(?:agreement|contract|risk)|risk\s+assessment|4\s*a'?s|four\s+a'?s|aberrant|monitor\w*|"
        r"liver\s+function|renal\s+function|kidney\s+function|blood\s+(?:work|tests?)|cbc|lab(?:oratory)?\s+monitoring)\b",
    ],
    "request_not_specified": [
        r"\b(?:specif\w*|unspecified|unclear|not\s+(?:stated|indicated|clear|provided|identified)|does\s+not\s+(?:state|indicate|identify)|"
        r"body\s+part|dos(?:age|e)|frequency|quantity|duration|goals?|rationale|how\s+many|number\s+of|which\s+(?:body|level|side))\b",
    ],
    "prerequisite_not_met": [
        r"\b(?:psycholog\w*\s+(?:evaluation|clearance|screen\w*|assessment)|diagnostic\s+(?:block|injection)s?|"
        r"medial\s+branch\s+blocks?|successful\s+trial|trial\s+(?:period|of\s+(?:the\s+)?(?:unit|device|stimulat))|"
        r"one-?month\s+(?:home\s+)?trial|30-?day\s+trial|home\s+trial|rental|smoking\s+cessation|prior\s+to|before|first|"
        r"precede\w*|prerequisite|clearance)\b",
    ],
}
# Cues that need a lack cue in the same sentence; the others fire on their own.
NEEDS_LACK = {"missing_exam_finding", "missing_diagnostic_evidence", "no_functional_improvement",
              "conservative_care_not_exhausted", "monitoring_not_documented", "request_not_specified",
              "prerequisite_not_met", "indication_not_met"}
# A sentence about the guideline's criteria rather than this case.
CRITERIA = re.compile(r"\b(?:guidelines?|mtus|odg|acoem)\b[^.]{0,80}\b(?:recommend|state|support|indicate|require|allow)\w*\b"
                      r"[^.]{0,80}\b(?:when|if|for\s+patients|after|only|provided)\b", re.IGNORECASE)
SENTENCE = re.compile(r"[^.!?;]+(?:[.!?;]+|$)")

_LACK = re.compile(LACK, re.IGNORECASE)
_CUES = {r: [re.compile(p, re.IGNORECASE) for p in patterns] for r, patterns in CUES.items()}


def sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in SENTENCE.finditer(text) if m.group(0).strip()]


@dataclass
class RuleHit:
    reason: str
    start: int
    end: int


def rule_hits(text: str) -> list[RuleHit]:
    """Every (reason, sentence) pair where a labeling function fires."""
    return [RuleHit(reason, start, end) for start, end in sentences(text) for reason in sentence_reasons(text[start:end])]


_THIS_CASE = re.compile(r"\b(?:this|the)\s+(?:patient|worker|claimant|case|records?|request)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def sentence_reasons(sentence: str) -> tuple[str, ...]:
    """The reasons whose labeling functions fire on one sentence.

    Cached: scoring reads each rationale sentence twice, once within its rationale
    and once alone when it picks evidence sentences.
    """
    lack = bool(_LACK.search(sentence))
    quoting = bool(CRITERIA.search(sentence)) and not _THIS_CASE.search(sentence)
    return tuple(reason for reason, patterns in _CUES.items()
                 if not (reason in NEEDS_LACK and (not lack or quoting)) and all(p.search(sentence) for p in patterns))


def weak_labels(letter) -> None:
    """``imr label``: each upheld item of a read letter gets the reasons whose labeling
    functions fire in its rationale, with the firing sentences as evidence (letter offsets)."""
    for item in letter.items:
        if item.decision != "upheld" or not item.rationale:
            continue
        hits = rule_hits(item.rationale)
        offset = item.rationale_range[0]
        item.reasons = sorted({hit.reason for hit in hits})
        item.evidence = {}
        for hit in hits:
            item.evidence.setdefault(hit.reason, []).append([offset + hit.start, offset + hit.end])


def cue_matrix(texts) -> np.ndarray:
    """Per text, per reason: the number of sentences where its labeling function fires."""
    reasons = load_taxonomy().reason_ids
    out = np.zeros((len(texts), len(reasons)), dtype=np.float32)
    index = {r: i for i, r in enumerate(reasons)}
    for row, text in enumerate(texts):
        for hit in rule_hits(text or ""):
            out[row, index[hit.reason]] += 1
    return out
