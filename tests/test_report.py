"""The HTML report: totals, gold figures, letters, and a real headless browser rendering it.

The browser tests use Debian's ``chromium`` and skip when no binary is found. The
page's inline script records any error in the DOM (``data-report-error``) and
marks ``#js-status`` with ``data-ready="ok"`` once the letters are rendered.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from pipeline.analysis import generated_records, write_jsonl
from pipeline.evaluation import read_jsonl
from pipeline.paths import GOLD_DIR
from pipeline.report import build_report, highlight_html, report_command, service_category, totals

GOLD = GOLD_DIR / "dev.jsonl"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def scored_dev(tmp_path_factory) -> Path:
    """The gold dev letters' texts scored with the bundled models."""
    from pipeline.scoring import Scorer
    from pipeline.sources import RawText

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
    assert len(data["letters"]) == 81 and data["gold"] is True
    first = data["letters"][0]
    assert first["items"][0]["svc"] and first["items"][0]["p"] and first["spans"]
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


def test_script_content_cannot_break_out(tmp_path):
    record = {"id": "x</script><b>1", "text": "Pain </script><script>alert(1)</script> & more\u2028",
              "items": [{"service": "MRI </script>", "decision": "upheld", "reasons": ["missing_exam_finding"]}],
              "spans": [{"start": 0, "end": 4, "label": "CONDITION", "negated": True}]}
    path = write_jsonl([record], tmp_path / "odd.jsonl")
    page = build_report(path, out_path=tmp_path / "odd.html").read_text(encoding="utf-8")
    assert page.count("</script>") == 3  # the error handler, the data blob and the page script
    assert embedded_data(page)["letters"][0]["text"] == record["text"]


def test_service_categories():
    assert service_category("Norco 10/325mg #120") == "drug"
    assert service_category("Lidoderm 5% patch #30") == "drug"
    assert service_category("Lumbar epidural steroid injection at L4-L5") == "injection"
    assert service_category("MRI of the lumbar spine without contrast") == "imaging"
    assert service_category("EMG/NCV of the bilateral lower extremities") == "imaging"
    assert service_category("Post-operative physical therapy 12 sessions") == "therapy"
    assert service_category("Right carpal tunnel release") == "surgery"
    assert service_category("Hot/cold therapy unit") == "DME"
    assert service_category("TENS unit purchase") == "DME"
    assert service_category("Cognitive behavioral therapy, 6 sessions") == "psych"
    assert service_category("Home health care 4 hours/day") == "home care"
    assert service_category("Follow-up visit with pain management") == "other"


def test_highlight_marks_entities_negation_and_evidence():
    text = "No <tenderness> noted. ODG applies."
    spans = [{"start": 3, "end": 15, "label": "FINDING", "negated": True},
             {"start": 23, "end": 26, "label": "GUIDELINE", "negated": False, "guideline_id": "ODG"}]
    out = highlight_html(text, spans, [(0, 22, "missing_exam_finding")])
    assert "&lt;tenderness&gt;" in out and "<tenderness>" not in out
    assert 'class="entity neg"' in out and "FINDING (absent)" in out and "GUIDELINE ODG" in out
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


def run_browser(binary: str, page: Path, tmp: Path, *extra: str, timeout: int = 180) -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--virtual-time-budget=10000", *extra, page.resolve().as_uri()]
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=tmp)


def check_in_browser(report: Path, tmp: Path) -> str:
    binary = browser()
    shot = tmp / "report.png"
    run_browser(binary, report, tmp, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.exists() and shot.stat().st_size > 10_000, "no screenshot"
    dom = run_browser(binary, report, tmp, "--dump-dom").stdout
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


def test_generated_run_of_1000_letters_renders(tmp_path):
    """A 1,000-letter run: the first page of 200 letters renders, build time and size printed.

    The letters are the generator's (labels true by construction) as they come; set
    IMR_REPORT_SCORE=1 to score them with the bundled models first (about 1.5 minutes)."""
    started = time.perf_counter()
    records = generated_records(1000, seed=99)
    if os.environ.get("IMR_REPORT_SCORE") == "1":
        from pipeline.analysis import score_records

        records = score_records(records)
    predictions = write_jsonl(records, tmp_path / "run.jsonl")
    ready = time.perf_counter()
    report = build_report(predictions, out_path=tmp_path / "run.html")
    built = time.perf_counter() - ready
    size = report.stat().st_size
    print(f"\n1,000 letters: data {ready - started:.1f} s, report built in {built:.1f} s, {size / 1e6:.1f} MB")
    assert embedded_data(report.read_text(encoding="utf-8"))["pageSize"] == 200
    dom = check_in_browser(report, tmp_path)
    assert dom.count('<article class="letter"') == 200 and "1000 of 1000 letters" in dom
    assert "page 1 of 5" in dom


def test_each_letter_shows_its_case_header(tmp_path):
    from letters_for_tests import LETTERS
    from pipeline.reader import read_text

    text = "Case Number: CM17-0123456\nDecision Date: 03/03/2017\nPriority: Expedited\n" + LETTERS["fdl-issues"]
    path = tmp_path / "p.jsonl"
    path.write_text(read_text(text, "hdr").to_jsonl_line(), encoding="utf-8")
    page = build_report(path, out_path=tmp_path / "h.html").read_text(encoding="utf-8")
    assert embedded_data(page)["letters"][0]["hdr"] == "decided 2017-03-03 \u00b7 Expedited"
