"""The letter reader: raw letter text in, sections and disputed items out.

The reader works on a cleaned view of the text (``textview``), finds the headings
(``layouts``), then the items: headed items (``<service>: Upheld``), numbered
questions (``1. Is the request for X medically necessary?``) or the entries of an
``ISSUE AT DISPUTE`` list. For each item it takes the two guideline citations, the
rationale and the decision, and maps every range back to the raw text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import layouts
from .decisions import UPHELD, Conclusion, conclusions, decision_of
from ..letters import Item, Letter, Section
from .sources import RawText
from .textview import CleanText, clean, runs_on, squash
from . import published
from .header import read_header
from .lines import classify
from .tables import tables

# Every outcome word a letter writes after an item's name (resources/vocabulary.json).
OUTCOME_WORD = tables().decision_pattern
# How letters number their items: "1.", "(2)", "b)", "III." (Roman numerals in some layouts).
ITEM_NUMBER = r"\(?(?:\d{1,2}|[IVX]{1,5}|[ivx]{1,5}|[a-zA-Z])[.)]"
# List bullets, including the private-use glyphs that PDF extraction leaves for Symbol-font bullets.
BULLET = r"(?:[\u2022\u25aa\u25cf\u25e6\u00b7\uf0b7\uf0a7*\-]|o(?=[ \t]))"  # and Word's "o" bullet
# A tag that introduces an item's name: "Item #1:", "Issue 2 of 3:", "Disputed Item:", "Request:".
ITEM_TAG = (r"(?:disputed\s+|requested\s+)?(?:item|issue|request|service)(?:\s+(?:at|in)\s+dispute)?[ \t]*"
            r"(?:(?:(?:#|no\.?)[ \t]*)?(?:\d{1,2}|[IVX]{1,5}|[A-Za-z](?![A-Za-z]))(?:[ \t]+of[ \t]+\d{1,2})?[ \t]*(?:[:.)]|--|[\u2013\u2014])"
            r"|:)")  # a number, or at least a colon: "request." ends a sentence
# An outcome written under the item's name: "Decision: Upheld", "DETERMINATION - OVERTURNED", "Upheld".
OUTCOME_TAG = r"(?:(?:final[ \t]+|imr[ \t]+)?(?:decision|determination|outcome|result)[ \t]*[:\-][ \t]*)?"
# "<service>: Upheld" (and the other words letters put after an item's name), or the
# name on one line and its outcome alone on the next.
LABELLED_ITEM = re.compile(
    rf"^[ \t]*(?:{ITEM_NUMBER}[ \t]*)?(?P<service>[^\n]*?[^\s:\-])[ \t]*"
    rf"(?::[ \t]*(?:\n[ \t]*)?|[ \t]-[ \t]|[ \t]*--[ \t]*|[ \t][\u2013\u2014][ \t]|[ \t]{{2,}}|[ \t]*\n[ \t]*{OUTCOME_TAG})[ \t]*"
    rf"(?P<word>{OUTCOME_WORD})"
    r"[ \t]*\.?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A heading names an item; a line whose name part ends on a verb is a sentence about it.
SENTENCE_VERB_END = re.compile(r"\b(?:is|are|was|were|be|been)$", re.IGNORECASE)
# Letter-level outcome lines that look like labelled items but are not one.
NOT_A_SERVICE = re.compile(
    r"^(?:final\s+)?(?:imr\s+)?(?:determination|decision|outcome|result|status|overall|finding)s?\b|"
    r"^(?:the\s+)?(?:claims\s+administrator|utilization\s+review|ur)\b|^(?:this|the)\s+(?:request|denial|decision)\b",
    re.IGNORECASE)
# "1. Is the request for X medically necessary?" and its unnumbered or re-worded kin.
QUESTION_ITEM = re.compile(
    rf"^[ \t]*(?:(?:{ITEM_NUMBER}|{ITEM_TAG}|(?:item|issue|request)\s*(?:#|no\.?)?\s*\d{{1,2}})[ \t]+)?"
    r"(?P<question>(?:is|was|were|are)\s+(?:the\s+)?[^\n?]{0,40}?\brequests?\b"
    r"(?:(?:[^?\n]|\n(?![ \t]*\n)){3,400}?\?|[^\n?]*?medically\s+necessary\b[^\n]*))",
    re.IGNORECASE | re.MULTILINE,
)
# "1. Is Norco 10/325mg #90 medically necessary and appropriate?": a numbered question without "request".
NUMBERED_QUESTION = re.compile(
    rf"^[ \t]*{ITEM_NUMBER}[ \t]+(?P<question>(?:is|are|was|were)\s+(?:[^\n?]|\n(?![ \t]*\n)){{2,300}}?"
    r"\s+medically\s+necessary\b[^\n?]*\??)",
    re.IGNORECASE | re.MULTILINE,
)
# A numbered name line whose decision is stated just below it, sentence and all:
# "1. Custom molded orthotics" / "Decision: OVERTURNED. The requested service is ..." or
# "The Expert Reviewer's determination: UPHOLD. ...".
DECIDED_HEADING = re.compile(
    rf"^[ \t]*{ITEM_NUMBER}[ \t]+(?P<service>[^\n]{{2,250}}?)[ \t]*\n(?:[ \t]*\n){{0,4}}[ \t]*"
    r"(?:the\s+)?(?:expert\s+reviewer(?:'s|\u2019s)?\s+|imr\s+|final\s+)?(?:decision|determination|outcome|result)"
    rf"[ \t]*[:\-][ \t]*(?P<word>{OUTCOME_WORD}|[^\n]{{0,120}}?\b(?:not\s+)?medically\s+necessary\b)",
    re.IGNORECASE | re.MULTILINE,
)
# A numbered name line standing alone over its block ("1. Norco 10/325mg #120", blank line,
# then the guideline and rationale labels); the decision is in the block or a summary list.
# Also an unnumbered "Retrospective request for X (DOS ...)" line standing alone.
NUMBERED_NAME = re.compile(
    rf"^[ \t]*(?:{ITEM_NUMBER}[ \t]+(?P<service>[^\n]{{2,200}}?)"
    r"|(?P<request>(?:(?:retrospective|prospective|concurrent)\s+)?requests?\s+for\s+[^\n]{2,200}?))[ \t]*\n[ \t]*\n",
    re.IGNORECASE | re.MULTILINE)
# An outcome on a line of its own: "DETERMINATION: UPHOLD", "Decision: Overturned".
OUTCOME_LINE = re.compile(
    r"^[ \t]*(?:(?:final\s+|imr\s+)?(?:determination|decision|outcome|result)\s*[:\-]?\s*)?"
    rf"(?P<word>{OUTCOME_WORD})[ \t]*\.?[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
# "1. Right carpal tunnel release is medically necessary and appropriate."
STATEMENT_ITEM = re.compile(
    rf"^[ \t]*{ITEM_NUMBER}[ \t]+(?P<service>(?:[^\n]|\n(?![ \t]*\n)){{2,300}}?)\s+(?:is|are|was|were)\s+"
    r"(?P<verdict>(?:not\s+)?medically\s+necessary(?:\s+and\s+appropriate)?|non-?\s?certified|not\s+certified|"
    r"certified|upheld|overturned)\b[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)
# The end of "<service> is not medically necessary." in an issues list.
STATEMENT_TAIL = re.compile(
    r"\s(?:is|are|was|were)\s+(?:not\s+)?(?:medically\s+necessary|certified|non-?\s?certified|upheld|overturned)\b[^\n]*$",
    re.IGNORECASE)
# A numbered entry of an ISSUE AT DISPUTE list: "1. Retrospective request for ...".
NUMBERED_ENTRY = re.compile(
    rf"^[ \t]*(?:{ITEM_NUMBER}|{ITEM_TAG})[ \t]+(?=\S)",
    re.MULTILINE | re.IGNORECASE)
# An entry of an ISSUE AT DISPUTE list: numbered, tagged or bulleted. Bullets count only
# there: inside a rationale they list a guideline's criteria, not the items.
LIST_ENTRY = re.compile(rf"^[ \t]*(?:{ITEM_NUMBER}|{ITEM_TAG}|{BULLET})[ \t]+(?=\S)", re.MULTILINE | re.IGNORECASE)
# A line that names an item after a tag, with no decision on it: "Issue 1 of 3: Acupuncture".
TAGGED_ITEM = re.compile(rf"^[ \t]*(?:{ITEM_NUMBER}[ \t]*)?{ITEM_TAG}[ \t]*(?P<service>[^\n]*\S)",
                         re.IGNORECASE | re.MULTILINE)
# "X -- NOT MEDICALLY NECESSARY" in an issues list: a verdict after a dash or colon.
VERDICT_TAIL = re.compile(r"(?:--|[\-\u2013\u2014:])[ \t]*(?P<verdict>(?:not\s+)?medically\s+necessary(?:\s+and\s+appropriate)?)"
                          r"[ \t]*\.?[ \t]*$", re.IGNORECASE)
# A summary's outcome by item number or letter: "Items 1 and 3: upheld", "Item B - the denial is affirmed".
NUMBERED_OUTCOME = re.compile(
    r"\bitems?\s+(?:(?:no\.?|#)\s*)?(?P<refs>(?:\d{1,2}|[A-H]\b)(?:\s*(?:,|and|&)\s*(?:(?:no\.?|#)\s*)?(?:\d{1,2}|[A-H]\b))*)"
    r"(?:\s*\([^)\n]{0,200}\))?\s*[:\-\u2013\u2014]\s*(?P<verdict>[^.;\n]{1,120})", re.IGNORECASE)
# Numbering, bullets and tags in front of a service name.
SERVICE_LEAD = re.compile(rf"^(?:(?:{ITEM_NUMBER}|{BULLET})\s+|{ITEM_TAG}\s*)+", re.IGNORECASE)
QUESTION_WORDING = re.compile(
    r"^(?:(?:is|was|were|are)\s+)?(?:the\s+)?(?:(?:retrospective|retro|prospective|concurrent|current|outstanding|"
    r"pending|disputed|additional|continued|associated|related)\s+)*(?:requests?|treatment\s+requests?)\s+(?:for|of)\s+"
    r"(?:(?:a|an|the)\s+)?|^(?:(?:retrospective|retro|prospective)\s+)?requests?\s*:\s*"
    r"|^(?:whether\s+|(?:is|was|were|are)\s+)(?:(?:a|an|the)\s+)?(?:requested\s+)?"  # "Is a/the requested X ...?"
    r"|^regarding\s+",  # "Regarding the request for X:"
    re.IGNORECASE)
TRAILING_WORDING = re.compile(
    r"(?:[\s,;:\-]+(?:(?:is|was|were|are)\s+)?(?:not\s+)?(?:(?:medically\s+)?necessary|(?:and|or)(?:\s+appropriate)?|"
    r"medically\s+necessary\s+and\s+appropriate|medically\s+necessary\s+for\s+the\s+treatment\s+of\s+[^\n]{0,80}|"
    r"upheld|overturned|uphold|overturn|certified|non-?\s?certified|"
    r"denied|approved|(?:(?:final|imr)\s+)?(?:decision|determination|denial|outcome|result))\b)+[\s?.]*$"
    r"|[\s?.:\-\u2013\u2014]+$",  # and the label or dashes left between a name and its outcome
    re.IGNORECASE)
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Labels inside an item's block.
CLAIMS_LABEL = re.compile(
    r"^[ \t]*(?:claims\s+administrator(?:'s)?\s+guidelines?|[^\n:]{0,120}?cited\s+by\s+the\s+claims\s+administrator"
    r"|utilization\s+review\s+guidelines?)[^\n:]{0,20}:"
    r"|^[ \t]*(?=the\s+claims\s+administrator\s+(?:based|relied|cited|used)\b)", re.IGNORECASE | re.MULTILINE)
REVIEWER_LABEL = re.compile(
    r"^[ \t]*(?:maximus\s+guidelines?|[^\n:]{0,120}?used\s+by\s+the\s+expert\s+reviewer|expert\s+reviewer(?:'s)?\s+guidelines?"
    r"|reviewer(?:'s)?\s+guidelines?)[^\n:]{0,20}:"
    r"|^[ \t]*(?=the\s+expert\s+reviewer\s+(?:based|relied|found|used|also\s+(?:consulted|cited))\b)",
    re.IGNORECASE | re.MULTILINE)
RATIONALE_LABEL = re.compile(
    r"^[ \t]*(?:decision\s+rationale|rationale\s+for\s+(?:the\s+)?decision|rationale)[ \t]*:", re.IGNORECASE | re.MULTILINE)
# Closing matter after the last item: copies, signatures, appeal rights.
END_MATTER = re.compile(
    r"^[ \t]*(?:cc:|c\.c\.|copies\s+to|sincerely|respectfully|/[a-z]{1,4}[ \t]*$|signed\b|"
    r"this\s+(?:determination|decision)\s+is\s+(?:final|binding)|if\s+you\s+(?:disagree|have\s+questions)|"
    r"appeal\s+rights|this\s+letter\s+has\s+been)", re.IGNORECASE | re.MULTILINE)
STOPWORDS = frozenset(
    "the a an of for to and or with in on at by x per is was request requests medically necessary right left "
    "bilateral times qty quantity".split())


@dataclass
class Anchor:
    """Where an item is named in the cleaned text, and what its name line says."""
    start: int
    end: int
    service: str
    decision: str | None = None


@dataclass
class Draft:
    anchor: Anchor
    block: tuple[int, int]
    decision: str | None = None
    claims: tuple[int, int] | None = None
    reviewer: tuple[int, int] | None = None
    rationale: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)


def clean_service(text: str) -> str:
    service = squash(text)
    service = SERVICE_LEAD.sub("", service)
    previous = None
    while previous != service:
        previous = service
        service = QUESTION_WORDING.sub("", service).strip()
        service = TRAILING_WORDING.sub("", service).strip()
    return service.strip(" \"'")


def content_tokens(text: str) -> set[str]:
    words = re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split()
    return {w for w in words if w not in STOPWORDS and len(w) > 1}


def mention_score(service: str, passage: str) -> float:
    """Share of the service's content words that ``passage`` uses."""
    wanted = content_tokens(service)
    if not wanted:
        return 0.0
    return len(wanted & content_tokens(passage)) / len(wanted)


