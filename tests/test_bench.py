"""The benchmark runs end to end and reports every figure it promises (no timing assertions).

Tiny runs with one worker (the all-cores run is then the same run), so that the test
takes seconds; `imr bench` itself is the measurement."""
from pipeline.bench import run

KEYS = {"letters", "tokenizer_letters_per_s", "score_letters_per_s_1_worker", "score_letters_per_s_all_workers",
        "ratio_end_to_end", "peak_rss_mb", "rss_ratio_5n_to_n", "startup_s"}


def test_bench_reports_every_figure():
    lines = []
    figures = run(n=2, workers=1, log=lines.append)
    assert KEYS <= set(figures)
    assert figures["letters"] == 2
    assert all(figures[key] > 0 for key in KEYS)
    assert any("x tokenizer" in line for line in lines)


PDF_KEYS = {"letters", "extraction_letters_per_s", "tokenizer_letters_per_s", "floor_letters_per_s",
            "score_letters_per_s_1_worker", "score_letters_per_s_all_workers", "ratio_end_to_end", "peak_rss_mb"}


def test_pdf_bench_reports_every_figure(tmp_path):
    from pipeline.bench import run_pdf

    from letters_for_tests import LETTERS
    from test_sources import make_pdf

    folder = tmp_path / "pdfs"
    folder.mkdir()
    make_pdf(folder / "a.pdf", LETTERS["fdl-issues"], password="", algorithm="AES-128")
    make_pdf(folder / "b.pdf", LETTERS["fdl-decisions"])
    (folder / "notes.txt").write_text("not a PDF: the benchmark takes only PDFs")
    lines = []
    figures = run_pdf(folder, n=3, workers=1, log=lines.append)
    assert PDF_KEYS <= set(figures)
    assert figures["letters"] == 3 and figures["distinct_letters"] == 2
    assert all(figures[key] > 0 for key in PDF_KEYS)
    assert any("x floor" in line for line in lines)
