"""Corpus readers: the project's annotated JSONL, IATI results (CSV and activity XML).

The project corpus (``corpus/*.jsonl``) is the main training signal. IATI result types are the
publishers' own labels: useful as weak, down-weighted evidence for output/outcome/impact, noisy
(outputs filed as outcomes and back), and dominated by metric-style indicator titles. Splits are by
group (activity, publisher) so that near-identical texts never straddle train and test.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

logger = logging.getLogger(__name__)

LEVELS: tuple[str, ...] = ("activity", "output", "outcome", "impact", "other")
LEARNING: tuple[str, ...] = ("lesson", "recommendation", "none")
STATUSES: tuple[str, ...] = ("planned", "achieved", "not_achieved", "none")
GENRES: tuple[str, ...] = ("application", "progress_report", "evaluation", "project_summary", "logframe")
FORMS: tuple[str, ...] = ("sentence", "bullet", "field", "fragment", "indicator")
REQUIRED_FIELDS: tuple[str, ...] = ("id", "text", "lang", "level", "learning", "status", "genre")

#: IATI result type codes (codelist ResultType): 1 output, 2 outcome, 3 impact, 9 other
IATI_RESULT_TYPES = {"1": "output", "2": "outcome", "3": "impact"}


@dataclass(frozen=True)
class CorpusRecord:
    id: str
    text: str
    lang: str
    level: str
    learning: str
    status: str
    genre: str
    form: str = "sentence"
    note: str = ""
    #: passages that must land on the same side of a split (an IATI activity); "" = the record alone
    group: str = ""


#: id prefix of labelled real passages (``corpus/references``); written passages may not use it
REFERENCE_ID_PREFIX = "ref-"


def text_key(text: str) -> str:
    """Whitespace-normalised, lower-cased text: the identity of a passage for duplicate checks."""
    return " ".join(text.split()).lower()


def _labelled_lines(paths: Iterable[str | Path], required: tuple[str, ...]) -> Iterator[tuple[str, dict]]:
    """``(file:line, object)`` for every non-empty JSON line, with its fields and labels checked.

    Raises:
        InputError: a line is not JSON, misses a field, or has a label outside the label set.
    """
    for path in sorted(Path(p) for p in paths):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not JSON ({exc})") from exc
            missing = [f for f in required if f not in raw]
            if missing:
                raise InputError(f"{where}: missing fields {missing}")
            for name, allowed in (("level", LEVELS), ("learning", LEARNING), ("status", STATUSES),
                                  ("genre", GENRES)):
                if raw[name] not in allowed:
                    raise InputError(f"{where}: {name}={raw[name]!r} not in {allowed}")
            yield where, raw


def read_corpus(paths: Iterable[str | Path]) -> list[CorpusRecord]:
    """Read and validate project corpus files (JSON Lines).

    Raises:
        InputError: a line is not JSON, misses a field, has a label outside the label set, or an
            id or text occurs twice.
    """
    records: list[CorpusRecord] = []
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    for where, raw in _labelled_lines(paths, REQUIRED_FIELDS):
        if raw["id"] in seen_ids:
            raise InputError(f"{where}: duplicate id {raw['id']}")
        if str(raw["id"]).startswith(REFERENCE_ID_PREFIX):
            raise InputError(f"{where}: id {raw['id']!r} uses the prefix reserved for real references")
        key = text_key(raw["text"])
        if key in seen_texts:
            raise InputError(f"{where}: duplicate text {raw['text'][:60]!r}")
        seen_ids.add(raw["id"])
        seen_texts.add(key)
        records.append(CorpusRecord(**{k: raw.get(k, "") or "" for k in CorpusRecord.__dataclass_fields__
                                       if k != "group"}))
    return records


def corpus_files(folder: str | Path) -> list[Path]:
    """The annotated corpus files of a corpus folder (``*.jsonl`` at its top level)."""
    files = sorted(Path(folder).glob("*.jsonl"))
    if not files:
        raise InputError(f"no corpus files (*.jsonl) in {folder}")
    return files


def files_sha256(paths: Iterable[str | Path]) -> str:
    """One hash over several files (sorted by name), for model metadata."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def held_out_split(records: list[CorpusRecord], *, test_share: float = 0.2, seed: int = 13) -> tuple[list[int], list[int]]:
    """Deterministic train/test indices: about ``test_share`` of every language and label.

    The split depends only on each record's group (its id when it has none), hashed with the seed,
    so adding records never moves existing ones between train and test, and passages of one IATI
    activity never straddle the split.
    """
    train, test = [], []
    for index, record in enumerate(records):
        bucket = _bucket(record.group or record.id, seed)
        (test if bucket < test_share else train).append(index)
    return train, test


