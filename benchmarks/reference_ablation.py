"""Does labelled real text help?  3-fold cross-validation on the training part of the corpus with
the same test folds, training with and without the real passages of ``corpus/references`` (and at
two weights), scored separately on written and on real test rows.

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
from findings_miner.corpus import held_out_split, is_reference, load_corpus

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
    order = np.random.default_rng(SPLIT_SEED).permutation(len(records))
    subsets = {"written en": lambda r: not is_reference(r) and r.lang == "en",
               "written nb": lambda r: not is_reference(r) and r.lang == "nb",
               "real en": lambda r: is_reference(r) and r.lang == "en",
               "real nb": lambda r: is_reference(r) and r.lang == "nb"}
    print(f"{'variant':24} " + " ".join(f"{name:>12}" for name in subsets) + "   (level macro-F1; learning, status on written rows)")
    for name, weight in VARIANTS.items():
        scores: dict[str, list[float]] = {s: [] for s in subsets} | {"learning": [], "status": []}
        for fold in range(3):
            test = order[fold::3]
            train = [i for i in np.setdiff1d(order, test) if weight is not None or not real[i]]
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


if __name__ == "__main__":
    main()