class LetterReader:
    """Reads one raw text into a ``Letter``. Stateless; one instance serves a whole batch."""

    def read(self, raw: RawText) -> Letter:
        if raw.error:
            return Letter(id=raw.id, text=raw.text, error=raw.error, error_kind=raw.error_kind,
                          source=raw.source, warnings=list(raw.warnings))
        view = clean(raw.text, layouts.looks_like_heading)
        letter = Letter(id=raw.id, text=raw.text, source=raw.source, warnings=list(raw.warnings))
        letter.format = layouts.detect_format(view.text)
        sections = self._sections(view)
        letter.sections = [Section(name, *view.raw_range(s, e), heading=h) for name, s, e, h in sections]
        summary = next((s for name, s, _, _ in sections if name in ("case_summary", "issues")), None)
        # The header is what comes before the case summary; without one, the top of the letter.
        letter.header, header_warnings = read_header(raw.text, view.raw_offset(summary) if summary is not None else 4000)
        letter.warnings.extend(header_warnings)
        drafts = self._items(view, sections, letter.format)
        if letter.format is None and not drafts:
            letter.error = "no IMR letter headings found: not an IMR final determination letter?"
            letter.error_kind = "not_imr"
            letter.sections = []
            letter.header = None
            return letter
        if letter.format is None:
            letter.warnings.append("no IMR letter headings found; items read from their wording")
        self._outcome_fallback(view, drafts, letter)
        for draft in drafts:
            letter.items.append(self._item(view, draft))
            letter.warnings.extend(draft.notes)
        self._check_complete(view, letter, sections)
        return letter

    # Sections -------------------------------------------------------------------------

    def _sections(self, view: CleanText) -> list[tuple[str, int, int, str]]:
        """(name, start, end, heading) in clean coordinates; a repeated heading continues its section."""
        marks = layouts.find_sections(view.text)
        sections = []
        if marks and marks[0].start > 0:
            sections.append(("header", 0, marks[0].start, ""))
        sections.extend((mark.name, mark.body_start, mark.end, squash(mark.heading)) for mark in marks)
        if not marks:
            sections.append(("header", 0, len(view.text), ""))
        return sections

    # Items ----------------------------------------------------------------------------

    def _items(self, view: CleanText, sections, fmt: str | None) -> list[Draft]:
        text = view.text
        by_name: dict[str, list[tuple[int, int]]] = {}
        for name, start, end, _ in sections:
            by_name.setdefault(name, []).append((start, end))
        issues = by_name.get("issues", [])
        rationale = by_name.get("rationale", [])
        published_drafts = self._published_items(text, issues)
        if published_drafts:
            if all(d.claims and d.reviewer and d.rationale for d in published_drafts):
                return published_drafts  # every item in the whole published form: nothing else to look for
            # A written letter may use the published head form for some items and another
            # form for the rest: the finders below then see more of them.
            written = self._written_items(view, issues, rationale, by_name, fmt)
            return written if len(written) > len(published_drafts) else published_drafts
        return self._written_items(view, issues, rationale, by_name, fmt)

    def _written_items(self, view: CleanText, issues, rationale, by_name, fmt: str | None) -> list[Draft]:
        """Items by the finders for written layouts: headed, numbered, questions, issue lists."""
        text = view.text
        if fmt == layouts.PROFESSIONAL_REVIEW or (rationale and not self._has_item_blocks(text, issues)):
            drafts = self._review_items(view, issues, rationale, by_name.get("guidelines", []))
            if drafts:
                return drafts
        regions = issues or [(0, len(text))]
        found = []
        for finder in (self._labelled_anchors, self._decided_anchors, self._question_anchors, self._statement_anchors,
                       self._tagged_anchors, self._named_anchors):
            anchors = self._dedupe([a for start, end in regions for a in finder(text, start, end)])
            if anchors:
                found.append(anchors)
        if not found:
            return []
        # A summary list ("1. Norco: Upheld") sits in one place; the item headings spread
        # out, each over its own rationale. Take the finder whose items have the most text.
        best = max(found, key=lambda anchors: (self._substance(anchors, regions), len(anchors)))
        for other in found:
            if other is not best:
                self._borrow_decisions(best, other)
        if any(a.decision is None for a in best):
            # A summary list of outcomes may stand outside the item section (a cover page).
            self._borrow_decisions(best, self._labelled_anchors(text, 0, len(text)))
        return self._blocks(view, best, regions)

    @staticmethod
    def _published_items(text: str, issues) -> list[Draft]:
        """Items of the published MAXIMUS form (``published``), read line by line."""
        drafts = []
        for start, end in issues:
            for item in published.read_items(text, start, end):
                service = clean_service(text[slice(*item.name)])
                if not service or NOT_A_SERVICE.search(service):
                    continue  # "Decision: Overturned" under a tagged name is a label line, not an item
                anchor = Anchor(item.name[0], item.name[1], service, item.decision)
                drafts.append(Draft(anchor=anchor, block=item.parts.get("rationale", item.name), decision=item.decision,
                                    claims=item.parts.get("claims"), reviewer=item.parts.get("reviewer"),
                                    rationale=item.parts.get("rationale")))
        return drafts

    @staticmethod
    def _substance(anchors: list[Anchor], regions) -> int:
        """How many anchors head a block of real text (a rationale), not the next list line."""
        region_end = max(e for _, e in regions)
        stops = [a.start for a in anchors[1:]] + [region_end]
        return sum(stop - a.end > 150 for a, stop in zip(anchors, stops))

    @staticmethod
    def _borrow_decisions(anchors: list[Anchor], other: list[Anchor]) -> None:
        for anchor in anchors:
            if anchor.decision is None:
                match = next((o for o in other if o.decision and mention_score(anchor.service, o.service) >= 0.75
                              and mention_score(o.service, anchor.service) >= 0.75), None)
                if match:
                    anchor.decision = match.decision

    def _statement_anchors(self, text: str, start: int, end: int) -> list[Anchor]:
        anchors = []
        for match in STATEMENT_ITEM.finditer(text, start, end):
            service = clean_service(match.group("service"))
            if not service or NOT_A_SERVICE.search(service):
                continue
            anchors.append(Anchor(match.start("service"), match.end(), service, decision_of(match.group(0))))
        return anchors

    def _decided_anchors(self, text: str, start: int, end: int) -> list[Anchor]:
        """Numbered name lines with a "Decision: ..." line (and the rest of its sentence) below them."""
        anchors = []
        for match in DECIDED_HEADING.finditer(text, start, end):
            service = clean_service(match.group("service"))
            if not service or NOT_A_SERVICE.search(service) or SENTENCE_VERB_END.search(service):
                continue
            anchors.append(Anchor(match.start("service"), match.end("service"), service, decision_of(match.group("word"))))
        return anchors

    def _named_anchors(self, text: str, start: int, end: int) -> list[Anchor]:
        """Bare numbered name lines that head a block with guideline or rationale labels."""
        matches = [m for m in NUMBERED_NAME.finditer(text, start, end)
                   if not (m.group("service") or m.group("request")).rstrip().endswith((".", ";", "?"))]
        anchors = []
        for match, following in zip(matches, matches[1:] + [None]):
            block_end = following.start() if following else end
            if not (CLAIMS_LABEL.search(text, match.end(), block_end) or REVIEWER_LABEL.search(text, match.end(), block_end)
                    or RATIONALE_LABEL.search(text, match.end(), block_end)):
                continue
            group = "service" if match.group("service") else "request"
            service = clean_service(match.group(group))
            if service and not NOT_A_SERVICE.search(service) and not SENTENCE_VERB_END.search(service):
                anchors.append(Anchor(match.start(group), match.end(group), service, None))
        return anchors

    def _tagged_anchors(self, text: str, start: int, end: int) -> list[Anchor]:
        """Items named after a tag ("Issue 1 of 3: X", "Request: X"); the block below decides them."""
        anchors = []
        for match in TAGGED_ITEM.finditer(text, start, end):
            service = clean_service(match.group("service"))
            if not service or NOT_A_SERVICE.search(service) or len(service) > 300:
                continue
            anchors.append(Anchor(match.start("service"), match.end(), service, None))
        return anchors

    def _has_item_blocks(self, text: str, issues) -> bool:
        return any(RATIONALE_LABEL.search(text, s, e) for s, e in issues)

    def _labelled_anchors(self, text: str, start: int, end: int) -> list[Anchor]:
        anchors = []
        for match in LABELLED_ITEM.finditer(text, start, end):
            if "\n" in text[match.end("service"):match.start("word")] and not self._stands_alone(text, match, start):
                continue  # a rationale's last sentence above a bare "Non-certified." names no item
            line = match.group("service")
            if SENTENCE_VERB_END.search(line):
                continue  # "... The request for X is  non-certified.": a sentence, not a heading
            service_start = match.start("service")
            # A name wrapped onto a second line: join the line above when it runs on into this one.
            above_end = text.rfind("\n", start, match.start())
            above_start = text.rfind("\n", start, max(above_end, start)) + 1
            if above_end > start and runs_on(text[above_start:above_end], line):
                service_start = above_start
            service = clean_service(text[service_start:match.end("service")])
            if not service or NOT_A_SERVICE.search(service) or len(service) > 300:
                continue
            anchors.append(Anchor(service_start, match.end(), service, decision_of(match.group("word"))))
        return anchors

    @staticmethod
    def _stands_alone(text: str, match: re.Match, start: int) -> bool:
        """A name over an outcome line is a heading: after a blank line, not ending a sentence."""
        if match.group("service").rstrip().endswith((".", ";", ",")):
            return False
        line_start = text.rfind("\n", 0, match.start("service")) + 1
        if line_start <= start:
            return True
        above_start = text.rfind("\n", 0, line_start - 1) + 1
        return not text[above_start:line_start].strip()

    def _question_anchors(self, text: str, start: int, end: int) -> list[Anchor]:
        anchors = []
        matches = list(QUESTION_ITEM.finditer(text, start, end))
        taken = {m.start("question") for m in matches}
        matches += [m for m in NUMBERED_QUESTION.finditer(text, start, end) if m.start("question") not in taken]
        for match in sorted(matches, key=lambda m: m.start("question")):
            question = match.group("question")
            service = clean_service(question)
            if not service or len(service) > 300:
                continue
            line_end = text.find("\n", match.end())
            line_end = end if line_end < 0 or line_end > end else line_end
            tail = text[match.end():line_end]
            decision = decision_of(tail) if tail.strip() else None
            anchors.append(Anchor(match.start("question"), line_end, service, decision))
        return anchors

    @staticmethod
    def _dedupe(anchors: list[Anchor]) -> list[Anchor]:
        """Drop an item named again (a summary table, a repeated page heading) after its first mention."""
        seen: set[str] = set()
        kept = []
        for anchor in sorted(anchors, key=lambda a: a.start):
            key = " ".join(sorted(content_tokens(anchor.service))) or anchor.service.lower()
            if key in seen:
                continue
            seen.add(key)
            kept.append(anchor)
        return kept

    def _blocks(self, view: CleanText, anchors: list[Anchor], regions) -> list[Draft]:
        text = view.text
        drafts = []
        for i, anchor in enumerate(anchors):
            region_end = next((e for s, e in regions if s <= anchor.start < e), len(text))
            end = anchors[i + 1].start if i + 1 < len(anchors) else region_end
            end = min(end, region_end)
            draft = Draft(anchor=anchor, block=(anchor.end, end))
            self._fill_block(text, draft, last=i + 1 == len(anchors))
            drafts.append(draft)
        return drafts

    def _fill_block(self, text: str, draft: Draft, last: bool) -> None:
        start, end = draft.block
        if last:
            closing = END_MATTER.search(text, start, end)
            if closing:
                end = closing.start()
        labels = sorted(
            [(m.start(), m.end(), kind) for kind, rx in (("claims", CLAIMS_LABEL), ("reviewer", REVIEWER_LABEL),
                                                          ("rationale", RATIONALE_LABEL))
             for m in [rx.search(text, start, end)] if m],
        )
        for i, (_, body, kind) in enumerate(labels):
            stop = labels[i + 1][0] if i + 1 < len(labels) else end
            setattr(draft, kind, (body, stop))
        if draft.rationale is None:
            # No label: the rationale is what follows the citations (or the whole block).
            after = max((stop for kind in ("claims", "reviewer") for stop in [getattr(draft, kind)] if stop), default=None)
            body_start = labels[-1][1] if labels else start
            if after is not None and labels:
                # The last citation ran to the end of the block; its first paragraph is the citation.
                kind = labels[-1][2]
                para_end = text.find("\n\n", body_start, end)
                if para_end > 0 and text[para_end:end].strip():
                    setattr(draft, kind, (body_start, para_end))
                    draft.rationale = (para_end, end)
            else:
                draft.rationale = (start, end)
        found = conclusions(text[start:end], start)
        if draft.rationale is not None and found:
            stated = [c for c in found if c.start >= draft.rationale[0]]
            if stated:
                # The rationale ends with the sentence that concludes on the request.
                draft.rationale = (draft.rationale[0], max(stated[-1].end, draft.rationale[0]))
        draft.decision = draft.anchor.decision or self._closing_decision(found)

    @staticmethod
    def _closing_decision(found: list[Conclusion]) -> str | None:
        if not found:
            return None
        strong = [c for c in found if re.search(r"medically\s+necessary|medical\s+necessity|certif|upheld|overturn",
                                                 c.text, re.IGNORECASE)]
        return (strong or found)[-1].decision

    # Professional-review layout: an issues list, one shared rationale ----------------------

    def _review_items(self, view: CleanText, issues, rationale, guidelines) -> list[Draft]:
        text = view.text
        anchors: list[Anchor] = []
        for start, end in issues:
            anchors.extend(self._entries(text, start, end))
        anchors = self._dedupe(anchors)
        if not anchors:
            return []
        # A cover page may table each item with its decision ("Norco 10/325mg #60   Upheld").
        self._borrow_decisions(anchors, self._labelled_anchors(text, 0, len(text)))
        drafts = [Draft(anchor=a, block=(a.end, a.end), decision=a.decision) for a in anchors]
        if rationale:
            # The first rationale section: a later one is a repeat (an outline, a stray copy).
            start, end = rationale[0]
            closing = END_MATTER.search(text, start, end)
            end = closing.start() if closing else end
            self._split_rationale(text, drafts, start, end)
        if guidelines:
            g_start, g_end = guidelines[0]
            for draft in drafts:
                draft.reviewer = self._own_paragraphs(text, draft, drafts, g_start, g_end) or (g_start, g_end)
        return drafts

    def _entries(self, text: str, start: int, end: int) -> list[Anchor]:
        """Items of an ISSUE AT DISPUTE section: numbered entries, or its single statement."""
        # The list ends at the first blank line after some content.
        stop = next((m.start() for m in BLANK_LINE.finditer(text, start, end) if text[start:m.start()].strip()), end)
        numbered = list(LIST_ENTRY.finditer(text, start, end))
        if numbered:
            # Numbered entries may be separated by blank lines: take them all, up to the section end.
            bounds = [m.start() for m in numbered[1:]] + [end]
            pieces = []
            for match, entry_end in zip(numbered, bounds):
                entry_start = match.end()
                para = BLANK_LINE.search(text, entry_start, entry_end)
                pieces.append((entry_start, para.start() if para else entry_end))
        else:
            pieces = self._unnumbered_lines(text, start, stop) or [(start, stop)]
        anchors = []
        for piece_start, piece_end in pieces:
            raw = text[piece_start:piece_end]
            decision = None
            # "X (DOS 6/12/15): the Claims Administrator's decision is overturned."
            colon = raw.rfind(":")
            if colon > 0 and "?" not in raw[colon:] and decision_of(raw[colon + 1:]) and \
                    re.search(r"\b(?:decision|determination|denial|request)\b", raw[colon + 1:], re.IGNORECASE):
                decision = decision_of(raw[colon + 1:])
                raw = raw[:colon]
            # "DETERMINATION: UPHOLD" / "Decision: Overturned" on a line of its own.
            outcome = OUTCOME_LINE.search(raw)
            if outcome:
                decision = decision_of(outcome.group("word"))
                raw = raw[:outcome.start()]
            labelled = list(LABELLED_ITEM.finditer(raw.strip() + "\n"))
            if labelled and decision is None:
                word = labelled[-1].group("word")
                decision = decision_of(word)
                raw = raw[: raw.lower().rfind(word.lower())]
            elif decision is None and STATEMENT_TAIL.search(raw):
                decision = decision_of(STATEMENT_TAIL.search(raw).group(0))
            elif decision is None and VERDICT_TAIL.search(raw):
                decision = decision_of(VERDICT_TAIL.search(raw).group("verdict"))
            elif re.search(r"\?", raw):
                after = raw[raw.rfind("?") + 1:]
                decision = decision_of(after) if after.strip() else None
                raw = raw[: raw.rfind("?") + 1]
            service = clean_service(raw)
            if service and len(service) <= 300 and not NOT_A_SERVICE.search(service):
                lead = len(raw) - len(raw.lstrip())
                anchors.append(Anchor(piece_start + lead, piece_end, service, decision))
        return anchors

    @staticmethod
    def _unnumbered_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
        """An unnumbered list, one item a line: each naming its decision ("X - Upheld"), each a
        question ("Is the request for X medically necessary?", wrapped or not), or short name
        lines where each new line starts a new name rather than running on."""
        lines = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\n]*\S[^\n]*", text[start:end])]
        if len(lines) < 2:
            return []
        if all(LABELLED_ITEM.match(text[a:b] + "\n") for a, b in lines):
            return lines
        block = text[lines[0][0]:lines[-1][1]]
        questions = [m for m in re.finditer(r"[^?]*\?", block)]
        if len(questions) > 1 and not block[questions[-1].end():].strip() and \
                all(re.match(r"\s*(?:is|are|was|were)\b", q.group(0), re.IGNORECASE) for q in questions):
            offset = lines[0][0]
            return [(offset + q.start() + len(q.group(0)) - len(q.group(0).lstrip()), offset + q.end()) for q in questions]
        names = [text[a:b] for a, b in lines]
        if all(len(name.strip()) <= 150 and not name.rstrip().endswith((".", ";", ":")) for name in names) and \
                not any(runs_on(before, after) for before, after in zip(names, names[1:])):
            return lines
        return []

    def _split_rationale(self, text: str, drafts: list[Draft], start: int, end: int) -> None:
        found = conclusions(text[start:end], start)
        if len(drafts) == 1:
            draft = drafts[0]
            stated = [c for c in found if mention_score(draft.anchor.service, c.text) > 0 or "request" in c.text.lower()]
            closing = (stated or found)[-1] if (stated or found) else None
            draft.rationale = (start, closing.end if closing else end)
            draft.block = (start, end)
            if draft.decision is None and found:
                draft.decision = self._closing_decision(stated or found)
            return
        # Several items, each under its own number or label ("Item A:", "2."): one segment each.
        labels = [m for m in NUMBERED_ENTRY.finditer(text, start, end)
                  if m.start() == start or text[:m.start()].endswith(("\n\n", "\n \n")) or text[m.start() - 1] == "\n"]
        if len(labels) == len(drafts):
            bounds = [m.start() for m in labels[1:]] + [end]
            for draft, label, stop in zip(drafts, labels, bounds):
                draft.rationale = draft.block = (label.end(), stop)
                if draft.decision is None:
                    draft.decision = self._closing_decision(conclusions(text[label.end():stop], label.end()))
            return
        # Otherwise each conclusion closes the part of the rationale on its item.
        owners: list[int | None] = []
        for conclusion in found:
            scores = [mention_score(d.anchor.service, conclusion.text) for d in drafts]
            best = max(range(len(drafts)), key=lambda i: scores[i])
            if scores[best] < 0.5:
                # An unnamed "Not medically necessary.": the item its paragraph speaks of.
                p_start = text.rfind("\n\n", start, conclusion.start)
                p_start = start if p_start < 0 else p_start
                paragraph = text[p_start:conclusion.end]
                scores = [mention_score(d.anchor.service, paragraph) for d in drafts]
                best = max(range(len(drafts)), key=lambda i: scores[i])
                if scores[best] < 0.5 or scores.count(scores[best]) > 1:
                    owners.append(None)
                    continue
            owners.append(best)
        named = [o for o in owners if o is not None]
        if not named and len(found) == len(drafts):
            owners = list(range(len(drafts)))  # unnamed conclusions, one per item, in order
        cursor = start
        for conclusion, owner in zip(found, owners):
            if owner is None:
                continue
            draft = drafts[owner]
            segment_start = cursor
            if draft.rationale is None:
                draft.rationale = (segment_start, conclusion.end)
            else:
                draft.rationale = (draft.rationale[0], conclusion.end)
            draft.decision = draft.anchor.decision or conclusion.decision
            cursor = conclusion.end
        # Items no conclusion named: a conclusion on several items at once ("the EMG is
        # medically necessary, and so is the NCV"), else the paragraphs that mention them.
        for draft in drafts:
            if draft.rationale is None:
                shared = self._shared_conclusion(draft, drafts, found)
                if shared is not None:
                    p_start = text.rfind("\n\n", start, shared.start)
                    draft.rationale = (start if p_start < 0 else p_start, shared.end)
                    draft.decision = draft.anchor.decision or shared.decision
            if draft.rationale is None:
                draft.rationale = self._own_paragraphs(text, draft, drafts, start, end)
                if draft.rationale and draft.decision is None:
                    draft.decision = self._closing_decision(conclusions(text[slice(*draft.rationale)], draft.rationale[0]))
                if draft.rationale is None:
                    draft.rationale = (start, end)
                    draft.notes.append(f"rationale for '{draft.anchor.service}' not separable: the whole section is given")
            draft.block = draft.rationale

    @staticmethod
    def _shared_conclusion(draft: Draft, drafts: list[Draft], found: list[Conclusion]) -> Conclusion | None:
        """The last conclusion that names this item by the words only its name has."""
        others = set().union(*(content_tokens(d.anchor.service) for d in drafts if d is not draft))
        own = content_tokens(draft.anchor.service) - others
        if not own:
            return None
        named = [c for c in found if len(own & content_tokens(c.text)) / len(own) >= 0.5]
        return named[-1] if named else None

    def _own_paragraphs(self, text: str, draft: Draft, drafts: list[Draft], start: int, end: int):
        """The span of the paragraphs in [start, end) that mention this item more than any other."""
        if len(drafts) == 1:
            return (start, end)
        paragraphs = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text[start:end])]
        mine = []
        for p_start, p_end in paragraphs:
            passage = text[p_start:p_end]
            scores = [mention_score(d.anchor.service, passage) for d in drafts]
            best = max(scores)
            if best > 0 and scores[drafts.index(draft)] == best:
                mine.append((p_start, p_end))
        if not mine:
            return None
        return (mine[0][0], mine[-1][1])

    # Decisions the items themselves do not state ----------------------------------------

    def _outcome_fallback(self, view: CleanText, drafts: list[Draft], letter: Letter) -> None:
        if all(d.decision is not None for d in drafts):
            return
        outcome = re.search(
            r"(?:final\s+)?(?:determination|decision|outcome)\s*:?\s*(?P<word>upheld|uphold|overturned|overturn)\b",
            view.text, re.IGNORECASE)
        overall = decision_of(outcome.group("word")) if outcome else None
        by_number = self._numbered_outcomes(view.text)
        for number, draft in enumerate(drafts, 1):
            if draft.decision is not None:
                continue
            if draft.rationale and draft.rationale[1] > draft.rationale[0]:
                draft.decision = self._closing_decision(conclusions(view.text[slice(*draft.rationale)], draft.rationale[0]))
            if draft.decision is None:
                # "Items 1 and 3: upheld. Item 2: overturned." refers to the items in list order.
                draft.decision = by_number.get(number)
            if draft.decision is None and overall and (len(drafts) == 1 or all(d.decision in (None, overall) for d in drafts)):
                draft.decision = overall
            if draft.decision is None:
                draft.notes.append(f"no decision stated for '{draft.anchor.service}'")

    @staticmethod
    def _numbered_outcomes(text: str) -> dict[int, str]:
        """Decisions a summary states by item number or letter: {1: "upheld", 2: "overturned"}."""
        found: dict[int, str] = {}
        for match in NUMBERED_OUTCOME.finditer(text):
            decision = decision_of(match.group("verdict"))
            if not decision:
                continue
            for ref in re.findall(r"\d{1,2}|\b[A-Ha-h]\b", match.group("refs")):
                found.setdefault(int(ref) if ref.isdigit() else ord(ref.upper()) - ord("A") + 1, decision)
        return found

    def _item(self, view: CleanText, draft: Draft) -> Item:
        def citation(rng):
            if rng is None:
                return None
            value = squash(view.text[slice(*rng)])
            return value or None

        rationale_range = view.raw_range(*draft.rationale) if draft.rationale else None
        rationale = without_furniture(view, *rationale_range) if rationale_range else None
        return Item(
            service=draft.anchor.service,
            decision=draft.decision,
            service_range=view.raw_range(draft.anchor.start, draft.anchor.start + self._service_extent(view, draft)),
            claims_guideline=citation(draft.claims),
            reviewer_guideline=citation(draft.reviewer),
            rationale=rationale or None,
            rationale_range=rationale_range if rationale else None,
        )

    @staticmethod
    def _service_extent(view: CleanText, draft: Draft) -> int:
        """Length in the clean text of the anchor's line(s) that hold the service name."""
        words = draft.anchor.service.split()
        if not words:
            return 0
        tail = words[-1]
        pos = view.text.find(tail, draft.anchor.start, draft.anchor.end + 1)
        return (pos + len(tail) - draft.anchor.start) if pos >= 0 else draft.anchor.end - draft.anchor.start

    # What is missing ---------------------------------------------------------------------

    def _check_complete(self, view: CleanText, letter: Letter, sections) -> None:
        names = {name for name, *_ in sections}
        if letter.format and not letter.items:
            letter.warnings.append("truncated or incomplete: no disputed items found")
        if letter.format in (layouts.FDL_ISSUES, layouts.FDL_DECISIONS) and "issues" not in names:
            letter.warnings.append("truncated or incomplete: no issues/decisions section")
        if letter.format == layouts.PROFESSIONAL_REVIEW and "rationale" not in names:
            letter.warnings.append("truncated or incomplete: no rationale section")
        for item in letter.items:
            if item.decision is not None and not item.rationale:
                letter.warnings.append(f"no rationale found for '{item.service}'")
        tail = view.text.rstrip()
        if letter.items and tail and tail[-1].isalnum() and len(tail.rsplit("\n", 1)[-1]) > 40:
            letter.warnings.append("text ends mid-sentence: the letter may be truncated")
        if any(item.decision is None for item in letter.items):
            letter.warnings.append("truncated or incomplete: some items have no decision")


