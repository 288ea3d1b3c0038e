"""What each model directory records: data hashes, settings, code commit and metrics.

``artifacts.write_manifest`` adds the file checksums and library versions. The records
built here are all a model card is rendered from, so they carry what the cards say
(the tok2vec's shape, the data each model saw). The tagger's ``meta.json`` is written
from the same record, before the manifest checksums it.
"""
from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

from thinc.api import Config

from .. import artifacts
from ..corpus.files import sha256_of
from ..taxonomy import load_taxonomy
from .config import TrainConfig, relative
from .corpus import real_repeat, user_sets

PROJECT = "imr-reader"


def project_version() -> str:
    try:
        return metadata.version(PROJECT)
    except metadata.PackageNotFoundError:
        return "0.0.0"


def code_commit() -> str | None:
    return artifacts.code_commit()


def write(directory: Path, record: dict) -> artifacts.Manifest:
    return artifacts.write_manifest(directory, record)


def _data(config: TrainConfig, corpus_sha: str) -> dict:
    return {"config": relative(config.path),
            "corpus": {"path": relative(config.corpus_path), "sha256": corpus_sha},
            "gold": {"path": relative(config.gold_path), "sha256": sha256_of(config.gold_path)}}


def tok2vec_shape(spacy_config: Path) -> dict:
    """The tok2vec's embedding and encoder settings, as the config gives them."""
    model = Config().from_disk(spacy_config, interpolate=False)["components"]["tok2vec"]["model"]
    embed, encode = model["embed"], model["encode"]
    return {"attrs": list(embed["attrs"]), "rows": list(embed["rows"]), "width": encode["width"],
            "depth": encode["depth"], "window_size": encode["window_size"]}


def tagger_record(config: TrainConfig, corpus_sha: str, real: list, metrics: dict, commit: str | None) -> dict:
    section = config.raw["tagger"]
    real_section = config.raw.get("real", {})
    return {"name": "tagger", "version": project_version(), "code_commit": commit, **_data(config, corpus_sha),
            "spacy_config": section["config"], "tok2vec": tok2vec_shape(config.resolve(section["config"])),
            "annotated_repeat": int(section.get("annotated_repeat", 1)),
            "real": {"gold": real_section["gold"], "sha256": sha256_of(config.resolve(real_section["gold"])),
                     "letters": len(real), "repeat": real_repeat(config)} if real else None,
            "metrics": metrics, **user_record(config)}


def user_record(config: TrainConfig) -> dict:
    """The manifest's ``user`` entry; no key at all without user files, so default manifests stay as they were."""
    sets = user_sets(config)
    return {"user": [s.manifest(relative) for s in sets]} if sets else {}


def reasons_record(config: TrainConfig, corpus_sha: str, labels: list, thresholds: dict, hand: list,
                   real_letters: list, real_items: list, real_sentences: list, share: float, metrics: dict,
                   commit: str | None) -> dict:
    section = config.raw["reasons"]
    real_section = config.raw.get("real", {})
    annotated = config.raw["corpus"].get("annotated")
    weight = int(config.raw["corpus"].get("annotated_weight", 1))
    return {"name": "reasons", "version": project_version(), "code_commit": commit, **_data(config, corpus_sha),
            "settings": section, "seed": config.seed, "labels": labels,
            "taxonomy_version": load_taxonomy().version, "thresholds": thresholds,
            "annotated": {"path": annotated, "sha256": sha256_of(config.resolve(annotated)), "items": len(hand),
                          "weight": weight} if hand else None,
            "real": {"gold": real_section["gold"], "sha256": sha256_of(config.resolve(real_section["gold"])),
                     "letters": len(real_letters), "items": len(real_items),
                     "weight": int(real_section.get("weight", weight)),
                     "sentences": len(real_sentences), "sentence_share": share} if real_letters else None,
            "metrics": metrics, **user_record(config)}


def _performance(figures: dict) -> dict:
    """spaCy's per-type keys (exact-match entities) from the gold dev figures, with overlap and negation beside."""
    def per_type(table: dict) -> dict:
        return {label: {"p": f["precision"], "r": f["recall"], "f": f["f1"]} for label, f in sorted(table.items())}

    return {"ents_per_type": per_type(figures["spans_exact"]), "overlap_ents_per_type": per_type(figures["spans_overlap"]),
            "negation_acc": figures["negation_accuracy"]}


def write_tagger_meta(directory: Path, record: dict) -> None:
    """Fill the saved pipeline's ``meta.json`` as a spaCy package's: name, version, description, sources, figures."""
    path = Path(directory) / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    metrics = record["metrics"]
    sources = [{"name": "Generated IMR letters", "url": record["corpus"]["path"], "license": "MIT",
                "author": PROJECT},
               {"name": "Hand-annotated IMR letters", "url": "data/annotated/", "license": "MIT", "author": PROJECT}]
    if record.get("real"):
        sources.append({"name": "DWC IMR determination letters (stand-off gold)", "url": record["real"]["gold"],
                        "license": "public records; letter text not redistributed", "author": "California DWC"})
    meta.update({
        "name": "imr_tagger",
        "version": record["version"],
        "description": ("Entities of California workers' compensation IMR determination letters: GUIDELINE "
                        "(with Span._.guideline_id), CONDITION and FINDING (with Span._.negated), sentence and "
                        "section boundaries. Figures: exact-match entities on the hand-written gold dev set "
                        "(performance); overlap and cross-validated real-letter figures in manifest.json."),
        "author": PROJECT, "email": "", "url": "", "license": "MIT",
        "sources": sources,
        "requirements": [f"{PROJECT}>={record['version']}"],
        "performance": _performance(metrics["gold_dev"]),
    })
    path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
