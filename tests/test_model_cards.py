"""Model cards are rendered from their manifests alone, and the bundled ones are in step with theirs."""
from __future__ import annotations

import copy
import json

import pytest

from pipeline.scoring import DEFAULT_REASONS, DEFAULT_TAGGER
from pipeline.training.cards import render_card


@pytest.mark.parametrize("directory", [DEFAULT_TAGGER, DEFAULT_REASONS], ids=["tagger", "reasons"])
def test_bundled_cards_are_their_manifests_rendered(directory):
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert render_card(manifest) == (directory / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_a_card_states_the_manifest_figures_and_nothing_else():
    manifest = json.loads((DEFAULT_TAGGER / "manifest.json").read_text(encoding="utf-8"))
    edited = copy.deepcopy(manifest)
    edited["metrics"]["gold_dev"]["spans_overlap"]["FINDING"]["f1"] = 0.1234
    edited["real"] = None
    edited["metrics"].pop("real_cv")
    card = render_card(edited)
    assert "0.123" in card.split("| FINDING |")[1].splitlines()[0]
    assert "none (their PDFs were absent at training time)" in card
