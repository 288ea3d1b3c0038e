"""The reader: every layout, PDF noise, offsets into the raw text, and the reference letter."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.reader import read_text
from pipeline.reader.textview import clean

from letters_for_tests import EXPECTED, LETTERS, add_pdf_noise


def _items(letter):
    return [(item.service, item.decision) for item in letter.items]


@pytest.mark.parametrize("fmt", sorted(LETTERS))
def test_each_layout_is_detected_and_read(fmt):
    letter = read_text(LETTERS[fmt], fmt)
    assert letter.error is None
    assert letter.format == fmt
    assert _items(letter) == EXPECTED[fmt]


@pytest.mark.parametrize("fmt", sorted(LETTERS))
def test_pdf_noise_does_not_change_items(fmt):
    noisy = add_pdf_noise(LETTERS[fmt])
    assert "Page 1 of 9" in noisy and noisy != LETTERS[fmt]
    letter = read_text(noisy, fmt)
    assert letter.format == fmt
    assert [(s.lower(), d) for s, d in _items(letter)] == [(s.lower(), d) for s, d in EXPECTED[fmt]]
    for item in letter.items:
        start, end = item.rationale_range
        # The rationale is the raw range with its page footers blanked, character for character.
        assert len(item.rationale) == end - start
        assert all(r == n for r, n in zip(item.rationale, noisy[start:end]) if r != " ")
        assert "Page " not in item.rationale and "CM14-0011223" not in item.rationale
        assert "Page 1 of 9" not in item.service


def test_citations_and_rationale_of_fdl_decisions():
    letter = read_text(LETTERS["fdl-decisions"])
    first = letter.items[0]
    assert first.claims_guideline.startswith("MTUS Chronic Pain Medical Treatment Guidelines, Opioids, pages 74-96")
    assert first.reviewer_guideline.endswith("Opioids, page 78.")
    assert first.rationale.startswith("There is no documentation of functional improvement")
    assert first.rationale.endswith("is not medically necessary and appropriate.")
    assert "MRI" not in first.rationale  # the next item's text stays out


def test_professional_review_splits_the_shared_rationale():
    letter = read_text(LETTERS["professional-review"])
    lidoderm, gym = letter.items
    assert "gabapentin" in lidoderm.rationale and "Gym" not in lidoderm.rationale
    assert "home exercise" in gym.rationale and "Lidoderm" not in gym.rationale
    assert "ODG Low Back Chapter" in gym.reviewer_guideline


def test_sections_are_found_with_raw_offsets():
    text = LETTERS["fdl-issues"]
    letter = read_text(text)
    names = [s.name for s in letter.sections]
    assert names == ["qualifications", "case_summary", "issues"]
    summary = letter.section("case_summary")
    assert text[summary.start:summary.end].startswith("The worker injured the low back")


def test_reference_letter(seed_letter):
    letter = read_text(seed_letter, "seed")
    assert letter.format == "fdl-issues"
    assert len(letter.items) == 1  # the outline repeated at the end is not a second item
    item = letter.items[0]
    assert item.service == "Trigger point injection to the occipital region at site of pain generator"
    assert item.decision == "upheld"
    assert item.claims_guideline.startswith("Decision based on MTUS Chronic Pain Treatment Guidelines")
    assert "Official Disability Guidelines (ODG) neck" in item.reviewer_guideline
    assert item.rationale.startswith("The ODG guidelines do not support trigger point injections")
    assert item.rationale.endswith("The request is not medically necessary.")
    start, end = item.rationale_range
    assert seed_letter[start:end] == item.rationale


@pytest.mark.parametrize("phrase,decision", [
    ("is not medically necessary and appropriate", "upheld"),
    ("is medically necessary and appropriate", "overturned"),
    ("is non-certified", "upheld"),
    ("is certified", "overturned"),
    ("cannot be recommended as medically necessary", "upheld"),
])
def test_decision_phrasings_in_numbered_items(phrase, decision):
    text = LETTERS["fdl-decisions"].replace(
        "The request for Norco 10/325mg #120 is not medically necessary and appropriate.",
        f"The request for Norco 10/325mg #120 {phrase}.")
    assert read_text(text).items[0].decision == decision


def test_clean_view_maps_back_to_raw():
    raw = "The worker has radicu-\n  lopathy.\nPage 2 of 5\nCM14-0123456\n\u201cQuoted\u201d text"
    view = clean(raw)
    assert "radiculopathy" in view.text and "Page 2" not in view.text and '"Quoted"' in view.text
    start = view.text.index("radiculopathy")
    a, b = view.raw_range(start, start + len("radiculopathy"))
    assert raw[a:b] == "radicu-\n  lopathy"


def test_truncated_letter_is_read_and_flagged():
    text = LETTERS["fdl-decisions"]
    cut = text[: text.index("2. Is the request for an MRI") + 60]
    letter = read_text(cut)
    assert letter.error is None
    assert letter.items[0].decision == "upheld"
    assert any("truncated" in w or "no decision" in w for w in letter.warnings)


def test_non_imr_text_is_an_error_record():
    letter = read_text("Dear customer, your package has shipped. Tracking number 12345.")
    assert letter.error_kind == "not_imr"
    assert "no IMR letter headings found" in letter.error


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600))
def test_no_text_makes_the_reader_raise(text):
    letter = read_text(text)
    for item in letter.items:
        if item.rationale_range:
            start, end = item.rationale_range
            assert 0 <= start <= end <= len(text)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(LETTERS)), st.integers(0, 3000), st.text(max_size=40))
def test_damaged_letters_do_not_make_the_reader_raise(fmt, cut, junk):
    text = LETTERS[fmt]
    read_text(text[:cut] + junk + text[cut:])


DECISIONS_LETTER = """MAXIMUS FEDERAL SERVICES, INC.
Independent Medical Review

