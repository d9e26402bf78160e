"""Batch runs: hostile inputs, accounting, timeouts, SIGKILL + resume, Dask = local."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest

from findings_miner.batch import read_manifest, run_batch
from findings_miner.errors import InputError
from findings_miner.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PORTFOLIO = ROOT / "examples" / "portfolio"


def _portfolio() -> list[str]:
    return [str(p) for p in sorted(PORTFOLIO.iterdir()) if p.suffix in (".pdf", ".docx")]


def flate_bomb_pdf(path: Path, inflated_mb: int = 400) -> None:
    """A one-page PDF whose content stream inflates to hundreds of MB of spaces."""
    stream = zlib.compress(b" " * (inflated_mb * 1024 * 1024), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def zip_bomb_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<w:document>" + b"\x20" * (700 * 1024 * 1024) + b"</w:document>")


def many_pages_pdf(path: Path, pages: int = 2000) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for n in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"Page {n + 1}: the project trained {n} teachers in child protection.")
    pdf.output(str(path))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    files = {
        "bomb": folder / "flate_bomb.pdf",
        "zipbomb": folder / "zip_bomb.docx",
        "pages": folder / "two_thousand_pages.pdf",
        "random": folder / "random_bytes.pdf",
        "utf16": folder / "utf16_report.txt",
        "longline": folder / "single_line_50mb.txt",
    }
    flate_bomb_pdf(files["bomb"])
    zip_bomb_docx(files["zipbomb"])
    many_pages_pdf(files["pages"])
    files["random"].write_bytes(os.urandom(200_000).replace(b"%PDF", b"%PDX"))
    files["utf16"].write_bytes("Resultater\n\nProsjektet har økt bevisstheten blant ungdom.\n".encode("utf-16"))
    words = b"programme monitoring indicator baseline target youth training police shelter "
    files["longline"].write_bytes((words * (50 * 1024 * 1024 // len(words) + 1))[: 50 * 1024 * 1024])
    return files


def test_hostile_inputs_give_typed_outcomes_within_limits(hostile, tmp_path):
    settings = Settings(timeout_s=240, memory_mb=4096)
    started = time.perf_counter()
    summary = run_batch([str(p) for p in hostile.values()], tmp_path / "out", jobs=2, settings=settings)
    assert summary.balanced and summary.inputs == 6
    records = {Path(r["path"]).name: r for r in read_manifest(tmp_path / "out")}
    assert records["flate_bomb.pdf"]["status"] == "failed"
    assert records["flate_bomb.pdf"]["error_code"] == "limit_exceeded"
    assert records["zip_bomb.docx"]["error_code"] == "limit_exceeded"
    assert records["random_bytes.pdf"]["error_code"] == "corrupt"
    assert records["utf16_report.txt"]["status"] == "ok"
    assert records["two_thousand_pages.pdf"]["status"] == "ok" and records["two_thousand_pages.pdf"]["pages"] == 2000
    assert records["single_line_50mb.txt"]["error_code"] == "limit_exceeded"  # max_text_chars
    assert time.perf_counter() - started < 600
    # bombs are refused before anything inflates them: no child comes near the memory cap
    peaks = [r["peak_rss_mb"] for r in records.values() if "peak_rss_mb" in r]
    assert peaks and max(peaks) < 1024, peaks
    errors = pd.read_parquet(tmp_path / "out" / "errors.parquet")
    assert set(errors["error_code"]) == {"limit_exceeded", "corrupt"}


def test_page_limit_and_timeout_are_enforced(hostile, tmp_path):
    summary = run_batch([str(hostile["pages"])], tmp_path / "pages", settings=Settings(max_pages=1000))
    assert summary.failed == 1
    assert read_manifest(tmp_path / "pages")[-1]["error_code"] == "limit_exceeded"
    summary = run_batch([str(hostile["pages"])], tmp_path / "slow", settings=Settings(timeout_s=0.05))
    record = read_manifest(tmp_path / "slow")[-1]
    assert summary.failed == 1 and record["error_type"] == "Timeout"


def test_badinputs_never_stop_a_batch(tmp_path):
    folder = ROOT.parent / "shared" / "badinputs"
    if not folder.exists():
        pytest.skip(f"{folder} is absent")
    paths = sorted(str(p) for p in folder.iterdir() if p.suffix in (".pdf", ".docx"))
    summary = run_batch(paths, tmp_path / "bad", jobs=2, settings=Settings(timeout_s=120))
    assert summary.balanced and summary.inputs == len(paths)
    assert summary.ok + summary.partial >= 25 and summary.failed >= 20
    records = read_manifest(tmp_path / "bad")
    assert all(r["error_code"] != "crashed" for r in records), [r for r in records if r["error_code"] == "crashed"]


def test_duplicates_processed_once_and_manifest_guard(tmp_path):
    paths = _portfolio()[:2] + _portfolio()[:1]
    summary = run_batch(paths, tmp_path / "dup")
    assert (summary.ok, summary.skipped, summary.inputs) == (2, 1, 3)
    documents = pd.read_parquet(tmp_path / "dup" / "documents.parquet")
    assert len(documents) == 2
    with pytest.raises(InputError, match="resume"):
        run_batch(paths, tmp_path / "dup")
    again = run_batch(paths, tmp_path / "dup", resume=True)
    assert again.resumed == 2 and again.balanced
    once_more = run_batch(paths, tmp_path / "dup", resume=True)  # a duplicate never hides its original
    assert (once_more.ok, once_more.skipped, once_more.resumed) == (2, 1, 2)
    assert len(pd.read_parquet(tmp_path / "dup" / "documents.parquet")) == 2


def _inputs_for_kill_test() -> list[str]:
    inputs = _portfolio()
    shared = ROOT.parent / "shared"
    if (shared / "pdfs").exists():
        inputs += [str(p) for p in sorted((shared / "pdfs").glob("*.pdf"))]
    return inputs


def test_sigkill_then_resume_equals_uninterrupted_run(tmp_path):
    inputs = _inputs_for_kill_test()
    command = [sys.executable, "-m", "findings_miner.cli", "analyze", *inputs, "--no-progress", "--jobs", "1"]
    reference = subprocess.run([*command, "-o", str(tmp_path / "reference")], capture_output=True, text=True,
                               timeout=900)
    assert reference.returncode == 0, reference.stderr[-2000:]

    killed_dir = tmp_path / "killed"
    process = subprocess.Popen([*command, "-o", str(killed_dir)], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if len(read_manifest(killed_dir)) >= len(inputs) // 2:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the runner and its children, mid-run
    process.wait()
    done_before = len(read_manifest(killed_dir))
    assert 0 < done_before < len(inputs), "the kill must land halfway"
    assert not (killed_dir / "passages.parquet").exists()

    resumed = subprocess.run([*command, "-o", str(killed_dir), "--resume"], capture_output=True, text=True,
                             timeout=900)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"{len(inputs)} inputs = " in resumed.stdout
    for table in ("passages", "documents", "errors"):
        expected = pd.read_parquet(tmp_path / "reference" / f"{table}.parquet")
        actual = pd.read_parquet(killed_dir / f"{table}.parquet")
        pd.testing.assert_frame_equal(actual, expected)
    shas = [r["sha256"] for r in read_manifest(killed_dir) if r["status"] in ("ok", "partial")]
    assert len(shas) == len(set(shas)) == len(set(pd.read_parquet(killed_dir / "documents.parquet")["sha256"]))


def test_dask_run_equals_local_run(tmp_path):
    pytest.importorskip("dask.distributed")
    inputs = [*_portfolio(), str(ROOT / "examples" / "make_portfolio.py")]
    local = run_batch(inputs, tmp_path / "local", jobs=2)
    distributed = run_batch(inputs, tmp_path / "dask", dask_scheduler="local")
    assert local.line().split(" in ")[0] == distributed.line().split(" in ")[0]
    for table in ("passages", "documents"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "dask" / f"{table}.parquet"),
                                      pd.read_parquet(tmp_path / "local" / f"{table}.parquet"))


def test_a_bad_model_stops_the_run_before_any_file(tmp_path, monkeypatch):
    from findings_miner.errors import ModelError

    paths = _portfolio()[:1]
    with pytest.raises(ModelError, match="batch not started"):
        run_batch(paths, tmp_path / "typo", model="no_such_model")
    assert not (tmp_path / "typo" / "manifest.jsonl").exists()
    # the default comes from FINDINGS_MINER_MODEL, read in the parent, not in the children
    monkeypatch.setenv("FINDINGS_MINER_MODEL", "no_such_default")
    with pytest.raises(ModelError, match="no_such_default"):
        run_batch(paths, tmp_path / "env")
