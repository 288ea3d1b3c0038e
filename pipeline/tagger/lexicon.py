"""``imr_lexicon``: CONDITION and FINDING terms the trained ner left untagged.

A phrase matcher over lower-cased tokens adds lexicon terms as entities where no
entity stands yet; what the ner found always wins, so the lexicon only raises
recall on common terms (mostly inside guideline quotations, which generated
training letters rarely annotate).
"""
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .lexicon_terms import GENERAL_CONDITIONS, GENERAL_FINDINGS


def lexicon_terms() -> dict[str, set[str]]:
    from ..corpus.lexicon import REGIONS

    terms = {"CONDITION": set(GENERAL_CONDITIONS), "FINDING": set(GENERAL_FINDINGS)}
    for region in REGIONS.values():
        terms["CONDITION"].update(region.conditions)
        terms["FINDING"].update(region.exam + region.normal + region.imaging + region.required_signs
                                + region.required_tests)
    # A term listed under both labels is ambiguous: leave it to the ner.
    both = terms["CONDITION"] & terms["FINDING"]
    return {label: {t.lower() for t in words - both} for label, words in terms.items()}


@Language.factory("imr_lexicon", default_config={"labels": ["CONDITION", "FINDING"]})
def make_lexicon(nlp: Language, name: str, labels: list[str]):
    return LexiconTagger(nlp, labels)


class LexiconTagger:
    def __init__(self, nlp: Language, labels: list[str]):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, words in lexicon_terms().items():
            if label in labels:
                self.matcher.add(label, list(nlp.tokenizer.pipe(sorted(words))))

    def __call__(self, doc: Doc) -> Doc:
        taken = set()
        for ent in doc.ents:
            taken.update(range(ent.start, ent.end))
        found = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)
                 if not taken.intersection(range(start, end))]
        if found:
            doc.ents = list(doc.ents) + filter_spans(found)
        return doc
