"""The letters a training run reads: generated, hand-annotated and real, and the tagger's letter files."""
from __future__ import annotations

import json
from pathlib import Path

from ..corpus import standoff
from ..corpus.files import letters_from_dataset, read_corpus, sha256_of
from ..annotation.user_sets import load_user_sets, tagger_letters
from ..corpus import generate_letters
from .config import TrainConfig


def ensure_corpus(config: TrainConfig, log=print) -> str:
    """Generate the corpus if missing; return its SHA-256 (checked against the config's)."""
    section = config.raw["corpus"]
    path = config.corpus_path
    if not path.exists():
        log(f"generating {section['n']} letters (seed {section['seed']}) into {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            for letter in generate_letters(int(section["n"]), int(section["seed"])):
                handle.write(letter.to_jsonl_line())
    digest = sha256_of(path)
    expected = section.get("sha256")
    if expected and digest != expected:
        raise ValueError(f"{path}: SHA-256 {digest} differs from the config's {expected}; "
                         "the generator or the file changed: regenerate, or update the config deliberately")
    return digest


def annotated_letters(config: TrainConfig) -> list:
    """The hand-annotated training letters named by the config (none when it names none)."""
    value = config.raw["corpus"].get("annotated")
    if not value or not config.resolve(value).exists():
        return []
    return read_corpus(config.resolve(value))[0]


def real_letters(config: TrainConfig, log=print) -> list:
    """The real pool's gold letters (stand-off gold joined with the PDFs), or none when the PDFs are absent."""
    section = config.raw.get("real")
    if not section:
        return []
    folder = config.resolve(section["pdfs"])
    if not folder.is_dir():
        log(f"real letters: {folder} is absent; training without them (the model card will say so)")
        return []
    return list(standoff.joined(standoff.load(config.resolve(section["gold"])), folder))


def user_sets(config: TrainConfig) -> list:
    """Users' annotation files named by the config's ``[[user]]`` entries (none by default)."""
    return load_user_sets(config.raw.get("user", []), config.resolve)


def real_repeat(config: TrainConfig) -> int:
    section = config.raw["tagger"]
    return int(section.get("real_repeat", section.get("annotated_repeat", 1)))


def write_tagger_letters(config: TrainConfig, corpus, real: list, folder: Path) -> tuple[Path, Path]:
    """The tagger's train and dev letter files (JSONL, read by ``imr.LetterParagraphs.v1``).

    Train: the first ``generated_letters`` of the generated train families, then the
    hand-annotated and the ``real`` letters, each repeated so that their conventions,
    which are the gold sets', weigh against the generated letters'. Dev: the generated
    dev family (model selection).
    """
    section = config.raw["tagger"]
    limit = int(section.get("generated_letters", 0)) or None
    generated = list(letters_from_dataset(corpus["train"]))[:limit]
    hand = annotated_letters(config) * int(section.get("annotated_repeat", 1))
    user = tagger_letters(user_sets(config))  # users' annotated letters ([[user]]), repeated by their files
    files = {"train": generated + hand + real * real_repeat(config) + user,
             "dev": list(letters_from_dataset(corpus["dev"]))}
    folder.mkdir(parents=True, exist_ok=True)
    for split, letters in files.items():
        with open(folder / f"{split}.jsonl", "w", encoding="utf-8") as handle:
            for letter in letters:
                handle.write(json.dumps(letter.to_json(), ensure_ascii=False) + "\n")
    return folder / "train.jsonl", folder / "dev.jsonl"
