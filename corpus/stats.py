"""Print the Markdown tables of ``corpus/README.md`` (files, label distributions) from the corpus.

Run from the project root: ``python corpus/stats.py`` (the real references need ``../shared``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from findings_miner.corpus import LEARNING, LEVELS, STATUSES, is_reference, load_corpus

ROOT = Path(__file__).resolve().parent


def main() -> None:
    records, report = load_corpus(ROOT, ROOT.parent.parent / "shared")
    written = [r for r in records if not is_reference(r)]
    real = [r for r in records if is_reference(r)]
    print(f"written {len(written)} ({sum(r.lang == 'en' for r in written)} en, "
          f"{sum(r.lang == 'nb' for r in written)} nb); real {len(real)} "
          f"({sum(r.lang == 'en' for r in real)} en, {sum(r.lang == 'nb' for r in real)} nb); "
          f"references report {json.dumps({k: v for k, v in report['references'].items() if k != 'sources'})}")
    print("\n| file | passages |\n|---|---|")
    for path in sorted(ROOT.glob("*.jsonl")) + sorted((ROOT / "references").glob("*.jsonl")):
        lines = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        print(f"| {path.relative_to(ROOT)} | {lines} |")
    for head, labels in (("level", LEVELS), ("learning", LEARNING), ("status", STATUSES)):
        print(f"\n| {head} | written en | written nb | real en | real nb | all |\n|---|---|---|---|---|---|")
        counts = Counter((is_reference(r), r.lang, getattr(r, head)) for r in records)
        for label in labels:
            cells = [counts[(ref, lang, label)] for ref in (False, True) for lang in ("en", "nb")]
            print(f"| {label} | " + " | ".join(str(c) for c in cells) + f" | {sum(cells)} |")
    forms = Counter(r.form for r in records)
    print("\nforms:", dict(forms.most_common()))


if __name__ == "__main__":
    main()
