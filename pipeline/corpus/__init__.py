"""Synthetic training corpus: IMR letters generated with labels true by construction.

``generate_letters(n, seed)`` yields annotated ``pipeline.letters.Letter`` records in
the three layouts of ``taxonomy.md`` section 4; ``FAMILIES`` names the template
families and ``family_split`` assigns each family wholly to train, dev or test.

Modules: ``lexicon`` (services, guidelines, conditions, findings), ``phrasing``
(reason templates by family), ``case`` (planning a case), ``builder`` (text with
offsets), ``layouts`` (the three letter layouts), ``noise`` (PDF noise with offset
bookkeeping), ``generator`` (the entry points).
"""
from .generator import family_split, generate_letter, generate_letters
from .phrasing import FAMILIES

__all__ = ["FAMILIES", "family_split", "generate_letter", "generate_letters"]
