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
from collections.abc import Iterable
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


def read_corpus(paths: Iterable[str | Path]) -> list[CorpusRecord]:
    """Read and validate project corpus files (JSON Lines).

    Raises:
        InputError: a line is not JSON, misses a field, has a label outside the label set, or an
            id or text occurs twice.
    """
    records: list[CorpusRecord] = []
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    for path in sorted(Path(p) for p in paths):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not JSON ({exc})") from exc
            missing = [f for f in REQUIRED_FIELDS if f not in raw]
            if missing:
                raise InputError(f"{where}: missing fields {missing}")
            for name, allowed in (("level", LEVELS), ("learning", LEARNING), ("status", STATUSES),
                                  ("genre", GENRES)):
                if raw[name] not in allowed:
                    raise InputError(f"{where}: {name}={raw[name]!r} not in {allowed}")
            if raw["id"] in seen_ids:
                raise InputError(f"{where}: duplicate id {raw['id']}")
            key = " ".join(raw["text"].split()).lower()
            if key in seen_texts:
                raise InputError(f"{where}: duplicate text {raw['text'][:60]!r}")
            seen_ids.add(raw["id"])
            seen_texts.add(key)
            records.append(CorpusRecord(**{k: raw.get(k, "") or "" for k in CorpusRecord.__dataclass_fields__}))
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

    The split depends only on the record ids (hashed with the seed), so adding records never moves
    existing ones between train and test.
    """
    train, test = [], []
    for index, record in enumerate(records):
        bucket = int(hashlib.sha256(f"{seed}:{record.id}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        (test if bucket < test_share else train).append(index)
    return train, test


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
