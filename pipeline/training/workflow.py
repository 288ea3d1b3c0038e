"""The whole training run: corpus, tagger, reason classifier (``imr train``)."""
from __future__ import annotations

from pathlib import Path

from ..corpus.files import load_corpus
from .config import TrainConfig, seed_everything
from .corpus import ensure_corpus
from .manifests import code_commit
from .reasons import train_reasons
from .tagger import train_tagger


def run(config_path: Path, only: str | None = None, log=print) -> dict:
    config = TrainConfig.load(config_path)
    seed_everything(config.seed)
    commit = code_commit()  # the code this run starts from, whatever is committed while it runs
    corpus_sha = ensure_corpus(config, log)
    corpus = load_corpus(config.corpus_path)
    results = {}
    if only in (None, "tagger"):
        results["tagger"] = train_tagger(config, corpus, corpus_sha, commit, log)
    if only in (None, "reasons"):
        results["reasons"] = train_reasons(config, corpus, corpus_sha, commit, log)
    return results
