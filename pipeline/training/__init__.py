"""Training runs from a config file: ``imr train --config configs/default.toml``.

One module per stage: ``config`` (the TOML run config), ``corpus`` (generated,
hand-annotated and real letters; the tagger's letter files), ``tagger`` (``spacy train``
on ``configs/tagger.cfg``, cross-validation on the real letters, the saved pipeline and
its ``meta.json``), ``reasons`` (the reason classifier), ``manifests`` (what each model
directory records: checksums, data hashes, code commit, metrics) and ``cards`` (model
cards rendered from a manifest alone, through ``templates/``). ``workflow.run`` chains
them.
"""
from .workflow import run

__all__ = ["run"]
