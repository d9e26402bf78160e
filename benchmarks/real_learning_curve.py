"""Would more labelled real passages help?  A learning curve over the real passages of ``corpus/references``.

The default n-gram model is trained on every written passage of the training part plus a growing
share of its real passages (whole IATI activities, in a fixed random order), and scored on the
held-out split's English real and English written passages. A curve still rising steeply says
"label more real text"; a flat one says the model or the labels are the limit.

Nothing under ``../shared/eval`` is read. Run: ``python benchmarks/real_learning_curve.py
[--shares 0.25 0.5 1]``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, head_macro_f1, require_shared

from findings_miner.classify.model import ResultsChainClassifier
from findings_miner.classify.train import SPLIT_SEED, training_data
from findings_miner.corpus import held_out_split, is_reference, load_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shares", type=float, nargs="+", default=[0.25, 0.5, 1.0],
                        help="shares of the real training activities to train with")
    args = parser.parse_args()

    records, _ = load_corpus(ROOT / "corpus", require_shared())
    train_index, test_index = held_out_split(records, seed=SPLIT_SEED)
    train = [records[i] for i in train_index]
    test = [records[i] for i in test_index]
    groups = sorted({r.group for r in train if is_reference(r)})
    random.Random(0).shuffle(groups)
    tests = {"EN real": [r for r in test if is_reference(r) and r.lang == "en"],
             "EN written": [r for r in test if not is_reference(r) and r.lang == "en"]}
    print("macro-F1 level / learning / status on held-out passages")
    for share in args.shares:
        kept = set(groups[:round(len(groups) * share)])
        subset = [r for r in train if not is_reference(r) or r.group in kept]
        texts, labels, weights, _ = training_data(subset, None, 0.0)
        model = ResultsChainClassifier().fit(texts, labels, weights)
        cells = [f"{name} {head_macro_f1(rows, model.predict([r.text for r in rows]))}" for name, rows in tests.items()]
        print(f"real share {share:.2f} ({sum(is_reference(r) for r in subset):>5} real passages): " + "   ".join(cells),
              flush=True)


if __name__ == "__main__":
    main()
