"""``imr_negation``: reviewer language, findings that carry their own result, scope, NegEx."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from pipeline.tagger import negation  # noqa: F401  (registers "imr_negation")
from pipeline.tagger.negation_rules import CueRule, dump_rules, read_rules

NEGEX = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "external" / "negex" / "rsAnnotations-1-120-random.txt"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_negation")
    return nlp


def tag(nlp, text: str, targets: list[str], label: str = "CONDITION") -> dict[str, bool]:
    """Mark each target (first occurrence after the previous one) as an entity and run."""
    doc = nlp.make_doc(text)
    spans, at = [], 0
    for target in targets:
        start = text.index(target, at)
        at = start + len(target)
        spans.append(doc.char_span(start, at, label=label))
    doc.ents = spans
    doc = nlp(doc)
    return {sp.text: sp._.negated for sp in doc.ents}


@pytest.mark.parametrize(
    "text, target",
    [
        ("There is no documentation of radiculopathy on examination.", "radiculopathy"),
        ("Radiculopathy is not documented in the records.", "Radiculopathy"),
        ("Dyspepsia was not noted at any visit.", "Dyspepsia"),
        ("Radiculopathy has therefore not been established.", "Radiculopathy"),
        ("The MRI shows a disc bulge without nerve root impingement.", "nerve root impingement"),
        ("Fusion is not supported in the absence of instability.", "instability"),
        ("The EMG failed to demonstrate radiculopathy.", "radiculopathy"),
        ("The records lack evidence of neuropathic pain.", "neuropathic pain"),
        ("The notes do not document trigger points.", "trigger points"),
        ("She denies numbness.", "numbness"),
        ("The EMG was negative for radiculopathy.", "radiculopathy"),
        ("Flexion-extension films were absent, and instability was ruled out.", "instability"),
        ("The physical exam is free of myelopathic signs.", "myelopathic signs"),
        ("Nothing in the recent exam shows a contracture.", "contracture"),
        ("Neurologic deficit was not demonstrated on exam.", "Neurologic deficit"),
        ("There are no signs of infection.", "infection"),
        ("Spondylolisthesis is absent.", "Spondylolisthesis"),
    ],
)
def test_reviewer_language_negates(nlp, text, target):
    assert tag(nlp, text, [target])[target] is True


@pytest.mark.parametrize(
    "text, target",
    [
        ("EMG showed moderate carpal tunnel syndrome.", "carpal tunnel syndrome"),
        ("The request is not medically necessary for lumbar radiculopathy.", "lumbar radiculopathy"),
        ("Lidoderm is not recommended for non-neuropathic pain.", "non-neuropathic pain"),
        ("There was no change in the lumbar radiculopathy.", "lumbar radiculopathy"),
        ("He has not only neck pain but also headaches.", "neck pain"),
        ("Cultures grew gram negative rods consistent with pneumonia.", "pneumonia"),
        ("No increase in spasm was reported.", "spasm"),
    ],
)
def test_pseudo_triggers_and_plain_statements_affirm(nlp, text, target):
    assert tag(nlp, text, [target])[target] is False


def test_negative_test_name_is_a_finding_not_negated(nlp):
    text = "Exam showed a negative straight leg raise, intact sensation and normal strength."
    found = tag(nlp, text, ["negative straight leg raise", "intact sensation", "normal strength"], "FINDING")
    assert found == {"negative straight leg raise": False, "intact sensation": False, "normal strength": False}


def test_negative_right_before_the_entity_is_part_of_the_finding(nlp):
    # Even when the entity is only the test name, "negative" in front of it is its result.
    assert tag(nlp, "He had a negative straight leg raise.", ["straight leg raise"], "FINDING") == {
        "straight leg raise": False
    }


def test_list_after_no_documentation_of_is_negated(nlp):
    text = "There is no documentation of radiculopathy or myelopathy."
    assert tag(nlp, text, ["radiculopathy", "myelopathy"]) == {"radiculopathy": True, "myelopathy": True}


def test_scope_ends_at_but(nlp):
    text = "No radicular symptoms but lumbar facet tenderness is present."
    found = tag(nlp, text, ["radicular symptoms", "lumbar facet tenderness"])
    assert found == {"radicular symptoms": True, "lumbar facet tenderness": False}


def test_scope_ends_at_sentence_and_semicolon(nlp):
    text = "No effusion; medial joint line tenderness. Crepitus with motion."
    found = tag(nlp, text, ["effusion", "medial joint line tenderness", "Crepitus"])
    assert found == {"effusion": True, "medial joint line tenderness": False, "Crepitus": False}


def test_self_stated_result_is_not_reached_by_a_list_negation(nlp):
    text = "Mild tenderness, no effusion, ligaments stable, negative Lachman."
    found = tag(nlp, text, ["effusion", "ligaments stable", "negative Lachman"], "FINDING")
    assert found == {"effusion": True, "ligaments stable": False, "negative Lachman": False}


def test_cue_inside_an_entity_does_not_negate_it(nlp):
    text = "The oral mucosa is moist with no erythema."
    assert tag(nlp, text, ["oral mucosa is moist with no erythema"]) == {
        "oral mucosa is moist with no erythema": False
    }


def test_guidelines_are_not_judged(nlp):
    text = "The decision was based on ODG, which is not part of the MTUS."
    assert tag(nlp, text, ["MTUS"], "GUIDELINE") == {"MTUS": False}


def test_uses_sentences_when_set(nlp):
    doc = nlp.make_doc("She denies numbness Tingling is reported")
    for tok in doc:
        tok.is_sent_start = tok.i in (0, 3)
    doc.ents = [doc.char_span(11, 19, label="CONDITION"), doc.char_span(20, 28, label="CONDITION")]
    doc = nlp(doc)
    assert [e._.negated for e in doc.ents] == [True, False]


def test_span_group_is_judged_too(nlp):
    doc = nlp.make_doc("No numbness or tingling was reported.")
    doc.spans["sc"] = [doc.char_span(3, 11, label="CONDITION"), doc.char_span(15, 23, label="CONDITION")]
    doc = nlp(doc)
    assert [s._.negated for s in doc.spans["sc"]] == [True, True]


def test_plain_function(nlp):
    engine = nlp.get_pipe("imr_negation").engine
    text = "Extremities reveal no peripheral cyanosis or EDEMA."
    start = text.index("EDEMA")
    assert engine.is_negated(text, start, start + 5) is True
    assert engine.is_negated("Mild EDEMA.", 5, 10) is False


def test_rules_load_from_json(tmp_path):
    path = tmp_path / "rules.json"
    dump_rules([CueRule("sans", "NEGATED", "FORWARD")], path)
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_negation", config={"rules_path": str(path)})
    doc = nlp.make_doc("Lumbar pain sans radiculopathy. No myelopathy.")
    doc.ents = [doc.char_span(17, 30, label="CONDITION"), doc.char_span(35, 45, label="CONDITION")]
    doc = nlp(doc)
    assert [e._.negated for e in doc.ents] == [True, False]
    assert json.loads(path.read_text())[0]["literal"] == "sans"


def test_negex_f1(shared_dir):
    if not NEGEX.is_file():
        pytest.skip("NegEx test set not present in ../shared")
    from pipeline.evaluation.negex import evaluate

    res = evaluate(NEGEX)
    assert res["rows"] == 2376
    assert res["not_found"] == 11
    assert res["f1"] >= 0.94, res
