"""Scoring never loses a batch to one letter: long letters are tagged in pieces, a failing
letter gets one internal-error record and the others of its batch are scored."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.scoring import Scorer, tag_spans, text_pieces
from pipeline.reader.sources import RawText

from letters_for_tests import LETTERS

ROOT = Path(__file__).resolve().parent.parent
IMR = [sys.executable, "-m", "pipeline.cli"]
SPACY_MAX_LENGTH = 1_000_000


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer.load()


def _spans(letter) -> list[tuple]:
    return [(s.start, s.end, s.label, s.negated, s.guideline_id) for s in letter.spans]


def test_pieces_cover_the_text_and_cut_at_breaks():
    paragraph = "word " * 30 + "\n"
    text = (paragraph * 3 + "\n") * 40
    pieces = text_pieces(text, 1000)
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in pieces)
    assert all(len(piece) <= 1000 for _, piece in pieces)
    assert all(piece.endswith("\n\n") for _, piece in pieces[:-1])  # paragraph breaks first
    lines = text_pieces(paragraph * 100, 1000)
    assert all(piece.endswith("\n") for _, piece in lines[:-1])
    unbroken = text_pieces("x" * 2500, 1000)  # no break at all: cut where the limit says
    assert [len(piece) for _, piece in unbroken] == [1000, 1000, 500]


def test_a_letter_tagged_in_pieces_has_the_offsets_of_the_whole(scorer):
    letter = LETTERS["fdl-issues"].strip()
    whole = tag_spans(scorer.tagger, letter)
    assert whole
    step = len(letter) + 2
    repeated = "\n\n".join([letter] * 3)
    # pieces of one letter each: every copy's spans are the single letter's, shifted by its offset
    spans = tag_spans(scorer.tagger, repeated, piece_chars=step)
    assert spans == [type(s)(s.start + k * step, s.end + k * step, s.label, s.negated, s.guideline_id)
                     for k in range(3) for s in whole]


def test_a_letter_over_spacys_limit_is_scored_and_its_batch_written(tmp_path):
    """E088 (text over 1,000,000 characters) used to kill the whole batch, and --resume met it again."""
    base = LETTERS["fdl-issues"]
    middle = base.index("\n\n", len(base) // 2)
    paragraph = ("\n\nThe patient reports chronic low back pain. There is no documentation of functional "
                 "improvement with prior physical therapy, as the MTUS and ODG require.\n")
    long_text = base[:middle] + paragraph * (SPACY_MAX_LENGTH // len(paragraph) + 1) + base[middle:]
    assert len(long_text) > SPACY_MAX_LENGTH
    inputs = tmp_path / "in.jsonl"
    layouts = sorted(LETTERS)
    rows = [{"id": "before", "text": LETTERS[layouts[1]]}, {"id": "long", "text": long_text},
            {"id": "after", "text": LETTERS[layouts[2]]}]
    inputs.write_text("".join(json.dumps(row) + "\n" for row in rows))
    out = tmp_path / "out.jsonl"
    first = subprocess.run(IMR + ["score", str(inputs), "--out", str(out)], cwd=ROOT, capture_output=True,
                           text=True, timeout=900)
    assert first.returncode == 0, first.stderr[-2000:]
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert list(records) == ["before", "long", "after"]
    long = records["long"]
    assert "error" not in long and long["items"] and long["text"] == long_text
    tail = len(long_text) - len(base) + middle  # the letter's own ending, after the padding
    assert any(s["start"] >= tail for s in long["spans"])  # the last piece was tagged too
    for span in long["spans"]:
        covered = long_text[span["start"]:span["end"]]
        assert covered and covered == covered.strip()
    assert any("tagged in pieces" in w for w in long["warnings"])
    # --resume after the long letter goes on to the next one
    out.write_text("".join(json.dumps(records[i]) + "\n" for i in ("before", "long")))
    resumed = subprocess.run(IMR + ["score", str(inputs), "--out", str(out), "--resume"], cwd=ROOT,
                             capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["before", "long", "after"]


class Failing:
    """Wraps a model part and raises on any text holding ``marker``: a bug that one letter sets off."""

    def __init__(self, wrapped, marker: str):
        self.wrapped, self.marker = wrapped, marker

    def __getattr__(self, name):
        return getattr(self.wrapped, name)

    def _check(self, texts):
        texts = list(texts)
        if any(self.marker in text for text in texts):
            raise ValueError(f"cannot handle {self.marker}")
        return texts

    def pipe(self, texts, **kwargs):  # the tagger's batch call
        return self.wrapped.pipe(self._check(texts), **kwargs)

    def __call__(self, text):
        return self.wrapped(*self._check([text]))

    def predict_proba(self, texts):  # the classifier's batch call
        return self.wrapped.predict_proba(self._check(texts))


@pytest.mark.parametrize("part", ["tagger", "reasons"])
def test_one_failing_letter_leaves_its_batch_scored(scorer, part):
    marker = "Zzyzx"  # a word no other letter has
    layouts = sorted(LETTERS)
    raws = [RawText(id=f"l{n}", text=LETTERS[layouts[n % 3]]) for n in range(6)]
    bad = LETTERS["fdl-issues"].replace("report is provided.", f"report is provided. {marker}.")  # in a rationale
    raws.insert(3, RawText(id="bad", text=bad))
    expected = {l.id: l for l in scorer.score([RawText(id=r.id, text=r.text) for r in raws if r.id != "bad"])}
    fussy = Scorer(scorer.tagger, scorer.reasons, scorer.reader)
    setattr(fussy, part, Failing(getattr(scorer, part), marker))
    letters = list(fussy.score(raws, batch_size=16))  # all in one batch
    assert [l.id for l in letters] == [r.id for r in raws]
    failed = letters[3]
    assert failed.error_kind == "internal"
    assert failed.error.startswith("internal error while scoring (ValueError: cannot handle Zzyzx)")
    assert failed.text == bad
    for letter in letters[:3] + letters[4:]:
        assert letter.error is None
        assert _spans(letter) == _spans(expected[letter.id])
        assert [(i.reasons, i.reason_scores) for i in letter.items] == \
            [(i.reasons, i.reason_scores) for i in expected[letter.id].items]


def test_a_reader_failure_is_the_same_internal_record_in_parse_and_score(scorer, monkeypatch):
    from pipeline.batch import parse_inputs
    from pipeline.reader import LetterReader

    real_read = LetterReader.read

    def read(self, raw):
        if raw.id == "bad":
            raise KeyError("boom")
        return real_read(self, raw)

    monkeypatch.setattr(LetterReader, "read", read)
    raws = [RawText(id="good", text=LETTERS["fdl-issues"]), RawText(id="bad", text=LETTERS["fdl-issues"])]
    scored = list(scorer.score(raws))
    assert scored[0].error is None and scored[1].error_kind == "internal"
    import pipeline.batch as batch

    monkeypatch.setattr(batch, "iter_raw", lambda inputs, exclude=(): iter(raws))
    parsed = list(parse_inputs(["unused"]))
    assert parsed[1].to_json() == scored[1].to_json()
    assert scored[1].error == "internal error while reading (KeyError: 'boom'); please report it"


def test_a_letter_that_breaks_imr_label_gets_an_internal_record_and_the_run_goes_on(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from pipeline.reasons import rules
    from pipeline.cli import app

    from letters_for_tests import LETTERS

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(LETTERS["fdl-issues"] if name != "b" else LETTERS["fdl-decisions"])
    real = rules.weak_labels

    def breaks_on_b(letter):
        if letter.id == "b":
            raise RuntimeError("boom")
        real(letter)

    monkeypatch.setattr(rules, "weak_labels", breaks_on_b)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["label", str(tmp_path), "--out", str(out)])
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "c"]
    assert records[1]["error_kind"] == "internal" and "boom" in records[1]["error"]
    assert records[0]["items"] and records[2]["items"]
    assert result.exit_code == 1
