"""Classification throughput on one core, against a plain TF-IDF + logistic regression baseline
trained and run in the same process on the same texts (goal: classify >= 5,000 passages/s).

The process is pinned to one CPU and BLAS threads are limited to one. Texts are corpus passages
repeated to ``--n``. Run: ``python benchmarks/classify_speed.py [--n 20000]``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, peak_rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000, help="passages to classify")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from findings_miner.classify import classify, load_model
    from findings_miner.corpus import corpus_files, read_corpus

    records = read_corpus(corpus_files(ROOT / "corpus"))
    texts = [r.text for r in records]
    batch = (texts * (args.n // len(texts) + 1))[: args.n]

    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2)
    baseline = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(texts), [r.level for r in records])
    started = time.perf_counter()
    baseline.predict_proba(vectorizer.transform(batch))
    baseline_rate = args.n / (time.perf_counter() - started)

    model = load_model()
    classify(batch[:2000], model=model)  # warm-up: caches, language models, first-touch memory
    timings = {}
    for name, kwargs in (("classify(lang given, no explanations)", {"lang": "en", "explain": False}),
                         ("classify(lang given, with cues)", {"lang": "en"}),
                         ("classify(lang detected, with cues)", {})):
        model._char_encoder()._cache.clear()  # every run builds its own word cache from its batch
        started = time.perf_counter()
        frame = classify(batch, model=model, **kwargs)
        timings[name] = args.n / (time.perf_counter() - started)
        assert len(frame) == args.n
    print(f"{args.n} passages, one core")
    print(f"{'method':44} {'passages/s':>11} {'vs baseline':>12}")
    print(f"{'plain TF-IDF + logistic regression (level)':44} {baseline_rate:11.0f} {1.0:12.2f}")
    for name, rate in timings.items():
        print(f"{name:44} {rate:11.0f} {rate / baseline_rate:12.2f}")
    best = timings["classify(lang given, with cues)"]
    print(f"goal: >= 5,000 passages/s for classify (batch): {best:,.0f} ({'met' if best >= 5000 else 'NOT met'})")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