def _bucket(key: str, seed: int) -> float:
    return int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def fold_assignment(keys: Iterable[str], folds: int = 3, seed: int = 13) -> list[int]:
    """A fold number per key (deterministic; equal keys get equal folds)."""
    return [min(int(_bucket(key, seed + 1) * folds), folds - 1) for key in keys]


def group_folds(records: list[CorpusRecord], folds: int = 3, seed: int = 13) -> list[tuple[list[int], list[int]]]:
    """Cross-validation folds (train indices, test indices) that keep every group together."""
    assignment = fold_assignment((r.group or r.id for r in records), folds, seed)
    return [([i for i, f in enumerate(assignment) if f != fold], [i for i, f in enumerate(assignment) if f == fold])
            for fold in range(folds)]


@dataclass(frozen=True)
class WeakRecord:
    text: str
    level: str
    group: str
    weight: float
    lang: str


def read_iati_results_csv(path: str | Path, *, min_chars: int = 12) -> list[WeakRecord]:
    """IATI result/indicator texts with the publisher's result type, as weak level labels.

    ``low_info`` rows and texts whose publishers voted for conflicting types are dropped; each row
    is weighted down by how many times its text occurs (a title reused 500 times is one example).
    """
    import pandas as pd

    frame = pd.read_csv(path)
    frame = frame[(frame["low_info"] == 0) & frame["kind"].isin(["output", "outcome", "impact"])]
    conflicting = frame["kind_votes"].astype(str).str.contains(",|;| ", regex=True)
    frame = frame[~conflicting & (frame["text"].str.len() >= min_chars)]
    records = [
        WeakRecord(text=row.text, level=row.kind, group=str(row.activity_id), weight=1.0, lang=str(row.lang))
        for row in frame.itertuples(index=False)
    ]
    logger.info("IATI CSV: %d usable rows of %s", len(records), path)
    return records


def read_iati_activity_xml(path: str | Path) -> list[WeakRecord]:
    """Result titles, descriptions and indicator titles from an IATI activity XML file.

    Result ``type`` 1/2/3 maps to output/outcome/impact. The XML is parsed without resolving
    entities or fetching DTDs.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    tree = etree.parse(str(path), parser)
    records: list[WeakRecord] = []
    for activity in tree.iter("iati-activity"):
        identifier = (activity.findtext("iati-identifier") or "").strip()
        for result in activity.iter("result"):
            level = IATI_RESULT_TYPES.get(result.get("type", ""))
            if level is None:
                continue
            texts = result.xpath("./title/narrative/text() | ./description/narrative/text() | "
                                 "./indicator/title/narrative/text()")
            for text in texts:
                text = " ".join(str(text).split())
                if len(text) >= 12:
                    records.append(WeakRecord(text=text, level=level, group=identifier, weight=1.0, lang="en"))
    return records


# --- references to real text kept in ../shared ------------------------------------------------
#: where each reference source lives, relative to the shared folder
REFERENCE_SOURCES: dict[str, str] = {
    "iati_descriptions": "data/iati_activity_descriptions.csv.gz",
    "iati_results_train": "data/iati_results_train.csv",
    "seed_document_study": "seed/document_study_main_body_nb.txt",
}
REFERENCE_FIELDS: tuple[str, ...] = ("id", "source", "row", "start", "end", "sha256", "group", "lang",
                                     "level", "learning", "status", "genre")


def near_duplicate_key(text: str) -> str:
    """Letters only, lower-cased: "covering 2018" and "covering 2019" are one passage."""
    return "".join(c for c in text.lower() if c.isalpha())


def reference_text_hash(text: str) -> str:
    """The short hash a reference stores to prove it resolves to the text that was labelled."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def _reference_source_texts(source: str, shared_dir: Path) -> list[str]:
    """The texts a source's ``row`` indexes: CSV rows, or the pages of an extracted document."""
    path = shared_dir / REFERENCE_SOURCES[source]
    if source.startswith("iati_"):
        import pandas as pd

        return pd.read_csv(path, usecols=["text"])["text"].fillna("").astype(str).tolist()
    from .extract import extract  # the text our own pipeline gives at run time

    return list(extract(path).pages)


def reference_source_texts(source: str, shared_dir: str | Path) -> list[str]:
    """Public form of the source loader, for the sampling script and tests.

    Raises:
        InputError: ``source`` is not a known reference source.
    """
    if source not in REFERENCE_SOURCES:
        raise InputError(f"unknown reference source {source!r}; known: {sorted(REFERENCE_SOURCES)}")
    return _reference_source_texts(source, Path(shared_dir))


