"""A cascade of two models: the fast n-gram model labels every passage, and the slow embedding
model re-labels only those the fast one is unsure of.

Why: in cross-validation on the training part (folds by IATI activity;
``benchmarks/embeddings_baseline.py``) the embedding model re-scoring
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


@dataclass(frozen=True, eq=False)
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


def member_dir(directory: Path, name: str) -> Path:
    """Where a cascade member lives: an absolute path as given, a name next to the cascade (its
    sibling in ``models/``), never the current directory.

    Raises:
        ModelError: no model there, or the member is itself a cascade (no nesting, no cycles).
    """
    path = Path(name) if Path(name).is_absolute() else directory.resolve().parent / name
    if not (path / "meta.json").is_file():
        raise ModelError(f"cascade {directory}: member {name!r} not found (looked in {path})")
    if is_cascade_dir(path):
        raise ModelError(f"cascade {directory}: member {name!r} is itself a cascade")
    return path


def load_cascade(directory: Path, load_model) -> CascadeModel:
    """Load a cascade; ``load_model`` loads its two members, found by :func:`member_dir`.

    Raises:
        ModelError: a malformed description, a threshold outside [0, 1.01], a member missing or
            itself a cascade, members with different labels, or a member that cannot be loaded.
    """
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    fast_name, slow_name, threshold = meta.get("fast"), meta.get("slow"), meta.get("threshold")
    if not (isinstance(fast_name, str) and fast_name and isinstance(slow_name, str) and slow_name
            and isinstance(threshold, int | float) and not isinstance(threshold, bool)):
        raise ModelError(f"cascade {directory}: meta.json needs 'fast', 'slow' (model names) and a numeric 'threshold'")
    if not 0.0 <= threshold <= 1.01:
        raise ModelError(f"cascade {directory}: threshold {threshold} is outside [0, 1.01]")
    fast = load_model(str(member_dir(directory, fast_name)))
    slow = load_model(str(member_dir(directory, slow_name)))
    if fast.classes_ != slow.classes_:
        raise ModelError(f"cascade {directory}: {fast_name} and {slow_name} have different labels")
    return CascadeModel(fast=fast, slow=slow, threshold=float(threshold), meta_=meta)


def top_probability(probabilities: dict[str, np.ndarray]) -> np.ndarray:
    """Per row, the lowest of the heads' top probabilities."""
    return np.min(np.vstack([p.max(axis=1) for p in probabilities.values()]), axis=0)


def least_confidence(frame) -> np.ndarray:
    """:func:`top_probability` of a ``classify`` frame (its learning and status columns carry no
    ``p_none``: it is the rest of 1)."""
    def with_rest(columns: list[str]) -> np.ndarray:
        p = frame[columns].to_numpy(dtype=float)
        return np.column_stack([p, 1.0 - p.sum(axis=1)])

    return top_probability({
        "level": frame[["p_activity", "p_output", "p_outcome", "p_impact", "p_other"]].to_numpy(dtype=float),
        "learning": with_rest(["p_lesson", "p_recommendation"]),
        "status": with_rest(["p_planned", "p_achieved", "p_not_achieved"]),
    })
