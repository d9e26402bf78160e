"""A spaCy pipeline component that writes findings_miner's labels onto a ``Doc``.

``doc.cats`` gets the level, learning and status probabilities (``level:outcome``, …); each
sentence span gets ``span._.fm_level``, ``span._.fm_learning``, ``span._.fm_status`` and
``span._.fm_cues``. Usage::

    import spacy, findings_miner.classify.spacy_component  # registers the factory
    nlp = spacy.blank("en"); nlp.add_pipe("sentencizer"); nlp.add_pipe("findings_miner")
    doc = nlp("300 officers were trained. Officers now apply the guidelines.")

spaCy is an optional dependency (``pip install findings-miner[spacy]``).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

for _name in ("fm_level", "fm_learning", "fm_status", "fm_cues"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


class FindingsMinerComponent:
    """Labels the whole doc (``doc.cats``) and each sentence (span extensions)."""

    def __init__(self, nlp: Language, name: str, model: str | None) -> None:
        self.name = name
        self.model_name = model
        self._model = None

    @property
    def model(self):
        if self._model is None:
            from . import load_model

            self._model = load_model(self.model_name)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        from . import classify

        whole = classify([doc.text], model=self.model)
        row = whole.iloc[0]
        for label in ("activity", "output", "outcome", "impact", "other"):
            doc.cats[f"level:{label}"] = float(row[f"p_{label}"])
        for label in ("lesson", "recommendation"):
            doc.cats[f"learning:{label}"] = float(row[f"p_{label}"])
        for label in ("planned", "achieved", "not_achieved"):
            doc.cats[f"status:{label}"] = float(row[f"p_{label}"])
        if doc.has_annotation("SENT_START"):
            sentences = list(doc.sents)
            frame = classify([s.text for s in sentences], model=self.model)
            for span, (_, labels) in zip(sentences, frame.iterrows(), strict=True):
                span._.fm_level = labels["level"]
                span._.fm_learning = labels["learning"]
                span._.fm_status = labels["status"]
                span._.fm_cues = labels["cues"]
        return doc


@Language.factory("findings_miner", default_config={"model": None})
def make_findings_miner(nlp: Language, name: str, model: str | None) -> FindingsMinerComponent:
    return FindingsMinerComponent(nlp, name, model)
