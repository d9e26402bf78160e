import pytest

spacy = pytest.importorskip("spacy")


def test_component_writes_cats_and_sentence_labels():
    import findings_miner.classify.spacy_component  # noqa: F401  (registers the factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("findings_miner")
    doc = nlp("Train 40 teachers in child protection. The project should continue the joint training.")
    assert set(doc.cats) >= {"level:activity", "level:outcome", "learning:recommendation", "status:planned"}
    assert abs(sum(v for k, v in doc.cats.items() if k.startswith("level:")) - 1.0) < 1e-6
    sentences = list(doc.sents)
    assert len(sentences) == 2
    assert sentences[0]._.fm_level == "activity"
    assert sentences[1]._.fm_learning == "recommendation"
    assert sentences[1]._.fm_cues
