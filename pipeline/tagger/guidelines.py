"""GUIDELINE spans and their canonical ids (component ``imr_guidelines``).

Guideline citations in IMR letters are formulaic (MTUS and its parts, ACOEM,
ODG with chapters, a few outside sources), so compiled regular expressions find
them more reliably than a statistical model. Span boundaries follow taxonomy
section 5: an edition, year or chapter written together with the name is inside
the span; a topic after a comma, page numbers and a trailing "guidelines" after
an acronym ("ODG guidelines" -> "ODG") are outside; "Non-MTUS Citation" is not
a guideline name.

``normalize_guideline`` maps any mention to one id of ``taxonomy.json``
("guideline_ids"): MTUS-CPMTG, MTUS-ACOEM, MTUS-PSTG, MTUS, ODG, ACOEM, OTHER.
"""

import re
from bisect import bisect_left, bisect_right
from typing import Iterable, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

# A word hyphenated across a line ("Guide-\nlines") is joined before matching, by the
# reader's one definition; offsets are mapped back to the letter afterwards.
from ..reader.textview import HYPHEN_BREAK
from . import extensions  # noqa: F401  (declares Span._.guideline_id)

LABEL = "GUIDELINE"

# --------------------------------------------------------------------------
# Pattern pieces. Every repetition is bounded or separated by literal words,
# so no piece can backtrack catastrophically on long letters.
# --------------------------------------------------------------------------
_YEAR = r"(?:19|20)\d\d"
_ORD = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh)"
# "2nd Edition (2004)", ", 3rd Ed.", " (2004)", ", 2004" - an edition written with the name.
_DATED = rf"(?:\s*\((?:[A-Za-z]+\.?\s+){{0,2}}(?:\d{{1,2}},?\s+)?{_YEAR}\))"
_EDITION = (rf"(?:,?\s*{_ORD}\s+(?i:edition|ed\.?)(?:\s*,?\s*\(?{_YEAR}\)?(?![\d-]))?"
            rf"|{_DATED}"
            rf"|,\s*{_YEAR}(?![\d-]))")
# "Chapter 12", ", Ch. 12" - numbered chapters only; page numbers never follow.
_CHAPTER_NO = r"(?:,?\s*(?i:chapter|ch\.)\s*\d{1,2}(?![\d-]))"
# A chapter named in capitalised words and closed by the word "Chapter":
# "Low Back Complaints Chapter", "Forearm, Wrist & Hand Chapter".
_NAMED_CHAPTER = (r"(?:,?\s+(?:[A-Z][\w'\u2019]*,?\s+(?:(?:&|and|of|the|-|\u2013)\s+)?){1,6}"
                  r"(?i:chapter)\b(?:\s*\d{1,2}(?![\d-]))?)")
_ACUTE = r"(?:\s*\((?i:acute\s*(?:&|and)\s*)?(?i:chronic)\))"

# ODG chapter titles; matched case-insensitively because letters write "ODG neck".
_ODG_CHAPTERS = (
    r"low\s+back(?:\s*[-\u2013]\s*lumbar\s*(?:&|and)\s*thoracic)?", r"lumbar(?:\s*(?:&|and)\s*thoracic)?",
    r"neck\s*(?:&|and)\s*upper\s+back", r"neck", r"upper\s+back", r"knee\s*(?:&|and)\s*leg", r"knee",
    r"shoulder", r"elbow", r"forearm,?\s*wrist,?\s*(?:&|and)\s*hand", r"wrist", r"hand",
    r"ankle\s*(?:&|and)\s*foot", r"ankle", r"foot", r"hip\s*(?:&|and)\s*pelvis", r"hip", r"head",
    r"mental\s+illness\s*(?:&|and)\s*stress", r"mental\s+health", r"stress", r"carpal\s+tunnel\s+syndrome",
    r"chronic\s+pain", r"pain", r"twc", r"pulmonary", r"eye", r"burns", r"traumatic\s+brain\s+injury",
    r"cervical(?:\s+spine)?", r"thoracic", r"hernia", r"fitness\s+for\s+duty",
)
_ODG_CHAPTER_NAME = r"(?i:" + "|".join(_ODG_CHAPTERS) + r")"
# A chapter title without the word "Chapter" counts only where the phrase ends
# there ("ODG Knee & Leg, Knee brace"); "ODG knee brace criteria" keeps "ODG".
_PHRASE_END = r"(?=\s*(?:[,.;:)\]]|$))"
# "(updated 12/20/16)": the date of the ODG chapter cited, written with it.
_UPDATED = r"(?:\s*\((?i:updated|last\s+updated)\s+\d{1,2}/\d{1,2}/\d{2,4}\))"
# A chapter may follow a comma ("Official Disability Guidelines (ODG), Low Back"): a chapter
# title is not a topic (taxonomy section 6).
_ODG_CHAPTER = (rf"(?:,?\s+{_ODG_CHAPTER_NAME}{_ACUTE}?(?:\s+(?i:chapter)\b|(?<=\))|{_PHRASE_END}|(?={_UPDATED}))"
                rf"|{_NAMED_CHAPTER})")

