"""Model artifacts with a manifest: checksums and library versions, checked before loading.

Nothing is loaded unless every file's SHA-256 matches the manifest written when it
was trained, and the libraries whose formats it depends on are the versions that
wrote it. The bundled models hold no pickles (spaCy's own files; JSON and an
``.npz`` read without pickle), but the check comes first all the same.
"""
from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .paths import PROJECT_ROOT

MANIFEST = "manifest.json"
PINNED_LIBRARIES = ("scikit-learn", "spacy", "numpy", "scipy", "joblib")


class ArtifactError(RuntimeError):
    """A model directory that must not be loaded: missing, tampered or from other library versions."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PINNED_LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def code_commit(root: Path | None = None) -> str | None:
    """The git commit of the project checkout (``git rev-parse HEAD``), or None outside one."""
    root = Path(root or PROJECT_ROOT).resolve()
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    # An installed package inside some other repository is not a checkout of this project.
    return top[1] if len(top) == 2 and Path(top[0]).resolve() == root else None


@dataclass
class Manifest:
    directory: Path
    data: dict

    @property
    def files(self) -> dict[str, str]:
        return self.data["files"]


def write_manifest(directory: Path, extra: dict) -> Manifest:
    """Checksum every file under ``directory`` (but the manifest and model card) and record versions."""
    directory = Path(directory)
    files = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.name not in (MANIFEST, "MODEL_CARD.md"):
            files[path.relative_to(directory).as_posix()] = file_sha256(path)
    # The code commit is the caller's to give (the commit a training run started from); else now's.
    data = {"files": files, "libraries": library_versions(), "code_commit": extra.get("code_commit", code_commit()),
            **extra}
    (directory / MANIFEST).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return Manifest(directory, data)


def verify(directory: Path, libraries: tuple[str, ...] = PINNED_LIBRARIES) -> Manifest:
    """The manifest of ``directory`` after checking every file and library; raises ``ArtifactError``."""
    directory = Path(directory)
    path = directory / MANIFEST
    if not path.is_file():
        raise ArtifactError(f"{directory}: no {MANIFEST}; refusing to load an artifact whose checksum was not recorded")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise ArtifactError(f"{path}: unreadable manifest ({exc})") from None
    for name, expected in files.items():
        target = directory / name
        if not target.is_file():
            raise ArtifactError(f"{target}: listed in the manifest but missing")
        actual = file_sha256(target)
        if actual != expected:
            raise ArtifactError(f"{target}: checksum mismatch (expected {expected[:12]}..., found {actual[:12]}...); "
                                "the file was changed or truncated after training: retrain with `imr train`")
    installed = library_versions()
    for name in libraries:
        recorded = data.get("libraries", {}).get(name)
        if recorded and _minor(recorded) != _minor(installed.get(name, "missing")):
            raise ArtifactError(f"{directory}: trained with {name} {recorded}, but {installed.get(name)} is installed; "
                                f"install {name}=={recorded} or retrain with `imr train`")
    return Manifest(directory, data)
