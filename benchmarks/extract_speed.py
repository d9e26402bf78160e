"""Extraction speed on ../shared/pdfs: raw pypdfium2, raw pdfplumber and findings_miner.extract.

Each engine runs in its own child process (so peak RSS is its own), over the same files, in the
same run; the figure that matters is the ratio of ``findings_miner.extract`` to raw pypdfium2
(goal: >= 0.5). Run: ``python benchmarks/extract_speed.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb, require_shared


def run_pdfium(paths: list[str]) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for path in paths:
        document = pdfium.PdfDocument(path)
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        document.close()
    return pages


def run_pdfplumber(paths: list[str]) -> int:
    import pdfplumber

    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    return pages


def run_findings_miner(paths: list[str]) -> int:
    from findings_miner import extract
    from findings_miner.segment.language import detect_language

    detect_language("load the language models before timing starts")
    return sum(extract(path).page_count for path in paths)


ENGINES = {"pypdfium2 (raw)": run_pdfium, "pdfplumber (raw)": run_pdfplumber,
           "findings_miner.extract": run_findings_miner}


def _child(name: str, paths: list[str], queue) -> None:
    if name == "findings_miner.extract":
        from findings_miner.segment.language import detect_language

        detect_language("warm up models outside the timed region")
    started = time.perf_counter()
    pages = ENGINES[name](paths)
    queue.put({"pages": pages, "seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the PDFs per engine")
    parser.add_argument("--skip-pdfplumber", action="store_true", help="pdfplumber is slow")
    args = parser.parse_args()
    folder = require_shared("pdfs")
    paths = [str(p) for p in sorted(folder.glob("*.pdf"))] * args.repeat
    context = mp.get_context("spawn")
    results = {}
    for name in ENGINES:
        if args.skip_pdfplumber and name.startswith("pdfplumber"):
            continue
        queue = context.Queue()
        process = context.Process(target=_child, args=(name, paths, queue))
        process.start()
        results[name] = queue.get()
        process.join()
    base = results["pypdfium2 (raw)"]
    base_rate = base["pages"] / base["seconds"]
    print(f"{len(paths)} files, {base['pages']} pages ({args.repeat} passes over {folder})")
    print(f"{'engine':28} {'pages/s':>9} {'ratio':>7} {'peak RSS MB':>12}")
    for name, r in results.items():
        rate = r["pages"] / r["seconds"]
        print(f"{name:28} {rate:9.1f} {rate / base_rate:7.2f} {r['peak_rss_mb']:12.1f}")
    fm = results["findings_miner.extract"]
    ratio = (fm["pages"] / fm["seconds"]) / base_rate
    print(f"goal: findings_miner.extract / raw pypdfium2 >= 0.5 -> {ratio:.2f} "
          f"({'met' if ratio >= 0.5 else 'NOT met'})")
    print(json.dumps({name: {k: round(v, 3) for k, v in r.items()} for name, r in results.items()}))


if __name__ == "__main__":
    main()
