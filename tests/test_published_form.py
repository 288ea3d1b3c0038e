"""The published MAXIMUS item form, read line by line: heads, wrapped names, modified requests,
grouped heads, page furniture, and the letter header. Letters here are written for the tests,
in the shape of the real DWC letters (which are not ours to copy)."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.reader import read_text
from pipeline.reader.lines import classify
from pipeline.reader.tables import tables

HEADER = """Case Number: CM17-0123456
Date Assigned: 02/01/2017 Date of Injury: 07/04/2012
Decision Date: 03/03/2017 UR Denial Date: 01/20/2017
Priority: Expedited Application 
Received: 
01/25/2017
HOW THE IMR FINAL DETERMINATION WAS MADE
An expert reviewer with no ties to any party decided the items below.
The Expert Reviewer has the following credentials:
State(s) of Licensure: Oregon, Nevada,California
Certification(s)/Specialty: Physical Medicine & Rehabilitation, Public Health & 
General Preventive Medicine
CLINICAL CASE SUMMARY
A warehouse worker hurt the right knee stepping off a pallet jack.
IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:
"""

BLOCK = """Claims Administrator guideline: Decision based on MTUS Knee Complaints 2004.
MAXIMUS guideline: Decision based on MTUS Knee Complaints 2004.
Decision rationale: {rationale}
"""


def letter(*items: tuple[str, str]) -> str:
    """A letter of (head, rationale) pairs; the head is written exactly as given."""
    return HEADER + "".join(head + "\n" + BLOCK.format(rationale=rationale) for head, rationale in items)


def read(*items):
    return [(item.service, item.decision) for item in read_text(letter(*items)).items]


def test_every_decision_word_is_defined_once_and_means_one_thing():
    assert tables().decision_of_word("Upheld") == "upheld"
    assert tables().decision_of_word("OVERTURNED") == "overturned"
    assert tables().decision_of_word("Non-certified") == "upheld"
    assert tables().decision_of_word("certified") == "overturned"
    assert tables().decision_of_word("medically") is None


def test_line_kinds():
    kinds = [line.kind for line in classify(
        "IMR ISSUES, DECISIONS AND RATIONALES\nKnee brace: Upheld\nUpheld\n"
        "Claims Administrator guideline: x\nMAXIMUS guideline: y\nDecision rationale: z\n"
        "Page 2 of 3\n______\nThe knee is stable.\ncc: Applicant")]
    assert kinds == ["heading", "item_head", "outcome", "label_claims", "label_reviewer", "label_rationale",
                     "furniture", "rule", "body", "closing"]


def test_plain_heads_with_and_without_is():
    assert read(("Knee brace: Upheld", "No instability is documented. The request is not medically necessary."),
                ("Home exercise kit is: Overturned", "The kit supports the exercise program. It is medically "
                 "necessary.")) == [("Knee brace", "upheld"), ("Home exercise kit", "overturned")]


def test_modified_request_names_the_remaining_portion():
    head = ("Naproxen 550mg #90 was the original request. Naproxen 550mg #60 was authorized by the Claims\n"
            "Administrator. The remaining IMR eligible portion of the original request,\nNaproxen 550mg #30: Upheld")
    assert read((head, "Sixty tablets cover the flare. The rest is not medically necessary.")) == \
        [("Naproxen 550mg #30", "upheld")]


def test_original_request_left_eligible_names_the_original_request():
    head = ("Eight visits of aquatic therapy was the original request. The Claims Administrator authorized\n"
            "four visits, leaving the original request IMR eligible. The original request, Eight visits of aquatic\n"
            "therapy is:\nOverturned")
    assert read((head, "The worker cannot bear weight on land. The request is medically necessary.")) == \
        [("Eight visits of aquatic therapy", "overturned")]


def test_a_name_wrapped_over_lines_and_a_page_break():
    head = "Right knee arthroscopy with partial medial meniscectomy and chondroplasty of the\n\f" \
           "patellofemoral joint: Upheld"
    items = read_text(letter((head, "No mechanical symptoms are documented. Not medically necessary.")))
    assert [i.service for i in items.items] == [
        "Right knee arthroscopy with partial medial meniscectomy and chondroplasty of the patellofemoral joint"]
    start, end = items.items[0].service_range
    assert items.text[start:end].startswith("Right knee") and items.text[start:end].endswith("joint")


def test_a_rationale_whose_last_line_ends_without_a_period_is_not_the_next_name():
    first = ("Knee sleeve: Upheld", "Bracing is for instability.\nSee ODG Knee. No instability is shown (updated 12/20/16)")
    assert read(first, ("Cold pack: Upheld", "Not medically necessary.")) == [
        ("Knee sleeve", "upheld"), ("Cold pack", "upheld")]


def test_a_verdict_without_its_period_still_ends_the_rationale():
    first = ("Knee sleeve: Upheld", "No instability is documented.\nThe request is not medically necessary")
    assert read(first, ("Cold pack: Upheld", "Not medically necessary.")) == [
        ("Knee sleeve", "upheld"), ("Cold pack", "upheld")]


def test_twenty_one_items_with_repeated_names():
    items = [(f"{'Follow-up visit' if n % 3 == 0 else f'Item number {n}'}: {'Upheld' if n % 4 else 'Overturned'}",
              f"Reason {n}. The request is {'not ' if n % 4 else ''}medically necessary.") for n in range(1, 22)]
    got = read(*items)
    assert len(got) == 21
    assert [d for _, d in got] == ["upheld" if n % 4 else "overturned" for n in range(1, 22)]


def test_heads_listed_together_share_the_block_below():
    text = HEADER + "Knee brace: Upheld\nCane: Upheld\n" + BLOCK.format(rationale="Neither is necessary.")
    items = read_text(text).items
    assert [i.service for i in items] == ["Knee brace", "Cane"]
    assert items[0].rationale == items[1].rationale == "Neither is necessary."
    assert items[0].claims_guideline == "Decision based on MTUS Knee Complaints 2004."


def test_page_furniture_never_ends_up_in_a_rationale():
    text = letter(("Knee brace: Upheld", "No instability is documented on examination.\n"
                   "IMR Case No. CM17-0123456                          Page 3 of 4\n"
                   "______________________\nThe request is not medically necessary.\n\n3\n"))
    item = read_text(text).items[0]
    assert "Page 3" not in item.rationale and "____" not in item.rationale
    assert item.rationale.endswith("The request is not medically necessary.")


def test_a_verdict_under_a_sentence_is_not_an_item():
    assert read(("Knee brace: Upheld", "No instability is documented and no brace trial\nhas been tried\nUpheld")) \
        == [("Knee brace", "upheld")]


def test_header_fields_are_typed():
    header = read_text(letter(("Knee brace: Upheld", "Not necessary."))).header
    assert header.case_number == "CM17-0123456"
    assert header.date_assigned == dt.date(2017, 2, 1) and header.date_of_injury == dt.date(2012, 7, 4)
    assert header.decision_date == dt.date(2017, 3, 3) and header.ur_denial_date == dt.date(2017, 1, 20)
    assert header.application_received == dt.date(2017, 1, 25)
    assert header.priority == "Expedited"
    assert header.licensure_states == ["Oregon", "Nevada", "California"]
    assert header.specialties == ["Physical Medicine & Rehabilitation", "Public Health & General Preventive Medicine"]
    assert header.to_json()["decision_date"] == "2017-03-03"


def test_absent_header_fields_are_null_and_a_bad_date_is_not_guessed():
    text = letter(("Knee brace: Upheld", "Not necessary.")).replace("Date of Injury: 07/04/2012", "Date of Injury: 13/45/2012")
    text = text.replace("Priority: Expedited Application \nReceived: \n01/25/2017\n", "")
    read_back = read_text(text)
    assert read_back.header.date_of_injury is None and read_back.header.priority is None
    assert read_back.header.application_received is None
    assert any("date_of_injury" in w for w in read_back.warnings)


@pytest.mark.parametrize("head", ["Knee brace: Upheld", "Knee brace is: Upheld", "Knee brace:\nUpheld",
                                  "1. Knee brace: Upheld"])
def test_service_range_points_at_the_name(head):
    read_back = read_text(letter((head, "Not medically necessary.")))
    start, end = read_back.items[0].service_range
    assert read_back.text[start:end] == "Knee brace"
