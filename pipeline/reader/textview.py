"""A cleaned view of a letter's text that remembers where every character came from.

PDF text carries page footers, case-number lines, hyphenated line ends and curly
quotes. The reader parses the cleaned view, then maps every range back to the raw
text through ``CleanText.raw_range``, so that no offset ever points into a
normalised copy.
"""
from __future__ import annotations

import re
from bisect import bisect_right
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
# A word broken at a line end: "radicu-\nlopathy", "Guide-\nlines"; the match is the hyphen,
# the line break and the indentation around it (a form feed where a page ends). A lower-case
# letter must follow, so that "MTUS-\nACOEM" and list dashes are left alone. The project's one
# definition: the clean view, the guideline matcher, the classifier's text and the data
# contract's service check all join broken words with it.
HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])-[ \t\f]*\r?\n[ \t\f]*(?=[a-z])")
# A line that stops mid-sentence: on a comma, an open bracket, a dash or slash, or a word
# that cannot end a sentence. Used to join the halves of a sentence or heading that a
# page break (footer, header, blank lines) has split.
OPEN_END = re.compile(
    r"(?:[,(/&\-]|\b(?:and|or|of|for|to|the|a|an|with|at|in|on|by|from|per|x|is|are|was|were|under|than)"
    r")[ \t]*$", re.IGNORECASE)
CHAR_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": " ", "\r": " ", "\f": " ",
    "\u00ad": " ",
})


@dataclass
class CleanText:
    """``text`` is made of pieces of ``raw``: piece i starts at clean ``starts[i]`` and raw ``raw_starts[i]``."""
    raw: str
    text: str
    starts: list[int]
    raw_starts: list[int]

    def raw_offset(self, clean_pos: int) -> int:
        if clean_pos >= len(self.text):
            return len(self.raw)
        piece = bisect_right(self.starts, clean_pos) - 1
        return self.raw_starts[piece] + clean_pos - self.starts[piece]

    def raw_range(self, start: int, end: int) -> tuple[int, int]:
        """The raw range covering clean ``text[start:end]``, trimmed of white space."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end:
            pos = self.raw_offset(start)
            return pos, pos
        return self.raw_offset(start), self.raw_offset(end - 1) + 1


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


def runs_on(before: str, after: str) -> bool:
    """Does the content line ``before`` a page break run on into the line ``after`` it?"""
    tail = before.rstrip()
    if not tail or tail.endswith((".", "?", "!", ":", ";")):
        return False
    return bool(OPEN_END.search(tail)) or tail.count("(") > tail.count(")") or after.lstrip()[:1].islower()


def _dropped_lines(lines: list[str], outline: int) -> list[bool]:
    """Which lines are page furniture; a page break inside a sentence takes its blank lines too."""
    drop = [number >= outline or bool(NOISE_LINE.match(line.rstrip("\r\n"))) for number, line in enumerate(lines)]
    number = 0
    while number < len(lines):
        if not drop[number] or number >= outline:
            number += 1
            continue
        # A run of furniture and blank lines around it: [first, last).
        first = number
        while first > 0 and not lines[first - 1].strip() and not drop[first - 1]:
            first -= 1
        last = number
        while last < min(len(lines), outline) and (drop[last] or not lines[last].strip()):
            last += 1
        if first > 0 and last < min(len(lines), outline) and runs_on(lines[first - 1], lines[last]):
            for blank in range(first, last):
                drop[blank] = True
        number = last
    return drop


def _kept_spans(lines: list[str], dropped: list[bool]) -> list[tuple[int, int]]:
    """Raw (start, end) of each run of consecutive kept lines."""
    spans: list[tuple[int, int]] = []
    position = 0
    for line, drop in zip(lines, dropped):
        end = position + len(line)
        if not drop:
            if spans and spans[-1][1] == position:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((position, end))
        position = end
    return spans


def _without(pieces: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Raw (start, end) pieces of a text made of ``pieces``, once the clean ranges ``cuts`` are removed."""
    out: list[tuple[int, int]] = []
    clean_at = 0
    cut = 0
    for raw_start, raw_end in pieces:
        clean_end = clean_at + raw_end - raw_start
        position = clean_at
        while cut < len(cuts) and cuts[cut][0] < clean_end:
            cut_start, cut_end = cuts[cut]
            if cut_start > position:
                out.append((raw_start + position - clean_at, raw_start + cut_start - clean_at))
            position = max(position, min(cut_end, clean_end))
            if cut_end > clean_end:
                break  # the cut runs on into the next piece
            cut += 1
        if position < clean_end:
            out.append((raw_start + position - clean_at, raw_end))
        clean_at = clean_end
    return out


def clean(raw: str, is_heading=lambda line: False) -> CleanText:
    """Drop page furniture, a trailing outline and line-end hyphens; map odd characters to ASCII."""
    lines = raw.splitlines(keepends=True)
    pieces = _kept_spans(lines, _dropped_lines(lines, _outline_start(lines, is_heading)))
    text = "".join(raw[start:end] for start, end in pieces).translate(CHAR_MAP)  # one char for one char
    # Remove hyphen + line break + indentation inside broken words.
    cuts = [match.span() for match in HYPHEN_BREAK.finditer(text)]
    if cuts:
        pieces = _without(pieces, cuts)
        text = "".join(raw[start:end] for start, end in pieces).translate(CHAR_MAP)
    starts, at = [], 0
    for start, end in pieces:
        starts.append(at)
        at += end - start
    return CleanText(raw=raw, text=text, starts=starts, raw_starts=[start for start, _ in pieces])


def join_hyphen_breaks(text: str) -> str:
    """``text`` with words broken over a line end joined again (offsets not kept)."""
    return HYPHEN_BREAK.sub("", text)


def squash(text: str) -> str:
    """One line, single spaces: how a service or citation is written out."""
    return re.sub(r"\s+", " ", text).strip()
