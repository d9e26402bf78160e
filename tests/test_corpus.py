from __future__ import annotations

import json

import pytest

from findings_miner.corpus import held_out_split, read_corpus, read_iati_activity_xml
from findings_miner.errors import InputError

IATI_XML = """<?xml version="1.0"?>
<iati-activities version="2.03">
 <iati-activity>
  <iati-identifier>XM-TEST-1</iati-identifier>
  <result type="1"><title><narrative>Police officers trained in victim identification</narrative></title>
   <indicator measure="1"><title><narrative>Number of officers trained</narrative></title></indicator></result>
  <result type="2"><title><narrative>Increased referral of victims by police</narrative></title></result>
  <result type="9"><title><narrative>Something else entirely here</narrative></title></result>
 </iati-activity>
</iati-activities>"""


def test_iati_activity_xml_result_types(tmp_path):
    path = tmp_path / "activities.xml"
    path.write_text(IATI_XML, encoding="utf-8")
    records = read_iati_activity_xml(path)
    assert [(r.text, r.level) for r in records] == [
        ("Police officers trained in victim identification", "output"),
        ("Number of officers trained", "output"),
        ("Increased referral of victims by police", "outcome"),
    ]
    assert {r.group for r in records} == {"XM-TEST-1"}


def test_corpus_validation_and_split(tmp_path):
    good = {"id": "en-1", "text": "300 officers trained.", "lang": "en", "level": "output", "learning": "none",
            "status": "achieved", "genre": "progress_report"}
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert read_corpus([path])[0].level == "output"
    path.write_text(json.dumps({**good, "level": "result"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="level"):
        read_corpus([path])
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "en-2"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate text"):
        read_corpus([path])


def test_held_out_split_is_stable_per_id():
    from findings_miner.corpus import CorpusRecord

    records = [CorpusRecord(f"id-{i}", f"text {i}", "en", "other", "none", "none", "evaluation") for i in range(500)]
    train, test = held_out_split(records)
    assert 0.15 < len(test) / len(records) < 0.25 and not set(train) & set(test)
    _, test_more = held_out_split([*records, CorpusRecord("new", "x", "en", "other", "none", "none", "evaluation")])
    assert set(test) <= set(test_more)  # adding a record never moves existing ones


def _reference(**overrides):
    base = {"id": "ref-res-0-0", "source": "iati_results_train", "row": 0, "start": 0, "end": 27,
            "sha256": "", "group": "activity:A1", "lang": "en", "level": "output", "learning": "none", "status": "none",
            "genre": "logframe", "form": "indicator"}
    return {**base, **overrides}


def test_references_resolve_hash_check_and_missing_sources(tmp_path):
    from findings_miner.corpus import read_references, reference_text_hash

    shared = tmp_path / "shared"
    (shared / "data").mkdir(parents=True)
    (shared / "data" / "iati_results_train.csv").write_text(
        'text,kind\n"Number of  officers trained in 2024",output\n', encoding="utf-8")
    text = "Number of officers trained"
    good = _reference(sha256=reference_text_hash(text))
    stale = _reference(id="ref-res-0-1", end=20, sha256=reference_text_hash(text))  # slice no longer matches
    absent = _reference(id="ref-desc-0-0", source="iati_descriptions", sha256="0" * 16)
    path = tmp_path / "refs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (good, stale, absent)) + "\n", encoding="utf-8")
    records, report = read_references([path], shared)
    assert [(r.id, r.text, r.level) for r in records] == [("ref-res-0-0", text, "output")]
    assert (report["resolved"], report["mismatched"], report["missing"]) == (1, 1, 1)
    for bad_field, message in (({"source": "somewhere"}, "unknown source"), ({"status": "done"}, "status"),
                               ({"id": "res-0-0"}, "must start with"), ({"row": "first"}, "integers")):
        path.write_text(json.dumps(_reference(**bad_field)) + "\n", encoding="utf-8")
        with pytest.raises(InputError, match=message):
            read_references([path], shared)
    # duplicate ids are caught even when the source is absent
    absent_twice = "\n".join(json.dumps(absent) for _ in range(2))
    path.write_text(absent_twice + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate id"):
        read_references([path], tmp_path / "nowhere")


def test_near_duplicate_references_count_once(tmp_path):
    from findings_miner.corpus import read_references, reference_text_hash

    shared = tmp_path / "shared"
    (shared / "data").mkdir(parents=True)
    (shared / "data" / "iati_results_train.csv").write_text(
        'text,kind\n"Budget support covering 2018",output\n"Budget support covering 2019.",output\n', encoding="utf-8")
    first = _reference(end=28, sha256=reference_text_hash("Budget support covering 2018"))
    second = _reference(id="ref-res-1-0", row=1, end=29, sha256=reference_text_hash("Budget support covering 2019."))
    path = tmp_path / "refs.jsonl"
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    records, report = read_references([path], shared)
    assert len(records) == 1 and report["duplicate_texts"] == 1


def test_written_ids_may_not_use_the_reference_prefix(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "ref-x", "text": "t", "lang": "en", "level": "other", "learning": "none",
                                "status": "none", "genre": "evaluation"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="reserved"):
        read_corpus([path])


def test_groups_stay_together_in_split_and_folds():
    from findings_miner.corpus import CorpusRecord, group_folds

    records = [CorpusRecord(f"ref-{i}", f"text {i}", "en", "other", "none", "none", "logframe", group=f"act:{i % 40}")
               for i in range(400)]
    train, test = held_out_split(records)
    assert {records[i].group for i in train}.isdisjoint({records[i].group for i in test})
    folds = group_folds(records, 3)
    assert sorted(i for _, fold_test in folds for i in fold_test) == list(range(400))
    for fold_train, fold_test in folds:
        assert {records[i].group for i in fold_train}.isdisjoint({records[i].group for i in fold_test})


def test_shipped_references_all_resolve():
    """Every labelled real passage must still resolve: a change in extraction that moves the seed
    document's offsets, or a changed source file, would silently shrink the training data."""
    from findings_miner.corpus import load_corpus

    from .conftest import ROOT, shared_path

    shared_path("data", "iati_results_train.csv")
    shared_path("data", "iati_activity_descriptions.csv.gz")
    shared_path("seed", "document_study_main_body_nb.txt")
    records, report = load_corpus(ROOT / "corpus", ROOT.parent / "shared")
    references = report["references"]
    assert references["references"] > 0, "no reference files in corpus/references"
    assert references["missing"] == 0 and references["mismatched"] == 0, references
    assert (references["resolved"] + references["duplicates_of_written"] + references["duplicate_texts"]
            == references["references"])
    assert len({r.id for r in records}) == len(records)
