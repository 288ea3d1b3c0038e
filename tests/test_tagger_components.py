"""The rule components of the tagger on a blank pipeline: sentences, sections, lexicon, and their saved data."""
from __future__ import annotations

import json

import spacy

import pipeline.tagger  # noqa: F401  (registers the factories)

from letters_for_tests import LETTERS


def _nlp(*components):
    nlp = spacy.blank("en")
    for name in components:
        nlp.add_pipe(name)
    return nlp


def test_sentences_follow_layout_not_line_breaks():
    text = ("CASE SUMMARY:\nThe worker reports low back pain radiating to\nthe left leg.  An MRI was done. "
            "Dr. Smith noted spasm.\n\n1. Norco 10/325mg #120\n2. Gym membership")
    sentences = [s.text.strip() for s in _nlp("imr_sentences")(text).sents]
    assert "The worker reports low back pain radiating to\nthe left leg." in sentences  # a wrapped line is no boundary
    assert "Dr. Smith noted spasm." in sentences  # nor is an abbreviation
    assert "1. Norco 10/325mg #120" in sentences and "2. Gym membership" in sentences


def test_every_sentence_knows_its_section():
    doc = _nlp("imr_sentences", "imr_sections")(LETTERS["professional-review"])
    by_section = {}
    for sentence in doc.sents:
        by_section.setdefault(sentence._.section, []).append(sentence.text)
    assert list(by_section) == ["header", "issues", "case_summary", "documents", "guidelines", "rationale",
                                "qualifications"]
    assert any("gabapentin" in s for s in by_section["rationale"])


def test_lexicon_adds_terms_the_ner_missed_but_never_overrides():
    from pipeline.tagger.lexicon_terms import lexicon_terms

    nlp = _nlp("imr_lexicon")
    nlp.get_pipe("imr_lexicon").initialize(terms=lexicon_terms())  # as training does, from configs/tagger.cfg
    doc = nlp.make_doc("In the absence of radiculopathy and myofascial pain syndrome, with positive straight leg raise.")
    doc = nlp.get_pipe("imr_lexicon")(doc)
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("radiculopathy", "CONDITION") in found and ("myofascial pain syndrome", "CONDITION") in found
    assert ("positive straight leg raise", "FINDING") in found
    doc = nlp.make_doc("The worker has lumbar radiculopathy.")
    doc.ents = [doc.char_span(15, 35, label="FINDING")]
    doc = nlp.get_pipe("imr_lexicon")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("lumbar radiculopathy", "FINDING")]


def test_bundled_tagger_tokenizer_is_the_english_default():
    # load_tagger skips reading the saved tokenizer (start-up time) and relies on the
    # config's default one: they must be the same tokenizer.
    from pipeline.scoring import DEFAULT_TAGGER

    saved = (DEFAULT_TAGGER / "tokenizer").read_bytes()
    assert saved == spacy.blank("en").tokenizer.to_bytes(exclude=["vocab"])


def test_lexicon_and_negation_data_round_trip_through_disk(tmp_path):
    from pipeline.tagger.lexicon_terms import lexicon_terms

    nlp = _nlp("imr_sentences", "imr_lexicon", "imr_negation")
    nlp.get_pipe("imr_lexicon").initialize(terms={"CONDITION": ["Sciatica"], "FINDING": ["antalgic gait"]})
    nlp.to_disk(tmp_path / "tagger")
    assert json.loads((tmp_path / "tagger" / "imr_lexicon" / "terms.json").read_text()) == {
        "CONDITION": ["sciatica"], "FINDING": ["antalgic gait"]}
    loaded = spacy.load(tmp_path / "tagger")
    doc = loaded("No sciatica. Antalgic gait and low back pain.")
    # The saved terms, not the full lexicon: "low back pain" is a lexicon term, but not this pipeline's.
    assert [(e.text, e.label_, e._.negated) for e in doc.ents] == [("sciatica", "CONDITION", True),
                                                                  ("Antalgic gait", "FINDING", False)]
    assert "low back pain" in lexicon_terms()["CONDITION"]
