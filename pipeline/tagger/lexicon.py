"""``imr_lexicon``: CONDITION and FINDING terms the trained ner left untagged.

A phrase matcher over lower-cased tokens adds lexicon terms as entities where no
entity stands yet; what the ner found always wins, so the lexicon only raises
recall on common terms (mostly inside guideline quotations, which generated
training letters rarely annotate).

The terms are the component's data, as an EntityRuler's patterns are: training fills
them through ``initialize`` (``[initialize.components.imr_lexicon.terms]`` in
``configs/tagger.cfg``, built by ``lexicon_terms``), and the pipeline writes them to
``imr_lexicon/terms.json`` and reads them back from there, so a saved tagger never
rebuilds them from code and its manifest's checksum covers them.
"""
from typing import Callable, Iterable, Optional

import srsly
from spacy import util
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

TERMS_FILE = "terms.json"


@Language.factory("imr_lexicon", default_config={"labels": ["CONDITION", "FINDING"]})
def make_lexicon(nlp: Language, name: str, labels: list[str]):
    return LexiconTagger(nlp, name, labels)


class LexiconTagger:
    def __init__(self, nlp: Language, name: str = "imr_lexicon", labels: Iterable[str] = ("CONDITION", "FINDING")):
        self.nlp = nlp
        self.name = name
        self.labels = list(labels)
        self.terms: dict[str, list[str]] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")

    def initialize(self, get_examples: Optional[Callable] = None, *, nlp: Optional[Language] = None,
                   terms: Optional[dict] = None) -> None:
        """Take ``terms`` ({label: [term, ...]}); labels the component was not made for are left out."""
        self.set_terms(terms or {})

    def set_terms(self, terms: dict) -> None:
        # Sorted, lower-cased and without duplicates: the saved file and the matcher do not
        # depend on the order the terms were gathered in.
        self.terms = {label: sorted({t.lower() for t in terms.get(label, ())}) for label in self.labels
                      if terms.get(label)}
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for label, words in self.terms.items():
            self.matcher.add(label, list(self.nlp.tokenizer.pipe(words)))

    def __call__(self, doc: Doc) -> Doc:
        taken = set()
        for ent in doc.ents:
            taken.update(range(ent.start, ent.end))
        found = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)
                 if not taken.intersection(range(start, end))]
        if found:
            doc.ents = list(doc.ents) + filter_spans(found)
        return doc

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = util.ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / TERMS_FILE, self.terms)

    def from_disk(self, path, *, exclude=tuple()) -> "LexiconTagger":
        self.set_terms(srsly.read_json(util.ensure_path(path) / TERMS_FILE))
        return self
