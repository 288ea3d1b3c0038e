"""``imr_negation``: a ConText-style negation component (sets ``Span._.negated``).

Why not medspaCy's ConText: importing medspaCy costs ~5 s, over the tagger's start-up
budget. This module implements the same model on plain spaCy tokens:

- cue phrases (``resources/negation_rules.json``, read by ``negation_rules``) are found once per document by n-gram lookup over
  lower-cased, non-space tokens, so "negative   for" and "no\\ndocumentation of" match;
  overlapping cues are resolved longest first, and a pseudo-trigger or hedge beats a
  negation cue of the same length ("not ruled out" is a hedge, "no change" says nothing
  is absent);
- a negation cue's scope runs FORWARD and/or BACKWARD from the cue for at most
  ``max_scope`` words (commas and "and/or/nor" are list glue and do not count, so a
  long "denies A, B, C, D or E" stays in scope), and stops at the sentence edge, at a
  terminator ("but", "however", "which", "secondary to"), at ``. ; ? !`` and at a colon
  that does not directly follow the cue (a new field: "Allergies: none" still works);
- an entity is negated when some negation cue's scope overlaps it. Cues that lie inside
  any entity are ignored: their words are part of that entity's own text ("negative
  straight leg raise", "intact sensation", "oral mucosa moist with no erythema"). A cue
  can also be marked not to apply to some labels (a test that "was negative" is a
  FINDING result, not an absent finding).

Work is linear in the length of the document: one pass to find cues, then per sentence
each entity is checked against that sentence's few cues only.

The rules are data: the component reads the bundled file (or ``rules_path``) when it is
made and writes them with the pipeline (``imr_negation/rules.json``); a loaded tagger
judges by its own saved copy, which its manifest checksums.

Use ``NegationEngine.is_negated(text, start, end)`` to judge one target in one sentence
(the NegEx evaluation does this through the real component path).
"""
# No "from __future__ import annotations": spaCy resolves the factory signature at runtime.

from bisect import bisect_left
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401  (declares Span._.negated)
from .negation_rules import (
    BACKWARD,
    BIDIRECTIONAL,
    FORWARD,
    NEGATED,
    POSSIBLE,
    PSEUDO,
    TERMINATE,
    CueRule,
    NegationRules,
    read_rules,
)

DEFAULT_MAX_SCOPE = 10

# Tie-break for overlapping cues of equal length: what blocks a negation wins.
_PRIORITY = {PSEUDO: 0, POSSIBLE: 1, TERMINATE: 2, NEGATED: 3}

# Token forms spaCy writes differently from how the rules spell them.
_NORMALISE = {"n't": "not", "nt": "not", "w/o": "without"}


def _key(text: str) -> str:
    low = text.lower()
    return _NORMALISE.get(low, low)


@dataclass(frozen=True)
class Cue:
    """A matched cue, in document token indices (``end`` exclusive)."""

    start: int
    end: int
    rule: CueRule


@dataclass(frozen=True)
class Scope:
    """The stretch of tokens a negation cue covers (document token indices)."""

    cue: Cue
    start: int
    end: int  # exclusive

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


