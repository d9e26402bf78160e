"""Classification: results-chain level, learning tag, planned/achieved status, indicators.

``classify(texts)`` labels plain texts; ``findings_miner.analyze`` labels the passages of a
document and adds section context. Heavy imports happen on first use, not at import time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import InputError, ModelError
from .cascade import CascadeModel, is_cascade_dir, least_confidence, load_cascade
from .context import apply_evidence, evidence_for
from .features import find_cues
from .indicators import detect_indicators
from .model import HEADS, ResultsChainClassifier

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "results_chain"
MAX_CLASSIFIED_CHARS = 1500
MODEL_DIR_ENV = "FINDINGS_MINER_MODEL_DIR"
#: names the model used when none is given (e.g. ``results_chain_e5`` everywhere, batch children too)
MODEL_ENV = "FINDINGS_MINER_MODEL"
OUTPUT_COLUMNS = [
    "text", "lang", "level", "p_activity", "p_output", "p_outcome", "p_impact", "p_other",
    "learning", "p_lesson", "p_recommendation", "status", "p_planned", "p_achieved", "p_not_achieved",
    "has_indicator", "has_baseline", "has_target", "cues",
]


def models_root() -> Path:
    """Where shipped models live: ``$FINDINGS_MINER_MODEL_DIR`` or the repository's ``models/``."""
    if os.environ.get(MODEL_DIR_ENV):
        return Path(os.environ[MODEL_DIR_ENV])
    return Path(__file__).resolve().parents[3] / "models"


def load_model(name_or_path: str | None = None) -> ResultsChainClassifier | CascadeModel:
    """Load (and cache) a model by name under :func:`models_root` or by directory path
    (``None``: see :func:`model_dir`).

    Raises:
        ModelError: the model is missing or fails its integrity checks.
    """
    return _load_cached(model_dir(name_or_path).resolve())


@lru_cache(maxsize=4)
def _load_cached(directory: Path) -> ResultsChainClassifier | CascadeModel:
    if is_cascade_dir(directory):
        return load_cascade(directory, load_model)
    return ResultsChainClassifier.load(directory)


def resolve_model(model: ResultsChainClassifier | CascadeModel | str | None) -> ResultsChainClassifier | CascadeModel:
    """A loaded model as it is; a name, path or ``None`` loaded by :func:`load_model`.

    Raises:
        ModelError: the model cannot be loaded.
    """
    return model if isinstance(model, ResultsChainClassifier | CascadeModel) else load_model(model)


def model_name(name_or_path: str | None = None) -> str:
    """The model meant by ``name_or_path``: itself, else ``$FINDINGS_MINER_MODEL``, else ``results_chain``."""
    return name_or_path or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def model_dir(name_or_path: str | None = None) -> Path:
    """The directory of a model given by name under :func:`models_root` or by path; ``None`` means
    ``$FINDINGS_MINER_MODEL`` or else the shipped n-gram model ``results_chain``.

    Raises:
        ModelError: no ``meta.json`` there.
    """
    name_or_path = model_name(name_or_path)
    path = Path(name_or_path)
    if not (path / "meta.json").is_file():
        path = models_root() / name_or_path
    if not (path / "meta.json").is_file():
        raise ModelError(f"model {name_or_path!r} not found (looked in {path}); run `findings-miner train`")
    return path


def _fast_language(text: str) -> str | None:
    from ..segment.language import function_word_profile

    profile = function_word_profile(text)
    if not profile:
        return None
    (best, count), *rest = [*profile.most_common(2), (None, 0)]
    if best in ("nb", "nn", "da") and rest[0][0] in ("nb", "nn", "da"):
        return "nb" if best in ("nb", "da") or rest[0][0] == "nb" else best
    return best if count > rest[0][1] else None


def _languages(texts: Sequence[str]) -> list[str | None]:
    """Per-text language: function words first (fast), lingua for the undecided ones."""
    guesses = [_fast_language(t) for t in texts]
    undecided = [i for i, g in enumerate(guesses) if g is None and len(texts[i].split()) >= 2]
    if undecided:
        from ..segment.language import detect_many

        for i, detected in zip(undecided, detect_many([texts[i] for i in undecided]), strict=True):
            guesses[i] = detected
    return guesses