def read_references(paths: Iterable[str | Path], shared_dir: str | Path) -> tuple[list[CorpusRecord], dict]:
    """Labelled references to real passages in ``shared_dir``, resolved to corpus records.

    The repository keeps only the labels and where each passage lives (source, row, character
    offsets, a hash of its text); the text stays in ``../shared``. A reference whose source is
    absent is counted as ``missing``; one whose text no longer hashes to the stored value (the
    source or our extraction changed) is counted as ``mismatched`` and left out: both are reported
    so that a model's metadata says what it was trained on.

    Raises:
        InputError: a line is not JSON, misses a field, or has a label outside the label set.
    """
    shared_dir = Path(shared_dir)
    raw_refs: list[tuple[str, dict]] = []
    seen_ids: set[str] = set()
    for where, raw in _labelled_lines(paths, REFERENCE_FIELDS):
        if raw["source"] not in REFERENCE_SOURCES:
            raise InputError(f"{where}: unknown source {raw['source']!r}")
        if not str(raw["id"]).startswith(REFERENCE_ID_PREFIX):
            raise InputError(f"{where}: reference id {raw['id']!r} must start with {REFERENCE_ID_PREFIX!r}")
        if raw["id"] in seen_ids:
            raise InputError(f"{where}: duplicate id {raw['id']}")
        seen_ids.add(raw["id"])
        try:
            raw["row"], raw["start"], raw["end"] = int(raw["row"]), int(raw["start"]), int(raw["end"])
        except (TypeError, ValueError) as exc:
            raise InputError(f"{where}: row, start and end must be integers") from exc
        raw_refs.append((where, raw))
    report = {"references": len(raw_refs), "resolved": 0, "missing": 0, "mismatched": 0, "duplicate_texts": 0,
              "sources": {}}
    seen_texts: set[str] = set()
    texts_by_source: dict[str, list[str] | None] = {}
    records: list[CorpusRecord] = []
    for where, raw in raw_refs:
        source = raw["source"]
        if source not in texts_by_source:
            source_path = shared_dir / REFERENCE_SOURCES[source]
            texts_by_source[source] = _reference_source_texts(source, shared_dir) if source_path.is_file() else None
            report["sources"][source] = files_sha256([source_path]) if source_path.is_file() else None
        source_texts = texts_by_source[source]
        if source_texts is None:
            report["missing"] += 1
            continue
        row, start, end = raw["row"], raw["start"], raw["end"]
        text = " ".join(source_texts[row][start:end].split()) if 0 <= row < len(source_texts) else ""
        if not text or reference_text_hash(text) != raw["sha256"]:
            report["mismatched"] += 1
            logger.warning("%s: reference %s no longer resolves to its text", where, raw["id"])
            continue
        key = near_duplicate_key(text)
        if key in seen_texts:  # the same text (up to digits and punctuation) twice: one vote
            report["duplicate_texts"] += 1
            continue
        seen_texts.add(key)
        records.append(CorpusRecord(id=raw["id"], text=text, lang=raw["lang"], level=raw["level"],
                                    learning=raw["learning"], status=raw["status"], genre=raw["genre"],
                                    form=raw.get("form", "sentence") or "sentence", note=raw.get("note", "") or "",
                                    group=str(raw["group"])))
    report["resolved"] = len(records)
    return records, report


#: the shared folder as seen from the project root (tests, benchmarks, training)
DEFAULT_SHARED_DIR = Path("..") / "shared"


def is_reference(record: CorpusRecord) -> bool:
    """Whether a record is a labelled real passage (resolved from ``../shared``), not written text."""
    return record.id.startswith(REFERENCE_ID_PREFIX)


def load_corpus(corpus_dir: str | Path = "corpus", shared_dir: str | Path | None = DEFAULT_SHARED_DIR,
                ) -> tuple[list[CorpusRecord], dict]:
    """The written corpus plus, when ``shared_dir`` has their sources, the labelled real references.

    Returns the records (written first, then references) and a report for model metadata: files,
    their hash, and how many references resolved, were missing or no longer matched.

    Raises:
        InputError: a corpus or reference file is invalid (see :func:`read_corpus`,
            :func:`read_references`).
    """
    corpus_dir = Path(corpus_dir)
    files = corpus_files(corpus_dir)
    records = read_corpus(files)
    reference_files = sorted((corpus_dir / "references").glob("*.jsonl"))
    report: dict = {"files": [f.name for f in files], "sha256": files_sha256(files), "written": len(records),
                    "reference_files": [f.name for f in reference_files],
                    "reference_sha256": files_sha256(reference_files) if reference_files else None}
    if reference_files and shared_dir is not None:
        references, ref_report = read_references(reference_files, shared_dir)
        written_texts = {near_duplicate_key(r.text) for r in records}
        kept = [r for r in references if near_duplicate_key(r.text) not in written_texts]
        ref_report["duplicates_of_written"] = len(references) - len(kept)
        records = records + kept
        report["references"] = ref_report
    else:
        report["references"] = {"references": 0, "resolved": 0, "missing": 0, "mismatched": 0, "duplicate_texts": 0,
                                "sources": {}}
    return records, report
