"""GUIDELINE spans (taxonomy section 5 boundaries) and guideline id normalisation."""

import pytest
import spacy
from spacy.tokens import Span

from pipeline.tagger.guidelines import find_guidelines, normalize_guideline


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_guidelines")
    return nlp


def surfaces(text: str) -> list[str]:
    return [text[a:b] for a, b in find_guidelines(text)]


def ents(nlp, text: str) -> list[tuple[str, str]]:
    return [(e.text, e._.guideline_id) for e in nlp(text).ents if e.label_ == "GUIDELINE"]


# ---------------------------------------------------------------- boundaries

@pytest.mark.parametrize("text, expected", [
    # edition and chapter written with the name are inside; topic and pages are not
    ("Decision based on ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 12, Low Back Complaints, page 303.",
     ["ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 12"]),
    ("ACOEM Chapter 6, page 115, supports follow-up visits.", ["ACOEM Chapter 6"]),
    ("MTUS ACOEM Practice Guidelines, Chapter 11, Forearm, Wrist, and Hand Complaints, page 270.",
     ["MTUS ACOEM Practice Guidelines, Chapter 11"]),
    ("MTUS ACOEM Chapter 13 Knee Complaints, p. 340", ["MTUS ACOEM Chapter 13"]),
    ("MTUS/ACOEM Chapter 12", ["MTUS/ACOEM Chapter 12"]),
    ("The CA MTUS/ACOEM Guidelines state that", ["CA MTUS", "ACOEM"]),  # a slash joins only a titled ACOEM
    ("MTUS ACOEM Low Back Complaints Chapter, surgical considerations", ["MTUS ACOEM Low Back Complaints Chapter"]),
    ("American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition, (2004), Chapter 8, pages 177",
     ["American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition, (2004), Chapter 8"]),
    # ODG: chapter inside, topic after a comma outside, "guidelines" after the acronym outside
    ("Non-MTUS Citation Official Disability Guidelines (ODG) Pain Chapter, Opioids.",
     ["Official Disability Guidelines (ODG) Pain Chapter"]),
    ("Official Disability Guidelines (ODG) neck, trigger point injection", ["Official Disability Guidelines (ODG) neck"]),
    ("Official Disability Guidelines (ODG) Forearm, Wrist & Hand Chapter, Splints",
     ["Official Disability Guidelines (ODG) Forearm, Wrist & Hand Chapter"]),
    ("ODG Low Back - Lumbar & Thoracic (Acute & Chronic), Facet joint blocks",
     ["ODG Low Back - Lumbar & Thoracic (Acute & Chronic)"]),
    ("ODG Knee & Leg, Knee brace.", ["ODG Knee & Leg"]),
    ("The ODG guidelines do not support trigger point injections.", ["ODG"]),
    ("ODG Cognitive Behavioral Therapy (CBT) guidelines for chronic pain", ["ODG"]),
    # An ODG chapter after a comma is part of the name, the topic after it is not (taxonomy section 6).
    ("Decision based on Non-MTUS Citation ODG, Pain, Zolpidem.", ["ODG, Pain"]),
    ("Official Disability Guidelines (ODG), Neck and Upper Back (updated 11/16/16), Cervical collar.",
     ["Official Disability Guidelines (ODG), Neck and Upper Back (updated 11/16/16)"]),
    # The MTUS parts as DWC's letters cite them: the title with its edition year.
    ("MAXIMUS guideline: Decision based on MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies.",
     ["MTUS Neck and Upper Back Complaints 2004"]),
    ("Decision based on MTUS Chronic Pain Medical Treatment\n2016, Section(s): Opioids.",
     ["MTUS Chronic Pain Medical Treatment\n2016"]),
    ("The California MTUS 2016 Chronic Pain Guidelines state that", ["California MTUS 2016 Chronic Pain Guidelines"]),
    ("outside of the MTUS Guidelines. Decision based on", ["MTUS"]),
    # "Non-MTUS Citation" is not a guideline name; the MTUS elsewhere is
    ("The Expert Reviewer did not base the decision on the MTUS. Decision based on Non-MTUS Citation ODG Pain Chapter.",
     ["MTUS", "ODG Pain Chapter"]),
    ("Non-MTUS Citation", []),
    # MTUS and its parts
    ("Section of the Medical Treatment Utilization Schedule (MTUS) cited by the Claims Administrator:",
     ["Medical Treatment Utilization Schedule (MTUS)"]),
    ("Decision based on MTUS Chronic Pain Medical Treatment Guidelines Opioids Page(s): 74-96.",
     ["MTUS Chronic Pain Medical Treatment Guidelines"]),
    ("Chronic Pain Medical Treatment Guidelines (2009), Cyclobenzaprine, page 41, which is part of the MTUS.",
     ["Chronic Pain Medical Treatment Guidelines (2009)", "MTUS"]),
    ("CA MTUS Chronic Pain Guidelines recommend", ["CA MTUS Chronic Pain Guidelines"]),
    ("MTUS Post-Surgical Treatment Guidelines, Knee, page 24.", ["MTUS Post-Surgical Treatment Guidelines"]),
    ("Decision based on MTUS: ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 11, page 261.",
     ["MTUS", "ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 11"]),
    ("The ACOEM guidelines state that", ["ACOEM"]),
    # other sources
    ("the ASHP/IDSA/SIS/SHEA Clinical Practice Guidelines for Antimicrobial Prophylaxis in Surgery.",
     ["ASHP/IDSA/SIS/SHEA Clinical Practice Guidelines for Antimicrobial Prophylaxis in Surgery"]),
    ("AMA Guides to the Evaluation of Permanent Impairment, 5th Edition, page 3",
     ["AMA Guides to the Evaluation of Permanent Impairment, 5th Edition"]),
    ("Lyrica is FDA approved for diabetic neuropathy; there is no peer-reviewed literature to support it.", []),
])
def test_span_boundaries(text, expected):
    assert surfaces(text) == expected


