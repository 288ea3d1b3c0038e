"""``imr bench``: throughput, memory and start-up of every stage, as ratios to the tokenizer.

Generates N letters, then times, on the same texts: spaCy's blank-English tokenizer
alone (the floor nothing spaCy-based can beat), the reader, the tagger, the reason
classifier, and ``imr score`` end to end with one process and with every core. The
end-to-end runs are separate processes, so their peak resident memory is their own;
scoring is run at N and at 5N letters to show that memory stays flat. Ratios are what
compare across machines.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path

import spacy

from .corpus import generate_letters
from .paths import PROJECT_ROOT
from .reader import read_text
from .reader.sources import iter_paths, read_pdf
from .scoring import Scorer, load_reasons, load_tagger


@dataclass
class StageTiming:
    name: str
    seconds: float
    letters: int
    words: int

    @property
    def letters_per_s(self) -> float:
        return self.letters / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def _write_letters(path: Path, n: int, seed: int) -> tuple[int, int]:

    words = 0
    with open(path, "w", encoding="utf-8") as handle:
        for letter in generate_letters(n, seed):
            handle.write(json.dumps({"id": letter.id, "text": letter.text}) + "\n")
            words += len(letter.text.split())
    return n, words


def _texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in open(path, encoding="utf-8")]


def _timed(name: str, texts: list[str], words: int, work) -> StageTiming:
    start = time.perf_counter()
    work(texts)
    return StageTiming(name, time.perf_counter() - start, len(texts), words)


def _tree_rss_mb(pid: int) -> float | None:
    """Resident memory of a process and all its descendants, in MB (Linux /proc; None elsewhere)."""
    parent, rss = {}, {}
    for entry in Path("/proc").iterdir() if Path("/proc/self/status").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            fields = dict(line.split(":", 1) for line in (entry / "status").read_text().splitlines() if ":" in line)
            parent[int(entry.name)] = int(fields["PPid"])
            rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])  # kernel threads have none
        except (OSError, KeyError, ValueError):
            continue  # gone meanwhile
    if pid not in rss:
        return None
    tree, grew = {pid}, True
    while grew:
        grew = False
        for child, father in parent.items():
            if father in tree and child not in tree:
                tree.add(child)
                grew = True
    return sum(rss[p] for p in tree) / 1024


def _score_process(inputs: Path, workers: int, out: Path) -> tuple[float, float]:
    """Seconds and peak resident memory in MB of ``imr score`` in a child process.

    Memory is the sum over the process and its workers, sampled together five times a
    second, so it is what the run held at once. (``ru_maxrss`` will not do: on Linux a
    child started from this process reports this process's size as its own peak.)
    """
    code = ("import sys, time; from pipeline.cli import app; start = time.perf_counter()\n"
            "try:\n    app(sys.argv[1:], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print('SECONDS', time.perf_counter() - start)\n"
            "import resource; print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    child = subprocess.Popen([sys.executable, "-c", code, "score", str(inputs), "--out", str(out), "--workers",
                              str(workers), "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=PROJECT_ROOT)
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, _tree_rss_mb(child.pid) or 0.0)  # None: no /proc, or the run just ended
        time.sleep(0.2)
    stdout, stderr = child.communicate()
    values = dict(line.split() for line in stdout.splitlines() if line.startswith(("SECONDS", "MAXRSS")))
    if "SECONDS" not in values:
        raise RuntimeError(f"imr score failed in the benchmark: {stderr[-2000:]}")
    if not peak:  # no /proc: the process's own peak, an upper bound
        peak = float(values["MAXRSS"])
    return float(values["SECONDS"]), peak


def _startup() -> float:
    code = ("import time; start = time.perf_counter(); from pipeline.scoring import Scorer; Scorer.load(); "
            "print(time.perf_counter() - start)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def run(n: int = 2000, seed: int = 101, workers: int | None = None, log=print) -> dict:


    workers = workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small, large = tmp / "n.jsonl", tmp / "5n.jsonl"
        letters, words = _write_letters(small, n, seed)
        texts = _texts(small)
        log(f"{letters} letters, {words} words")

        tokenizer = spacy.blank("en").tokenizer

        def tokenize(ts):
            deque((tokenizer(t) for t in ts), maxlen=0)

        # The floor is the tokenizer at its best: the fastest of two passes now (the first
        # also fills the vocabulary) and one after the scoring runs (a machine's speed drifts).
        passes = [_timed("tokenizer alone", texts, words, tokenize) for _ in range(2)]
        stages = [min(passes, key=lambda stage: stage.seconds)]
        readers = []
        stages.append(_timed("reader", texts, words, lambda ts: readers.extend(read_text(t) for t in ts)))
        nlp = load_tagger()
        # Docs are dropped as they come, as scoring does: 2,000 kept Docs would weigh a GB.
        stages.append(_timed("tagger", texts, words, lambda ts: deque(nlp.pipe(ts, batch_size=16), maxlen=0)))
        # What scoring asks of the classifier: probabilities, labels and evidence sentences.
        classify = Scorer(nlp, load_reasons(), None).classify
        stages.append(_timed("classifier", texts, words, lambda ts: classify(readers)))

        one_s, one_rss = _score_process(small, 1, tmp / "o1.jsonl")
        # With one worker the all-cores run is the same run: not done twice.
        all_s, all_rss = (one_s, one_rss) if workers == 1 else _score_process(small, workers, tmp / "oa.jsonl")
        stages.append(StageTiming("score, 1 worker", one_s, letters, words))
        stages.append(StageTiming(f"score, {workers} workers", all_s, letters, words))
        _write_letters(large, 5 * n, seed + 1)
        _, large_rss = _score_process(large, 1, tmp / "o5.jsonl")
        startup = _startup()
        passes.append(_timed("tokenizer alone", texts, words, tokenize))
        stages[0] = min(passes, key=lambda stage: stage.seconds)

    floor = stages[0].letters_per_s
    for stage in stages:
        log(f"{stage.name:22s} {stage.letters_per_s:9.1f} letters/s {stage.words_per_s:11.0f} words/s"
            f"   {stage.letters_per_s / floor:6.3f} x tokenizer")
    log(f"peak RSS: score 1 worker {one_rss:.0f} MB, {workers} workers {all_rss:.0f} MB (all processes); "
        f"at 5N {large_rss:.0f} MB (ratio {large_rss / one_rss:.3f})")
    log(f"start-up (import + model load): {startup:.2f} s")
    return {
        "letters": letters,
        "words": words,
        "workers": workers,
        "tokenizer_letters_per_s": round(floor, 2),
        "reader_letters_per_s": round(stages[1].letters_per_s, 2),
        "tagger_letters_per_s": round(stages[2].letters_per_s, 2),
        "classifier_letters_per_s": round(stages[3].letters_per_s, 2),
        "score_letters_per_s_1_worker": round(letters / one_s, 2),
        "score_letters_per_s_all_workers": round(letters / all_s, 2),
        "ratio_end_to_end": round(letters / all_s / floor, 4),
        "peak_rss_mb": round(max(one_rss, all_rss), 1),
        "rss_ratio_5n_to_n": round(large_rss / one_rss, 4),
        "startup_s": round(startup, 3),
        "stages": [asdict(s) | {"letters_per_s": round(s.letters_per_s, 2)} for s in stages],
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    }


def run_pdf(folder: Path, n: int = 1000, workers: int | None = None, log=print) -> dict:
    """Real PDFs from file to scored record, against the single-process floor of the same run.

    The floor per letter is PDF text extraction alone plus the tokenizer alone on the
    extracted text. The folder's PDFs are repeated (as links) up to ``n`` files, so that
    start-up weighs in a large run as it does in real use.
    """


    workers = workers or os.cpu_count() or 1
    pdfs = sorted(p for p in iter_paths([folder]) if p.suffix.lower() == ".pdf")
    if not pdfs:
        raise ValueError(f"no PDF files in {folder}")
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "pdfs"
        inputs.mkdir()
        files = []
        for number in range(max(n, len(pdfs))):
            source = pdfs[number % len(pdfs)].resolve()
            files.append(inputs / f"{number:06d}-{source.name}")
            files[-1].symlink_to(source)
        start = time.perf_counter()
        texts = [read_pdf(path, path.stem).text for path in files]
        extraction = StageTiming("PDF text alone", time.perf_counter() - start, len(files),
                                 sum(len(t.split()) for t in texts))
        words = extraction.words
        log(f"{len(files)} PDF files ({len(pdfs)} distinct letters), {words} words")
        tokenizer = spacy.blank("en").tokenizer

        def tokenize(ts):
            deque((tokenizer(t) for t in ts), maxlen=0)

        passes = [_timed("tokenizer alone", texts, words, tokenize) for _ in range(2)]
        one_s, one_rss = _score_process(inputs, 1, Path(tmp) / "o1.jsonl")
        all_s, all_rss = (one_s, one_rss) if workers == 1 else _score_process(inputs, workers, Path(tmp) / "oa.jsonl")
        passes.append(_timed("tokenizer alone", texts, words, tokenize))
    tokens = min(passes, key=lambda stage: stage.seconds)
    letters = len(files)
    floor = StageTiming("floor: PDF text + tokenizer", extraction.seconds + tokens.seconds, letters, words)
    stages = [floor, extraction, tokens, StageTiming("score, 1 worker", one_s, letters, words),
              StageTiming(f"score, {workers} workers", all_s, letters, words)]
    for stage in stages:
        log(f"{stage.name:28s} {stage.letters_per_s:9.1f} letters/s {stage.words_per_s:11.0f} words/s"
            f"   {stage.letters_per_s / floor.letters_per_s:6.3f} x floor")
    log(f"peak RSS: score 1 worker {one_rss:.0f} MB, {workers} workers {all_rss:.0f} MB (all processes)")
    return {
        "source": "pdf",
        "pdf_dir": str(folder),
        "letters": letters,
        "distinct_letters": len(pdfs),
        "words": words,
        "workers": workers,
        "extraction_letters_per_s": round(extraction.letters_per_s, 2),
        "tokenizer_letters_per_s": round(tokens.letters_per_s, 2),
        "floor_letters_per_s": round(floor.letters_per_s, 2),
        "score_letters_per_s_1_worker": round(letters / one_s, 2),
        "score_letters_per_s_all_workers": round(letters / all_s, 2),
        "ratio_end_to_end": round(letters / all_s / floor.letters_per_s, 4),
        "ratio_end_to_end_1_worker": round(letters / one_s / floor.letters_per_s, 4),
        "peak_rss_mb": round(max(one_rss, all_rss), 1),
        "stages": [asdict(s) | {"letters_per_s": round(s.letters_per_s, 2)} for s in stages],
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    }
