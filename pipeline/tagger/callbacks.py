"""Training callbacks of ``configs/tagger.cfg``: the trained part is chosen on its own figures.

``spacy train`` scores the whole pipeline at every checkpoint and keeps the best as
``model-best``. With the rule components running, that score is mostly theirs: the
untrained ner plus ``imr_lexicon`` and ``imr_guidelines`` already reach ents F 0.90 on
the generated dev family, above every trained checkpoint's first figures, so the run
kept step 0 and stopped on patience. ``imr_sentences`` would also bound the ner's
predictions by sentences it never trained with. So the components without weights sit
out while the ner trains and is scored (``before_update``), and are switched back on
for every save (``before_to_disk``): each checkpoint is the whole pipeline, chosen on
what the ner learned, as when the rule components were added after training.
"""
from spacy.language import Language
from spacy.util import registry


def rule_components(nlp: Language) -> list[str]:
    """The components without weights (disabled ones included)."""
    return [name for name, component in nlp.components if not getattr(component, "is_trainable", False)]


@registry.callbacks("imr.rules_off_while_training.v1")
def rules_off_while_training():
    def before_update(nlp: Language, info: dict) -> None:
        for name in rule_components(nlp):
            if name not in nlp.disabled:
                nlp.disable_pipe(name)

    return before_update


@registry.callbacks("imr.rules_on_when_saved.v1")
def rules_on_when_saved():
    def before_to_disk(nlp: Language) -> Language:
        for name in rule_components(nlp):
            if name in nlp.disabled:
                nlp.enable_pipe(name)
        return nlp

    return before_to_disk
