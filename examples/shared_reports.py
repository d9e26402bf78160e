"""Second example: score and digest the real reports in ../shared (six PDFs and the Norwegian
document study), with the counter-trafficking taxonomy.

Run: ``python examples/shared_reports.py`` → examples/output/shared_digest.{html,md,xlsx}.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main() -> None:
    import pandas as pd

    from findings_miner import digest

    if not SHARED.exists():
        sys.exit(f"skipped: {SHARED} is absent")
    paths = [*sorted((SHARED / "pdfs").glob("*.pdf")), SHARED / "seed" / "document_study_main_body_nb.txt"]
    result = digest(paths, taxonomy=ROOT / "examples" / "taxonomy_counter_trafficking.yaml",
                    title="Real reports in ../shared", progress=True)
    out = ROOT / "examples" / "output"
    for suffix in ("html", "md", "xlsx"):
        result.save(out / f"shared_digest.{suffix}")
    columns = ["path", "language", "doc_type", "pages", "passages_n", "results_statements_n", "results_focus_index",
               "activity_focus", "indicator_coverage", "baseline_coverage", "target_coverage", "lessons_n",
               "recommendations_n", "lessons_per_1000_words"]
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.precision", 2):
        frame = result.documents[columns].copy()
        frame["path"] = frame["path"].map(lambda p: Path(p).name[:40])
        print(frame.to_string(index=False))
        print(result.themes[["theme_id", "theme", "passages", "documents", "languages"]].to_string(index=False))
    print(f"written to {out}/shared_digest.html|md|xlsx")


if __name__ == "__main__":
    main()
