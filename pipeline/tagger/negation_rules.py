"""Cue rules for the ``imr_negation`` component, kept as data.

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
  Sentence-final punctuation and semicolons end scope too (see ``PUNCT_TERMINATORS``).

The list was written for this project from the general vocabulary of clinical negation
(the cue words NegEx/ConText made well known) plus the language of IMR reviewers. It is
not a copy of any other project's rule file. ``skip_labels`` names entity labels a cue
does not apply to: a named test that "was negative" is, per taxonomy section 5, the
documented FINDING and not an absent one.

A JSON file with a list of objects of the same fields can replace this list (factory
setting ``rules_path``).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
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

# Tokens that always end a scope: a sentence end inside text we could not split, and a
# semicolon, which in clinical text separates findings ("no effusion; crepitus").
PUNCT_TERMINATORS = frozenset({".", "?", "!", ";"})
SOFT_TERMINATORS = frozenset({":"})

# Commas and coordinators do not use up scope: "denies palpitations, shortness of breath,
# chest pain, headache, or lightheadedness" is one list under one cue.
LIST_GLUE = frozenset({",", "or", "and", "nor", "/"})

# A FINDING whose own text states its result ("normal strength", "ligaments stable",
# "negative Lachman", "joint spaces preserved", "consistent UDS") is the documented
# result (taxonomy section 5), so a negation cue outside it does not reach it: in
# "no effusion, ROM 0-125, ligaments stable" the "no" is about the effusion only.
SELF_QUALIFIED_WORDS = frozenset(
    {"normal", "normally", "intact", "stable", "negative", "preserved", "consistent",
     "unremarkable", "symmetric", "symmetrical", "healed", "5/5"}
)
SELF_QUALIFIED_LABELS = frozenset({"FINDING"})


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


def _rules(category: str, direction: str, literals: str, **kw) -> list[CueRule]:
    """Rules from a block of literals, one a line (blank lines ignored)."""
    return [
        CueRule(line.strip(), category, direction, **kw)
        for line in literals.splitlines()
        if line.strip()
    ]


# --- negation, forward ------------------------------------------------------------
# The single words carry most of the load; the longer phrases are listed because they
# must win over pseudo-triggers that share their first words ("no evidence of" negates,
# "no evidence that" is a statement about the literature) and because they document the
# reviewer language the component is meant to read.
_FORWARD_NEG = """
no
not
without
w/o
nor
neither
never
denies
denied
deny
denying
denies any
denied any
negative for
is negative for
was negative for
are negative for
were negative for
been negative for
-ve for
free of
nothing
absence of
in the absence of
lack of
lack
lacks
lacked
lacking
rather than
instead of
ruled out
rules out
rule him out
rule her out
no evidence of
no evidence for
no evidence to suggest
no sign of
no signs of
no symptoms of
no suggestion of
no findings of
no finding of
no history of
no complaints of
no indication of
there is no indication of
no objective
no documentation of
no documented
there is no documentation
there is no documentation of
no record of
no mention of
without evidence of
without any evidence of
without signs of
without sign of
without any
not demonstrate
does not demonstrate
did not demonstrate
fails to show
failed to show
fails to reveal
failed to reveal
fails to demonstrate
failed to demonstrate
fails to document
failed to document
does not document
do not document
did not document
does not describe
do not describe
did not describe
does not show
do not show
did not show
does not have
did not have
not have
never had
never developed
none of
unremarkable for
resolution of
"""

# --- negation, backward -----------------------------------------------------------
# "Complications: none" answers a heading, so a bare "none" looks back ("none of"
# looks forward, above).
# "X is not documented": the copula sits between the entity and the cue and counts as
# one token of scope, so "not documented" covers "is/was/were/has been not documented".
_BACKWARD_NEG = """
not documented
not described
not reported
not recorded
not noted
not found
not seen
not identified
not visualized
not appreciated
not detected
not observed
not elicited
not evident
not present
not demonstrated
not shown
not established
not been established
has not been established
have not been established
not confirmed
not palpable
is ruled out
are ruled out
was ruled out
were ruled out
been ruled out
is absent
are absent
was absent
were absent
absent
has resolved
have resolved
resolved
none
free
"""

# A test result word after a copula ("blood cultures were negative") says the condition
# tested for is absent; for a FINDING it is the documented result itself (taxonomy 5).
_BACKWARD_RESULT = """
is negative
was negative
are negative
were negative
negative
"""

# No copula + "not" in both directions ("X is not ..."): measured, it cost precision on
# both test sets ("is not unreasonable", "is not a first-line treatment and is only
# approved for X"); "not" forward and the "not <participle>" cues above cover its uses.
_BIDIRECTIONAL_NEG = """
"""

# --- hedges -------------------------------------------------------------------------
_POSSIBLE = """
possible
possibly
probable
probably
may
might
could
questionable
question of
suspected
suspicious for
suspicion for
concern for
concerning for
rule out
r/o
versus
vs
cannot exclude
can not exclude
cannot be excluded
can not be excluded
not excluded
not be excluded
cannot rule out
can not rule out
not ruled out
not be ruled out
not been ruled out
not rule out
not certain
not sure
not clear
not clear if
not clear whether
whether or not
"""

# --- pseudo-triggers ----------------------------------------------------------------
# Phrases with a negation word that report no change, a comparison, or (in IMR letters)
# a statement about the request or the guideline rather than about the patient:
# "not recommended for chronic low back pain" does not say the pain is absent.
_PSEUDO = """
no increase
no increased
no change
no changes
no significant change
no interval change
no significant interval change
no definite change
no suspicious change
no more than
no less than
no later than
no sooner than
no longer than
no matter
no doubt
no good evidence
no evidence that
no quality evidence
no high-quality evidence
not be recommended
not usually
not generally
not unreasonable
not uncommon
not unusual
no reduction
no decrease
no improvement
no relief
no better
no worse
without difficulty
without relief
without improvement
without lasting improvement
without benefit
without success
without change
not only
not just
not necessarily
not extend
not cause
not drain
not changed
not improved
not responded
not tolerate
not tolerated
not working
not work
not worked
not recommended
not recommend
not routinely
not indicated
not supported
not medically necessary
not necessary
not required
not certified
not approved
not authorized
not been shown
not effective
not reliable
not among
not addressed
not address
not a candidate
gram negative
gram - negative
is denied
was denied
were denied
are denied
been denied
denied by
"""

# --- terminators --------------------------------------------------------------------
_TERMINATE = """
but
however
although
though
nevertheless
nonetheless
still
whereas
except
except for
apart from
aside from
other than
which
who
because
since
unless
secondary to
due to
as the cause of
as the source of
as the etiology of
as the reason for
cause of
cause for
causes of
etiology of
etiology for
source of
source for
origin of
reason for
presents
presenting
presented with
complains of
complaining of
"""


DEFAULT_RULES: list[CueRule] = [
    *_rules(NEGATED, FORWARD, _FORWARD_NEG),
    *_rules(NEGATED, BACKWARD, _BACKWARD_NEG),
    *_rules(NEGATED, BACKWARD, _BACKWARD_RESULT, skip_labels=("FINDING",)),
    *_rules(NEGATED, BIDIRECTIONAL, _BIDIRECTIONAL_NEG),
    *_rules(POSSIBLE, NONE, _POSSIBLE),
    *_rules(PSEUDO, NONE, _PSEUDO),
    *_rules(TERMINATE, NONE, _TERMINATE),
]


def load_rules(path: str | Path | None = None) -> list[CueRule]:
    """The bundled rules, or the rules in a JSON file (a list of CueRule fields)."""
    if path is None:
        return list(DEFAULT_RULES)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [CueRule(**row) for row in data]


def dump_rules(rules: list[CueRule], path: str | Path) -> None:
    """Write rules as JSON, the format ``load_rules`` reads."""
    Path(path).write_text(json.dumps([asdict(r) for r in rules], indent=1), encoding="utf-8")
