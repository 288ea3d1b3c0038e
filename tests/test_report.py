"""The HTML report: totals, gold figures, letters, large runs, service categories, and a real
headless browser rendering it.

The browser tests use Debian's ``chromium`` and skip when no binary is found. The
page's inline script records any error in the DOM (``data-report-error``) and
marks ``#js-status`` with ``data-ready="ok"`` once the letters are rendered.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import tracemalloc
from fnmatch import fnmatch
from pathlib import Path

import pytest

from pipeline.reporting.analysis import (generated_records, reason_errors, service_categories, service_category, totals,
                               write_jsonl)
from pipeline.evaluation.metrics import read_jsonl
from pipeline.reporting.highlight import entity_colors, highlight_css, highlight_html
from pipeline.paths import GOLD_DIR, PROJECT_ROOT
from pipeline.reporting.report import build_report, report_command, write_report

GOLD = GOLD_DIR / "dev.jsonl"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def scored_dev(tmp_path_factory) -> Path:
    """The gold dev letters' texts scored with the bundled models."""
    from pipeline.scoring import Scorer
    from pipeline.reader.sources import RawText

    gold = read_jsonl(GOLD)
    scorer = Scorer.load()
    letters = scorer.score(RawText(id=i, text=r["text"]) for i, r in gold.items())
    return write_jsonl((letter.to_json() for letter in letters), tmp_path_factory.mktemp("scored") / "dev-scored.jsonl")


@pytest.fixture(scope="module")
def dev_report(scored_dev, tmp_path_factory) -> Path:
    return build_report(scored_dev, GOLD, tmp_path_factory.mktemp("report") / "report.html")


def embedded_data(page: str) -> dict:
    blob = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(blob)


def test_report_has_totals_gold_figures_and_items(scored_dev, dev_report):
    page = dev_report.read_text(encoding="utf-8")
    t = totals(read_jsonl(scored_dev).values())
    assert t["letters"] == 81 and t["items"] > 200
    assert f'id="t-letters">{t["letters"]}<' in page
    assert f'id="t-items">{t["items"]}<' in page
    assert f'id="t-upheld-rate">{t["upheld_rate"]:.1%}<' in page and 'id="t-errors">0<' in page
    assert "Reasons by frequency" in page and "Reasons by service category" in page and "<svg" in page
    assert 'id="figures"' in page and "missing_exam_finding" in page and 'id="errors"' in page
    data = embedded_data(page)
    assert len(data["letters"]) == 81 and data["gold"] is True and data["total"] == 81
    assert 'id="sample-note"' not in page  # a small run shows every letter
    first = data["letters"][0]
    upheld = next(it for letter in data["letters"] for it in letter["items"] if it["dec"] == "upheld")
    assert first["items"][0]["svc"] and upheld["p"] and upheld["rs"] and first["ents"]
    assert '<mark class="entity e-' in first["html"]
    assert sum(len(letter["items"]) for letter in data["letters"]) == t["items"]
    # Self-contained: no external scripts, styles or images.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", page)


def test_report_without_gold_and_command(scored_dev, tmp_path, capsys):
    out = tmp_path / "plain.html"
    report_command(scored_dev, None, out)
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"wrote {out}") and "81 letters" in line and "\n" not in line
    page = out.read_text(encoding="utf-8")
    assert 'id="figures"' not in page and embedded_data(page)["gold"] is False


def test_missing_inputs_are_usage_errors(scored_dev, tmp_path, capsys):
    for args in ((tmp_path / "nope.jsonl", None, tmp_path / "r.html"), (scored_dev, tmp_path / "nope.jsonl", tmp_path / "r.html"),
                 (scored_dev, None, tmp_path)):
        with pytest.raises(SystemExit) as stop:
            report_command(*args)
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


def test_script_content_cannot_break_out(tmp_path):
    record = {"id": "x</script><b>1", "text": "Pain </script><script>alert(1)</script> & more\u2028",
              "items": [{"service": "MRI </script>", "decision": "upheld", "reasons": ["missing_exam_finding"]}],
              "spans": [{"start": 0, "end": 4, "label": "CONDITION", "negated": True}]}
    path = write_jsonl([record], tmp_path / "odd.jsonl")
    page = build_report(path, out_path=tmp_path / "odd.html").read_text(encoding="utf-8")
    assert page.count("</script>") == 3  # the error handler, the data blob and the page script
    letter = embedded_data(page)["letters"][0]
    assert letter["id"] == record["id"]
    shown = re.sub(r'<span class="el">[^<]*</span>', "", letter["html"])
    assert html.unescape(re.sub(r"<[^>]+>", "", shown)) == record["text"]


