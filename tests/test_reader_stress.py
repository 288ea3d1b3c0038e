"""The reader on letters written in styles the dev set does not use (data/gold/reader-stress/),
and the general behaviours added to read them."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.reader.decisions import conclusions
from pipeline.evaluation.metrics import match_items
from pipeline.corpus.gold import parse_source
from pipeline.reader import read_text
from pipeline.reader.textview import clean

from guards import fails_if_it_hangs
from letters_for_tests import LETTERS

STRESS_DIR = Path(__file__).resolve().parents[1] / "data" / "gold" / "reader-stress"

def _items(letter):
    return [(item.service, item.decision) for item in letter.items]


# Letters the reader still gets wrong, each with what defeats it. A fix turns its test into
# an unexpected pass (strict), so this list shrinks as the reader learns.
KNOWN_FAILURES = {
    "stress-40": "columns interleaved on one line",
    "stress-41": "a '|' table with a date column",
    "stress-48": "a numbered list with one shared rationale",
    "stress-64": "a rationale naming its item only by number",
    "stress-65": "a rationale naming its item only by letter",
    "stress-66": "'is not supported' as the only conclusion",
}
STRESS_LETTERS = sorted(STRESS_DIR.glob("*.txt"))


def test_stress_set_is_all_there():
    assert len(STRESS_LETTERS) >= 66
    assert set(KNOWN_FAILURES) <= {path.stem for path in STRESS_LETTERS}


@pytest.mark.parametrize("path", [
    pytest.param(path, id=path.stem, marks=[pytest.mark.xfail(reason=KNOWN_FAILURES[path.stem], strict=True)]
                 if path.stem in KNOWN_FAILURES else [])
    for path in STRESS_LETTERS])
def test_stress_letter_reads_exactly(path):
    """Every gold item found, no other item, each with the gold decision (items matched as the
    reference scorer matches them: tests/test_cli.py holds the two together)."""
    gold = parse_source(path)
    read = read_text(gold.text, gold.id)
    g = [{"service": i.service, "decision": i.decision} for i in gold.items]
    p = [{"service": i.service, "decision": i.decision} for i in read.items]
    pairs = match_items([i["service"] for i in g], [i["service"] for i in p])
    assert len(pairs) == len(g) == len(p), (_items(gold), _items(read))
    assert [(g[gi]["decision"], p[pi]["decision"]) for gi, pi in pairs] == \
        [(g[gi]["decision"], g[gi]["decision"]) for gi, pi in pairs]


# Items named one way, decided another ---------------------------------------------------

def _issues_letter(items_text: str) -> str:
    head = LETTERS["fdl-issues"].split("The Final Determination was based")[0]
    return head + "The Final Determination was based on decisions set forth below:\n\n" + items_text


def test_outcome_on_the_line_under_the_name():
    text = _issues_letter(
        "Bilateral L4-5 facet injections\nUPHELD\n\nDecision rationale: Not for radicular pain. "
        "The denial is upheld.\n\nDisputed Item: Flexion and extension x-rays\nDecision: Overturned\n\n"
        "Decision rationale: Instability is suspected after laminectomy. The request is medically necessary.\n")
    assert _items(read_text(text)) == [("Bilateral L4-5 facet injections", "upheld"),
                                       ("Flexion and extension x-rays", "overturned")]


def test_a_rationale_sentence_over_a_bare_outcome_is_not_an_item():
    text = _issues_letter(
        "Cervical facet neurotomy:  Upheld\n\nDecision rationale: No diagnostic block has been done\n"
        "before the request, and more than two levels are asked for\nNon-certified.\n")
    assert _items(read_text(text)) == [("Cervical facet neurotomy", "upheld")]


def test_a_sentence_with_a_double_space_before_the_verdict_is_not_an_item():
    text = _issues_letter(
        "Cervical traction unit:  UPHELD\n\nDecision rationale: No home trial has taken place. It is noted that\n"
        "spondylosis was documented. The request for Cervical traction unit is  non-certified.\n")
    assert _items(read_text(text)) == [("Cervical traction unit", "upheld")]


@pytest.mark.parametrize("tag", ["Issue 1 of 2:", "Item #1:", "1. Request:", "Requested Service:"])
def test_tagged_item_names_are_decided_by_their_block(tag):
    second = tag.replace("1", "2")
    text = LETTERS["fdl-decisions"].split("1. Is the request")[0] + (
        f"{tag} Norco 10/325mg #120\n\nRationale for the Decision:\nNo functional improvement is documented. "
        f"Medical necessity has not been established.\n\n{second} MRI of the cervical spine\n\n"
        "Rationale for the Decision:\nNew weakness warrants imaging. The request is found to be medically necessary.\n")
    assert _items(read_text(text)) == [("Norco 10/325mg #120", "upheld"), ("MRI of the cervical spine", "overturned")]


def test_a_sentence_ending_in_request_is_not_an_item_tag():
    letter = read_text(LETTERS["professional-review"].replace(
        "Lidoderm is recommended", "Specific criteria apply to this\nrequest. Lidoderm is recommended"))
    assert [s for s, _ in _items(letter)] == ["Lidoderm 5% patch #30", "Gym membership for one year"]


def test_roman_numbered_questions():
    text = LETTERS["fdl-decisions"].replace("1. Is the request", "I. Is the request").replace(
        "2. Is the request", "II. Is the request")
    assert _items(read_text(text)) == [("Norco 10/325mg #120", "upheld"), ("MRI of the cervical spine", "overturned")]


def test_bulleted_issue_list():
    text = LETTERS["professional-review"].replace("1. Retrospective", "\u2022 Retrospective").replace(
        "2. Gym", "\u2022 Gym")
    assert [s for s, _ in _items(read_text(text))] == ["Lidoderm 5% patch #30", "Gym membership for one year"]


# Page breaks -----------------------------------------------------------------------------

def test_page_break_inside_a_sentence_joins_its_halves():
    raw = "The request is for an injection at L4-5 and\n\nPage 2 of 3\nCM15-0123456\n\nL5-S1 under fluoroscopy.\n"
    assert "L4-5 and\nL5-S1 under" in clean(raw).text


def test_page_break_between_paragraphs_keeps_the_blank_line():
    raw = "The request is not medically necessary.\n\nPage 2 of 3\n\nNext item:  Upheld\n"
    assert "necessary.\n\n" in clean(raw).text


def test_item_heading_split_by_a_page_break():
    text = _issues_letter(
        "Transforaminal epidural steroid injection at left L4-5 and\n\nFinal Determination Letter for IMR Case "
        "Number CM15-0123456 Page 3 of 6\n\f\nL5-S1:  Upheld\n\nDecision rationale: No radiculopathy. "
        "The request is not medically necessary.\n")
    letter = read_text(text)
    assert _items(letter) == [("Transforaminal epidural steroid injection at left L4-5 and L5-S1", "upheld")]
    start, end = letter.items[0].service_range
    assert text[start:end].startswith("Transforaminal") and text[start:end].endswith("L5-S1")


# Decisions -------------------------------------------------------------------------------

def test_what_utilization_review_did_earlier_is_not_the_conclusion():
    found = conclusions("Utilization review previously non-certified the request. Accordingly, the denial is overturned.")
    assert [c.decision for c in found] == ["overturned"]
    found = conclusions("The request was denied by UR on 4/1/2015. The request is medically necessary.")
    assert [c.decision for c in found] == ["overturned"]


def test_one_conclusion_may_decide_two_items():
    text = LETTERS["professional-review"].replace(
        "1. Retrospective request for Lidoderm 5% patch #30\n2. Gym membership for one year",
        "1. Electromyography of the right upper extremity\n2. Nerve conduction study of the right upper extremity\n"
        "3. Gym membership for one year")
    start = text.index("Lidoderm is recommended")
    end = text.index("Gym memberships are not")
    text = text[:start] + ("Testing is recommended when surgery is considered. The electromyography is medically "
                           "necessary, and so is the nerve conduction study.\n\n") + text[end:]
    assert [d for _, d in _items(read_text(text))] == ["overturned", "overturned", "upheld"]


# Size --------------------------------------------------------------------------------------

def test_a_one_megabyte_letter_is_read():
    letter = LETTERS["fdl-issues"] + "\nPage 1 of 2\nCM14-0011223\n"
    text = letter * (1_000_000 // len(letter))
    with fails_if_it_hangs():  # typically ~0.4 s; `imr bench` measures speed
        read = read_text(text)
    assert read.items and all(item.decision in ("upheld", "overturned") for item in read.items)


@pytest.mark.parametrize("junk", ["Item 1: a\nDecision\n", "x and\n\nPage 1 of 2\n\n", "\u2022 " * 50 + "\n",
                                  "Issue 1 of 3 " * 20 + "\n", "(" * 200 + "\n"])
def test_repetitive_junk_does_not_backtrack(junk):
    text = junk * (300_000 // len(junk))
    with fails_if_it_hangs():
        read = read_text(text)
    assert read.text == text