_MTUS_WORDS = r"(?i:medical\s+treatment\s+utili[sz]ation\s+schedule)"
_CALIFORNIA = r"(?:(?:State\s+of\s+)?California|CA)\s+"
_MTUS_NAME = (rf"(?:{_CALIFORNIA})?(?:{_MTUS_WORDS}(?:\s*\(\s*MTUS\s*\))?"
              rf"|MTUS(?:\s*\(\s*{_MTUS_WORDS}\s*\))?)")
# MTUS written in front of one of its parts: "MTUS ACOEM", "MTUS-ACOEM", "CA MTUS Chronic Pain".
# A colon separates two citations ("MTUS: ACOEM ..."); a slash joins only a titled ACOEM
# (below): "CA MTUS/ACOEM Guidelines state" is two names, "MTUS/ACOEM Practice Guidelines,
# 2nd Edition" one.
_MTUS_PREFIX = rf"(?:{_MTUS_NAME}(?:\s*[\u2013-]\s*|\s+))"

_CPMTG_TITLE = r"Pain\s+(?:Medical\s+)?(?:Treatment\s+)?Guidelines?"
_CPMTG = (rf"(?:{_MTUS_PREFIX}(?i:chronic\s+{_CPMTG_TITLE})"
          # Unprefixed, the title must be capitalised: "chronic pain" alone is a CONDITION.
          rf"|Chronic\s+(?i:{_CPMTG_TITLE})"
          r"|(?:MTUS\s+)?CPMTG\b)"
          r"(?:\s*\(\s*(?:CPMTG|MTUS)\s*\))?"
          rf"(?:{_DATED}|,?\s+{_YEAR}(?![\d-]))?")
_PSTG = (rf"(?:{_MTUS_PREFIX}(?i:post[-\u2013\s]*(?:surgical|operative)\s+(?:treatment\s+)?guidelines?)"
         r"|Post[-\u2013\s]*(?i:surgical\s+(?:treatment\s+)?guidelines?)"
         r"|(?i:post[-\u2013\s]*surgical\s+treatment\s+guidelines?))"
         r"(?:\s*\(\s*(?:PSTG|MTUS)\s*\))?")
_ACUPUNCTURE = rf"(?:{_MTUS_PREFIX})?(?i:acupuncture\s+medical\s+treatment\s+guidelines?)"

_ACOEM_BASE = (r"(?:(?i:american\s+college\s+of\s+occupational\s+(?:and|&)\s+environmental\s+medicine)"
               r"(?:\s*\(\s*ACOEM\s*\))?|ACOEM(?:\s*\(\s*(?i:american\s+college\s+of\s+occupational"
               r"\s+(?:and|&)\s+environmental\s+medicine)\s*\))?)")
# "Practice Guidelines" is part of the title; a plain "guidelines" is kept only
# when an edition or chapter follows it ("ACOEM guidelines state" -> "ACOEM").
_ACOEM_TITLE = (r"(?:\s+(?i:(?:occupational\s+medicine\s+)?practice\s+guidelines?)"
                r"|\s+(?i:guidelines?)(?=\s*,?\s*(?:\d|\(|(?i:second|third|fourth|chapter|ch\.))))")
