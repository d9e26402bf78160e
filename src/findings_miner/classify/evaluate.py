"""Evaluation: per-label precision/recall/F1, macro-F1, confusion matrix, expected calibration error."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


def expected_calibration_error(probabilities: np.ndarray, y_true_index: np.ndarray, bins: int = 10) -> float:
    """ECE of the top-class confidence, equal-width bins (Guo et al. 2017)."""
    if len(y_true_index) == 0:
        return float("nan")
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y_true_index
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for low, high in itertools.pairwise(edges):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            ece += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(ece)


@dataclass
class HeadReport:
    """Scores of one head on one gold set."""

    labels: list[str]
    per_label: dict[str, dict[str, float]]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]
    ece: float | None
    n: int
    extra: dict = field(default_factory=dict)

    def to_text(self, title: str = "") -> str:
        lines = [f"{title} n={self.n} accuracy={self.accuracy:.3f} macro-F1={self.macro_f1:.3f}"
                 + (f" ECE={self.ece:.3f}" if self.ece is not None else "")]
        lines.append(f"  {'label':14} {'prec':>6} {'rec':>6} {'F1':>6} {'support':>8}")
        for label in self.labels:
            s = self.per_label[label]
            lines.append(f"  {label:14} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {int(s['support']):8d}")
        width = max(len(label) for label in self.labels) + 1
        lines.append("  confusion (rows gold, columns predicted): " + " ".join(f"{label[:8]:>8}" for label in self.labels))
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(f"  {label:>{width}} " + " ".join(f"{v:8d}" for v in row))
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"labels": self.labels, "per_label": self.per_label, "macro_f1": self.macro_f1,
                "accuracy": self.accuracy, "confusion": self.confusion, "ece": self.ece, "n": self.n, **self.extra}


def score_head(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str],
               probabilities: np.ndarray | None = None, classes: Sequence[str] | None = None) -> HeadReport:
    """Scores restricted to ``labels`` (gold rows outside them are ignored; predictions outside them
    count as errors). ``probabilities`` (columns in ``classes`` order) enable ECE."""
    labels = list(labels)
    keep = [i for i, g in enumerate(gold) if g in labels]
    gold = [gold[i] for i in keep]
    predicted = [predicted[i] for i in keep]
    per_label = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": precision, "recall": recall, "f1": f1, "support": float(tp + fn)}
    present = [label for label in labels if per_label[label]["support"] > 0]
    macro = float(np.mean([per_label[label]["f1"] for label in present])) if present else 0.0
    accuracy = float(np.mean([g == p for g, p in zip(gold, predicted, strict=True)])) if gold else 0.0
    index = {label: i for i, label in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        if p in index:
            confusion[index[g]][index[p]] += 1
    ece = None
    if probabilities is not None and classes is not None and gold:
        classes = list(classes)
        probs = probabilities[keep]
        ece = expected_calibration_error(probs, np.array([classes.index(g) for g in gold]))
    return HeadReport(labels, per_label, macro, accuracy, confusion, ece, len(gold))
