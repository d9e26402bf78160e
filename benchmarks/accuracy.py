"""Accuracy of the shipped model: held-out corpus split and the evaluation sets in ../shared/eval.

Nothing here trains or tunes: the model is loaded as shipped. Figures printed:
- held-out corpus split (never trained on), per language: macro-F1 of level, learning, status;
  F1 of "learning detected" (lesson or recommendation vs none); expected calibration error;
- IOM Strategic Results Framework: accuracy on output vs outcome vs impact;
- IATI test publishers (low_info excluded): output-vs-outcome macro-F1;
- five real logframes: activity vs output vs outcome macro-F1, and how indicator rows are labelled;
- IFRC operation learning excerpts: share of "Lessons Learnt" tagged lesson or recommendation.

Run: ``python benchmarks/accuracy.py [--model DIR] [--json OUT] [--disagreements N]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED

from findings_miner.classify import load_model
from findings_miner.classify.evaluate import score_head
from findings_miner.classify.train import SPLIT_SEED, held_out_ids_hash
from findings_miner.corpus import held_out_split, is_reference, load_corpus

#: "Governments have the knowledge and tools to …", "Employers are aware of …"
CAPACITY_PHRASING = re.compile(
    r"\b(have|has|with) (the |increased |improved |enhanced |strengthened |adequate |sufficient |better |more )?"
    r"(knowledge|skills|capacit\w+|access|tools|expertise|data|information|means|resources)"
    r"|\bare (aware|informed|equipped|able|enabled|empowered|better able|strengthened)\b"
    r"|\bcapacit\w+ (is|are) (strengthened|enhanced|built)", re.IGNORECASE)


def eval_frame(name: str):
    """An evaluation CSV of ../shared/eval, or None (with a message) when it is absent."""
    import pandas as pd

    path = SHARED / "eval" / name
    if not path.exists():
        print(f"skipped: {path} absent")
        return None
    return pd.read_csv(path)


def restricted(model, texts, head, labels):
    """Predictions restricted to ``labels`` (renormalised probabilities)."""
    probabilities = model.predict_proba(texts)[head]
    classes = model.classes_[head]
    columns = [classes.index(label) for label in labels]
    sub = probabilities[:, columns]
    sub = sub / sub.sum(axis=1, keepdims=True)
    return [labels[i] for i in sub.argmax(axis=1)], sub


def held_out(model, results):
    records, report = load_corpus(ROOT / "corpus", SHARED)
    references = report["references"]
    if references["missing"] or references["mismatched"]:
        print(f"note: {references['missing']} real references missing, {references['mismatched']} no longer match")
    _, test_index = held_out_split(records, seed=SPLIT_SEED)
    test = [records[i] for i in test_index]
    members = [model.fast, model.slow] if hasattr(model, "fast") else [model]  # a cascade: both
    trained_on = {m.meta_.get("split", {}).get("held_out_ids_sha256") for m in members} - {None}
    if trained_on and trained_on != {held_out_ids_hash(test)}:
        print("WARNING: the corpus changed since this model was trained: its held-out split is not this one;"
              " retrain (findings-miner train) before reading these figures")
    print(f"\n== held-out corpus split ({len(test)} passages, never trained on;"
          f" {sum(map(is_reference, test))} of them real passages from ../shared)")
    subsets = [(lang, lambda r, lang=lang: r.lang == lang) for lang in ("en", "nb")]
    subsets += [(f"{lang}_{kind}", lambda r, lang=lang, real=(kind == "real"): r.lang == lang and is_reference(r) == real)
                for lang in ("en", "nb") for kind in ("written", "real")]
    for lang, member in subsets:
        rows = [r for r in test if member(r)]
        if not rows:
            continue
        probabilities = model.predict_proba([r.text for r in rows])
        out = {}
        for head, classes in model.classes_.items():
            gold = [getattr(r, head) for r in rows]
            predicted = [classes[i] for i in probabilities[head].argmax(axis=1)]
            report = score_head(gold, predicted, classes, probabilities[head], classes)
            out[head] = report.to_dict()
            print(report.to_text(f"[{lang}] {head}"))
        gold_any = [r.learning != "none" for r in rows]
        pred_any = [model.classes_["learning"][i] != "none" for i in probabilities["learning"].argmax(axis=1)]
        detected = score_head(["yes" if g else "no" for g in gold_any], ["yes" if p else "no" for p in pred_any],
                              ["yes", "no"]).per_label["yes"]["f1"]  # "no" rows count: false positives
        out["learning_detected_f1"] = detected
        print(f"[{lang}] learning detected (lesson or recommendation) F1 = {detected:.3f}")
        results[f"held_out_{lang}"] = {"level_macro_f1": out["level"]["macro_f1"],
                                       "learning_macro_f1": out["learning"]["macro_f1"],
                                       "learning_detected_f1": detected,
                                       "status_macro_f1": out["status"]["macro_f1"],
                                       "ece": {h: out[h]["ece"] for h in model.classes_}}


def iom(model, results):
    frame = eval_frame("iom_srf_results.csv")
    if frame is None:
        return
    labels = ["output", "outcome", "impact"]
    predicted, probs = restricted(model, frame["text"].tolist(), "level", labels)
    report = score_head(frame["kind"].tolist(), predicted, labels, probs, labels)
    print("\n== IOM Strategic Results Framework (goal: accuracy >= 0.90)")
    print(report.to_text("IOM SRF"))
    results["iom_accuracy"] = report.accuracy
    results["iom_macro_f1"] = report.macro_f1
    # diagnosis, not tuning: how many of the outputs read as outcomes state that others *have*
    # knowledge, skills, capacity, tools or access — outcomes by GUIDELINES.md ("changes in capacity")
    misread = [t for t, gold, guess in zip(frame["text"], frame["kind"], predicted, strict=True)
               if gold == "output" and guess == "outcome"]
    capacity = sum(bool(CAPACITY_PHRASING.search(t)) for t in misread)
    print(f"IOM outputs read as outcomes: {len(misread)}, of which {capacity} are phrased as others having "
          f"knowledge/skills/capacity/tools/access")
    results["iom_outputs_read_as_outcomes"] = len(misread)
    results["iom_outputs_read_as_outcomes_capacity_phrased"] = capacity


def iati(model, results, disagreements: int):
    frame = eval_frame("iati_results_test.csv")
    if frame is None:
        return
    frame = frame[(frame["low_info"] == 0) & frame["kind"].isin(["output", "outcome"])].reset_index(drop=True)
    labels = ["output", "outcome"]
    predicted, probs = restricted(model, frame["text"].tolist(), "level", labels)
    report = score_head(frame["kind"].tolist(), predicted, labels, probs, labels)
    print("\n== IATI test publishers, low_info excluded (goal: output-vs-outcome macro-F1 >= 0.75)")
    print(report.to_text("IATI test"))
    results["iati_output_outcome_macro_f1"] = report.macro_f1
    if disagreements:
        frame["predicted"] = predicted
        wrong = frame[frame["predicted"] != frame["kind"]].sample(frac=1.0, random_state=7).head(disagreements)
        out = ROOT / "benchmarks" / "output" / "iati_disagreements.csv"
        out.parent.mkdir(exist_ok=True)
        wrong[["text", "kind", "predicted", "level", "publisher"]].to_csv(out, index=False)
        print(f"{len(wrong)} disagreements written to {out} for reading by hand")


def logframes(model, results):
    frame = eval_frame("logframe_statements.csv")
    if frame is None:
        return
    labels = ["activity", "output", "outcome"]
    rows = frame[frame["level"].isin(labels)]
    predicted, probs = restricted(model, rows["text"].tolist(), "level", labels)
    report = score_head(rows["level"].tolist(), predicted, labels, probs, labels)
    print("\n== five real logframes (goal: activity vs output vs outcome macro-F1 >= 0.80)")
    print(report.to_text("logframes"))
    indicators = frame[frame["level"] == "indicator"]["text"].tolist()
    labelled = Counter(model.predict(indicators)["level"])
    print(f"indicator rows ({len(indicators)}) are labelled: {dict(labelled)}")
    results["logframe_macro_f1"] = report.macro_f1
    results["logframe_indicator_labels"] = dict(labelled)


def ifrc(model, results):
    frame = eval_frame("ifrc_ops_learning_excerpts.csv")
    if frame is None:
        return
    texts = frame["Modified Excerpt"].fillna("").astype(str).tolist()
    learning = np.array(model.predict(texts)["learning"])
    print("\n== IFRC operation learning excerpts (goal: >= 0.90 of 'Lessons Learnt' tagged lesson or recommendation)")
    for kind in ("Lessons Learnt", "Challenges"):
        mask = (frame["Learning"] == kind).to_numpy()
        share = float(np.isin(learning[mask], ["lesson", "recommendation"]).mean())
        counts = Counter(learning[mask])
        print(f"{kind:15} n={mask.sum():5d} tagged lesson/recommendation: {share:.3f}  {dict(counts)}")
        results[f"ifrc_{kind.split()[0].lower()}_tagged_share"] = share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None, help="model name or directory (default: shipped)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures as JSON")
    parser.add_argument("--disagreements", type=int, default=0, help="write N IATI disagreements to read")
    args = parser.parse_args()
    model = load_model(args.model)
    trained = model.fast if hasattr(model, "fast") else model  # a cascade: its members share the corpus
    results: dict = {"model": model.meta_.get("name"), "corpus_sha256": trained.meta_.get("corpus_sha256")}
    held_out(model, results)
    iom(model, results)
    iati(model, results, args.disagreements)
    logframes(model, results)
    ifrc(model, results)
    print("\n" + json.dumps(results, indent=1, default=float))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, default=float), encoding="utf-8")


if __name__ == "__main__":
    main()