_SLASH_PREFIX = rf"(?:{_MTUS_NAME}\s*/\s*(?=ACOEM(?:{_ACOEM_TITLE}|{_EDITION}|{_CHAPTER_NO}|{_NAMED_CHAPTER})))"
_ACOEM = (rf"(?:{_MTUS_PREFIX}|{_SLASH_PREFIX})?{_ACOEM_BASE}{_ACOEM_TITLE}?{_EDITION}?{_EDITION}?"
          rf"(?:{_CHAPTER_NO}|{_NAMED_CHAPTER})?")

_ODG_BASE = (r"(?:(?i:official\s+disability\s+guidelines?)(?:\s*\(\s*ODG(?:[-\u2013 ]TWC)?\s*\))?"
             r"|ODG(?:[-\u2013 ]TWC\b)?(?:\s*\(\s*(?i:official\s+disability\s+guidelines?)\s*\))?)"
             r"(?:\s*[-\u2013]?\s*(?i:treatment\s+in\s+workers['\u2019]?\s*comp(?:ensation)?)"
             r"(?:\s*\(\s*(?:ODG[-\u2013 ])?TWC\s*\))?)?")
_ODG = rf"{_ODG_BASE}(?:,?\s*{_ORD}\s+(?i:edition)|\s*\({_YEAR}\))?{_ODG_CHAPTER}?{_UPDATED}?"

# The MTUS as DWC's letters cite its parts: a title in capitalised words and the year of its
# edition ("MTUS Neck and Upper Back Complaints 2004", "MTUS Chronic Pain Medical Treatment
# 2016"), or an edition year and a title ending in "Guidelines" ("California MTUS 2016 Chronic
# Pain Guidelines", "CA MTUS Acupuncture Guidelines"). Tried after the named parts above.
_TITLE_WORD = r"(?:[A-Z][\w/'\u2019-]*|&)"
_TITLE_WORDS = rf"(?:{_TITLE_WORD}\s+(?:(?:and|of|for|&)\s+)?){{1,6}}?"
_MTUS_PART = (rf"(?:{_MTUS_NAME}\s+{_TITLE_WORDS}{_YEAR}(?![\d/-])"
              rf"|{_MTUS_NAME}(?:\s+{_YEAR})?\s+(?!Guidelines?\b){_TITLE_WORDS}(?i:guidelines?)\b)")

# Sources outside the MTUS and ODG (id OTHER). Kept to names that are
# unambiguous; "peer-reviewed literature" and "FDA approved" are not names.
_AMA = (r"(?:AMA|American\s+Medical\s+Association)\s+Guides(?:\s+to\s+the\s+Evaluation\s+of\s+Permanent\s+"
        rf"Impairment)?(?:,?\s*{_ORD}\s+(?i:edition))?")
_FDA_DOCS = (r"(?i:prescribing\s+information|labell?ing|label|package\s+insert|medication\s+guide"
             r"|drug\s+safety\s+communication|boxed\s+warning|black\s+box\s+warning|guidance)")
# Bare "FDA" is kept only where it is cited as a source (checked in find_guidelines).
_FDA = (r"(?:(?:U\.?\s?S\.?\s+)?(?:FDA|Food\s+and\s+Drug\s+Administration(?:\s*\(FDA\))?)"
        rf"(?:\s+{_FDA_DOCS}\b)?)")
_CONNECT = r"(?:(?:of|and|for|on|in|the|with|&)\s+){0,2}"
_CPG = (rf"(?:[A-Z][\w/&'\u2019-]*\s+{_CONNECT}){{1,8}}Clinical\s+Practice\s+Guidelines?"
        rf"(?:\s+(?:for|on)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+{_CONNECT}[A-Z][\w-]*){{0,8}})?")
