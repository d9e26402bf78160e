"""The estimator on a small synthetic corpus: fit/predict contract, persistence without pickle,
determinism, calibration, integrity checks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from findings_miner.classify import classify
from findings_miner.classify.evaluate import expected_calibration_error, score_head
from findings_miner.classify.model import ResultsChainClassifier
from findings_miner.errors import InputError, ModelError

EXAMPLES = [
    ("Conduct training workshops for border police.", "activity", "none", "planned"),
    ("Organise awareness sessions in schools.", "activity", "none", "planned"),
    ("Training of judges and prosecutors.", "activity", "none", "none"),
    ("Gjennomføre kurs for lærere.", "activity", "none", "planned"),
    ("300 police officers trained in victim identification.", "output", "none", "achieved"),
    ("A shelter for 20 women was established.", "output", "none", "achieved"),
    ("Et krisesenter er etablert.", "output", "none", "achieved"),
    ("Number of victims assisted.", "output", "none", "none"),
    ("Officers now apply the identification guidelines.", "outcome", "none", "achieved"),
    ("Household income rose by 25 percent.", "outcome", "none", "achieved"),
    ("Økt bevissthet blant befolkningen.", "outcome", "none", "none"),
    ("Politiet henviser nå ofre til hjelpetiltak.", "outcome", "none", "achieved"),
    ("Reduced trafficking in human beings.", "impact", "none", "none"),
    ("Contribute to the elimination of child labour.", "impact", "none", "planned"),
    ("Bidra til å bekjempe menneskehandel.", "impact", "none", "planned"),
    ("Redusert fattigdom i regionen.", "impact", "none", "none"),
    ("The project should continue joint training.", "other", "recommendation", "none"),
    ("Prosjektet bør videreføres.", "other", "recommendation", "none"),
    ("We recommend a baseline study.", "other", "recommendation", "none"),
    ("Experience shows that early involvement of police proved crucial.", "other", "lesson", "none"),
    ("Erfaringen viser at oppfølging er avgjørende.", "other", "lesson", "none"),
    ("A key lesson is that local ownership matters.", "other", "lesson", "none"),
    ("Trafficking is linked to poverty and unemployment.", "other", "none", "none"),
    ("Prosjektet har et budsjett på 3 millioner kroner.", "other", "none", "none"),
    ("The project did not reach youth at risk.", "output", "none", "not_achieved"),
    ("Kurset ble ikke gjennomført.", "activity", "none", "not_achieved"),
]


def _data(repeat: int = 3):
    texts = [t for t, *_ in EXAMPLES] * repeat
    labels = {
        "level": [lv for _, lv, _, _ in EXAMPLES] * repeat,
        "learning": [le for _, _, le, _ in EXAMPLES] * repeat,
        "status": [st for _, _, _, st in EXAMPLES] * repeat,
    }
    return texts, labels


@pytest.fixture(scope="module")
def fitted():
    texts, labels = _data()
    return ResultsChainClassifier(C=10.0, max_char_features=5000).fit(texts, labels)


def test_fit_returns_self_and_fitted_attributes(fitted):
    assert isinstance(fitted, ResultsChainClassifier)
    assert set(fitted.coef_) == {"level", "learning", "status"}
    assert fitted.classes_["level"] == ("activity", "output", "outcome", "impact", "other")
    with pytest.raises(ModelError):
        ResultsChainClassifier().predict(["x"])


def test_learns_training_data(fitted):
    predicted = fitted.predict([t for t, *_ in EXAMPLES])
    accuracy = np.mean([p == lv for p, (_, lv, _, _) in zip(predicted["level"], EXAMPLES, strict=True)])
    assert accuracy >= 0.9
    probabilities = fitted.predict_proba(["Prosjektet bør videreføres."])
    assert np.allclose(probabilities["level"].sum(axis=1), 1.0)


def test_weak_rows_without_labels_are_ignored_per_head():
    texts, labels = _data()
    texts = [*texts, "Number of people reached", "Improved access to justice"]
    labels = {"level": [*labels["level"], "output", "outcome"],
              "learning": [*labels["learning"], None, None], "status": [*labels["status"], None, None]}
    weights = {h: [1.0] * (len(texts) - 2) + [0.2, 0.2] for h in labels}
    model = ResultsChainClassifier(max_char_features=5000).fit(texts, labels, weights)
    assert model.predict(["x"])["learning"][0] in ("lesson", "recommendation", "none")


def test_save_load_round_trip_without_pickle(fitted, tmp_path):
    fitted.save(tmp_path / "m", {"name": "test"})
    files = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert files == ["meta.json", "vectorizers.json", "weights.npz"]
    loaded = ResultsChainClassifier.load(tmp_path / "m")
    texts = [t for t, *_ in EXAMPLES]
    for head, p in fitted.predict_proba(texts).items():
        assert np.allclose(p, loaded.predict_proba(texts)[head], atol=1e-6)
    # the arrays load with allow_pickle=False: an object array would be refused
    with np.load(tmp_path / "m" / "weights.npz", allow_pickle=False) as arrays:
        assert all(arrays[k].dtype != object for k in arrays.files)


def test_loader_checks_integrity(fitted, tmp_path):
    directory = fitted.save(tmp_path / "m")
    (directory / "weights.npz").write_bytes((directory / "weights.npz").read_bytes() + b"tampered")
    with pytest.raises(ModelError, match="hash"):
        ResultsChainClassifier.load(directory)
    meta = json.loads((directory / "meta.json").read_text())
    meta["format_version"] = 99
    (directory / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="format"):
        ResultsChainClassifier.load(directory)
    with pytest.raises(ModelError):
        ResultsChainClassifier.load(tmp_path / "missing")


def test_deterministic_training():
    texts, labels = _data()
    a = ResultsChainClassifier(max_char_features=5000).fit(texts, labels)
    b = ResultsChainClassifier(max_char_features=5000).fit(texts, labels)
    for head in a.coef_:
        assert np.array_equal(a.coef_[head], b.coef_[head])


def test_temperature_calibration_lowers_nll(fitted):
    texts = [t for t, *_ in EXAMPLES]
    logits = fitted.decision_function(texts)
    gold = {"level": [lv for _, lv, _, _ in EXAMPLES], "learning": [le for _, _, le, _ in EXAMPLES],
            "status": [st for *_, st in EXAMPLES]}
    fitted.calibrate(logits, gold)
    assert all(t > 0 for t in fitted.temperature_.values())


def test_classify_frame_columns_and_context(fitted):
    frame = classify(["Prosjektet har gitt opplæring til 120 lærere.", "Drift av krisesenter"],
                     model=fitted, section_kinds=["recommendations", None], field_labels=[None, "Aktiviteter"])
    assert list(frame.columns[:3]) == ["text", "lang", "level"]
    assert {"p_activity", "p_lesson", "p_recommendation", "has_indicator", "has_baseline", "has_target",
            "cues"} <= set(frame.columns)
    assert "section:recommendations" in frame.loc[0, "cues"]
    assert "field:Aktiviteter" in frame.loc[1, "cues"]
    plain = classify(["Prosjektet har gitt opplæring til 120 lærere.", "Drift av krisesenter"], model=fitted)
    assert frame.loc[1, "p_activity"] > plain.loc[1, "p_activity"]
    assert frame.loc[0, "p_recommendation"] > plain.loc[0, "p_recommendation"]
    with pytest.raises(InputError):
        classify("a single string", model=fitted)
    assert classify([], model=fitted).empty


def test_cues_column_names_the_rules_a_reviewer_needs(fitted):
    frame = classify(["Labour inspectors have the knowledge and tools to identify forced labour.",
                      "Border police are able to identify victims.", "The project should continue."],
                     model=fitted, lang="en")
    assert "rule:capacity_held" in frame.loc[0, "cues"]
    assert "rule:able_to" in frame.loc[1, "cues"] and "rule:capacity_held" not in frame.loc[1, "cues"]
    assert "rule:modal_should" in frame.loc[2, "cues"]


def test_metrics():
    report = score_head(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b"])
    assert report.accuracy == 0.75
    assert report.per_label["a"]["precision"] == 1.0 and report.per_label["a"]["recall"] == 0.5
    assert report.confusion == [[1, 1], [0, 2]]
    perfect = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert expected_calibration_error(perfect, np.array([0, 1])) == 0.0
    overconfident = np.array([[0.99, 0.01], [0.99, 0.01]])
    assert expected_calibration_error(overconfident, np.array([0, 1])) > 0.4


def test_default_model_follows_the_environment(fitted, tmp_path, monkeypatch):
    from findings_miner.classify import load_model, model_dir

    fitted.save(tmp_path / "mine", {"name": "mine"})
    monkeypatch.setenv("FINDINGS_MINER_MODEL", str(tmp_path / "mine"))
    assert model_dir() == tmp_path / "mine"
    assert load_model().meta_["name"] == "mine"
    monkeypatch.setenv("FINDINGS_MINER_MODEL", str(tmp_path / "absent"))
    with pytest.raises(ModelError, match="not found"):
        load_model()
