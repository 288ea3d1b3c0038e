"""The spaCy tagger: GUIDELINE, CONDITION and FINDING spans, negation, guideline ids.

Components (one per module, each registered with ``@Language.factory``):
``imr_sentences`` (sentence boundaries for letter layout), ``imr_sections`` (the
section of each sentence and entity), ``imr_guidelines``
(guideline patterns and normalisation), ``imr_lexicon`` (common clinical
terms the ner missed), ``imr_negation`` (ConText-style negation),
plus spaCy's trained ``ner`` for conditions and findings. Extensions are declared
once, in ``extensions``. Rule data (negation rules, general lexicon terms) lives in
``resources/``; a trained tagger saves its own copy with the pipeline.

Training registers more functions for ``configs/tagger.cfg``: the corpus reader
``imr.LetterParagraphs.v1`` (``readers``), ``imr.lexicon_terms.v1`` (``lexicon_terms``)
and the callbacks that keep the rule components out of model selection (``callbacks``).
"""
from . import extensions  # noqa: F401  (declares Span._.negated and Span._.guideline_id)
from . import guidelines, lexicon, negation, sections, sentences  # noqa: F401  (register the factories)
from . import callbacks, lexicon_terms, readers  # noqa: F401  (register the training config's functions)