_NAMED_SOURCES = (r"(?:Work\s+Loss\s+Data\s+Institute|American\s+Pain\s+Society|National\s+Guideline\s+Clearinghouse"
                  r"|Medical\s+Disability\s+Advisor|MDGuidelines|Milliman\s+Care\s+Guidelines|InterQual"
                  r"|Physicians['\u2019]?\s+Desk\s+Reference(?:\s*\(PDR\))?"
                  r"|(?:Colorado|Washington\s+State|New\s+York(?:\s+State)?|Texas|Ohio|Oregon|Montana|Minnesota)"
                  rf"(?:\s+{_CONNECT}[A-Z][\w'\u2019]*){{0,5}}?\s+Medical\s+Treatment\s+Guidelines)")

# Order matters: at one start position the first alternative that matches
# wins, so the MTUS parts come before the bare MTUS they begin with.
GUIDELINE_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join((_CPMTG, _PSTG, _ACUPUNCTURE, _ACOEM, _ODG, _MTUS_PART, _MTUS_NAME, _AMA, _FDA,
                                 _CPG, _NAMED_SOURCES)) + r")(?![\w])"
)

_NON_MTUS_BEFORE = re.compile(r"non[-\u2013\s]*$", re.I)
_MTUS_PREFIX_RE = re.compile(_MTUS_PREFIX)
_MTUS_NAME_RE = re.compile(_MTUS_NAME)
_LEADING_NOISE = re.compile(r"^(?:(?:The|Per|Under|See|Both|According|Also)\s+)+")
_FDA_CUE_BEFORE = re.compile(r"(?:per|according\s+to|cites?|cited|relied\s+on)\s+(?:the\s+)?$", re.I)
_FDA_CUE_AFTER = re.compile(r"\s+(?:states?|recommends?|warns?|advises?|cautions?|notes?|label)\b", re.I)
_FDA_DOCS_RE = re.compile(_FDA_DOCS)

# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------
_WS = re.compile(r"\s+")
_LATER_ACOEM = re.compile(r"\b(?:3rd|4th|third|fourth)\b|\b(?:200[6-9]|20[12]\d)\b")
_MTUS_ACOEM_MARK = re.compile(r"\bmtus\b|utili[sz]ation schedule|\b2nd\b|\bsecond\b|\b2004\b|\bchapter\b|\bch\.")
_NEG_CUE = re.compile(r"non[-\u2013\s]*mtus|not\s+(?:a\s+)?part\s+of\s+(?:the\s+)?(?:mtus|medical\s+treatment)", re.I)
_POS_CUE = re.compile(r"\bmtus\b|medical\s+treatment\s+utili[sz]ation\s+schedule", re.I)
_NEG_JUST_BEFORE = re.compile(r"non[-\u2013\s]*mtus(?:\s+citations?)?\s*[:,]?\s*(?:the\s+)?$", re.I)


def _clean(surface: str) -> str:
    return _WS.sub(" ", HYPHEN_BREAK.sub("", surface)).strip().lower()


def _nearest_cue(before: str, after: str) -> str | None:
    """'pos' or 'neg' for the MTUS cue nearest the mention, None without one."""
    best: tuple[int, str] | None = None
    for text, is_before in ((before, True), (after, False)):
        negs = [(m.start(), m.end()) for m in _NEG_CUE.finditer(text)]
        cues = [(s, e, "neg") for s, e in negs]
        cues += [(m.start(), m.end(), "pos") for m in _POS_CUE.finditer(text)
                 if not any(s <= m.start() < e for s, e in negs)]
        for s, e, kind in cues:
            dist = len(text) - e if is_before else s
            if best is None or dist < best[0]:
                best = (dist, kind)
    return best[1] if best else None


_NON_MTUS_LEAD = re.compile(r"^non[-\u2013\s]*mtus(?:\s+citations?)?\s*:?\s*")


