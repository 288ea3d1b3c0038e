"""Items of the published MAXIMUS form, assembled from classified lines by a small state machine.

The form (every real DWC letter of 2013-2017 seen so far) lists each item as a head
line, ``<service>: Upheld`` (its name may wrap over the lines above, or its outcome
onto the line below), then three labelled parts: ``Claims Administrator guideline:``,
``MAXIMUS guideline:`` and ``Decision rationale:``. The machine walks the lines once:

    seek --head--> head --label--> claims | reviewer | rationale --head--> head ...
                                                               --closing--> done

A part runs from its label to the next label, head or closing line, so a rationale ends
where the next item's head begins (never at a sentence chosen by its wording). A head's
name takes the body lines above it that do not end a sentence; where in the joined head
the item is named (a modified request names the remaining eligible portion) is a row of
``resources/lines.json``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .textview import runs_on
from .lines import BODY, Line, classify
from .tables import tables

HEAD_KINDS = ("item_head", "outcome")
PART_OF_LABEL = {"label_claims": "claims", "label_reviewer": "reviewer", "label_rationale": "rationale"}
SENTENCE_END = (".", "?", "!", ":", ";")
LAST_SENTENCE = "last sentence"  # the item_names row that takes a head's last sentence


@dataclass
class PublishedItem:
    """One item of the published form, as clean-text ranges."""
    name: tuple[int, int]   # the service name
    decision: str
    form: str               # which item_names row found the name
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)  # claims / reviewer / rationale


def _ends_sentence(line: Line) -> bool:
    """Does the line end a sentence: on its punctuation, or on a verdict whose period is missing?"""
    return line.text.rstrip().endswith(SENTENCE_END) or bool(tables().verdict_end.fullmatch(line.text))


def _head_start(lines: list[Line], index: int) -> int:
    """Index of the first line of the head whose last line is ``lines[index]``; -1 if it heads nothing."""
    first = index
    if lines[index].kind == "outcome":
        # "... Z is:" / "Upheld": the name is on the line(s) above, ending on a colon; a blank
        # line may sit between. Under a sentence ("... asked for" / "Non-certified.") it is
        # a rationale's verdict, not an item.
        while first > 0 and lines[first - 1].kind == "furniture":
            first -= 1
        if first == 0 or lines[first - 1].kind != BODY or not lines[first - 1].text.rstrip().endswith(":"):
            return -1
        first -= 1
    while first > 0 and lines[first - 1].kind in (BODY, "furniture") and not (
            lines[first - 1].kind == BODY and _ends_sentence(lines[first - 1])):
        first -= 1
    while first < index and lines[first].kind == "furniture":
        first += 1
    return first


def _name(text: str, start: int, end: int) -> tuple[tuple[int, int], str] | None:
    """The item's name inside the head text[start:end] (its decision already cut off)."""
    start += tables().name_lead.match(text, start, end).end() - start  # a form feed, numbering
    head = text[start:end]
    for form, pattern in tables().item_names:
        match = pattern.fullmatch(head)
        if match:
            s, e = match.span("service")
            e = s + tables().name_tail.search(head[s:e]).start()  # "<service> is:" -> "<service>"
            if s > 0 and form == LAST_SENTENCE:
                # The head holds a sentence end, so its first lines are a rationale's tail that ends
                # without a period: the name is only the lines that run on into its last one.
                s = _run_on_start(head, s, e)
            return ((start + s, start + e), form) if e > s else None
    return None


def _run_on_start(head: str, s: int, e: int) -> int:
    """Start of the last line of head[s:e], moved back over the lines above that run on into it."""
    first = head.rfind("\n", s, e) + 1
    while first > s:
        above = head.rfind("\n", s, first - 1) + 1
        if not runs_on(head[max(above, s):first - 1], head[first:e]):
            break
        first = max(above, s)
    return max(first, s)


def read_items(text: str, start: int, end: int) -> list[PublishedItem]:
    """Items in text[start:end] (an item section), or ``[]`` when it is not in the published form."""
    lines = classify(text, start, end)
    items: list[PublishedItem] = []
    group: list[PublishedItem] = []  # heads listed together share the parts below them
    state = "seek"
    part_start = content_end = 0

    def close() -> None:
        """End the open part at its last line of content (never on furniture or a drawn line)."""
        if state in PART_OF_LABEL.values():
            for item in group:
                item.parts[state] = (part_start, max(content_end, part_start))

    for index, line in enumerate(lines):
        if line.kind in HEAD_KINDS:
            first = _head_start(lines, index)
            if first < 0:
                if state in PART_OF_LABEL.values():
                    content_end = line.end
                continue
            if first < index and state in PART_OF_LABEL.values():
                content_end = min(content_end, lines[first].start)  # the head's first lines are not the part's
            close()
            decision = tables().decision_of_word(line.group("decision"))
            head_end = line.start + line.match.start("decision")
            if line.kind == "outcome":
                head_end = lines[index - 1].end if index > first else line.start
            named = _name(text, lines[first].start, head_end)
            if named is None or decision is None:
                continue
            item = PublishedItem(name=named[0], decision=decision, form=named[1])
            items.append(item)
            group = group + [item] if state == "head" else [item]
            state = "head"
        elif line.kind in PART_OF_LABEL and items:
            close()
            state = PART_OF_LABEL[line.kind]
            part_start = content_end = line.start + line.text.index(":") + 1
            if line.text[line.text.index(":") + 1:].strip():
                content_end = line.end
        elif line.kind == "closing" and items:
            close()
            state = "done"
            break
        elif line.kind == BODY:
            content_end = line.end
    close()
    # The form is this one only when its items carry its labelled parts.
    if not items or not any(item.parts for item in items):
        return []
    return items
