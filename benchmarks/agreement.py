"""Inter-annotator agreement of the corpus: Cohen's kappa between the corpus labels and the blind
second annotation, for the written sample (``corpus/agreement/second_annotation.jsonl``), the
first-round real-passage sample (``second_annotation_real.jsonl``) and a sample of the later rounds,
labelled under the conventions for real text (``second_annotation_real_conventions.jsonl``), per
head and language.

Run: ``python benchmarks/agreement.py`` (the real sample needs ``../shared`` to resolve languages
and labels of the references).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED

from findings_miner.corpus import load_corpus


def main() -> None:
    from sklearn.metrics import cohen_kappa_score

    records, _ = load_corpus(ROOT / "corpus", SHARED)
    first = {r.id: r for r in records}
    for name in ("second_annotation.jsonl", "second_annotation_real.jsonl", "second_annotation_real_conventions.jsonl",
                 "second_annotation_round4.jsonl"):
        path = ROOT / "corpus" / "agreement" / name
        second = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        pairs = [(first[s["id"]], s) for s in second if s["id"] in first]
        print(f"\n{name}: {len(pairs)} of {len(second)} passages resolved")
        print(f"{'head':10} {'subset':6} {'n':>4} {'raw':>6} {'kappa':>6}")
        for head in ("level", "learning", "status"):
            for lang in ("all", "en", "nb"):
                subset = [(getattr(a, head), b[head]) for a, b in pairs if lang in ("all", a.lang)]
                if not subset:
                    continue
                x, y = zip(*subset, strict=True)
                raw = sum(p == q for p, q in subset) / len(subset)
                kappa = cohen_kappa_score(x, y) if len(set(x) | set(y)) > 1 else float("nan")
                print(f"{head:10} {lang:6} {len(subset):4d} {raw:6.3f} {kappa:6.3f}")


if __name__ == "__main__":
    main()
