"""Digests of lessons and recommendations across a portfolio: Markdown, HTML with plots, Excel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .report import Digest


def digest(
    inputs,
    *,
    manifest: str | Path | None = None,
    taxonomy: str | Path | None = None,
    title: str | None = None,
    n_themes: int | None = None,
    model=None,
    progress: bool = False,
) -> Digest:
    """Score a portfolio and digest its lessons and recommendations.

    Args:
        inputs: file paths, analyses, a :class:`~findings_miner.score.Portfolio` or a
            :class:`~findings_miner.score.Scores` object.
        manifest / taxonomy: see :func:`findings_miner.score.score`.

    Returns:
        A :class:`Digest` with DataFrames and ``to_html`` / ``to_markdown`` / ``to_excel``.
    """
    from ..score import Scores, score
    from .report import build_digest

    scores = inputs if isinstance(inputs, Scores) else score(inputs, manifest=manifest, taxonomy=taxonomy,
                                                             model=model, progress=progress)
    return build_digest(scores, n_themes=n_themes, title=title)


__all__: Sequence[str] = ["digest"]
