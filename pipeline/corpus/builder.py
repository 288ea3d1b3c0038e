"""Append-only text builder that records entity spans and ranges as it writes.

Offsets are never found by searching the finished text (a service or finding may
occur twice, and a search would pick the wrong one); every span is recorded at the
moment its characters are appended.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .phrasing import ENTITY_SLOTS, compile_template


@dataclass
class RawSpan:
    start: int
    end: int
    label: str
    negated: bool
    guideline_id: str | None = None


@dataclass
class RawSection:
    name: str
    heading: str
    start: int
    end: int = -1


# A slot value is either plain text or (text, guideline_id) for guideline slots.
SlotValue = str | tuple[str, str]


def _is_situation(value: str) -> bool:
    """An indication written with an article ("a homebound status") is a clinical
    situation, not a diagnosis: it is written as plain text, never as a CONDITION."""
    return value.startswith(("a ", "an ", "the "))


@dataclass
class TextBuilder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[RawSpan] = field(default_factory=list)
    sections: list[RawSection] = field(default_factory=list)

    # -- plain text ---------------------------------------------------------
    def add(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)

    def entity(self, text: str, label: str, negated: bool = False, guideline_id: str | None = None) -> None:
        # Spans must not start or end with white space (data contract).
        assert text and text == text.strip(), repr(text)
        self.spans.append(RawSpan(self.length, self.length + len(text), label, negated, guideline_id))
        self.add(text)

    def entity_list(self, values: list[str], label: str, conj: str = "and") -> None:
        """'a, b and c' with each value a span."""
        for i, value in enumerate(values):
            if i:
                self.add(f" {conj} " if i == len(values) - 1 else ", ")
            self.entity(value, label)

    # -- sections -----------------------------------------------------------
    def open_section(self, name: str, heading: str = "") -> None:
        self.close_section()
        self.sections.append(RawSection(name, heading, self.length))

    def close_section(self) -> None:
        if self.sections and self.sections[-1].end < 0:
            self.sections[-1].end = self._trimmed_end()

    def _trimmed_end(self) -> int:
        # Sections end at their last non-space character, so a range never ends in white space.
        text = "".join(self.parts)
        self.parts = [text]
        return len(text.rstrip())

    # -- templates ----------------------------------------------------------
    def template(self, template: str, ctx: dict[str, SlotValue], sentence: bool = True) -> None:
        """Write ``template`` with its slots filled from ``ctx``; entity slots become spans.
        When ``sentence`` is set the first letter is capitalised (offsets are unaffected)."""
        compiled = compile_template(template)
        first = True
        for piece, is_slot in compiled.pieces:
            if not is_slot:
                text = piece
                if first and sentence:
                    text = text[:1].upper() + text[1:]
                self.add(text)
                first = False
                continue
            value = ctx[piece]
            gid = None
            if isinstance(value, tuple):
                value, gid = value
            if first and sentence:
                value = value[:1].upper() + value[1:]
            first = False
            entity = ENTITY_SLOTS.get(piece)
            if entity is None or (piece in ("ind", "ind-") and _is_situation(value.lower())):
                self.add(value)
            else:
                label, negated = entity
                self.entity(value, label, negated, gid if label == "GUIDELINE" else None)

    def text(self) -> str:
        self.close_section()
        return "".join(self.parts)


def usable(templates: tuple[str, ...] | list[str], ctx: dict[str, SlotValue]) -> list[str]:
    """The templates whose every slot has a value in ``ctx``."""
    return [t for t in templates if compile_template(t).slots <= ctx.keys()]
