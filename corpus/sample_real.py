"""Draw real passages from ``../shared`` for labelling, reproducibly (seed 2026).

Writes a candidate pool (JSON Lines with the text, for annotators; keep it outside the repository)
whose rows carry the reference fields of ``corpus/references/*.jsonl``: source, row, character
offsets and a text hash. Annotators add ``level``, ``learning``, ``status`` by GUIDELINES.md; only
the references and labels are committed, never the text.

Sources (all training material by ``../shared/README.md``; nothing from ``../shared/eval`` or
``../shared/pdfs``):
- IATI activity descriptions: English sentences, at most a few per publisher, from publishers that
  are *not* among the IATI test publishers (so that no evaluation publisher's prose is learned);
  plus sentences that mention lessons, experience or recommendations (rare in IATI prose).
- IATI result and indicator texts of the training file (``low_info`` excluded), stratified by
  result title / description / indicator title / description.
- every body passage of the Norwegian seed document study (our own extraction of it).

Usage: python corpus/sample_real.py --shared ../shared --out /tmp/real_pool/pool.jsonl
(round 1); round 2: ``--round 2 --no-seed --descriptions 1300 --learning 100 --achieved 250
--results 100,250,100,150``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import pandas as pd

from findings_miner.corpus import read_references, reference_text_hash
from findings_miner.document import Document
from findings_miner.extract import extract
from findings_miner.segment.sentences import split_sentences

SEED = 2026
#: the publishers of ../shared/eval/iati_results_test.csv (listed here so the eval file is not read)
IATI_TEST_PUBLISHERS = frozenset({"GB-CHC-1001813", "NL-KVK-27108436", "44000", "GB-COH-213890",
                                  "NL-KVK-41152786", "XI-IATI-EC_NEAR", "XM-DAC-3-1"})
ACHIEVED_RE = re.compile(r"\b(was|were|has been|have been|had been|achieved|reached|completed|has (?:\w+ed)|"
                         r"have (?:\w+ed)|so far|to date|during the (?:reporting )?period)\b", re.IGNORECASE)
LEARNING_RE = re.compile(r"\b(lessons?|learn(?:ed|t|ing)|experiences? (?:show|has shown|from)|"
                         r"recommend\w*|should|must|it is essential|proved|key to)\b", re.IGNORECASE)
_JUNK_RE = re.compile(r"https?://|www\.|@|\|")


def _usable(sentence: str, min_words: int = 4, max_words: int = 60) -> bool:
    words = sentence.split()
    if not (min_words <= len(words) <= max_words) or _JUNK_RE.search(sentence):
        return False
    letters = sum(c.isalpha() for c in sentence)
    latin = sum(c.isascii() or c in "æøåÆØÅéèêöäüÉ" for c in sentence)
    return letters >= 0.6 * len(sentence) and latin >= 0.95 * len(sentence)


def description_candidates(frame: pd.DataFrame, rng: random.Random, n_general: int, n_learning: int,
                           n_achieved: int = 0, exclude: frozenset[str] = frozenset()) -> list[dict]:
    frame = frame[(frame["lang"] == "en") & ~frame["publisher"].astype(str).isin(IATI_TEST_PUBLISHERS)]
    per_publisher: dict[str, list[dict]] = {}
    learning: list[dict] = []
    achieved: list[dict] = []
    for row, text in zip(frame.index, frame["text"].fillna("").astype(str), strict=True):
        if len(text) > 20000:
            continue
        spans = [(s, e) for s, e in split_sentences(text)
                 if _usable(text[s:e]) and f"ref-desc-{row}-{s}" not in exclude]
        if not spans:
            continue
        publisher = str(frame.at[row, "publisher"])
        for s, e in spans:
            item = {"source": "iati_descriptions", "row": int(row), "start": s, "end": e,
                    "genre": "project_summary", "form": "sentence", "group": publisher}
            if LEARNING_RE.search(text[s:e]):
                learning.append(item)
            elif ACHIEVED_RE.search(text[s:e]):
                achieved.append(item)
        s, e = spans[rng.randrange(len(spans))]
        per_publisher.setdefault(publisher, []).append(
            {"source": "iati_descriptions", "row": int(row), "start": s, "end": e,
             "genre": "project_summary", "form": "sentence", "group": publisher})
    general = _round_robin(per_publisher, rng, n_general)
    rng.shuffle(learning)
    rng.shuffle(achieved)
    chosen_rows = {(c["row"], c["start"]) for c in general}
    return (general + [c for c in learning if (c["row"], c["start"]) not in chosen_rows][:n_learning]
            + [c for c in achieved if (c["row"], c["start"]) not in chosen_rows][:n_achieved])


def results_candidates(frame: pd.DataFrame, rng: random.Random, quotas: dict[str, int],
                       exclude: frozenset[str] = frozenset()) -> list[dict]:
    frame = frame[(frame["low_info"] == 0) & (frame["lang"] == "en")]
    out: list[dict] = []
    for level, quota in quotas.items():
        part = frame[(frame["level"] == level) & frame["text"].astype(str).map(lambda t: _usable(t, 3, 70))]
        groups: dict[str, list[dict]] = {}
        for row, text, publisher in zip(part.index, part["text"].astype(str), part["publisher"].astype(str), strict=True):
            if f"ref-res-{row}-0" in exclude:
                continue
            form = "indicator" if level.startswith("indicator") else "fragment" if len(text.split()) < 8 else "sentence"
            groups.setdefault(publisher, []).append({"source": "iati_results_train", "row": int(row), "start": 0,
                                                     "end": len(text), "genre": "logframe", "form": form,
                                                     "group": publisher})
        out.extend(_round_robin(groups, rng, quota))
    return out


def seed_candidates(document: Document) -> list[dict]:
    return [{"source": "seed_document_study", "row": p.page - 1, "start": p.char_start, "end": p.char_end,
             "genre": "evaluation", "form": "bullet" if p.kind == "bullet" else "field" if p.field_label else "sentence",
             "group": "seed"}
            for p in document.passages if p.kind not in ("heading", "footnote") and len(p.text.split()) >= 3]


def _round_robin(groups: dict[str, list[dict]], rng: random.Random, n: int) -> list[dict]:
    """Up to ``n`` items drawn a few per group in turn, so no publisher dominates."""
    keys = sorted(groups)
    for key in keys:
        rng.shuffle(groups[key])
    out: list[dict] = []
    depth = 0
    while len(out) < n and any(depth < len(groups[k]) for k in keys):
        for key in keys:
            if depth < len(groups[key]) and len(out) < n:
                out.append(groups[key][depth])
        depth += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("..") / "shared")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--descriptions", type=int, default=1300)
    parser.add_argument("--learning", type=int, default=300)
    parser.add_argument("--achieved", type=int, default=0, help="sentences with past-tense or progress markers")
    parser.add_argument("--results", default="300,200,250,150",
                        help="quotas: result title, result description, indicator title, indicator description")
    parser.add_argument("--no-seed", action="store_true", help="leave out the seed document (already labelled)")
    parser.add_argument("--round", type=int, default=1, help="sampling round: a new seed, skipping labelled rows")
    args = parser.parse_args()
    rng = random.Random(SEED + args.round - 1)
    labelled: set[str] = set()
    for path in sorted((Path(__file__).resolve().parent / "references").glob("*.jsonl")):
        labelled |= {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    descriptions = pd.read_csv(args.shared / "data" / "iati_activity_descriptions.csv.gz")
    results = pd.read_csv(args.shared / "data" / "iati_results_train.csv")
    seed = extract(args.shared / "seed" / "document_study_main_body_nb.txt")
    items = description_candidates(descriptions, rng, args.descriptions, args.learning, args.achieved,
                                   frozenset(labelled))
    quotas = [int(q) for q in args.results.split(",")]
    items += results_candidates(results, rng, dict(zip(("result title", "result description", "indicator title",
                                                        "indicator description"), quotas, strict=True)),
                                  frozenset(labelled))
    if not args.no_seed:
        items += seed_candidates(seed)
    frames = {"iati_descriptions": descriptions, "iati_results_train": results}
    texts = {source: frame["text"].fillna("").astype(str).tolist() for source, frame in frames.items()}
    texts["seed_document_study"] = list(seed.pages)
    # the split group of a reference: its IATI activity
    activities = {source: frame["activity_id"].astype(str).tolist() for source, frame in frames.items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    reference_files = sorted((Path(__file__).resolve().parent / "references").glob("*.jsonl"))
    seen: set[str] = {r.text.lower() for r in read_references(reference_files, args.shared)[0]}
    written = 0
    prefix = {"iati_descriptions": "desc", "iati_results_train": "res", "seed_document_study": "seed"}
    with args.out.open("w", encoding="utf-8") as handle:
        for item in items:
            text = " ".join(texts[item["source"]][item["row"]][item["start"]:item["end"]].split())
            key = text.lower()
            item_id = f"ref-{prefix[item['source']]}-{item['row']}-{item['start']}"
            if key in seen or item_id in labelled:
                continue
            seen.add(key)
            item["id"] = item_id
            written += 1
            item["sha256"] = reference_text_hash(text)
            item["group"] = (f"activity:{activities[item['source']][item['row']]}" if item["source"] in activities
                             else item_id)
            item["lang"] = "nb" if item["source"] == "seed_document_study" else "en"
            item["text"] = text
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{written} candidates written to {args.out}")


if __name__ == "__main__":
    main()
