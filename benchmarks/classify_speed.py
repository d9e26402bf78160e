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
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, peak_rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000, help="passages to classify")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (median and best reported)")
    parser.add_argument("--e5", type=int, default=300,
                        help="passages for the optional embedding model results_chain_e5 (0 skips it)")
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
    model = load_model()
    classify(batch[:2000], model=model)  # warm-up: caches, language models, first-touch memory
    methods = {"classify(lang given, no explanations)": {"lang": "en", "explain": False},
               "classify(lang given, with cues)": {"lang": "en"},
               "classify(lang detected, with cues)": {}}
    # rounds alternate the methods, because this shared machine's speed drifts within a run
    rates: dict[str, list[float]] = {"baseline": [], **{name: [] for name in methods}}
    for _round in range(args.rounds):
        started = time.perf_counter()
        baseline.predict_proba(vectorizer.transform(batch))
        rates["baseline"].append(args.n / (time.perf_counter() - started))
        for name, kwargs in methods.items():
            model._char_encoder()._cache.clear()  # every run builds its own word cache from its batch
            started = time.perf_counter()
            frame = classify(batch, model=model, **kwargs)
            rates[name].append(args.n / (time.perf_counter() - started))
            assert len(frame) == args.n
    print(f"{args.n} passages, one core, {args.rounds} alternating rounds")
    print(f"{'method':44} {'median/s':>9} {'best/s':>8} {'median ratio':>13}")
    base = statistics.median(rates["baseline"])
    print(f"{'plain TF-IDF + logistic regression (level)':44} {base:9.0f} {max(rates['baseline']):8.0f} {1.0:13.2f}")
    for name in methods:
        print(f"{name:44} {statistics.median(rates[name]):9.0f} {max(rates[name]):8.0f}"
              f" {statistics.median(rates[name]) / base:13.2f}")
    median = statistics.median(rates["classify(lang given, with cues)"])
    print(f"goal: >= 5,000 passages/s for classify (batch), median of rounds: {median:,.0f} "
          f"({'met' if median >= 5000 else 'NOT met'}; rounds: {', '.join(f'{r:,.0f}' for r in rates['classify(lang given, with cues)'])})")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    if args.e5:
        e5_speed(texts, args.e5, base)


def e5_speed(texts: list[str], n: int, baseline_rate: float) -> None:
    """The optional embedding model and the cascade, on distinct held-out passages (never trained
    on, so the fast model's confidence is what it would be on new text; embedding caches cold)."""
    from _common import SHARED

    from findings_miner.classify import classify, load_model
    from findings_miner.classify.cascade import top_probability
    from findings_miner.corpus import held_out_split, load_corpus
    from findings_miner.errors import ModelError

    try:
        models = {name: load_model(name) for name in ("results_chain_e5", "results_chain_cascade")}
    except ModelError as error:
        print(f"embedding models: skipped ({error})")
        return
    records, _ = load_corpus(ROOT / "corpus", SHARED if SHARED.is_dir() else None)
    _, test_index = held_out_split(records)
    held_out = [records[i].text for i in test_index]
    held_out = [held_out[i] for i in np.random.default_rng(0).permutation(len(held_out))]
    classify(texts[-20:], model=models["results_chain_e5"], lang="en")  # warm-up on passages not timed
    for k, (name, model) in enumerate(models.items()):
        sample = held_out[k * n:(k + 1) * n]
        started = time.perf_counter()
        frame = classify(sample, model=model, lang="en")
        rate = n / (time.perf_counter() - started)
        note = ""
        if name == "results_chain_cascade":
            note = f"; {np.mean(top_probability(model.fast.predict_proba(sample)) < model.threshold):.0%} re-scored"
        assert len(frame) == n
        print(f"{name + ', lang given, with cues':44} {rate:9.1f} {'':8} {rate / baseline_rate:13.4f}"
              f"  ({n} held-out passages, one core{note}; peak RSS {peak_rss_mb():.0f} MB)")


if __name__ == "__main__":
    main()
