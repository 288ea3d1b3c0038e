"""``imr_sentences``: sentence boundaries that suit letter layout.

PDF text breaks lines mid-sentence, so a line break alone is not a boundary; a
blank line, a heading line or a list item is. Within a paragraph a sentence ends
at ``.``, ``?`` or ``!`` before a capital, digit or quote, except after common
abbreviations ("Dr.", "e.g.", "No.", "mg.").
"""

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

ABBREVIATIONS = frozenset(
    "dr mr mrs ms st no nos vs etc e.g i.e approx pg pp p fig dept inc co jr sr ph.d m.d d.o d.c "
    "u.s a.m p.m dos sec ch vol ed".split())


@Language.factory("imr_sentences", default_config={"max_length": 120})
def make_sentences(nlp: Language, name: str, max_length: int):
    return LetterSentences(max_length)


class LetterSentences:
    """Sets ``Token.is_sent_start`` on every token. ``max_length`` caps runaway sentences (in tokens)."""

    def __init__(self, max_length: int = 120):
        self.max_length = max_length

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = [False] * len(doc)
        starts[0] = True
        since = 0
        previous = None  # index of the last non-space token
        gap = ""  # the white space between it and this token
        for i, token in enumerate(doc):
            if token.is_space:
                gap += token.text + token.whitespace_
                continue
            if previous is None:
                previous, gap = i, token.whitespace_
                continue
            since += 1
            before = doc[previous]
            boundary = False
            newlines = gap.count("\n")
            if newlines:
                # A line break ends a sentence only at a blank line, after a heading or a
                # colon, or before a list item: PDF text breaks lines mid-sentence.
                bullet = token.text in {"-", "*", "\u2022"} or (
                    token.like_num and i + 1 < len(doc) and doc[i + 1].text in {".", ")"})
                boundary = newlines >= 2 or before.text.endswith(":") or bullet or self._line_is_upper(doc, previous)
            if not boundary and before.text in {".", "?", "!"}:
                word = doc[previous - 1].text.lower().rstrip(".") if previous >= 1 else ""
                if (token.is_title or token.is_upper or token.like_num or token.text in {'"', "'", "("}) \
                        and word not in ABBREVIATIONS and not (len(word) == 1 and word.isalpha()) \
                        and not self._list_marker(doc, previous):
                    boundary = True
            if not boundary and before.text == ";" and since > self.max_length // 2:
                boundary = True
            if boundary or since >= self.max_length:
                starts[i] = True
                since = 0
            previous, gap = i, token.whitespace_
        # One array write: setting ``token.is_sent_start`` per token re-checks the whole
        # Doc's annotation each time and cost more than finding the boundaries.
        values = numpy.where(numpy.array(starts), 1, -1).astype("uint64").reshape(-1, 1)
        doc.from_array([SENT_START], values)
        return doc

    @staticmethod
    def _list_marker(doc: Doc, dot: int) -> bool:
        """Whether the "." at ``dot`` closes a list number at a line start ("1. Norco ...")."""
        if dot < 1 or not doc[dot - 1].like_num or len(doc[dot - 1].text) > 2:
            return False
        before = doc[dot - 2] if dot >= 2 else None
        return before is None or "\n" in before.whitespace_ or (before.is_space and "\n" in before.text)

    @staticmethod
    def _line_is_upper(doc: Doc, i: int) -> bool:
        """Whether the line that token ``i`` ends is written in capitals (a heading)."""
        j = i
        letters = 0
        while j >= 0 and not ("\n" in doc[j].whitespace_ and j != i) and not (doc[j].is_space and "\n" in doc[j].text):
            if doc[j].is_alpha:
                if not doc[j].is_upper:
                    return False
                letters += 1
            j -= 1
        return letters >= 2