FURNITURE_KINDS = ("furniture", "rule")


def without_furniture(view: CleanText, start: int, end: int) -> str:
    """Raw ``text[start:end]`` with its lines of page furniture blanked out, character for character.

    A rationale that runs over a page break holds the page's footer and header in the raw
    text. Blanking each line the clean view dropped, or the line table calls furniture,
    keeps every offset into the rationale an offset into the letter.
    """
    kept = [False] * (end - start)
    for piece, raw_start in enumerate(view.raw_starts):
        length = (view.starts[piece + 1] if piece + 1 < len(view.starts) else len(view.text)) - view.starts[piece]
        for pos in range(max(raw_start, start), min(raw_start + length, end)):
            kept[pos - start] = True
    chars = list(view.raw[start:end])
    for line in classify(view.raw, start, end):
        content = [pos for pos in range(line.start, line.end) if not chars[pos - start].isspace()]
        dropped = content and not any(kept[pos - start] for pos in content)
        if dropped or (content and line.kind in FURNITURE_KINDS):
            for pos in range(line.start, line.end):
                chars[pos - start] = " "
    return "".join(chars)


def read_letter(raw: RawText) -> Letter:
    return LetterReader().read(raw)


def read_text(text: str, letter_id: str = "letter") -> Letter:
    return LetterReader().read(RawText(id=letter_id, text=text))


__all__ = ["LetterReader", "read_letter", "read_text", "UPHELD"]
