"""Custom attributes, declared once for the whole package.

- ``Span._.negated``: the text says the entity is absent or undocumented.
- ``Span._.guideline_id``: canonical id of a GUIDELINE span (``MTUS-CPMTG``, ``ODG``...).
- ``Doc._.sections``: (name, start_char, end_char) of the letter's sections (``imr_sections``).
- ``Span._.section``: the name of the section a span starts in.
"""
from spacy.tokens import Doc, Span

from .sections import section_of

for name, default in (("negated", False), ("guideline_id", None)):
    if not Span.has_extension(name):
        Span.set_extension(name, default=default)
if not Doc.has_extension("sections"):
    Doc.set_extension("sections", default=None)
if not Span.has_extension("section"):
    Span.set_extension("section", getter=section_of)
