"""Rationale sentence templates, partitioned into template families.

A template is plain text with ``{slot}`` holes. Slots listed in ``ENTITY_SLOTS``
become entity spans when filled (the trailing ``-`` means the template states the
entity is absent, so the span is ``negated``); every other slot is plain text.
The template author is responsible for the negation being true in the sentence:
``{sign-}`` may only stand where the sentence says the sign is not documented.

Families: every table below is a list of 8 groups, one per family (``fam0`` ..
``fam7``), so a family owns its own disjoint phrasings of every reason and its own
openers, closers, distractors and overturn rationales. A letter uses one family
throughout, which lets whole families be held out for dev and test: a model scored
on ``fam7`` has never seen any of its sentences.

Slots
  svc   service name              g     guideline name (GUIDELINE)   gs  guideline acronym (GUIDELINE)
  sign- required exam sign, absent (FINDING, negated)
  test- required test result, absent (FINDING, negated)
  ind-  indication, absent (CONDITION, negated, or plain text for a situation)
  ind   indication, as a criterion (CONDITION or plain)
  cond  a documented condition (CONDITION)           find  a documented finding (FINDING)
  limit, done, prior, prereq, monitor, unspec, qty, bp   plain text
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

N_FAMILIES = 8
FAMILIES: list[str] = [f"fam{i}" for i in range(N_FAMILIES)]

# slot -> (label, negated)
ENTITY_SLOTS: dict[str, tuple[str, bool]] = {
    "g": ("GUIDELINE", False), "gs": ("GUIDELINE", False),
    "sign-": ("FINDING", True), "test-": ("FINDING", True),
    "ind-": ("CONDITION", True), "ind": ("CONDITION", False),
    "cond": ("CONDITION", False), "find": ("FINDING", False),
}

# ---------------------------------------------------------------------------
# Denial reasons: REASON_PHRASINGS[reason][family] is that family's phrasings.
# ---------------------------------------------------------------------------
REASON_PHRASINGS: dict[str, list[tuple[str, ...]]] = {
    "missing_exam_finding": [
        ("The medical records do not document {sign-}.",
         "No documentation of {sign-} was found in the progress notes.",
         "On examination, {sign-} has not been described."),
        ("The treating physician's examination fails to demonstrate {sign-}.",
         "Review of the physical examination reveals an absence of {sign-}.",
         "There is no objective evidence of {sign-} in the submitted examinations."),
        ("The records lack any mention of {sign-} on physical examination.",
         "Without {sign-} on examination, the guideline criteria are not satisfied.",
         "The examinations describe tenderness only, and {sign-} is not documented."),
        ("Physical examination findings do not include {sign-}.",
         "Nowhere in the reports is {sign-} recorded.",
         "The provider did not document {sign-}, which the guideline requires."),
        ("Although pain is reported, the clinician has not described {sign-}.",
         "Objective exam findings such as {sign-} are not noted.",
         "In this case the examination is notable for the absence of {sign-}."),
        ("{sign-} is not documented on the most recent examination.",
         "Examination findings are nonspecific, with no evidence of {sign-}.",
         "The documentation provided does not reflect {sign-} on exam."),
        ("Recent clinical notes are silent as to {sign-}.",
         "The submitted exam does not establish {sign-}.",
         "Missing from the examination is any documentation of {sign-}."),
        ("It is not clear from the records that {sign-} was ever observed.",
         "The examining physician did not report {sign-}.",
         "There is a lack of documented {sign-} on physical exam."),
    ],
    "missing_diagnostic_evidence": [
        ("The records do not include {test-}.",
         "No imaging or electrodiagnostic report documents {test-}.",
         "There is no documentation of {test-} to corroborate the complaints."),
        ("The available studies fail to show {test-}.",
         "Diagnostic testing has not demonstrated {test-}.",
         "Corroborating {test-} has not been provided."),
        ("Absent {test-}, the diagnosis is not corroborated.",
         "The imaging reports on file do not reveal {test-}.",
         "The file contains no report showing {test-}."),
        ("{test-} has not been submitted for review.",
         "Diagnostic studies were not provided, so {test-} cannot be confirmed.",
         "The reviewer found no objective study documenting {test-}."),
        ("While symptoms are described, there is no evidence of {test-}.",
         "The prior imaging does not corroborate the condition, as it does not show {test-}.",
         "Objective testing lacks {test-}."),
        ("Imaging was either not performed or does not demonstrate {test-}.",
         "Records are negative for {test-}.",
         "There is an absence of {test-} in the diagnostic work-up."),
        ("No copy of a study demonstrating {test-} is in the file.",
         "Neither imaging nor electrodiagnostic testing confirms {test-}.",
         "The requesting provider has not produced {test-}."),
        ("The diagnostic record is incomplete, without {test-}.",
         "Results showing {test-} were not included with the request.",
         "The guideline requires {test-}, which has not been documented here."),
    ],
    "no_functional_improvement": [
        ("There is no documentation of functional improvement with prior use of {svc}.",
         "The records do not show objective functional benefit from this treatment.",
         "Prior treatment has produced no measurable improvement in function."),
        ("Despite ongoing use, the reports describe no increase in activities of daily living.",
         "The injured worker has not demonstrated any objective functional gains.",
         "Pain levels and function are unchanged compared with earlier visits."),
        ("No quantified decrease in pain or increase in function has been recorded.",
         "The treating physician does not describe what the treatment has allowed the patient to do.",
         "Work status and function have not improved with this treatment."),
        ("Functional improvement, as defined by the guideline, has not been established.",
         "The patient remains on total temporary disability without objective improvement.",
         "Previous sessions did not lead to documented improvement in function."),
        ("Although the patient reports some relief, no functional benefit is documented.",
         "Medication use did not decrease after the prior treatment.",
         "Objective measures of function were not shown to improve."),
        ("The notes fail to show any sustained benefit from the previous course.",
         "There has been no reduction in dependence on medical care.",
         "The efficacy of prior treatment has not been documented."),
        ("Continued treatment requires evidence of benefit, which the records do not provide.",
         "Prior use resulted in no clinically significant change in function.",
         "The response to earlier treatment is not described in functional terms."),
        ("Ongoing use without functional gains does not meet the guideline.",
         "There is no evidence that prior treatment improved the patient's ability to work.",
         "Subjective reports of pain relief are not accompanied by functional improvement."),
    ],
    "conservative_care_not_exhausted": [
        ("There is no documentation of a failed trial of {prior}.",
         "The records do not show that {prior} has been tried and failed.",
         "Conservative care, including {prior}, has not been exhausted."),
        ("The injured worker has not completed an adequate course of {prior}.",
         "First-line treatment with {prior} has not been documented.",
         "A trial and failure of {prior} must be shown first, and it has not been."),
        ("It is unclear whether {prior} was attempted before this request.",
         "The patient has not yet undergone {prior}.",
         "No response to {prior} is described."),
        ("Less invasive care such as {prior} should be tried first.",
         "The guideline calls for failure of {prior}, which is not documented.",
         "There is no evidence of recent {prior}."),
        ("Before this treatment can be supported, {prior} should be attempted.",
         "The records do not indicate that the injured worker failed {prior}.",
         "Conservative measures such as {prior} have not been fully utilized."),
        ("A failed course of {prior} is not documented.",
         "Treatment to date has not included {prior}.",
         "The reviewer could not find evidence that {prior} was unsuccessful."),
        ("Documentation of failed {prior} is lacking.",
         "Conservative treatment has been limited and did not include {prior}.",
         "Without first trying {prior}, the request is premature."),
        ("The clinical notes do not reflect an adequate trial of {prior}.",
         "Guideline criteria call for {prior} to have failed before this step.",
         "No attempt at {prior} is recorded."),
    ],
    "not_recommended_by_guideline": [
        ("The {g} does not recommend {svc}.",
         "{gs} guidelines state that this treatment is not recommended.",
         "This treatment is not recommended by the {g}."),
        ("Guidelines consider {svc} experimental, as the evidence is insufficient.",
         "The {gs} specifically recommends against this treatment.",
         "According to the {g}, this treatment is not recommended for {cond}."),
        ("This treatment does not meet the {gs} standard for a recommended therapy.",
         "{gs} does not support this treatment for {cond}.",
         "There is no high quality evidence supporting this treatment, and the {g} does not recommend it."),
        ("The {g} lists this modality as not recommended.",
         "The evidence base does not support {svc}, and it is not recommended.",
         "Per {gs}, this is not a recommended treatment for chronic pain."),
        ("The guideline is clear that {svc} is not recommended for {cond}.",
         "Not recommended: the {g} finds no proven benefit.",
         "{gs} does not endorse this treatment in any setting."),
        ("This is not a guideline-supported treatment.",
         "The {g} states that there is insufficient evidence to recommend {svc}.",
         "Because {gs} does not recommend this treatment, it cannot be certified regardless of the documentation."),
        ("{svc} is considered investigational under the {g}.",
         "The guideline does not recommend this treatment for the low back, neck or extremities.",
         "Published studies are insufficient, and {gs} recommends against use."),
        ("The requested treatment falls outside what the {g} recommends.",
         "Guidelines do not recommend this modality as a treatment for {cond}.",
         "{gs} rates this intervention as not recommended."),
    ],
    "indication_not_met": [
        ("The guideline supports this treatment only for {ind}, and there is no documentation of {ind-}.",
         "The records do not establish {ind-}.",
         "This treatment is not indicated in the absence of {ind-}."),
        ("There is no evidence of {ind-} in this case.",
         "{ind-} is not documented.",
         "The clinical picture does not include {ind-}."),
        ("The injured worker has not been diagnosed with {ind-}.",
         "Without {ind-}, the requested treatment is not indicated.",
         "The medical records fail to document {ind-}, the condition this treatment addresses."),
        ("The guideline indication, {ind-}, has not been established.",
         "Nothing in the records points to {ind-}.",
         "The records reviewed do not describe {ind-}."),
        ("Since {ind-} has not been shown, the treatment is not indicated.",
         "The diagnosis of record does not include {ind-}.",
         "The case does not present {ind-}."),
        ("{ind-} has not been established by the treating physician.",
         "The required indication of {ind-} is absent.",
         "There is a lack of documented {ind-}."),
        ("Use is limited to {ind}, which is not present here, as the notes do not describe {ind-}.",
         "This case lacks {ind-}.",
         "No clinical history of {ind-} is given."),
        ("The criteria require {ind}; the records are negative for {ind-}.",
         "Absent {ind-}, there is no indication for this treatment.",
         "The documentation does not support {ind-}."),
    ],
    "exceeds_guideline_limits": [
        ("The request exceeds the guideline recommendation of {limit}.",
         "The injured worker has already received {done}, which exceeds the {limit} that is recommended.",
         "Guidelines support {limit}; this request goes beyond that."),
        ("The quantity requested is in excess of {limit}.",
         "Having completed {done}, the patient has already exceeded the guideline allowance.",
         "{gs} limits this treatment to {limit}."),
        ("Continued use beyond {limit} is not supported.",
         "The records indicate {done}, beyond what the guideline allows.",
         "This request would exceed {limit}."),
        ("Treatment is recommended for {limit} only, and this request is for longer.",
         "Given {done}, additional treatment exceeds guideline limits.",
         "The requested amount surpasses the recommended {limit}."),
        ("The {gs} recommendation is {limit}, which has been exceeded.",
         "The patient has had {done}, more than the guidelines recommend.",
         "This is beyond {limit}."),
        ("The request is not consistent with {limit}.",
         "With {done} to date, the recommended number has been surpassed.",
         "The duration of use has exceeded the recommended {limit}."),
        ("The request for {qty} is more than the guideline allows.",
         "Having already received {done}, the patient is beyond the guideline limit.",
         "The guideline caps treatment at {limit}."),
        ("The requested frequency and duration exceed {limit}.",
         "The history of {done} exceeds the guideline maximum.",
         "Long-term use is not supported; the guideline allows {limit}."),
    ],
    "monitoring_not_documented": [
        ("There is no documentation of {monitor}.",
         "The records do not include {monitor}.",
         "Ongoing monitoring, including {monitor}, is not documented."),
        ("The treating physician has not documented {monitor}.",
         "Required safety monitoring such as {monitor} is absent from the records.",
         "No evidence of {monitor} was provided."),
        ("The file lacks {monitor}.",
         "Monitoring for aberrant behavior has not been documented, including {monitor}.",
         "{monitor} has not been performed."),
        ("Guideline-required {monitor} is not in the records.",
         "There is no indication that {monitor} was obtained.",
         "The prescriber has not provided {monitor}."),
        ("Appropriate medication management requires {monitor}, which is not documented.",
         "The reviewer did not find {monitor}.",
         "Absent {monitor}, continued prescribing is not supported."),
        ("The notes are missing {monitor}.",
         "Documentation of {monitor} was not submitted.",
         "The clinical records make no mention of {monitor}."),
        ("Safety monitoring is incomplete, with no record of {monitor}.",
         "It does not appear that {monitor} has been completed.",
         "The required {monitor} has not been documented."),
        ("There is a lack of {monitor} in the records provided.",
         "The reports do not reflect {monitor}.",
         "Without {monitor}, safe ongoing use cannot be confirmed."),
    ],
    "request_not_specified": [
        ("The request does not specify {unspec}.",
         "The request as submitted omits {unspec}.",
         "Because {unspec} is not stated, the request cannot be evaluated."),
        ("The request fails to identify {unspec}.",
         "{unspec} was not included in the request.",
         "The medical necessity of an open-ended request cannot be determined without {unspec}."),
        ("The provider has not indicated {unspec}.",
         "It is not clear from the request what {unspec} would be.",
         "The request lacks {unspec}."),
        ("Missing from the request is {unspec}.",
         "The treatment plan does not address {unspec}.",
         "No rationale for the request was given."),
        ("The records do not provide {unspec}.",
         "The request is incomplete, lacking {unspec}.",
         "The reviewer cannot assess the request without {unspec}."),
        ("Information regarding {unspec} has not been provided.",
         "The request is nonspecific as to {unspec}.",
         "There are no stated treatment goals."),
        ("The submitted request leaves {unspec} undetermined.",
         "As written, the request does not include {unspec}.",
         "The rationale for this request is not documented."),
        ("Documentation of {unspec} is absent.",
         "The request does not state {unspec}.",
         "Without knowing {unspec}, the request cannot be supported."),
    ],
    "prerequisite_not_met": [
        ("The guideline requires {prereq} first, and this has not been documented.",
         "There is no documentation of {prereq}.",
         "The records do not show {prereq}."),
        ("{prereq} has not been completed.",
         "A necessary prerequisite, {prereq}, is lacking.",
         "Before this treatment, {prereq} is required; none is documented."),
        ("The request is premature, as {prereq} has not taken place.",
         "The injured worker has not undergone {prereq}.",
         "The file does not include {prereq}."),
        ("Guidelines require {prereq}, which is not in the records.",
         "There is no evidence of {prereq} prior to this request.",
         "The required {prereq} has not been performed."),
        ("The sequence required by the guideline begins with {prereq}, which is missing here.",
         "Without {prereq}, this step cannot be supported.",
         "No record of {prereq} is present."),
        ("The records lack {prereq}.",
         "The prerequisite of {prereq} has not been met.",
         "The guideline sequence was not followed: {prereq} is missing."),
        ("It is not documented that {prereq} occurred.",
         "The provider has not obtained {prereq}.",
         "Support for this request depends on {prereq}, which is not documented."),
        ("Prior to consideration of this request, {prereq} is needed and has not been documented.",
         "There is no record of {prereq}.",
         "The guideline criterion of {prereq} has not been satisfied."),
    ],
}

# Openers: the guideline framing at the start of an upheld rationale.
OPENERS: list[tuple[str, ...]] = [
    ("The {g} addresses {svc}.", "Per the {g}, specific criteria apply to this request.", "The {gs} guidelines were reviewed."),
    ("According to the {g}, this treatment may be supported when criteria are met.", "The {g} has been consulted regarding this request.",
     "Regarding the request for {svc}, the {g} was applied."),
    ("The guidelines referenced are the {g}.", "{gs} sets out criteria for this treatment.", "This request was reviewed under the {g}."),
    ("The {g} provides the applicable standard.", "Under {gs}, the treatment requires supporting documentation.",
     "With regard to {svc}, the {g} is the governing guideline."),
    ("The treating provider requested {svc}.", "The {g} discusses the use of this treatment.", "The {gs} criteria were considered."),
    ("The request is evaluated against the {g}.", "In reviewing {svc}, the {g} was used.", "Criteria are set out in the {g}."),
    ("The {g} outlines when this treatment is appropriate.", "Per {gs}, the following considerations apply.",
     "This reviewer relied on the {g}."),
    ("As noted in the {g}, criteria must be satisfied.", "Reference is made to the {g}.", "The applicable {gs} guidance was reviewed."),
]

# Distractors: guideline criteria the case DOES meet. Never reasons.
DISTRACTORS: list[tuple[str, ...]] = [
    ("Although the examination documents {find}, this alone does not satisfy the criteria.",
     "The guideline lists a documented diagnosis among its criteria, and {cond} is documented."),
    ("The injured worker does have {find} on examination, one of the listed criteria.",
     "The records confirm the diagnosis of {cond}, as the guideline requires."),
    ("It is acknowledged that {find} was documented.", "A diagnosis of {cond} is established in the records."),
    ("The guideline criterion of an objective finding is met, given {find}.", "The patient carries a diagnosis of {cond}."),
    ("The notes do record {find}.", "There is a documented history of {cond}, which is consistent with the request."),
    ("While {find} was noted, other criteria remain.", "The diagnosis of {cond} itself is not in question."),
    ("The exam reflects {find}, which is in keeping with the guideline.", "The records establish {cond}."),
    ("One criterion is satisfied by the documented {find}.", "The treating diagnosis of {cond} is supported by the records."),
]

# Closers: the decision sentence of an upheld or overturned item.
UPHELD_CLOSERS: list[tuple[str, ...]] = [
    ("The request is not medically necessary.", "Therefore, the request for {svc} is not medically necessary."),
    ("As such, the request for {svc} is not medically necessary and appropriate.", "Medical necessity has not been established."),
    ("The request for {svc} is non-certified.", "Therefore, the requested treatment is not medically necessary."),
    ("Accordingly, the denial is upheld.", "Consequently, {svc} is not medically necessary."),
    ("Given the above, the request is not supported and is not medically necessary.", "The request remains non-certified."),
    ("The medical necessity of {svc} is not established.", "Therefore the request is not medically necessary at this time."),
    ("Thus, the request for {svc} is not medically necessary.", "The prior denial is upheld."),
    ("The request is therefore not certified.", "The requested {svc} is not medically necessary."),
]
OVERTURNED_CLOSERS: list[tuple[str, ...]] = [
    ("The request is medically necessary.", "Therefore, the request for {svc} is medically necessary."),
    ("As such, the request for {svc} is medically necessary and appropriate.", "Medical necessity has been established."),
    ("The request for {svc} is certified.", "Therefore, the requested treatment is medically necessary."),
    ("Accordingly, the denial is overturned.", "Consequently, {svc} is medically necessary."),
    ("Given the above, the request is supported and medically necessary.", "The request is certified."),
    ("The medical necessity of {svc} is established.", "Therefore the request is medically necessary."),
    ("Thus, the request for {svc} is medically necessary.", "The prior denial is overturned."),
    ("The request is therefore certified.", "The requested {svc} is medically necessary."),
]

# Overturned rationales: why the criteria are met. They carry no denial reason.
OVERTURNED: list[tuple[str, ...]] = [
    ("The records document {find} and a diagnosis of {cond}. The guideline criteria for this request are met.",
     "The treating physician documents {find}, and the requested treatment is consistent with the {g}."),
    ("The injured worker has {cond}, and the examination shows {find}. Criteria are satisfied.",
     "Functional improvement with prior treatment is documented, and the {gs} supports continuing it."),
    ("Given {cond} with {find} on examination, the request meets the {g}.",
     "The request is appropriate in scope and consistent with {gs} recommendations."),
    ("The provider has documented {find}, corroborating {cond}. The request complies with the guideline.",
     "The records show a failed course of conservative care and documented {find}."),
    ("All criteria of the {g} are met: {cond} is documented and the exam shows {find}.",
     "The patient reports improved function and reduced pain with this treatment, and monitoring is documented."),
    ("Clinical findings, including {find}, support the request for this patient with {cond}.",
     "The {g} supports this treatment for {cond}, which is documented here."),
    ("The documentation satisfies the guideline: {find} is recorded and {cond} is established.",
     "A reasonable trial is supported by the {gs} in the setting of {cond}."),
    ("This patient with {cond} has {find}, which meets the guideline criteria.",
     "The documentation supports the request under the {g}, given {find}."),
]

# Neutral sentences that carry no reason, sprinkled into rationales.
FILLERS: list[tuple[str, ...]] = [
    ("The injured worker continues to report pain.", "The most recent progress report was reviewed."),
    ("The patient remains symptomatic.", "Several progress reports were submitted."),
    ("The treating physician requested authorization.", "Recent notes describe ongoing complaints."),
    ("Utilization review previously non-certified the request.", "The file was reviewed in its entirety."),
    ("The request was submitted by the primary treating physician.", "Multiple visits are documented."),
    ("The claimant reports persistent symptoms.", "Records from several providers were considered."),
    ("The treating provider recommended this treatment.", "The case file was reviewed."),
    ("Pain is described as constant.", "Updated notes were available for review."),
]


def _check_tables() -> None:
    """Every table has one group per family; a broken table fails at import, not in training."""
    for name, table in [("OPENERS", OPENERS), ("DISTRACTORS", DISTRACTORS), ("UPHELD_CLOSERS", UPHELD_CLOSERS),
                        ("OVERTURNED_CLOSERS", OVERTURNED_CLOSERS), ("OVERTURNED", OVERTURNED), ("FILLERS", FILLERS)]:
        assert len(table) == N_FAMILIES, name
    for reason, groups in REASON_PHRASINGS.items():
        assert len(groups) == N_FAMILIES, reason


_check_tables()


def phrasings(reason: str, family: str) -> tuple[str, ...]:
    return REASON_PHRASINGS[reason][FAMILIES.index(family)]


def all_phrasings(reason: str) -> list[str]:
    return [t for group in REASON_PHRASINGS[reason] for t in group]


# ---------------------------------------------------------------------------
# Template compilation
# ---------------------------------------------------------------------------
_SLOT = re.compile(r"\{([a-z]+-?)\}")


@dataclass(frozen=True)
class Template:
    pieces: tuple[tuple[str, bool], ...]   # (literal text, False) or (slot name, True)
    slots: frozenset[str]


@lru_cache(maxsize=None)
def compile_template(text: str) -> Template:
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for m in _SLOT.finditer(text):
        if m.start() > pos:
            pieces.append((text[pos:m.start()], False))
        pieces.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    return Template(tuple(pieces), frozenset(p for p, is_slot in pieces if is_slot))
