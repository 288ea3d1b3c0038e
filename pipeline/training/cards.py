"""Model cards rendered from a manifest alone (``templates/<name>_card.md.j2``, Jinja2).

Everything a card states comes from the manifest written beside it, so a card can be
re-rendered from any model directory (``render_card``) and never carries figures from
another run.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jinja2

CARD = "MODEL_CARD.md"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FunctionLoader(_template), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["f3"] = lambda value: "-" if value is None else f"{value:.3f}"
    env.filters["rarest"] = _rarest
    return env


def _rarest(per_label: dict, n: int) -> list:
    """The ``n`` labels with the least support that have any, fewest first."""
    present = [(label, f) for label, f in per_label.items() if f["support"]]
    return sorted(present, key=lambda pair: (pair[1]["support"], pair[0]))[:n]


def _template(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


def render_card(manifest: dict) -> str:
    # As the manifest reads from disk (keys sorted): a card rendered right after training and
    # one rendered later from the file are the same bytes.
    manifest = json.loads(json.dumps(manifest, sort_keys=True))
    return _environment().get_template(f"{manifest['name']}_card.md.j2").render(m=manifest)


def write_card(directory: Path, manifest: dict | None = None) -> Path:
    """Write ``MODEL_CARD.md`` of ``directory`` from ``manifest`` (by default the directory's own)."""
    directory = Path(directory)
    manifest = manifest or json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    path = directory / CARD
    path.write_text(render_card(manifest), encoding="utf-8")
    return path