def classify(
    texts: Sequence[str],
    *,
    lang: str | None = None,
    model: ResultsChainClassifier | CascadeModel | str | None = None,
    section_kinds: Sequence[str | None] | None = None,
    field_labels: Sequence[str | None] | None = None,
    explain: bool = True,
):
    """Label texts on the results chain, tag lessons/recommendations, planned/achieved, indicators.

    Args:
        texts: passages (sentences, bullets, fields, indicator titles).
        lang: language of all texts; ``None`` guesses per text from function words.
        model: a fitted classifier, a model name/path (``"results_chain_e5"``: the slower
            sentence-embedding model), or ``None``: ``$FINDINGS_MINER_MODEL``, else the shipped
            n-gram model.
        section_kinds / field_labels: optional context per text (as ``analyze`` passes it).
        explain: include the ``cues`` column (the rules and n-grams behind each label).

    Returns:
        A pandas DataFrame with one row per text and the columns in ``OUTPUT_COLUMNS``.

    Raises:
        InputError: texts is a single string or context lists have the wrong length.
        ModelError: the model cannot be loaded.
    """
    import pandas as pd

    if isinstance(texts, str):
        raise InputError("classify expects a sequence of texts, not a single string")
    texts = ["" if t is None else str(t) for t in texts]
    n = len(texts)
    # positions, not labels: a pandas Series with its own index must line up with texts
    section_kinds = None if section_kinds is None else list(section_kinds)
    field_labels = None if field_labels is None else list(field_labels)
    for name, values in (("section_kinds", section_kinds), ("field_labels", field_labels)):
        if values is not None and len(values) != n:
            raise InputError(f"{name} has {len(values)} entries for {n} texts")
    model = resolve_model(model)
    if n == 0:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    if isinstance(model, CascadeModel):
        return _classify_cascade(texts, model, lang=lang, section_kinds=section_kinds,
                                 field_labels=field_labels, explain=explain)

    # a passage longer than this is a table dump or an unpunctuated file; its start decides
    model_texts = [t[:MAX_CLASSIFIED_CHARS] for t in texts]
    cue_lists = [find_cues(t) for t in model_texts]
    features = model.transform(model_texts, cue_lists=cue_lists)
    probabilities = model.predict_proba(model_texts, features=features)
    explanations: list[list[str]] = [[] for _ in range(n)]
    if section_kinds is not None or field_labels is not None:
        for i in range(n):
            section = section_kinds[i] if section_kinds is not None else None
            label = field_labels[i] if field_labels is not None else None
            evidence, context_cues = evidence_for(section if isinstance(section, str) else None,
                                                  label if isinstance(label, str) and label else None)
            for head, ratios in evidence.items():
                probabilities[head][i] = apply_evidence(probabilities[head][i], model.classes_[head], ratios)
            explanations[i].extend(context_cues)

    predicted = {head: np.asarray(model.classes_[head])[probabilities[head].argmax(axis=1)] for head in HEADS}
    if explain:
        top_terms = model.top_contributions(features, {h: probabilities[h].argmax(axis=1) for h in HEADS}, k=3)
    indicator_flags = [detect_indicators(t) for t in model_texts]
    frame = pd.DataFrame({"text": texts})
    frame["lang"] = [lang] * n if lang else _languages(texts)
    frame["level"] = predicted["level"]
    for j, label in enumerate(model.classes_["level"]):
        frame[f"p_{label}"] = probabilities["level"][:, j]
    frame["learning"] = predicted["learning"]
    for label in ("lesson", "recommendation"):
        frame[f"p_{label}"] = probabilities["learning"][:, model.classes_["learning"].index(label)]
    frame["status"] = predicted["status"]
    for label in ("planned", "achieved", "not_achieved"):
        frame[f"p_{label}"] = probabilities["status"][:, model.classes_["status"].index(label)]
    frame["has_indicator"] = [f.has_indicator for f in indicator_flags]
    frame["has_baseline"] = [f.has_baseline for f in indicator_flags]
    frame["has_target"] = [f.has_target for f in indicator_flags]
    if explain:
        frame["cues"] = [
            "; ".join(dict.fromkeys([*explanations[i], *(f"rule:{c}" for c in cue_lists[i] if c in _REPORTED_CUES),
                                     *top_terms[i], *indicator_flags[i].cues]))
            for i in range(n)
        ]
    else:
        frame["cues"] = ""
    return frame[OUTPUT_COLUMNS]


def _classify_cascade(texts: list[str], model: CascadeModel, *, lang, section_kinds, field_labels, explain: bool):
    """The fast model's frame, with the rows it is unsure of replaced by the slow model's labels."""
    frame = classify(texts, lang=lang, model=model.fast, section_kinds=section_kinds,
                     field_labels=field_labels, explain=explain)
    unsure = np.flatnonzero(least_confidence(frame) < model.threshold)
    logger.debug("cascade: %d of %d passages re-labelled by the slow model", len(unsure), len(texts))
    if len(unsure):
        def subset(values):
            return None if values is None else [values[i] for i in unsure]

        # the fast frame already holds the languages: "und" spares detecting them again
        slow = classify([texts[i] for i in unsure], lang=lang or "und", model=model.slow,
                        section_kinds=subset(section_kinds), field_labels=subset(field_labels), explain=explain)
        for column in OUTPUT_COLUMNS[2:]:  # all but text and lang, column by column to keep dtypes
            frame.iloc[unsure, frame.columns.get_loc(column)] = slow[column].astype(frame[column].dtype).to_numpy()
        if explain:
            name = model.slow.meta_.get("name", "slow model") if hasattr(model.slow, "meta_") else "slow model"
            frame.iloc[unsure, frame.columns.get_loc("cues")] = [f"model:{name}; {c}" if c else f"model:{name}"
                                                                for c in slow["cues"]]
    return frame


_REPORTED_CUES = frozenset({
    "recommend", "modal_should", "lesson", "hindsight", "change_up", "change_down", "behaviour",
    "impact_goal", "deliver", "process", "metric", "future", "past", "negation", "hedge",
    "capacity_held", "able_to", "objective_label", "activity_label", "opens_with_infinitive", "opens_with_process_noun",
})

__all__ = ["HEADS", "OUTPUT_COLUMNS", "CascadeModel", "ResultsChainClassifier", "classify", "load_model", "model_dir",
           "models_root", "resolve_model"]
