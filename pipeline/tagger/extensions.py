"""Custom attributes, declared once for the whole package.

- ``Span._.negated``: the text says the entity is absent or undocumented.
- ``Span._.guideline_id``: canonical id of a GUIDELINE span (``MTUS-CPMTG``, ``ODG``...).
"""
from spacy.tokens import Span

for name, default in (("negated", False), ("guideline_id", None)):
    if not Span.has_extension(name):
        Span.set_extension(name, default=default)
