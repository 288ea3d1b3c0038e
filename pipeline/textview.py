"""A cleaned view of a letter's text that remembers where every character came from.

PDF text carries page footers, case-number lines, hyphenated line ends and curly
quotes. The reader parses the cleaned view, then maps every range back to the raw
text through ``CleanText.raw_range``, so that no offset ever points into a
normalised copy.
"""
from __future__ import annotations

import re
from array import array
from collections import Counter
from dataclasses import dataclass

# Lines that are page furniture, not letter content. Matched against a whole line.
NOISE_LINE = re.compile(
    r"""^[ \t\f]*(?:
        (?:page|pg\.?)[ \t]*\d+(?:[ \t]*(?:of|/)[ \t]*\d+)?            # Page 2 of 5
      | -[ \t]*\d+[ \t]*-                                               # - 2 -
      | \d+[ \t]*(?:of|/)[ \t]*\d+                                      # 2 of 5
      | (?:(?:imr[ \t]+)?case[ \t]+(?:number|no\.?|\#)[ \t:]*)?CM\d{2}-?\d{5,8}
        (?:[ \t]+(?:page[ \t]*)?\d+[ \t]*(?:of|/)[ \t]*\d+)?             # CM14-0123456 [Page 2 of 5]
      | (?:page[ \t]*\d+[ \t]*(?:of|/)[ \t]*\d+[ \t]+)?CM\d{2}-?\d{5,8}
      | [^\n]{0,80}\bCM\d{2}-\d{5,8}\b[^\n]{0,60}                      # running header with the case number
    )[ \t]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A word broken at a line end: "radicu-\nlopathy". Lower-case on both sides, so that
# "MTUS-\nACOEM" and list dashes are left alone.
HYPHEN_BREAK = re.compile(r"([a-z])-[ \t]*\n[ \t]*([a-z])")
CHAR_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": " ", "\r": " ", "\f": " ",
    "\u00ad": " ",
})


@dataclass
class CleanText:
    raw: str
    text: str
    index: array  # index[i] is the raw offset of text[i]; one extra entry for the end

    def raw_offset(self, clean_pos: int) -> int:
        return self.index[clean_pos]

    def raw_range(self, start: int, end: int) -> tuple[int, int]:
        """The raw range covering clean ``text[start:end]``, trimmed of white space."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end:
            pos = self.index[start]
            return pos, pos
        return self.index[start], self.index[end - 1] + 1


def _outline_start(lines: list[str], is_heading, window: int = 60) -> int:
    """Index of the first line of a trailing PDF outline (bookmarks repeated at the end).

    Such a tail repeats earlier lines, at least two of them headings; without that
    evidence nothing is dropped, because a letter may well end on a repeated sentence.
    """
    counts = Counter(line.strip() for line in lines)
    first = len(lines)
    headings = 0
    for i in range(len(lines) - 1, max(-1, len(lines) - 1 - window), -1):
        stripped = lines[i].strip()
        if not stripped:
            continue
        if counts[stripped] < 2:
            break
        counts[stripped] -= 1
        headings += bool(is_heading(stripped))
        first = i
    return first if headings >= 2 else len(lines)


def clean(raw: str, is_heading=lambda line: False) -> CleanText:
    """Drop page furniture, a trailing outline and line-end hyphens; map odd characters to ASCII."""
    pieces: list[str] = []
    index = array("l")
    position = 0
    lines = raw.splitlines(keepends=True)
    outline = _outline_start(lines, is_heading)
    for number, line in enumerate(lines):
        if number >= outline or NOISE_LINE.match(line.rstrip("\r\n")):
            position += len(line)
            continue
        pieces.append(line)
        index.extend(range(position, position + len(line)))
        position += len(line)
    text = "".join(pieces).translate(CHAR_MAP)
    # Remove hyphen + line break + indentation inside broken words.
    keep = bytearray(b"\x01") * len(text)
    for match in HYPHEN_BREAK.finditer(text):
        for i in range(match.start(1) + 1, match.start(2)):
            keep[i] = 0
    if keep.count(0):
        text = "".join(c for c, k in zip(text, keep) if k)
        index = array("l", (p for p, k in zip(index, keep) if k))
    index.append(len(raw))
    return CleanText(raw=raw, text=text, index=index)


def squash(text: str) -> str:
    """One line, single spaces: how a service or citation is written out."""
    return re.sub(r"\s+", " ", text).strip()