DOCUMENTS REVIEWED
Utilization review determination and the treating physician's reports.

CLINICAL CASE SUMMARY
The worker hurt her right foot at work and has plantar fasciitis.

IMR DECISION(S) AND RATIONALE(S)

{items}
"""

# Item forms of fdl-decisions letters met in hand-written letters, each with what it names.
ITEM_FORMS = {
    "decision line below the name": (
        "1. Custom molded orthotics, bilateral\n\nDecision: OVERTURNED. The requested service is medically necessary."
        "\n\nRationale: Orthotics are recommended for plantar fasciitis, which is documented.\n\n"
        "2. MRI of the left ankle\n\nThe Expert Reviewer's determination: UPHOLD. The request is not medically "
        "necessary.\n\nRationale: No red flags are documented and radiographs were not obtained first.\n",
        [("Custom molded orthotics, bilateral", "overturned"), ("MRI of the left ankle", "upheld")]),
    "a decision sentence below the name": (
        "1. Cognitive behavioral therapy, 10 sessions\n\nDecision: The requested treatment is not medically "
        "necessary and appropriate.\n\nRationale: No functional improvement followed the first six sessions.\n",
        [("Cognitive behavioral therapy, 10 sessions", "upheld")]),
    "a numbered question without the word request": (
        "1. Is Hydrocodone/APAP 10/325mg #90 medically necessary and appropriate?\n\nRationale: There is no urine "
        "drug screen and no functional improvement. The request is not medically necessary.\n\n"
        "2. Is a Left stellate ganglion block medically necessary?\n\nRationale: Complex regional pain syndrome "
        "is documented and the block is recommended. The request is medically necessary.\n",
        [("Hydrocodone/APAP 10/325mg #90", "upheld"), ("Left stellate ganglion block", "overturned")]),
    "a statement opening with the request wording": (
        "1. The request for a Synvisc-One injection to the left knee is not medically necessary and appropriate."
        "\n\nRationale: Radiographs do not show osteoarthritis.\n",
        [("Synvisc-One injection to the left knee", "upheld")]),
}


@pytest.mark.parametrize("form", sorted(ITEM_FORMS))
def test_fdl_decisions_item_forms(form):
    items, expected = ITEM_FORMS[form]
    letter = read_text(DECISIONS_LETTER.format(items=items))
    assert letter.format == "fdl-decisions"
    assert _items(letter) == expected


REVIEW_LETTER = """MEDICAL PROFESSIONAL REVIEW

ISSUE AT DISPUTE:
{issues}

CASE SUMMARY:
The worker has chronic low back pain after a lifting injury.

RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:
{rationale}

MEDICAL REVIEWER QUALIFICATIONS:
Board certified in physical medicine and rehabilitation.
"""


@pytest.mark.parametrize("issues", [
    "Functional restoration program x 160 hours\nCymbalta 60mg #30",
    "Is the request for Functional restoration program x 160 hours medically\nnecessary?\n"
    "Is the request for Cymbalta 60mg #30 medically necessary?",
    "1. Functional restoration program x 160 hours -- UPHELD\n2. Cymbalta 60mg #30 -- OVERTURNED",
    "1) Functional restoration program x 160 hours DENIAL UPHELD \n2) Cymbalta 60mg #30 DENIAL OVERTURNED \n \n"
    "Final Determination: Item 1 UPHELD. Item 2 OVERTURNED.",
])
def test_unnumbered_and_decorated_issue_lists(issues):
    rationale = ("Functional restoration program x 160 hours: no baseline functional testing was done, so the "
                 "program is not medically necessary.\n\nCymbalta 60mg #30: neuropathic pain is documented and the "
                 "medication is medically necessary.")
    letter = read_text(REVIEW_LETTER.format(issues=issues, rationale=rationale))
    assert letter.format == "professional-review"
    assert _items(letter) == [("Functional restoration program x 160 hours", "upheld"), ("Cymbalta 60mg #30", "overturned")]
