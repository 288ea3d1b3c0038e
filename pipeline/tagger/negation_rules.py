"""Cue rules for the ``imr_negation`` component, kept as data (``resources/negation_rules.json``).

Each rule is a literal phrase (matched token by token, case-insensitively, across any
run of whitespace), a category and a direction:

- ``NEGATED``: the phrase says something is absent. ``FORWARD`` cues negate what
  follows ("no", "without", "no documentation of"), ``BACKWARD`` cues what precedes
  ("is not documented", "has not been established"), ``BIDIRECTIONAL`` both.
- ``POSSIBLE``: hedges ("possible", "cannot be excluded"). They never negate; they exist
  so that their words are not read as a negation ("not ruled out" is a hedge, not "not").
- ``PSEUDO``: phrases that contain a negation word but do not negate a condition
  ("no change", "not only", "gram negative", "not recommended for"). Matching them
  consumes their tokens, so the negation word inside them never fires.
- ``TERMINATE``: words that end a cue's scope ("but", "however", "which", "secondary to").

The same file holds the word sets the scope rules use: punctuation that always ends a
scope (a sentence end inside text we could not split, and a semicolon, which in clinical
text separates findings: "no effusion; crepitus"), the colon that starts a new field,
list glue (commas and coordinators do not use up scope: "denies palpitations, shortness
of breath, chest pain, headache, or lightheadedness" is one list under one cue) and the
words by which a FINDING states its own result ("normal strength", "ligaments stable",
"negative Lachman": the documented result, taxonomy section 5, so a cue outside it does
not reach it).

The rules were written for this project from the general vocabulary of clinical negation
(the cue words NegEx/ConText made well known) plus the language of IMR reviewers; they
are not a copy of any other project's rule file. The file groups rules that share a
category, direction and ``skip_labels`` with a note saying why they are there. As
medspaCy's ConText does, the component reads its rules at construction (the bundled
file, or ``rules_path``) and writes them with the pipeline, so a saved tagger reads its
own copy and its manifest's checksum covers them.

A JSON list of rule objects (``CueRule`` fields) is read too: those cues with the bundled
word sets.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

NEGATED = "NEGATED"
POSSIBLE = "POSSIBLE"
PSEUDO = "PSEUDO"
TERMINATE = "TERMINATE"
CATEGORIES = (NEGATED, POSSIBLE, PSEUDO, TERMINATE)

FORWARD = "FORWARD"
BACKWARD = "BACKWARD"
BIDIRECTIONAL = "BIDIRECTIONAL"
NONE = "NONE"
DIRECTIONS = (FORWARD, BACKWARD, BIDIRECTIONAL, NONE)

BUNDLED_RULES = "negation_rules.json"


@dataclass(frozen=True)
class CueRule:
    """One cue phrase."""

    literal: str
    category: str
    direction: str = NONE
    max_scope: int | None = None  # tokens; None means the component's setting
    skip_labels: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r} in rule {self.literal!r}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r} in rule {self.literal!r}")
        object.__setattr__(self, "skip_labels", tuple(self.skip_labels))


@dataclass(frozen=True)
class NegationRules:
    """Everything the negation component decides by: cue rules and the scope word sets."""

    cues: tuple[CueRule, ...]
    punct_terminators: frozenset[str]
    soft_terminators: frozenset[str]
    list_glue: frozenset[str]
    self_qualified_words: frozenset[str]
    self_qualified_labels: frozenset[str]
    raw: dict = field(compare=False, repr=False)  # the file's own form, written back unchanged

    @classmethod
    def from_json(cls, data: dict | list) -> "NegationRules":
        if isinstance(data, list):  # a bare list of cues: with the bundled word sets
            bundled = _bundled_raw()
            data = {key: value for key, value in bundled.items() if key != "groups"} | {"rules": data}
        cues = [CueRule(literal, g["category"], g.get("direction", NONE),
                        g.get("max_scope"), tuple(g.get("skip_labels", ())))
                for g in data.get("groups", []) for literal in g["literals"]]
        cues += [CueRule(**row) for row in data.get("rules", [])]
        return cls(tuple(cues), frozenset(data["punct_terminators"]), frozenset(data["soft_terminators"]),
                   frozenset(data["list_glue"]), frozenset(data["self_qualified_words"]),
                   frozenset(data["self_qualified_labels"]), data)

    def to_json(self) -> dict:
        return self.raw


def _bundled_raw() -> dict:
    return json.loads(resources.files(__package__).joinpath("resources", BUNDLED_RULES).read_text(encoding="utf-8"))


def read_rules(path: str | Path | None = None) -> NegationRules:
    """The bundled rules, or those of a rules file (the bundled format, or a list of CueRule fields)."""
    if path is None:
        return NegationRules.from_json(_bundled_raw())
    return NegationRules.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def dump_rules(rules: list[CueRule], path: str | Path) -> None:
    """Write cue rules as a JSON list, a format ``read_rules`` reads (with the bundled word sets)."""
    Path(path).write_text(json.dumps([asdict(r) for r in rules], indent=1), encoding="utf-8")
