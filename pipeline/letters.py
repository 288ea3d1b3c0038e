"""Records: a letter, its sections, its disputed items and its entity spans.

One shape serves gold annotations, reader output and predictions (see the data
contract, ``gold-format.md``): ``Letter.to_json`` writes it, ``Letter.from_json``
reads it back. Every character range indexes into ``Letter.text`` exactly as it
was read.
"""
from __future__ import annotations

import json
import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class EntitySpan:
    start: int
    end: int
    label: str
    negated: bool = False
    guideline_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label,
                               "negated": self.negated}
        if self.guideline_id is not None:
            out["guideline_id"] = self.guideline_id
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "EntitySpan":
        return cls(start=int(raw["start"]), end=int(raw["end"]), label=raw["label"],
                   negated=bool(raw.get("negated", False)), guideline_id=raw.get("guideline_id"))


@dataclass
class Section:
    """A heading-delimited part of the letter; ``name`` is one of ``SECTION_NAMES``."""

    name: str
    start: int
    end: int
    heading: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "heading": self.heading, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Section":
        return cls(name=raw["name"], start=raw["start"], end=raw["end"], heading=raw.get("heading", ""))


SECTION_NAMES = (
    "header",          # letterhead, addresses, case numbers, summary of decisions
    "qualifications",  # how the determination was made / reviewer qualifications
    "documents",       # documents reviewed
    "case_summary",    # clinical case summary
    "guidelines",      # guidelines relied upon (professional-review layout)
    "issues",          # issues, decisions and rationales; the issues at dispute
    "rationale",       # the shared rationale section (professional-review layout)
)


@dataclass
class Item:
    service: str
    decision: str | None
    reasons: list[str] = field(default_factory=list)
    reason_scores: dict[str, float] | None = None
    evidence: dict[str, list[list[int]]] | None = None
    # Reader fields: where the item was found and what the letter says about it.
    service_range: tuple[int, int] | None = None
    claims_guideline: str | None = None
    reviewer_guideline: str | None = None
    rationale: str | None = None
    rationale_range: tuple[int, int] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"service": self.service, "decision": self.decision,
                               "reasons": list(self.reasons)}
        if self.reason_scores is not None:
            out["reason_scores"] = self.reason_scores
        if self.evidence is not None:
            out["evidence"] = self.evidence
        if self.service_range is not None:
            out["service_range"] = list(self.service_range)
        if self.claims_guideline is not None:
            out["claims_guideline"] = self.claims_guideline
        if self.reviewer_guideline is not None:
            out["reviewer_guideline"] = self.reviewer_guideline
        if self.rationale is not None:
            out["rationale"] = self.rationale
        if self.rationale_range is not None:
            out["rationale_range"] = list(self.rationale_range)
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Item":
        def pair(value):
            return tuple(value) if value is not None else None

        return cls(
            service=raw.get("service", ""),
            decision=raw.get("decision"),
            reasons=list(raw.get("reasons", [])),
            reason_scores=raw.get("reason_scores"),
            evidence=raw.get("evidence"),
            service_range=pair(raw.get("service_range")),
            claims_guideline=raw.get("claims_guideline"),
            reviewer_guideline=raw.get("reviewer_guideline"),
            rationale=raw.get("rationale"),
            rationale_range=pair(raw.get("rationale_range")),
        )


@dataclass
class LetterHeader:
    """The case header and the reviewer's credentials, as the letter states them (absent: ``None``)."""

    case_number: str | None = None
    date_assigned: dt.date | None = None
    date_of_injury: dt.date | None = None
    decision_date: dt.date | None = None
    ur_denial_date: dt.date | None = None
    priority: str | None = None
    application_received: dt.date | None = None
    licensure_states: list[str] | None = None
    specialties: list[str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {f.name: (value.isoformat() if isinstance(value, dt.date) else value)
                for f in fields(self) for value in [getattr(self, f.name)]}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "LetterHeader":
        values = {}
        for f in fields(cls):
            value = raw.get(f.name)
            if value is not None and f.name in DATE_FIELDS:
                value = dt.date.fromisoformat(value)
            values[f.name] = value
        return cls(**values)

    def filled(self) -> list[str]:
        """Names of the fields the letter carried."""
        return [f.name for f in fields(self) if getattr(self, f.name) not in (None, [])]


DATE_FIELDS = ("date_assigned", "date_of_injury", "decision_date", "ur_denial_date", "application_received")


@dataclass
class Letter:
    id: str
    text: str
    format: str | None = None
    items: list[Item] = field(default_factory=list)
    spans: list[EntitySpan] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None
    source: str | None = None
    # Generated letters name the template family that produced them.
    family: str | None = None
    header: LetterHeader | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.format is not None:
            out["format"] = self.format
        out["items"] = [item.to_json() for item in self.items]
        out["spans"] = [span.to_json() for span in self.spans]
        if self.header is not None:
            out["header"] = self.header.to_json()
        if self.sections:
            out["sections"] = [section.to_json() for section in self.sections]
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.error is not None:
            out["error"] = self.error
            out["error_kind"] = self.error_kind
        if self.source is not None:
            out["source"] = self.source
        if self.family is not None:
            out["family"] = self.family
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Letter":
        return cls(
            id=str(raw["id"]),
            text=raw.get("text", ""),
            format=raw.get("format"),
            items=[Item.from_json(i) for i in raw.get("items", []) or []],
            spans=[EntitySpan.from_json(s) for s in raw.get("spans", []) or []],
            sections=[Section.from_json(s) for s in raw.get("sections", []) or []],
            warnings=list(raw.get("warnings", [])),
            error=raw.get("error"),
            error_kind=raw.get("error_kind"),
            source=raw.get("source"),
            family=raw.get("family"),
            header=LetterHeader.from_json(raw["header"]) if raw.get("header") else None,
        )

    def to_jsonl_line(self) -> str:
        """One line of a JSONL file (UTF-8 kept as is), newline included."""
        return json.dumps(self.to_json(), ensure_ascii=False) + "\n"

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)


def internal_error(letter_id: str, text: str, source: str | None, doing: str, exc: BaseException,
                   warnings: list[str] | None = None) -> Letter:
    """The one record for a bug met on one letter: the letter gets it and the batch goes on."""
    return Letter(id=letter_id, text=text, source=source, warnings=list(warnings or []), error_kind="internal",
                  error=f"internal error while {doing} ({type(exc).__name__}: {exc}); please report it")