def _classify(surface: str, before: str = "", after: str = "") -> str:
    s = _clean(surface)
    lead = _NON_MTUS_LEAD.match(s)
    if lead:
        # "Non-MTUS Citation ODG ..." names ODG; "Non-MTUS" alone names nothing of the MTUS.
        s = s[lead.end():]
        before = before + " Non-MTUS "
        if not s:
            return "OTHER"
    if "odg" in s or "official disability" in s:
        return "ODG"
    if "acoem" in s or "american college of occupational" in s:
        if _LATER_ACOEM.search(s) or _NEG_JUST_BEFORE.search(before[-60:]):
            return "ACOEM"
        if _MTUS_ACOEM_MARK.search(s) or re.search(r"complaints|disorders", s):
            return "MTUS-ACOEM"
        return "MTUS-ACOEM" if _nearest_cue(before, after) == "pos" else "ACOEM"
    if re.search(r"post[-\u2013\s]*(?:surgical|operative)", s):
        return "MTUS-PSTG"
    if "chronic pain" in s or "cpmtg" in s:
        return "MTUS-CPMTG"
    if re.search(r"\bmtus\b|utili[sz]ation schedule|acupuncture medical treatment", s):
        return "MTUS"
    return "OTHER"


def normalize_guideline(surface: str, context: str = "") -> str:
    """The canonical guideline id of a mention.

    ``context`` is optional surrounding text; it only matters for a bare
    "ACOEM", which is MTUS-ACOEM when the nearest cue says it is part of the
    MTUS and ACOEM when it is a non-MTUS citation or no cue says otherwise.
    """
    before, after = context, ""
    if context and surface:
        at = context.find(surface)
        if at >= 0:
            before, after = context[:at], context[at + len(surface):]
    return _classify(surface, before, after)


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------
def _join_soft_breaks(text: str) -> tuple[str, list[int], list[int]]:
    """Text with soft line-break hyphens removed, plus what maps offsets back."""
    positions: list[int] = []   # clean offset at which a removal happened
    cumulative: list[int] = []  # characters removed up to and including that one
    parts: list[str] = []
    last = removed = 0
    for m in HYPHEN_BREAK.finditer(text):
        parts.append(text[last:m.start()])
        positions.append(m.start() - removed)
        removed += m.end() - m.start()
        cumulative.append(removed)
        last = m.end()
    if not positions:
        return text, positions, cumulative
    parts.append(text[last:])
    return "".join(parts), positions, cumulative


def _to_original(offset: int, positions: list[int], cumulative: list[int], end: bool) -> int:
    # A removal at clean offset p sits before clean char p; a start offset
    # counts removals at <= offset, an end offset those at < offset.
    i = bisect_left(positions, offset) if end else bisect_right(positions, offset)
    return offset + (cumulative[i - 1] if i else 0)


# Every pattern above contains one of these words. Python's ``re`` scans slowly
# through a pattern that opens with alternatives, so the full pattern runs only
# in windows around these words, found with ``str.find`` on the lower-cased text.
_TRIGGERS = ("mtus", "odg", "acoem", "cpmtg", "official", "schedule", "chronic", "surgical", "operative",
             "acupuncture", "occupational", "guides", "fda", "food", "practice guideline",
             "treatment guideline", "work loss", "milliman", "interqual", "desk reference",
             "disability advisor", "mdguidelines", "national guideline", "pain society")
# A match starts at most _BEFORE characters before its trigger ("State of
# California Medical Treatment Utilization Schedule", six organisation words
# before "Clinical Practice Guideline") and ends within _AFTER after it.
_BEFORE, _AFTER = 64, 170


def _windows(clean: str) -> list[tuple[int, int]]:
    low = clean.lower()
    hits = []
    for word in _TRIGGERS:
        at = low.find(word)
        while at >= 0:
            hits.append(at)
            at = low.find(word, at + len(word))
    hits.sort()
    windows: list[list[int]] = []
    for at in hits:
        start, end = max(0, at - _BEFORE), min(len(clean), at + _AFTER)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    return [(s, e) for s, e in windows]


def _matches(clean: str) -> Iterable["re.Match[str]"]:
    for start, end in _windows(clean):
        yield from GUIDELINE_RE.finditer(clean, start, end)


