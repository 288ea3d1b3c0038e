"""imr-reader: read California IMR final determination letters into structured data.

The package reads letters (``pipeline.sources``, ``pipeline.reader``), holds the
label contract (``pipeline.taxonomy``), the record types (``pipeline.letters``) and
the corpora (``pipeline.corpus``, ``pipeline.gold``).
"""

__version__ = "0.1.0"
