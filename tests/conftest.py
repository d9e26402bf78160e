"""Shared fixtures: the ``../shared`` data folder beside the project root (skip when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with a clear message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test needs the ../shared data folder beside the project")
    return path


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "document_study_main_body_nb.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_pdfs() -> list[Path]:
    return sorted(shared_path("pdfs").glob("*.pdf"))