def test_line_breaks_and_hyphenation_inside_a_name():
    text = "based on the MTUS Chronic Pain Medical Treatment Guide-\nlines, NSAIDs, and Official Disabil-\nity " \
           "Guidelines (ODG) Shoulder\nChapter, MR arthrogram; ACOEM Practice Guidelines, 2nd\nEdition (2004), Chapter \n13."
    assert surfaces(text) == ["MTUS Chronic Pain Medical Treatment Guide-\nlines",
                              "Official Disabil-\nity Guidelines (ODG) Shoulder\nChapter",
                              "ACOEM Practice Guidelines, 2nd\nEdition (2004), Chapter \n13"]


# ------------------------------------------------------------- normalisation

@pytest.mark.parametrize("surface, gid", [
    ("MTUS Chronic Pain Medical Treatment Guidelines", "MTUS-CPMTG"),
    ("Chronic Pain Treatment Guidelines", "MTUS-CPMTG"),
    ("California MTUS Chronic Pain Medical Treatment Guide-\nlines", "MTUS-CPMTG"),
    ("ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 12", "MTUS-ACOEM"),
    ("MTUS/ACOEM Chapter 8", "MTUS-ACOEM"),
    ("ACOEM Chapter 6", "MTUS-ACOEM"),
    ("ACOEM Practice Guidelines, 3rd Edition", "ACOEM"),
    ("Post-\nSurgical Treatment Guidelines", "MTUS-PSTG"),
    ("MTUS Post-Surgical Treatment Guidelines", "MTUS-PSTG"),
    ("MTUS", "MTUS"),
    ("Medical Treatment Utilization Schedule (MTUS)", "MTUS"),
    ("ODG", "ODG"),
    ("Official Disability Guidelines (ODG) Knee & Leg Chapter", "ODG"),
    ("Official Disability Guidelines", "ODG"),
    ("AMA Guides to the Evaluation of Permanent Impairment", "OTHER"),
    ("FDA prescribing information", "OTHER"),
])
def test_normalize_surface(surface, gid):
    assert normalize_guideline(surface) == gid


@pytest.mark.parametrize("context, gid", [
    ("The Expert Reviewer based the decision on ACOEM, which is part of the MTUS.", "MTUS-ACOEM"),
    ("Decision based on Non-MTUS Citation ACOEM, Low Back Disorders.", "ACOEM"),
    ("The reviewer also cited ACOEM, which is not part of the MTUS.", "ACOEM"),
])
def test_normalize_bare_acoem_uses_context(context, gid):
    assert normalize_guideline("ACOEM", context) == gid


# ------------------------------------------------------------- the component

def test_component_sets_ids(nlp):
    text = ("MAXIMUS guideline: Decision based on ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 12, page 301, "
            "which is part of the MTUS, and Non-MTUS ODG Low Back Chapter, Back brace.\n\n"
            "Decision rationale: ACOEM does not recommend lumbar supports; the ODG guidelines agree.")
    assert ents(nlp, text) == [
        ("ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 12", "MTUS-ACOEM"),
        ("MTUS", "MTUS"),
        ("ODG Low Back Chapter", "ODG"),
        ("ACOEM", "MTUS-ACOEM"),  # the letter's ACOEM is the MTUS one
        ("ODG", "ODG"),
    ]


def test_overwrite_ents_and_ids_for_existing_guideline_entities():
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_guidelines", config={"overwrite_ents": True})
    doc = nlp.make_doc("Per MTUS Chronic Pain Medical Treatment Guidelines the Colorado guideline applies.")
    # a wrong CONDITION over part of the name, and a GUIDELINE a model found
    doc.ents = [Span(doc, 2, 4, label="CONDITION"), Span(doc, 8, 9, label="GUIDELINE")]
    doc = nlp.get_pipe("imr_guidelines")(doc)
    assert [(e.text, e.label_, e._.guideline_id) for e in doc.ents] == [
        ("MTUS Chronic Pain Medical Treatment Guidelines", "GUIDELINE", "MTUS-CPMTG"),
        ("Colorado", "GUIDELINE", "OTHER"),
    ]


def test_keep_existing_ents_when_not_overwriting():
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_guidelines", config={"overwrite_ents": False})
    doc = nlp.make_doc("The MTUS Chronic Pain Medical Treatment Guidelines and ODG apply.")
    doc.ents = [Span(doc, 2, 4, label="CONDITION")]
    doc = nlp.get_pipe("imr_guidelines")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Chronic Pain", "CONDITION"), ("ODG", "GUIDELINE")]
    assert doc.ents[1]._.guideline_id == "ODG"


def test_a_long_letter_is_tagged_throughout(nlp):
    block = ("Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, "
             "Opioids, pages 74-96. MAXIMUS guideline: Decision based on Non-MTUS Citation Official Disability "
             "Guidelines (ODG) Pain Chapter, Opioids. The patient reports chronic low back pain and numbness. ")
    text = block * (50_000 // len(block))
    doc = nlp(text)  # speed is `imr bench`'s business
    assert sum(e.label_ == "GUIDELINE" for e in doc.ents) == 2 * (50_000 // len(block))
