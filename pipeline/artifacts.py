"""Model artifacts with a manifest: checksums and library versions, checked before loading.

Nothing is loaded unless the manifest written when it was trained lists every file of
the model directory, every file's SHA-256 matches it, and the libraries whose formats
it depends on are the versions that wrote it (a file the manifest does not list, a
listed file missing or changed, an empty or unreadable manifest: all refused). The
bundled models hold no pickles (spaCy's own files; JSON and an ``.npz`` read without
pickle), but the check comes first all the same.
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


# Files in a model directory that are not part of the model: the manifest itself and the card.
NOT_MODEL_FILES = (MANIFEST, "MODEL_CARD.md")


def model_files(directory: Path) -> list[str]:
    """Every file of the model in ``directory`` (relative POSIX paths), all that a manifest must list."""
    directory = Path(directory)
    names = []
    for path in sorted(directory.rglob("*")):
        name = path.relative_to(directory).as_posix()
        if name not in NOT_MODEL_FILES and not path.is_dir():
            names.append(name)
    return names


def write_manifest(directory: Path, extra: dict) -> Manifest:
    """Checksum every file under ``directory`` (but the manifest and model card) and record versions."""
    directory = Path(directory)
    files = {name: file_sha256(directory / name) for name in model_files(directory)}
    # The code commit is the caller's to give (the commit a training run started from); else now's.
    data = {"files": files, "libraries": library_versions(), "code_commit": extra.get("code_commit", code_commit()),
            **extra}
    (directory / MANIFEST).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return Manifest(directory, data)


def verify(directory: Path, libraries: tuple[str, ...] = PINNED_LIBRARIES, required: tuple[str, ...] = ()) -> Manifest:
    """The manifest of ``directory`` after checking every file and library; raises ``ArtifactError``.

    The manifest must list every file of the directory (a file it does not cover could
    change what loads) and at least the ``required`` ones; every listed file must be
    there with the recorded SHA-256. Every message is one line that says what to do.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ArtifactError(f"{directory}: no such model directory")
    path = directory / MANIFEST
    if not path.is_file():
        raise ArtifactError(f"{directory}: no {MANIFEST}; refusing to load an artifact whose checksum was not recorded")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArtifactError(f"{path}: unreadable manifest ({' '.join(str(exc).split())})") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ArtifactError(f"{path}: unreadable manifest (no 'files' map of file names to SHA-256 checksums)")
    if not files:
        raise ArtifactError(f"{path}: the manifest lists no files, so nothing it would load is checked; "
                            "retrain with `imr train`")
    for name in files:
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or any(part in ("", ".", "..") for part in parts):
            raise ArtifactError(f"{path}: the manifest names {name!r}, which is not a file inside the model directory")
    for name in required:
        if name not in files:
            raise ArtifactError(f"{path}: the manifest does not list {name}, which the model needs; "
                                "retrain with `imr train`")
    unknown = [name for name in model_files(directory) if name not in files]
    if unknown:
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        raise ArtifactError(f"{directory / unknown[0]}: not listed in the manifest{more}; a file no checksum covers "
                            "could change what loads: remove it or retrain with `imr train`")
    for name, expected in files.items():
        target = directory / name
        if not target.is_file():
            raise ArtifactError(f"{target}: listed in the manifest but missing")
        try:
            actual = file_sha256(target)
        except OSError as exc:
            raise ArtifactError(f"{target}: cannot be read ({exc.strerror or exc})") from None
        if actual != expected:
            raise ArtifactError(f"{target}: checksum mismatch (expected {expected[:12]}..., found {actual[:12]}...); "
                                "the file was changed or truncated after training: retrain with `imr train`")
    recorded_versions = data.get("libraries", {})
    if not isinstance(recorded_versions, dict):
        raise ArtifactError(f"{path}: unreadable manifest ('libraries' is not a map of library versions)")
    installed = library_versions()
    for name in libraries:
        recorded = recorded_versions.get(name)
        if recorded and _minor(str(recorded)) != _minor(installed.get(name, "missing")):
            raise ArtifactError(f"{directory}: trained with {name} {recorded}, but {installed.get(name)} is installed; "
                                f"install {name}=={recorded} or retrain with `imr train`")
    return Manifest(directory, data)
