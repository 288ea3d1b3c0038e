"""The benchmark runs end to end and reports every figure it promises (no timing assertions)."""
from pipeline.bench import run

KEYS = {"letters", "tokenizer_letters_per_s", "score_letters_per_s_1_worker", "score_letters_per_s_all_workers",
        "ratio_end_to_end", "peak_rss_mb", "rss_ratio_5n_to_n", "startup_s"}


def test_bench_reports_every_figure():
    lines = []
    figures = run(n=4, workers=2, log=lines.append)
    assert KEYS <= set(figures)
    assert figures["letters"] == 4
    assert all(figures[key] > 0 for key in KEYS)
    assert any("x tokenizer" in line for line in lines)
