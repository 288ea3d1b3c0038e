"""The three published letter layouts: their headings, and telling them apart.

A heading is recognised at the start of a line, alone on it or followed by a
colon, in any case, so that re-typed and OCR'd letters are read as well as the
MAXIMUS originals. Each heading names a letter section (``letters.SECTION_NAMES``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

FDL_ISSUES = "fdl-issues"
FDL_DECISIONS = "fdl-decisions"
PROFESSIONAL_REVIEW = "professional-review"


@dataclass(frozen=True)
class Heading:
    section: str
    pattern: str


HEADINGS = [
    Heading("qualifications", r"how\s+the\s+(?:imr\s+)?final\s+determination\s+was\s+made"),
    Heading("qualifications", r"(?:medical\s+|expert\s+|professional\s+)?reviewer(?:'s)?\s+qualifications?"),
    Heading("qualifications", r"about\s+the\s+(?:expert\s+|medical\s+|physician\s+|professional\s+)?reviewer"),
    Heading("documents", r"(?:list\s+of\s+)?documents?\s+reviewed(?:\s+for\s+(?:the\s+)?determination)?"),
    Heading("case_summary", r"(?:clinical\s+)?case\s+summary"),
    Heading("guidelines", r"(?:medical\s+)?treatment\s+guidelines?\s*(?:\(s\))?\s+relied\s+upon[^\n:]*"),
    Heading("issues", r"imr\s+issues?\s*,?\s+decisions?\s+and\s+rationales?"),
    Heading("issues", r"imr\s+decision\s*(?:\(s\)|s)?\s+and\s+rationale\s*(?:\(s\)|s)?"),
    Heading("issues", r"issues?\s+(?:at|in|under)\s+dispute"),
    Heading("rationale", r"rationale\s+for\s+why\s+the\s+requested[^\n:]*"),
]
# A heading line: optional roman/arabic numbering, the heading, then a colon with
# content or nothing more on the line.
HEADING_LINE = re.compile(
    r"^[ \t]*(?:(?:[IVX]+|\d{1,2}|[A-H])[.)][ \t]+)?(?P<heading>"
    + "|".join(f"(?P<h{i}>{h.pattern})" for i, h in enumerate(HEADINGS))
    + r")[ \t]*(?:\(s\))?[ \t]*(?::|$)",
    re.IGNORECASE | re.MULTILINE,
)

# Cues for telling the layouts apart, with weights: a layout's own headings weigh most.
FORMAT_CUES: dict[str, list[tuple[str, int]]] = {
    FDL_ISSUES: [
        (r"how\s+the\s+imr\s+final\s+determination\s+was\s+made", 3),
        (r"imr\s+issues\s*,?\s+decisions\s+and\s+rationales", 3),
        (r"^[ \t]*decision\s+rationale\s*:", 1),
        (r"^[ \t]*maximus\s+guideline\s*:", 2),
        (r"^[ \t]*claims\s+administrator\s+guideline\s*:", 1),
    ],
    FDL_DECISIONS: [
        (r"imr\s+decision\s*(?:\(s\)|s)?\s+and\s+rationale", 3),
        (r"^[ \t]*rationale\s+for\s+the\s+decision\s*:?", 2),
        (r"cited\s+by\s+the\s+claims\s+administrator", 1),
        (r"used\s+by\s+the\s+expert\s+reviewer", 1),
        (r"notice\s+of\s+independent\s+medical\s+review\s+determination", 1),
        (r"^[ \t]*maximus\s+federal\s+services", 1),
    ],
    PROFESSIONAL_REVIEW: [
        (r"medical\s+professional\s+review", 3),
        (r"issues?\s+at\s+dispute", 2),
        (r"rationale\s+for\s+why\s+the\s+requested", 3),
        (r"relied\s+upon\s+by\s+(?:the\s+)?professional\s+reviewer", 2),
        (r"documents\s+reviewed\s+for\s+determination", 1),
        (r"medical\s+reviewer\s+qualifications", 1),
    ],
}
_CUES = {fmt: [(re.compile(p, re.IGNORECASE | re.MULTILINE), w) for p, w in cues]
         for fmt, cues in FORMAT_CUES.items()}


def format_scores(text: str) -> dict[str, int]:
    return {fmt: sum(w for cue, w in cues if cue.search(text)) for fmt, cues in _CUES.items()}


def detect_format(text: str) -> str | None:
    """The layout whose cues weigh most, or ``None`` when the text has no IMR headings."""
    scores = format_scores(text)
    best = max(scores, key=lambda fmt: scores[fmt])
    return best if scores[best] >= 2 else None


def heading_section(match: re.Match) -> str:
    for i, heading in enumerate(HEADINGS):
        if match.group(f"h{i}"):
            return heading.section
    raise AssertionError("heading match without a group")


@dataclass(frozen=True)
class SectionMark:
    """A letter section found by its heading: where the heading starts, where its body
    starts (after the heading) and ends (at the next section's heading)."""

    name: str
    start: int
    body_start: int
    end: int
    heading: str


def find_sections(text: str) -> list[SectionMark]:
    """The sections of a letter by their headings, in order; a heading repeated at a page
    top continues its section. Text before the first heading is no section here (callers
    call it the header). The reader and the tagger's ``imr_sections`` both use this."""
    marks: list[tuple[str, re.Match]] = []
    for match in HEADING_LINE.finditer(text):
        name = heading_section(match)
        if marks and marks[-1][0] == name:
            continue
        marks.append((name, match))
    return [SectionMark(name, match.start(), match.end(), marks[i + 1][1].start() if i + 1 < len(marks) else len(text),
                        match.group("heading"))
            for i, (name, match) in enumerate(marks)]


def looks_like_heading(line: str) -> bool:
    """For the outline detector: a known heading, a title in capitals, or an item line ending in a decision."""
    letters = [c for c in line if c.isalpha()]
    return bool(HEADING_LINE.match(line)) or (len(letters) >= 6 and all(c.isupper() for c in letters)) or bool(
        re.search(r":\s*(?:upheld|overturned)\s*$", line, re.IGNORECASE))