class NegationEngine:
    """Cue matching and scope resolution, independent of any pipeline."""

    def __init__(
        self,
        vocab_or_nlp,
        rules: NegationRules | Sequence[CueRule],
        max_scope: int = DEFAULT_MAX_SCOPE,
        labels: Iterable[str] | None = None,
        list_aware: bool = True,
    ):
        tokenizer = vocab_or_nlp.tokenizer if hasattr(vocab_or_nlp, "tokenizer") else None
        if tokenizer is None:
            raise TypeError("NegationEngine needs a Language (for its tokenizer)")
        self.tokenizer = tokenizer
        self.max_scope = max_scope
        self.list_aware = list_aware
        # Only these labels are judged (None: all). Other entities still count as text
        # that hides the cues inside them.
        self.labels = frozenset(labels) if labels is not None else None
        if not isinstance(rules, NegationRules):  # cue rules alone: with the bundled word sets
            rules = NegationRules.from_json([asdict(rule) for rule in rules])
        self.rule_set = rules
        self.rules = list(rules.cues)
        # Rules are tokenised with the same tokenizer as the text, so "w/o", "n't" and
        # hyphens split the same way on both sides.
        self._table: dict[tuple[str, ...], CueRule] = {}
        for rule in self.rules:
            key = tuple(_key(t.text) for t in tokenizer(rule.literal) if not t.is_space)
            if not key:
                continue
            old = self._table.get(key)
            if old is None or _PRIORITY[rule.category] < _PRIORITY[old.category]:
                self._table[key] = rule
        self._max_len = max((len(k) for k in self._table), default=1)

    # -- cues ---------------------------------------------------------------------------
    def find_cues(self, idx: Sequence[int], keys: Sequence[str]) -> list[Cue]:
        """Cues over the non-space tokens ``idx`` (doc indices) with lookup ``keys``."""
        found: list[tuple[int, int, CueRule]] = []
        n = len(keys)
        table, max_len = self._table, self._max_len
        for i in range(n):
            for length in range(min(max_len, n - i), 0, -1):
                rule = table.get(tuple(keys[i : i + length]))
                if rule is not None:
                    found.append((i, i + length, rule))
        # Longest first, then the blocking categories, then leftmost; keep non-overlapping.
        found.sort(key=lambda c: (-(c[1] - c[0]), _PRIORITY[c[2].category], c[0]))
        taken = bytearray(n)
        kept: list[Cue] = []
        for s, e, rule in found:
            if any(taken[s:e]):
                continue
            taken[s:e] = b"\x01" * (e - s)
            kept.append(Cue(idx[s], idx[e - 1] + 1, rule))
        kept.sort(key=lambda c: c.start)
        return kept

    # -- scopes -------------------------------------------------------------------------
    def scopes(self, cues: Sequence[Cue], idx: Sequence[int], keys: Sequence[str]) -> list[Scope]:
        """Scopes of the negation cues among ``cues`` within one sentence."""
        pos = {t: k for k, t in enumerate(idx)}  # doc index -> position among non-space
        n = len(idx)
        stops = sorted(
            {pos[c.start] for c in cues if c.rule.category == TERMINATE}
            | {k for k, key in enumerate(keys) if key in self.rule_set.punct_terminators}
        )
        # A colon starts a new field ("Measurements not obtainable *** DIAGNOSIS: chest
        # pain"), except right after the cue ("Negative for: ...", "Allergies: none").
        colons = [k for k, key in enumerate(keys) if key in self.rule_set.soft_terminators]
        glue = self.rule_set.list_glue if self.list_aware else frozenset()
        out: list[Scope] = []
        for cue in cues:
            if cue.rule.category != NEGATED:
                continue
            first, last = pos[cue.start], pos[cue.end - 1]
            width = cue.rule.max_scope or self.max_scope
            if cue.rule.direction in (FORWARD, BIDIRECTIONAL):
                end, counted = last + 1, 0
                while end < n and counted < width:
                    if keys[end] not in glue:
                        counted += 1
                    end += 1
                for s in stops:  # few per sentence; a linear walk is cheapest
                    if s > last:
                        end = min(end, s)
                        break
                for s in colons:
                    if s > last + 1:
                        end = min(end, s)
                        break
                if end > last + 1:
                    out.append(Scope(cue, idx[last + 1], idx[end - 1] + 1))
            if cue.rule.direction in (BACKWARD, BIDIRECTIONAL):
                start, counted = first, 0
                while start > 0 and counted < width:
                    if keys[start - 1] not in glue:
                        counted += 1
                    start -= 1
                for s in reversed(stops):
                    if s < first:
                        start = max(start, s + 1)
                        break
                for s in reversed(colons):
                    if s < first - 1:
                        start = max(start, s + 1)
                        break
                if start < first:
                    out.append(Scope(cue, idx[start], idx[first - 1] + 1))
        return out

    # -- documents ----------------------------------------------------------------------
    def apply(self, doc: Doc, spans: Iterable[Span]) -> None:
        """Set ``_.negated`` on ``spans`` (entities of ``doc``), sentence by sentence."""
        spans = sorted(spans, key=lambda s: (s.start, s.end))
        if not spans:
            return
        starts = [sp.start for sp in spans]
        for s0, s1 in _sentence_bounds(doc):
            # The spans of this sentence (one crossing a boundary belongs where it starts).
            here = spans[bisect_left(starts, s0) : bisect_left(starts, s1)]
            if here:
                for span, negated in self._judge_sentence(doc, s0, s1, here):
                    span._.negated = negated

    def _judge_sentence(self, doc: Doc, s0: int, s1: int, spans: Sequence[Span]):
        idx = [t.i for t in doc[s0:s1] if not t.is_space]
        keys = [_key(doc[i].text) for i in idx]
        cues = self.find_cues(idx, keys)
        # A cue wholly inside an entity is part of that entity's text, not a statement
        # about it or its neighbours. (A cue that only starts the entity, "no objective"
        # before "objective radicular findings", still counts.)
        cues = [c for c in cues if not any(sp.start <= c.start and c.end <= sp.end for sp in spans)]
        scopes = self.scopes(cues, idx, keys)
        result = []
        for sp in spans:
            if self.labels is not None and sp.label_ not in self.labels:
                continue
            if sp.label_ in self.rule_set.self_qualified_labels and any(
                _key(t.text) in self.rule_set.self_qualified_words for t in sp
            ):
                result.append((sp, False))
                continue
            negated = any(
                sc.overlaps(sp.start, sp.end)
                and sp.label_ not in sc.cue.rule.skip_labels
                and not (sc.cue.start >= sp.start and sc.cue.end <= sp.end)
                for sc in scopes
            )
            result.append((sp, negated))
        return result

    def is_negated(self, text: str, start: int, end: int, label: str = "CONDITION") -> bool:
        """Whether the target at characters ``start:end`` of one sentence is negated."""
        doc = self.tokenizer(text)
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None:
            return False
        self.apply(doc, [span])
        return bool(span._.negated)


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token bounds of the sentences, or the whole doc when none are set."""
    if len(doc) == 0:
        return []
    if doc.has_annotation("SENT_START"):
        return [(s.start, s.end) for s in doc.sents]
    return [(0, len(doc))]


class NegationComponent:
    """The pipeline component: judges ``doc.ents`` and, if present, ``doc.spans[key]``."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        max_scope: int,
        rules_path: str | None,
        span_key: str | None,
        labels: list[str] | None,
    ):
        self.name = name
        self.span_key = span_key
        self.nlp = nlp
        self.max_scope = max_scope
        self.labels = labels
        self.engine = NegationEngine(nlp, read_rules(Path(rules_path) if rules_path else None), max_scope, labels)

    def __call__(self, doc: Doc) -> Doc:
        self.engine.apply(doc, doc.ents)
        if self.span_key and self.span_key in doc.spans:
            self.engine.apply(doc, doc.spans[self.span_key])
        return doc

    # The rules travel with the pipeline, as an EntityRuler's patterns do.
    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = util.ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / RULES_FILE, self.engine.rule_set.to_json())

    def from_disk(self, path, *, exclude=tuple()) -> "NegationComponent":
        rules = NegationRules.from_json(srsly.read_json(util.ensure_path(path) / RULES_FILE))
        self.engine = NegationEngine(self.nlp, rules, self.max_scope, self.labels)
        return self


RULES_FILE = "rules.json"


# Guideline names are never "absent" (taxonomy section 5 negates conditions and
# findings only): "which is not part of the MTUS" says nothing about a condition.
DEFAULT_LABELS = ["CONDITION", "FINDING"]


@Language.factory(
    "imr_negation",
    default_config={
        "max_scope": DEFAULT_MAX_SCOPE,
        "rules_path": None,
        "span_key": "sc",
        "labels": DEFAULT_LABELS,
    },
)
def make_negation(
    nlp: Language,
    name: str,
    max_scope: int,
    rules_path: str | None,
    span_key: str | None,
    labels: list[str] | None,
):
    return NegationComponent(nlp, name, max_scope, rules_path, span_key, labels)
