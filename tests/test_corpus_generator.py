"""The training-letter generator: determinism, the data contract, coverage and held-out families."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from pipeline.corpus import FAMILIES, family_split, generate_letters
from pipeline.corpus import phrasing
from pipeline.corpus import vocabulary as lexicon
from pipeline.corpus.builder import TextBuilder
from pipeline.corpus.noise import apply_noise
from pipeline.taxonomy import load_taxonomy
from pipeline.validate import check_letter

N = 400


@pytest.fixture(scope="module")
def letters():
    return list(generate_letters(N, seed=7))


def _dump(letters) -> bytes:
    return "\n".join(json.dumps(l.to_json(), sort_keys=True, ensure_ascii=False) for l in letters).encode()


def test_same_seed_same_bytes(letters):
    assert _dump(letters[:60]) == _dump(generate_letters(60, seed=7))


def test_prefix_is_stable_and_other_seed_differs(letters):
    assert _dump(generate_letters(10, seed=7)) == _dump(letters[:10])
    assert _dump(generate_letters(10, seed=8)) != _dump(letters[:10])


def test_independent_of_hash_seed():
    # Set or dict order must never leak into the output: two interpreters with different
    # hash seeds write the same bytes.
    import os
    import subprocess
    import sys
    code = ("import hashlib, json; from pipeline.corpus import generate_letters; "
            "print(hashlib.sha256('\\n'.join(json.dumps(l.to_json(), sort_keys=True) "
            "for l in generate_letters(40, 5)).encode()).hexdigest())")
    digests = set()
    for hash_seed in ("1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_ids_family_format(letters):
    tax = load_taxonomy()
    assert [l.id for l in letters[:3]] == ["gen-7-000000", "gen-7-000001", "gen-7-000002"]
    for l in letters:
        assert l.family in FAMILIES
        assert l.format in tax.formats


def test_every_letter_keeps_the_contract(letters):
    # Offsets inside the text, no white space at span edges, services present, overturned without reasons.
    for l in letters:
        assert check_letter(l) == [], l.id


def test_spans_index_text_and_are_trimmed(letters):
    for l in letters:
        for s in l.spans:
            assert 0 <= s.start < s.end <= len(l.text)
            surface = l.text[s.start:s.end]
            assert surface == surface.strip() and surface
        for item in l.items:
            for rng in (item.service_range, item.rationale_range):
                assert rng is not None and 0 <= rng[0] < rng[1] <= len(l.text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"-\n", "", text))


def test_service_range_covers_the_service(letters):
    for l in letters:
        for item in l.items:
            start, end = item.service_range
            assert _squash(l.text[start:end]) == _squash(item.service)


def test_items_and_decisions(letters):
    counts = Counter()
    for l in letters:
        assert 1 <= len(l.items) <= 6
        for item in l.items:
            counts[item.decision] += 1
            if item.decision == "overturned":
                assert item.reasons == []
            else:
                assert 1 <= len(item.reasons) <= 3
                assert len(set(item.reasons)) == len(item.reasons)
    share = counts["overturned"] / sum(counts.values())
    assert 0.06 < share < 0.2


def test_every_reason_layout_label_appears(letters):
    tax = load_taxonomy()
    reasons = Counter(r for l in letters for i in l.items for r in i.reasons)
    assert set(reasons) == set(tax.reason_ids)
    assert {l.format for l in letters} == set(tax.formats)
    labels = Counter((s.label, s.negated) for l in letters for s in l.spans)
    for label in tax.entity_labels:
        assert labels[(label, False)] > 0
    assert labels[("FINDING", True)] > 0 and labels[("CONDITION", True)] > 0


def test_negated_spans_sit_in_negating_text(letters):
    # A negated span is said to be absent: some negation cue precedes or follows it in its sentence.
    cue = re.compile(r"\b(no|not|without|absence|absent|lack|lacks|lacking|fail|fails|negative|silent|missing|"
                     r"nowhere|nothing|neither|unclear|incomplete)\b|n't", re.I)
    for l in letters:
        for s in l.spans:
            if s.negated:
                window = l.text[max(0, s.start - 160):s.end + 120]
                assert cue.search(window), (l.id, l.text[s.start:s.end])


def test_noise_appears_and_keeps_offsets(letters):
    noisy = [l for l in letters if re.search(r"Page \d+ of \d+|\n\d+\n", l.text) or "-\n" in l.text]
    assert 0.15 * N < len(noisy) < 0.5 * N


def test_noise_maps_spans_exactly():
    import random
    b = TextBuilder()
    for k in range(60):
        b.add("The examination documents ")
        b.entity("decreased sensation in the L5 dermatome", "FINDING")
        b.add(" and a diagnosis of ")
        b.entity("lumbar radiculopathy", "CONDITION")
        b.add(". " if k % 7 else ".\n\n")
    text = b.text()
    for seed in range(20):
        res = apply_noise(text, random.Random(seed), "CM13-0123456", "HEAD")
        for s in b.spans:
            start, end = res.map_range(s.start, s.end)
            assert _squash(res.text[start:end]).replace("\u2019", "'") == text[s.start:s.end]


def test_families_partition_into_splits():
    splits = {f: family_split(f) for f in FAMILIES}
    assert set(splits.values()) == {"train", "dev", "test"}
    assert sum(v == "train" for v in splits.values()) >= 5
    with pytest.raises(ValueError):
        family_split("nope")


def test_phrasings_per_reason_and_disjoint_families():
    tax = load_taxonomy()
    assert set(phrasing.REASON_PHRASINGS) == set(tax.reason_ids)
    for reason in tax.reason_ids:
        all_ = phrasing.all_phrasings(reason)
        assert len(set(all_)) >= 15, reason
        assert len(all_) == len(set(all_))
        for f in FAMILIES:
            assert phrasing.phrasings(reason, f), (reason, f)
    # No sentence is shared between families, in any table.
    for table in (phrasing.OPENERS, phrasing.DISTRACTORS, phrasing.UPHELD_CLOSERS, phrasing.OVERTURNED_CLOSERS,
                  phrasing.OVERTURNED, phrasing.FILLERS):
        seen = [t for group in table for t in group]
        assert len(seen) == len(set(seen))


def test_held_out_family_sentences_unseen_in_train():
    train = {t for r in phrasing.REASON_PHRASINGS for f in FAMILIES if family_split(f) == "train"
             for t in phrasing.phrasings(r, f)}
    for f in FAMILIES:
        if family_split(f) != "train":
            for r in phrasing.REASON_PHRASINGS:
                assert not set(phrasing.phrasings(r, f)) & train


def test_lexicon_sizes():
    services = {s.name for s in lexicon.SERVICES}
    assert len(services) == len(lexicon.SERVICES) >= 150
    assert {lexicon.CATEGORY[s.category].group for s in lexicon.SERVICES} >= {
        "drugs", "injections", "imaging", "therapy", "surgery", "dme", "psych", "home"}
    assert all(s.guidelines for s in lexicon.SERVICES)
    # Noise curls quotes; a quote in a service name would break "service appears verbatim".
    assert not any("'" in s.name or '"' in s.name for s in lexicon.SERVICES)
    conditions = {c for r in lexicon.REGIONS.values() for c in r.conditions}
    findings = {f for r in lexicon.REGIONS.values()
                for f in r.exam + r.normal + r.imaging + r.required_signs + r.required_tests}
    assert len(conditions) >= 200
    assert len(findings) >= 200


def test_reason_pools_have_their_slots():
    # A reason a category can draw must have the words its templates need.
    need = {"exceeds_guideline_limits": ("limits", "done"), "monitoring_not_documented": ("monitor",),
            "request_not_specified": ("unspecified",), "prerequisite_not_met": ("prereq",),
            "conservative_care_not_exhausted": ("prior",), "indication_not_met": ("indications",)}
    for name, cat in lexicon.CATEGORY.items():
        for reason in cat.reasons:
            for attr in need.get(reason, ()):
                assert getattr(cat, attr), (name, reason, attr)
