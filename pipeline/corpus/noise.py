"""PDF-extraction noise with exact offset bookkeeping.

Real letters reach us as text pulled out of PDFs: lines broken at 80-95
characters (sometimes with the trailing space kept), words hyphenated across a
line end, page footers ("Page 2 of 5" and the case number), the letter's heading
repeated at the top of a page, stray double spaces and curly quotes.

Every edit is either a same-length substitution (space -> newline, straight ->
curly quote) or an insertion before an original character. Deletions are never
made, so the map from an original offset to the noisy one is monotone and a span
keeps all its characters: ``new_start = shift(start)`` and
``new_end = shift(end - 1) + 1``. A span that an insertion falls inside (a
hyphen-break in a long word) therefore covers the noisy surface, from its first
character to its last.

Footers and repeated headings go only at paragraph breaks, never inside a line,
so a service name is never split by a page footer.
"""
from __future__ import annotations

import bisect
import random
import re
from dataclasses import dataclass

_WORD_AFTER = re.compile(r"[A-Za-z]+")


@dataclass
class NoiseResult:
    text: str
    positions: list[int]      # sorted original positions of insertions
    cumulative: list[int]     # inserted characters at positions <= positions[i]

    def shift(self, pos: int) -> int:
        """New offset of the original character at ``pos``."""
        i = bisect.bisect_right(self.positions, pos)
        return pos + (self.cumulative[i - 1] if i else 0)

    def map_range(self, start: int, end: int) -> tuple[int, int]:
        return self.shift(start), self.shift(end - 1) + 1


def _wrap(text: str, rng: random.Random, subs: dict[int, str], ins: list[tuple[int, str]]) -> None:
    """Break long lines near a target width, as PDF text extraction does."""
    width = rng.randint(80, 95)
    keep_trailing_space = rng.random() < 0.5
    hyphen_rate = rng.uniform(0.1, 0.4)   # of the long words that straddle the margin
    line_start = 0
    n = len(text)
    while line_start < n:
        nl = text.find("\n", line_start)
        line_end = n if nl < 0 else nl
        pos = line_start
        while line_end - pos > width:
            limit = pos + width
            sp = text.rfind(" ", pos + 1, limit)
            if sp <= pos:
                break
            m = _WORD_AFTER.match(text, sp + 1)
            word_len = (m.end() - m.start()) if m else 0
            room = limit - (sp + 1)
            # Hyphenate a long alphabetic word that straddles the margin.
            if m and word_len >= 8 and m.end() > limit and room >= 3 and word_len - room >= 3 \
                    and rng.random() < hyphen_rate:
                cut = sp + 1 + room
                ins.append((cut, "-\n"))
                pos = cut
            elif keep_trailing_space:
                ins.append((sp + 1, "\n"))
                pos = sp + 1
            else:
                subs[sp] = "\n"
                pos = sp + 1
        line_start = line_end + 1


def apply_noise(text: str, rng: random.Random, case_number: str, running_head: str) -> NoiseResult:
    subs: dict[int, str] = {}
    ins: list[tuple[int, str]] = []

    if rng.random() < 0.85:
        _wrap(text, rng, subs, ins)

    if rng.random() < 0.6:
        # Curly quotes, as a PDF with typographic quotes extracts.
        open_dq = True
        for m in re.finditer(r"['\"]", text):
            if m.group() == "'":
                subs[m.start()] = "\u2019"
            else:
                subs[m.start()] = "\u201c" if open_dq else "\u201d"
                open_dq = not open_dq

    spaces = [m.start() for m in re.finditer(" ", text) if m.start() not in subs]
    for _ in range(min(len(spaces), rng.randint(1, 8))):
        ins.append((spaces[rng.randrange(len(spaces))] + 1, " "))

    if rng.random() < 0.8:
        # Page footers at paragraph breaks roughly every page of text.
        breaks = [m.start() + 1 for m in re.finditer(r"\n\n", text)]
        page_len = rng.randint(2200, 3200)
        chosen: list[int] = []
        last = 0
        for b in breaks:
            if b - last >= page_len:
                chosen.append(b)
                last = b
        total = len(chosen) + 1
        repeat_head = rng.random() < 0.5
        style = rng.randrange(3)
        for k, b in enumerate(chosen, 1):
            footer = _footer(style, k, total, case_number)
            if repeat_head:
                footer += running_head + "\n"
            ins.append((b, footer))
        ins.append((len(text), "\n" + _footer(style, total, total, case_number).rstrip("\n")))

    ins.sort(key=lambda x: x[0])   # stable: insertions at one position keep their order
    out: list[str] = []
    prev = 0
    positions: list[int] = []
    cumulative: list[int] = []
    total_ins = 0
    sub_keys = sorted(subs)
    chars = list(text)
    for k in sub_keys:
        chars[k] = subs[k]
    body = "".join(chars)
    for pos, s in ins:
        out.append(body[prev:pos])
        out.append(s)
        prev = pos
        total_ins += len(s)
        if positions and positions[-1] == pos:
            cumulative[-1] = total_ins
        else:
            positions.append(pos)
            cumulative.append(total_ins)
    out.append(body[prev:])
    return NoiseResult("".join(out), positions, cumulative)


def _footer(style: int, page: int, total: int, case_number: str) -> str:
    if style == 0:
        return f"\nPage {page} of {total}\n{case_number}\n"
    if style == 1:
        return f"\n{case_number}    Page {page} of {total}\n"
    return f"\nIMR Case Number {case_number}\n{page}\n"