def test_service_categories():
    assert service_category("Norco 10/325mg #120") == "drug"
    assert service_category("Lidoderm 5% patch #30") == "drug"
    assert service_category("Compounded topical cream: flurbiprofen 20%, lidocaine 5%") == "drug"
    assert service_category("Lumbar epidural steroid injection at L4-L5") == "injection"
    assert service_category("Bilateral L4-5 medial branch blocks") == "injection"
    assert service_category("MRI of the lumbar spine without contrast") == "imaging"
    assert service_category("EMG/NCV of the bilateral lower extremities") == "imaging"
    assert service_category("Post-operative physical therapy 12 sessions") == "therapy"
    assert service_category("Myofascial release, 6 sessions") == "therapy"
    assert service_category("Right carpal tunnel release") == "surgery"
    assert service_category("Right shoulder arthroscopy with subacromial decompression") == "surgery"
    assert service_category("Hot/cold therapy unit") == "DME"
    assert service_category("TENS unit purchase") == "DME"
    assert service_category("Cognitive behavioral therapy, 6 sessions") == "psych"
    assert service_category("Home health care 4 hours/day") == "home care"
    assert service_category("Urine drug screen") == "lab test"
    assert service_category("Pain management consultation") == "evaluation"
    assert service_category("Follow-up visit with pain management") == "evaluation"
    assert service_category("Hearing aids") == "other"
    assert set(map(service_category, ["Norco 10/325mg", "Hearing aids"])) <= set(service_categories())


def test_service_categories_match_whole_words():
    """The old substring matching put these in the wrong place ("unit" inside "community",
    "tens" inside "intense", "gel" inside "angel", "ct" inside "doctor", "cane" inside "hurricane")."""
    assert service_category("Community-based functional restoration program") == "therapy"
    assert service_category("High intensity interval exercise program") == "therapy"
    assert service_category("Intense pulsed light therapy") == "therapy"
    assert service_category("Angelica root extract") == "other"
    assert service_category("Doctor's first report follow-up visit") == "evaluation"
    assert service_category("Selective nerve root block with contrast") == "injection"
    # Prefixes and suffixes are whole words too: '*ectomy' and 'inject*'.
    assert service_category("L5-S1 microdiscectomy") == "surgery"
    assert service_category("Injections of Toradol") == "injection"


def test_real_letters_services_mostly_get_a_category(shared_dir, tmp_path):
    """The services of the real DWC pool (read by `imr parse`, nothing of them kept) mostly fall
    in a category other than "other"."""
    pool = shared_dir / "data" / "real-letters"
    if not pool.is_dir():
        pytest.skip("no real letters in ../shared/data/real-letters")
    out = tmp_path / "real.jsonl"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(pool), "--out", str(out)],
                   capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)
    services = [item["service"] for r in read_jsonl(out).values() for item in r.get("items") or []]
    assert len(services) >= 200
    other = [s for s in services if service_category(s) == "other"]
    assert len(other) <= 0.05 * len(services), f"{len(other)} of {len(services)} services are 'other'"


def test_highlight_marks_entities_negation_and_evidence():
    text = "No <tenderness> noted. ODG applies."
    spans = [{"start": 3, "end": 15, "label": "FINDING", "negated": True},
             {"start": 23, "end": 26, "label": "GUIDELINE", "negated": False, "guideline_id": "ODG"}]
    out = highlight_html(text, spans, [(0, 22, "missing_exam_finding")])
    assert "&lt;tenderness&gt;" in out and "<tenderness>" not in out
    assert 'class="entity e-FINDING neg"' in out and "FINDING (absent)" in out and "GUIDELINE ODG" in out
    assert 'class="entity e-GUIDELINE"' in out
    assert 'class="ev" title="missing_exam_finding"' in out
    assert re.sub(r"<[^>]+>", "", out).replace("FINDING (absent)", "").replace("GUIDELINE ODG", "") \
        == text.replace("<", "&lt;").replace(">", "&gt;")


# In a real browser ------------------------------------------------------------------------

def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium binary found (Debian: apt-get install chromium)")


def run_browser(binary: str, page: Path, tmp: Path, *extra: str, timeout: int = 180,
                fragment: str = "") -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--virtual-time-budget=10000", *extra, page.resolve().as_uri() + fragment]
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=tmp)


