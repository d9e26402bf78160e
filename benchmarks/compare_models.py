"""Two or more models side by side on the same held-out passages, per language and per corpus file.

Why: when the corpus grows, the held-out split grows with it, so a model's held-out figures before
and after are not on the same passages. This script scores every model given on the *current*
split, broken down by language, written vs real, and by corpus file (the id prefix of written
passages: ``en-cap``, ``nb-oll`` …), so a change can be read on the passages both models never saw.

An earlier model can be taken from git: ``git archive <commit> models | tar -x -C /tmp/old``.
A model built by ``findings-miner train`` from a corpus whose files were a subset of today's never
trained on today's held-out passages (the split is by a hash of each passage's group); weak IATI
rows (off by default) and near-duplicates under other ids are outside that guarantee.

Run: ``python benchmarks/compare_models.py MODEL [MODEL ...] [--by-file]``.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, head_macro_f1, require_shared

from findings_miner.classify import load_model
from findings_miner.classify.train import SPLIT_SEED
from findings_miner.corpus import held_out_split, is_reference, load_corpus


def subsets(records, by_file: bool) -> dict[str, list[int]]:
    """Row numbers of the held-out passages per language × written/real, and per written file."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        kind = "real" if is_reference(record) else "written"
        groups[f"{record.lang} {kind}"].append(i)
        if by_file and kind == "written":
            groups["  " + record.id.rsplit("-", 1)[0]].append(i)
    return dict(sorted(groups.items(), key=lambda item: (item[0].startswith("  "), item[0])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="model names or directories")
    parser.add_argument("--by-file", action="store_true", help="also per corpus file (id prefix)")
    args = parser.parse_args()

    records, _ = load_corpus(ROOT / "corpus", require_shared())
    _, test_index = held_out_split(records, seed=SPLIT_SEED)
    test = [records[i] for i in test_index]
    groups = subsets(test, args.by_file)
    print(f"held-out split: {len(test)} passages; macro-F1 of level / learning / status")
    for number, name in enumerate(args.models, 1):
        print(f"  #{number}: {name}")
    print(f"{'subset':18} {'n':>5}  " + "  ".join(f"{'#' + str(n):>24}" for n in range(1, len(args.models) + 1)))
    predictions = []
    for name in args.models:
        model = load_model(name)
        predictions.append(model.predict([r.text for r in test]))
    for subset, rows in groups.items():
        cells = [head_macro_f1([test[i] for i in rows], {head: [labels[i] for i in rows]
                                                         for head, labels in predicted.items()})
                 for predicted in predictions]
        print(f"{subset:18} {len(rows):>5}  " + "  ".join(f"{c:>24}" for c in cells))


if __name__ == "__main__":
    main()
