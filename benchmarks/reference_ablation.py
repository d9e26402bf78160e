"""Does labelled real text help?  3-fold cross-validation on the training part of the corpus with
the same test folds, training with and without the real passages of ``corpus/references`` (at
several weights, and head by head), scored separately on written and on real test rows.

Nothing under ``../shared/eval`` is read. Run: ``python benchmarks/reference_ablation.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED

from findings_miner.classify.evaluate import score_head
from findings_miner.classify.model import HEADS, ResultsChainClassifier
from findings_miner.classify.train import SPLIT_SEED
from findings_miner.corpus import group_folds, held_out_split, is_reference, load_corpus

#: name → weight of real passages in training (None: left out)
VARIANTS = {"written only": None, "written + real (w=0.5)": 0.5, "written + real (w=1)": 1.0,
            "written + real (w=2)": 2.0}


def main() -> None:
    records, report = load_corpus(ROOT / "corpus", SHARED)
    if not report["references"]["resolved"]:
        print(f"skipped: no real references resolved (is {SHARED} present?)")
        return
    train_index, _ = held_out_split(records, seed=SPLIT_SEED)
    records = [records[i] for i in train_index]
    real = np.array([is_reference(r) for r in records])
    print(f"3-fold CV on the training part: {len(records)} passages, {real.sum()} of them real")
    folds = group_folds(records, 3, SPLIT_SEED)  # passages of one IATI activity stay in one fold
    subsets = {"written en": lambda r: not is_reference(r) and r.lang == "en",
               "written nb": lambda r: not is_reference(r) and r.lang == "nb",
               "real en": lambda r: is_reference(r) and r.lang == "en",
               "real nb": lambda r: is_reference(r) and r.lang == "nb"}
    print(f"{'variant':24} " + " ".join(f"{name:>12}" for name in subsets) + "   (level macro-F1; learning, status on written rows)")
    for name, weight in VARIANTS.items():
        scores: dict[str, list[float]] = {s: [] for s in subsets} | {"learning": [], "status": []}
        for fold_train, test in folds:
            train = [i for i in fold_train if weight is not None or not real[i]]
            w = [1.0 if not real[i] else weight for i in train]
            model = ResultsChainClassifier().fit([records[i].text for i in train],
                                                 {h: [getattr(records[i], h) for i in train] for h in HEADS},
                                                 {h: w for h in HEADS})
            predicted = model.predict([records[i].text for i in test])
            for subset, member in subsets.items():
                rows = [k for k, i in enumerate(test) if member(records[i])]
                if rows:
                    scores[subset].append(score_head([records[test[k]].level for k in rows],
                                                     [predicted["level"][k] for k in rows], HEADS["level"]).macro_f1)
            written = [k for k, i in enumerate(test) if not real[i]]
            for head in ("learning", "status"):  # on written rows: the ones every variant can be fair on
                scores[head].append(score_head([getattr(records[test[k]], head) for k in written],
                                               [predicted[head][k] for k in written], HEADS[head]).macro_f1)
        print(f"{name:24} " + " ".join(f"{np.mean(scores[s]):12.3f}" for s in subsets)
              + f"   learning {np.mean(scores['learning']):.3f} status {np.mean(scores['status']):.3f}")
    head_ablation(records, real, folds)


def head_ablation(records, real, folds) -> None:
    """Learning and status heads trained with and without the real passages (level always with)."""
    print("\nper head, real passages in (w=0.5) or out of that head's training rows:")
    print(f"{'head':9} {'real rows':9} {'written macro-F1':>17} {'written detect F1':>18} {'real macro-F1':>14}"
          f" {'real detect F1':>15}")
    positive = {"learning": lambda y: y != "none", "status": lambda y: y == "achieved"}
    for head in ("learning", "status"):
        for included in (True, False):
            scores: dict[str, list[float]] = {"w": [], "wd": [], "r": [], "rd": []}
            for train, test in folds:
                weights = {h: [0.5 if real[i] else 1.0 for i in train] for h in HEADS}
                if not included:
                    weights[head] = [0.0 if real[i] else 1.0 for i in train]
                model = ResultsChainClassifier().fit([records[i].text for i in train],
                                                     {h: [getattr(records[i], h) for i in train] for h in HEADS}, weights)
                predicted = model.predict([records[i].text for i in test])[head]
                for key, is_real in (("w", False), ("r", True)):
                    rows = [k for k, i in enumerate(test) if real[i] == is_real]
                    gold = [getattr(records[test[k]], head) for k in rows]
                    guess = [predicted[k] for k in rows]
                    scores[key].append(score_head(gold, guess, HEADS[head]).macro_f1)
                    hit = positive[head]
                    scores[key + "d"].append(score_head(["y" if hit(g) else "n" for g in gold],
                                                        ["y" if hit(q) else "n" for q in guess], ["y", "n"]).per_label["y"]["f1"])
            print(f"{head:9} {'in' if included else 'out':9} {np.mean(scores['w']):17.3f} {np.mean(scores['wd']):18.3f}"
                  f" {np.mean(scores['r']):14.3f} {np.mean(scores['rd']):15.3f}")
    print("(detect: learning = lesson or recommendation; status = achieved)")


if __name__ == "__main__":
    main()
