"""The terms ``imr_lexicon`` is initialised with when a tagger is trained (``imr.lexicon_terms.v1``).

Two sources: the letter generator's region lexicons (conditions, exam, normal and
imaging findings, required signs and tests), and the general terms of
``resources/general_terms.json``, which reviewers use in guideline quotations and
criteria where generated letters rarely mark entities. A term listed under both labels
is ambiguous and left to the ner. Only training calls this: a saved tagger reads the
terms it was trained with from its own ``imr_lexicon/terms.json``.
"""
from __future__ import annotations

import json
from importlib import resources

from spacy.util import registry

GENERAL_TERMS = "general_terms.json"


@registry.misc("imr.lexicon_terms.v1")
def lexicon_terms() -> dict[str, list[str]]:
    from ..corpus.vocabulary import REGIONS  # the generator's lexicons: a training-time dependency only

    general = json.loads(resources.files(__package__).joinpath("resources", GENERAL_TERMS).read_text(encoding="utf-8"))
    terms = {"CONDITION": set(general["CONDITION"]), "FINDING": set(general["FINDING"])}
    for region in REGIONS.values():
        terms["CONDITION"].update(region.conditions)
        terms["FINDING"].update(region.exam + region.normal + region.imaging + region.required_signs
                                + region.required_tests)
    both = terms["CONDITION"] & terms["FINDING"]
    return {label: sorted({t.lower() for t in words - both}) for label, words in terms.items()}