def check_in_browser(report: Path, tmp: Path, fragment: str = "") -> str:
    """The rendered page (``fragment``: opened at ``#...``), after checking the script ran
    without an error; a screenshot is taken first."""
    binary = browser()
    shot = tmp / "report.png"
    run_browser(binary, report, tmp, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.exists() and shot.stat().st_size > 10_000, "no screenshot"
    dom = run_browser(binary, report, tmp, "--dump-dom", fragment=fragment).stdout
    assert 'data-report-ready="1"' in dom, "the page script did not finish"
    error = re.search(r'<div id="js-error"[^>]*>([^<]*)', dom)
    assert 'data-report-error="1"' not in dom and error is None, error and error.group(1)
    assert 'data-ready="ok"' in dom
    return dom.split('<script type="application/json"')[0]  # the rendered page, without the scripts


def test_report_renders_in_headless_chromium(dev_report, scored_dev, tmp_path):
    dom = check_in_browser(dev_report, tmp_path)
    records = list(read_jsonl(scored_dev).values())
    assert dom.count('<article class="letter"') == len(records)  # 81 letters, one page
    assert dom.count('<tr class="item">') == sum(len(r["items"]) for r in records)
    first = records[0]
    assert f'data-letter-id="{first["id"]}"' in dom
    assert first["items"][0]["service"].replace("&", "&amp;") in dom
    assert 'class="entity' in dom and "81 of 81 letters" in dom
    print(f"screenshot: {tmp_path / 'report.png'}")
    # A link to a letter (as the error lists make) opens it: its text with entity marks and the
    # evidence of its upheld items.
    target = next(r for r in records if any(it.get("evidence") and it["decision"] == "upheld" for it in r["items"]))
    opened = check_in_browser(dev_report, tmp_path, fragment=f"#letter={target['id']}")
    article = opened.split(f'data-letter-id="{target["id"]}"')[1].split("</article>")[0]
    assert '<mark class="entity e-' in article and '<span class="ev" title="item ' in article
    assert 'data-done="1"' in article


def test_generated_run_of_1000_letters_renders(tmp_path):
    """A 1,000-letter run: over the default limit of 500, so a sample of 500 is shown and said
    so; the first page of 200 renders. Build time and size printed.

    The letters are the generator's (labels true by construction) as they come; set
    IMR_REPORT_SCORE=1 to score them with the bundled models first (about 1.5 minutes)."""
    started = time.perf_counter()
    records = generated_records(1000, seed=99)
    if os.environ.get("IMR_REPORT_SCORE") == "1":
        from pipeline.reporting.analysis import score_records

        records = score_records(records)
    predictions = write_jsonl(records, tmp_path / "run.jsonl")
    ready = time.perf_counter()
    report = build_report(predictions, out_path=tmp_path / "run.html")
    built = time.perf_counter() - ready
    size = report.stat().st_size
    print(f"\n1,000 letters: data {ready - started:.1f} s, report built in {built:.1f} s, {size / 1e6:.1f} MB")
    page = report.read_text(encoding="utf-8")
    data = embedded_data(page)
    assert data["pageSize"] == 200 and len(data["letters"]) == 500 and data["total"] == 1000
    assert 'id="t-letters">1000<' in page and 'id="sample-note"' in page and "seed 13" in page
    dom = check_in_browser(report, tmp_path)
    assert dom.count('<article class="letter"') == 200 and "500 of 500 letters shown (1000 in the run)" in dom
    assert "page 1 of 3" in dom


# Large runs -------------------------------------------------------------------------------

def synthetic_run(path: Path, n: int, errors_every: int = 0) -> Path:
    """``n`` letters with distinct ids, made of the same few generated letters; every
    ``errors_every``-th one an error record."""
    base = list(generated_records(5, seed=3).values())
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            if errors_every and i % errors_every == 0:
                record = {"id": f"L{i:06d}", "text": "", "items": [], "spans": [], "error": "empty file: nothing to read",
                          "error_kind": "empty"}
            else:
                record = dict(base[i % len(base)], id=f"L{i:06d}")
            handle.write(json.dumps(record) + "\n")
    return path


def test_large_run_keeps_a_sample_and_counts_every_letter(tmp_path):
    small = write_report(synthetic_run(tmp_path / "small.jsonl", 400, errors_every=100), out_path=tmp_path / "s.html",
                         max_letters=100)
    large = write_report(synthetic_run(tmp_path / "large.jsonl", 4000, errors_every=100), out_path=tmp_path / "l.html",
                         max_letters=100)
    page = large.path.read_text(encoding="utf-8")
    data = embedded_data(page)
    expected = totals(json.loads(line) for line in (tmp_path / "large.jsonl").open(encoding="utf-8"))
    assert 'id="t-letters">4000<' in page and f'id="t-items">{expected["items"]}<' in page
    assert 'id="t-errors">40<' in page and expected["errors"] == 40
    # 100 letters shown in file order: the 40 error records, then 60 of the others at random.
    ids = [letter["id"] for letter in data["letters"]]
    assert len(ids) == 100 and ids == sorted(ids) and sum(1 for letter in data["letters"] if "err" in letter) == 40
    assert data["total"] == 4000 and 'id="sample-note"' in page and "the first 40 letters" in page
    # Ten times the letters, (almost) the same file: the size follows the sample, not the run.
    assert large.path.stat().st_size < 1.2 * small.path.stat().st_size
    assert large.path.stat().st_size < (tmp_path / "large.jsonl").stat().st_size / 10


def test_many_failures_leave_room_for_a_sample(tmp_path):
    """A run where every other letter failed still shows readable letters: the letters shown
    first for their errors take at most half the limit."""
    report = write_report(synthetic_run(tmp_path / "run.jsonl", 1000, errors_every=2), out_path=tmp_path / "r.html",
                          max_letters=100)
    letters = embedded_data(report.path.read_text(encoding="utf-8"))["letters"]
    failed = sum(1 for letter in letters if "err" in letter)
    assert len(letters) == 100 and report.sample["priority"] == 50 and 50 <= failed < 100


def test_sample_is_reproducible_and_follows_the_seed(tmp_path):
    run = synthetic_run(tmp_path / "run.jsonl", 600)

    def shown(seed: int) -> list[str]:
        path = build_report(run, out_path=tmp_path / f"r{seed}.html", max_letters=50, seed=seed)
        return [letter["id"] for letter in embedded_data(path.read_text(encoding="utf-8"))["letters"]]

    first = shown(13)
    assert len(first) == 50 and shown(13) == first and shown(14) != first
    # Spread over the run, not its first letters.
    assert max(first) > "L000300" and min(first) < "L000300"


def test_report_streams_instead_of_loading_the_run(tmp_path):
    """Peak memory while reporting on a run stays far below the run's size: only the sample's
    letters are held."""
    run = synthetic_run(tmp_path / "run.jsonl", 3000)
    tracemalloc.start()
    try:
        build_report(run, out_path=tmp_path / "r.html", max_letters=20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < run.stat().st_size / 4, f"peak {peak / 1e6:.1f} MB for a {run.stat().st_size / 1e6:.1f} MB run"


def test_error_records_and_broken_lines_do_not_stop_the_report(tmp_path):
    lines = [
        json.dumps({"id": "ok", "text": "Lumbar MRI is upheld.", "items": [{"service": "Lumbar MRI", "decision": "upheld",
                    "reasons": ["missing_exam_finding"], "evidence": {"missing_exam_finding": [[0, 99]]}}],
                    "spans": [{"start": 0, "end": 6, "label": "CONDITION"}, {"start": 40, "end": 50, "label": "FINDING"},
                              {"label": "FINDING"}]}),
        json.dumps({"id": "bad-pdf", "text": "", "items": [], "spans": [], "error": "corrupt or unreadable PDF",
                    "error_kind": "pdf_corrupt"}),
        json.dumps({"id": "nulls", "text": None, "items": None, "spans": None, "error": "unreadable",
                    "error_kind": None, "warnings": ["odd"]}),
        json.dumps({"text": "no id at all", "items": [None, {"service": None}]}),
        '{"id": "torn", "text": "half a li',
        "[1, 2]",
    ]
    run = tmp_path / "run.jsonl"
    run.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = write_jsonl([{"id": "None", "text": "no id at all", "items": [{"service": "MRI", "decision": "upheld",
                                                                          "reasons": ["missing_exam_finding"]}]}],
                       tmp_path / "gold.jsonl")
    with_gold = build_report(run, gold, out_path=tmp_path / "g.html").read_text(encoding="utf-8")
    assert embedded_data(with_gold)["letters"][3]["dis"] is True and 'id="figures"' in with_gold
    page = build_report(run, out_path=tmp_path / "r.html").read_text(encoding="utf-8")
    data = embedded_data(page)
    assert [letter["id"] for letter in data["letters"]] == ["ok", "bad-pdf", "nulls", "None"]
    assert 'id="t-letters">4<' in page and 'id="t-errors">2<' in page and 'id="t-unreadable">2 line(s)' in page
    assert "pdf_corrupt 1" in page and "error 1" in page
    assert data["letters"][0]["html"].count("<mark") == 1  # the spans outside the text are left out


def test_overturned_items_show_no_reasons_or_scores(tmp_path):
    scores = {"missing_diagnostic_evidence": 0.958, "missing_exam_finding": 0.1}
    record = {"id": "a", "text": "Ibuprofen 600mg. Overturned. MRI. Upheld.", "spans": [],
              "items": [{"service": "Ibuprofen 600mg", "decision": "overturned", "reasons": ["missing_exam_finding"],
                         "reason_scores": scores, "evidence": {"missing_exam_finding": [[0, 16]]}},
                        {"service": "MRI of the knee", "decision": "upheld", "reasons": ["missing_diagnostic_evidence"],
                         "reason_scores": scores}]}
    gold = {"id": "a", "text": record["text"], "spans": [],
            "items": [{"service": "Ibuprofen 600mg", "decision": "upheld", "reasons": ["missing_diagnostic_evidence"]},
                      {"service": "MRI of the knee", "decision": "upheld", "reasons": ["missing_diagnostic_evidence"]}]}
    pred_path, gold_path = write_jsonl([record], tmp_path / "p.jsonl"), write_jsonl([gold], tmp_path / "g.jsonl")
    page = build_report(pred_path, gold_path, tmp_path / "r.html").read_text(encoding="utf-8")
    overturned, upheld = embedded_data(page)["letters"][0]["items"]
    assert overturned["rs"] == [] and overturned["p"] is None and upheld["p"] and upheld["rs"]
    assert 'class="ev"' not in embedded_data(page)["letters"][0]["html"]  # its evidence is not shown either
    # The chart counts the upheld item's reason only.
    assert "<title>missing_diagnostic_evidence: 1</title>" in page and "<title>missing_exam_finding: 0</title>" in page
    # The gold error list names the missed reason without the overturned item's score.
    missed = [e for e in reason_errors(read_jsonl(gold_path), read_jsonl(pred_path)) if e["kind"] == "fn"]
    assert [(e["service"], e["score"]) for e in missed] == [("Ibuprofen 600mg", None)]
    assert "p=0.96" not in page


def test_letters_that_disagree_with_gold_are_shown_first(tmp_path):
    gold = list(read_jsonl(GOLD).values())[:30]
    pred = [dict(r) for r in gold]
    for r in pred[5:30:6]:  # five letters lose their items
        r["items"] = []
    pred_path, gold_path = write_jsonl(pred, tmp_path / "p.jsonl"), write_jsonl(gold, tmp_path / "g.jsonl")
    page = build_report(pred_path, gold_path, tmp_path / "r.html", max_letters=10).read_text(encoding="utf-8")
    letters = embedded_data(page)["letters"]
    flagged = [letter["id"] for letter in letters if letter["dis"]]
    assert len(letters) == 10 and flagged == [str(r["id"]) for r in pred[5:30:6]]
    assert 'id="t-letters">30<' in page and "disagreement with gold" in page


# Presentation files ---------------------------------------------------------------------------

def test_entity_colours_come_from_one_file(dev_report):
    page = dev_report.read_text(encoding="utf-8")
    colors = entity_colors()
    for label in ("GUIDELINE", "CONDITION", "FINDING", "absent"):
        assert colors[label] in highlight_css() and page.count(colors[label]) == 1  # one CSS rule each


def test_every_data_file_of_the_package_ships_with_it():
    """Every template, static file and data table under pipeline/ is in its package's package
    data, so a wheel (not only a checkout) can write the report, read letters and train."""
    package_data = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]
    root = PROJECT_ROOT / "pipeline"
    missing = []
    data_files = [f for f in root.rglob("*") if f.is_file() and f.suffix not in (".py", ".pyc")
                  and "__pycache__" not in f.parts]
    for path in data_files:
        owner = path.parent
        while not (owner / "__init__.py").exists():
            owner = owner.parent
        name = ".".join(owner.relative_to(PROJECT_ROOT).parts)
        relative = path.relative_to(owner).as_posix()
        if not any(fnmatch(relative, glob) for glob in package_data.get(name, [])):
            missing.append(f"{name}: {relative}")
    assert len(data_files) >= 10
    assert missing == []


def test_each_letter_shows_its_case_header(tmp_path):
    from letters_for_tests import LETTERS
    from pipeline.reader import read_text

    text = "Case Number: CM17-0123456\nDecision Date: 03/03/2017\nPriority: Expedited\n" + LETTERS["fdl-issues"]
    path = tmp_path / "p.jsonl"
    path.write_text(read_text(text, "hdr").to_jsonl_line(), encoding="utf-8")
    page = build_report(path, out_path=tmp_path / "h.html").read_text(encoding="utf-8")
    assert embedded_data(page)["letters"][0]["hdr"] == "decided 2017-03-03 \u00b7 Expedited"
