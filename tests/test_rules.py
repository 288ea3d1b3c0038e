"""The rule baseline's labeling functions (pipeline/reasons/rules.py), sentence by sentence."""
from __future__ import annotations

import pytest

from pipeline.reasons.rules import NEEDS_LACK, cue_matrix, rule_hits, sentence_reasons, sentences
from pipeline.taxonomy import load_taxonomy

# One sentence of a reviewer's rationale per reason, as real letters put it.
CASE_SENTENCES = {
    "missing_exam_finding": "The physical examination did not document any dermatomal sensory deficit.",
    "missing_diagnostic_evidence": "There is no MRI to corroborate the reported nerve root compression.",
    "no_functional_improvement": "There is no documentation of functional improvement with the prior sessions.",
    "conservative_care_not_exhausted": "There is no evidence of a failed trial of physical therapy or NSAIDs.",
    "not_recommended_by_guideline": "Topical compounded creams are not recommended for this condition.",
    "indication_not_met": "The patient does not have a diagnosis of neuropathic pain.",
    "exceeds_guideline_limits": "The patient has already completed 24 sessions, which exceeds the guideline limit.",
    "monitoring_not_documented": "No urine drug screen has been documented for this patient.",
    "request_not_specified": "The request does not specify the body part or the number of sessions.",
    "prerequisite_not_met": "No psychological evaluation has been done prior to the stimulator trial.",
}


def test_every_reason_has_a_case_sentence():
    assert set(CASE_SENTENCES) == set(load_taxonomy().reason_ids)


@pytest.mark.parametrize("reason", sorted(CASE_SENTENCES))
def test_the_labeling_function_fires_on_a_case_sentence(reason):
    assert reason in sentence_reasons(CASE_SENTENCES[reason])


@pytest.mark.parametrize("reason", sorted(NEEDS_LACK))
def test_a_reason_that_needs_an_absence_is_silent_without_one(reason):
    # The same sentence with the absence taken out states what is there, not what is missing.
    affirmed = {
        "missing_exam_finding": "The physical examination documented a dermatomal sensory deficit.",
        "missing_diagnostic_evidence": "The MRI does corroborate the reported nerve root compression.",
        "no_functional_improvement": "There was functional improvement with the prior sessions.",
        "conservative_care_not_exhausted": "A failed trial of physical therapy and NSAIDs is documented.",
        "indication_not_met": "The patient has a diagnosis of neuropathic pain.",
        "monitoring_not_documented": "A urine drug screen was documented for this patient.",
        "request_not_specified": "The request gives the body part and the number of sessions.",
        "prerequisite_not_met": "A psychological evaluation was done prior to the stimulator trial.",
    }[reason]
    assert reason not in sentence_reasons(affirmed)


def test_a_sentence_quoting_the_guideline_criteria_is_not_a_finding_about_the_case():
    quoted = "The MTUS guidelines recommend a psychological evaluation only when no prior trial has failed."
    assert "prerequisite_not_met" not in sentence_reasons(quoted)
    about_the_case = ("The MTUS guidelines recommend a psychological evaluation only when no prior trial has failed, "
                      "and the patient has not had one.")
    assert "prerequisite_not_met" in sentence_reasons(about_the_case)


def test_hits_point_at_the_sentence_that_fired():
    text = ("The patient reports chronic low back pain. No urine drug screen has been documented. "
            "The request is not medically necessary.")
    hits = rule_hits(text)
    assert [(h.reason, text[h.start:h.end].strip()) for h in hits if h.reason == "monitoring_not_documented"] == \
        [("monitoring_not_documented", "No urine drug screen has been documented.")]
    assert [text[s:e].strip() for s, e in sentences(text)][0] == "The patient reports chronic low back pain."


def test_cue_matrix_counts_sentences_per_reason():
    reasons = load_taxonomy().reason_ids
    matrix = cue_matrix([CASE_SENTENCES["monitoring_not_documented"] * 2, "", None])
    column = reasons.index("monitoring_not_documented")
    assert matrix.shape == (3, len(reasons))
    assert matrix[0, column] == 2
    assert matrix[1].sum() == matrix[2].sum() == 0


def test_weak_labels_give_upheld_items_reasons_with_evidence_in_letter_offsets():
    from pipeline.reader import read_text
    from pipeline.reasons.rules import weak_labels

    from letters_for_tests import LETTERS

    letters = [read_text(text) for text in LETTERS.values()]
    for letter in letters:
        weak_labels(letter)
    upheld = [item for letter in letters for item in letter.items if item.decision == "upheld"]
    assert upheld and any(item.reasons for item in upheld)
    for letter in letters:
        _check_weak_labels(letter)


def _check_weak_labels(letter):
    for item in letter.items:
        if item.decision == "overturned":
            assert not item.reasons
        for reason, ranges in (item.evidence or {}).items():
            assert reason in item.reasons
            for start, end in ranges:
                assert item.rationale_range[0] <= start < end <= item.rationale_range[1]
                assert letter.text[start:end].strip()
