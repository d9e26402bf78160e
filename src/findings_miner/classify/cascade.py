"""A cascade of two models: the fast n-gram model labels every passage, and the slow embedding
model re-labels only those the fast one is unsure of.

Why: in cross-validation on the training part (folds by IATI activity) the embedding model re-scoring
the passages where any head of the n-gram model is below probability 0.7 re-scores about half of them
and keeps its whole gain in macro-F1; below 0.6 it re-scores about 40 % and keeps nine tenths. The
cascade is a model directory like any other (``models/results_chain_cascade/meta.json`` names the
two models and the threshold), so ``--model``, ``FINDINGS_MINER_MODEL``, batch runs and the spaCy
component take it unchanged.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .model import ResultsChainClassifier

logger = logging.getLogger(__name__)

CASCADE_KIND = "cascade"


@dataclass(frozen=True)
class CascadeModel:
    """``fast`` labels everything; ``slow`` re-labels rows whose least confident head is below
    ``threshold`` (0 never re-labels, above 1 always does)."""

    fast: ResultsChainClassifier
    slow: ResultsChainClassifier
    threshold: float
    meta_: dict[str, Any] = field(default_factory=dict)

    @property
    def classes_(self) -> dict[str, tuple[str, ...]]:
        return self.fast.classes_

    def predict_proba(self, texts) -> dict[str, np.ndarray]:
        """Calibrated probabilities per head: the fast model's, the slow model's where unsure."""
        texts = list(texts)
        probabilities = self.fast.predict_proba(texts)
        unsure = np.flatnonzero(top_probability(probabilities) < self.threshold)
        if len(unsure):
            slow = self.slow.predict_proba([texts[i] for i in unsure])
            for head in probabilities:
                probabilities[head][unsure] = slow[head]
        return probabilities

    def predict(self, texts) -> dict[str, list[str]]:
        return {head: [self.classes_[head][i] for i in p.argmax(axis=1)]
                for head, p in self.predict_proba(texts).items()}


def is_cascade_dir(directory: Path) -> bool:
    """Whether a model directory describes a cascade (its ``meta.json`` has ``kind: cascade``)."""
    try:
        return json.loads((directory / "meta.json").read_text(encoding="utf-8")).get("kind") == CASCADE_KIND
    except (OSError, ValueError, AttributeError):
        return False


def load_cascade(directory: Path, load_model) -> CascadeModel:
    """Load a cascade; ``load_model`` resolves its two member models by name or path.

    Raises:
        ModelError: a malformed description, a threshold outside [0, 1.01], members with different
            labels, or a member that cannot be loaded.
    """
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    try:
        fast_name, slow_name, threshold = meta["fast"], meta["slow"], float(meta["threshold"])
    except (KeyError, TypeError, ValueError) as error:
        raise ModelError(f"cascade {directory}: meta.json needs 'fast', 'slow' and a numeric 'threshold'") from error
    if not 0.0 <= threshold <= 1.01:
        raise ModelError(f"cascade {directory}: threshold {threshold} is outside [0, 1.01]")
    fast, slow = load_model(fast_name), load_model(slow_name)
    if fast.classes_ != slow.classes_:
        raise ModelError(f"cascade {directory}: {fast_name} and {slow_name} have different labels")
    return CascadeModel(fast=fast, slow=slow, threshold=threshold, meta_=meta)


def top_probability(probabilities: dict[str, np.ndarray]) -> np.ndarray:
    """Per row, the lowest of the heads' top probabilities."""
    return np.min(np.vstack([p.max(axis=1) for p in probabilities.values()]), axis=0)


def least_confidence(frame) -> np.ndarray:
    """Per row, the lowest of the three heads' top probabilities (learning and status frames carry
    no ``p_none`` column: it is the rest of 1)."""
    level = frame[["p_activity", "p_output", "p_outcome", "p_impact", "p_other"]].to_numpy().max(axis=1)
    learning = frame[["p_lesson", "p_recommendation"]].to_numpy()
    learning = np.maximum(learning.max(axis=1), 1.0 - learning.sum(axis=1))
    status = frame[["p_planned", "p_achieved", "p_not_achieved"]].to_numpy()
    status = np.maximum(status.max(axis=1), 1.0 - status.sum(axis=1))
    return np.minimum(np.minimum(level, learning), status)
