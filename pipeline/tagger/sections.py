"""``imr_sections``: which letter section each sentence and entity is in.

Finds the layout headings (``layouts.find_sections``, as the reader does) in the text
and records them on ``Doc._.sections`` as (name, start_char, end_char); the getter
``Span._.section`` then names the section of any span (``header`` before the first
heading). Section names are those of ``letters.SECTION_NAMES``.
"""
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..reader import layouts


def section_of(span: Span) -> str:
    sections = span.doc._.sections or []
    starts = [start for _, start, _ in sections]
    i = bisect_right(starts, span.start_char) - 1
    return sections[i][0] if i >= 0 else "header"


@Language.factory("imr_sections", default_config={})
def make_sections(nlp: Language, name: str):
    return LetterSections()


class LetterSections:
    def __call__(self, doc: Doc) -> Doc:
        doc._.sections = [(mark.name, mark.start, mark.end) for mark in layouts.find_sections(doc.text)]
        return doc