def find_guidelines(text: str) -> list[tuple[int, int]]:
    """Character ranges of GUIDELINE mentions in ``text``, in order."""
    clean, positions, cumulative = _join_soft_breaks(text)
    found: list[tuple[int, int]] = []
    for m in _matches(clean):
        start, end = m.start(), m.end()
        surface = m.group()
        lead = _LEADING_NOISE.match(surface)
        if lead and "Clinical Practice" in surface:
            start += lead.end()
        if _NON_MTUS_BEFORE.search(clean[max(0, start - 8):start]):
            # "Non MTUS ...": that MTUS names no guideline; keep what follows it.
            if _MTUS_NAME_RE.fullmatch(clean, start, end):
                continue
            pre = _MTUS_PREFIX_RE.match(clean, start, end)
            if pre is not None:
                start = pre.end()
        if surface.upper().startswith(("FDA", "U.S", "US ", "FOOD")) and not _FDA_DOCS_RE.search(surface) \
                and not _FDA_CUE_BEFORE.search(clean[max(0, start - 30):start]) \
                and not _FDA_CUE_AFTER.match(clean, end):
            # "According to the FDA" and "FDA labeling" cite a source; "FDA approved" does not.
            continue
        found.append((_to_original(start, positions, cumulative, False),
                      _to_original(end, positions, cumulative, True)))
    return found


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    return text[max(0, start - width):start], text[end:end + width]


def assign_ids(doc: Doc, spans: Iterable[Span], width: int = 200, text: Optional[str] = None) -> None:
    """Set ``_.guideline_id`` on GUIDELINE spans, from surface and context.

    A bare "ACOEM" takes its id from the letter's explicit ACOEM citations when
    they agree (a letter citing the 2nd Edition chapters means the MTUS ACOEM
    throughout); otherwise from the nearest MTUS cue.
    """
    if text is None:
        text = doc.text  # rebuilt from the tokens on every access: callers pass it in
    spans = [s for s in spans if s.label_ == LABEL]
    explicit: set[str] = set()
    bare: list[Span] = []
    for span in spans:
        before, after = _context(text, span.start_char, span.end_char, width)
        gid = _classify(span.text, before, after)
        span._.guideline_id = gid
        if gid in ("ACOEM", "MTUS-ACOEM"):
            if _clean(span.text) == "acoem" and not _NEG_JUST_BEFORE.search(before[-60:]):
                bare.append(span)
            else:
                explicit.add(gid)
    if len(explicit) == 1:
        for span in bare:
            span._.guideline_id = next(iter(explicit))


class GuidelineTagger:
    """Marks GUIDELINE entities by pattern and sets their ``_.guideline_id``."""

    def __init__(self, nlp: Language, name: str, overwrite_ents: bool = True, context_chars: int = 200):
        self.name = name
        self.overwrite_ents = overwrite_ents
        self.context_chars = context_chars

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # Doc.text joins all tokens on each access: read it once
        found = []
        for start, end in find_guidelines(text):
            span = doc.char_span(start, end, label=LABEL, alignment_mode="expand")
            if span is not None and len(span):
                found.append(span)
        found = filter_spans(found)
        # Reading doc.ents walks every token, so it is skipped when nothing is set yet.
        existing = list(doc.ents) if doc.has_annotation("ENT_IOB") else []
        if self.overwrite_ents:
            taken = {i for s in found for i in range(s.start, s.end)}
            kept = [e for e in existing if not any(i in taken for i in range(e.start, e.end))]
            ents = kept + found
        else:
            taken = {i for e in existing for i in range(e.start, e.end)}
            ents = existing + [s for s in found if not any(i in taken for i in range(s.start, s.end))]
        ents.sort(key=lambda s: s.start)
        doc.ents = ents
        # Ids for every GUIDELINE entity, including ones a trained NER found.
        # Extension values are keyed by offsets and label, so setting them on
        # these Span objects is the same as setting them on doc.ents.
        assign_ids(doc, ents, self.context_chars, text)
        return doc


@Language.factory("imr_guidelines", default_config={"overwrite_ents": True, "context_chars": 200})
def make_guideline_tagger(nlp: Language, name: str, overwrite_ents: bool, context_chars: int) -> GuidelineTagger:
    return GuidelineTagger(nlp, name, overwrite_ents=overwrite_ents, context_chars=context_chars)
