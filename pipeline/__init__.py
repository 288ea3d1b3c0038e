"""imr-reader: read California IMR final determination letters into structured data.

One subpackage per stage: ``reader`` (files and PDFs into letters with sections and
disputed items), ``tagger`` (the spaCy pipeline: GUIDELINE, CONDITION, FINDING, negation),
``reasons`` (denial reasons: rule baseline, classifier, compiled model), ``scoring`` and
``output`` (bulk runs and what they write), ``training``, ``evaluation``, ``reporting``,
``corpus`` (annotated, generated and stand-off letters) and ``annotation`` (the loop with
Prodigy and Label Studio). The records they share are in ``letters``, the label contract
in ``taxonomy``.
"""

__version__ = "0.1.0"
