"""The letter reader: raw letter text in, sections and disputed items out.

``letter_reader.LetterReader`` finds the sections, then the items: first in the
published MAXIMUS form (``published``: lines classified by the tables in
``resources/``, items assembled by a state machine), else by the finders for the
written layouts. ``header`` reads the case header into typed fields.
"""
from .letter_reader import UPHELD, LetterReader, read_letter, read_text

__all__ = ["LetterReader", "read_letter", "read_text", "UPHELD"]
