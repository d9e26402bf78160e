"""Plots for the HTML digest, rendered by matplotlib to inline SVG (no files, no network)."""

from __future__ import annotations

import io

import pandas as pd

LEVEL_COLOURS = {"activity": "#d95f02", "output": "#e6ab02", "outcome": "#1b9e77", "impact": "#1f78b4",
                 "other": "#bdbdbd"}


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def _short(label: str, width: int = 38) -> str:
    label = str(label)
    return label if len(label) <= width else "…" + label[-(width - 1):]


def _labels(values) -> list[str]:
    """Short labels; a file name shared by two paths keeps its parent folder to stay distinct."""
    names = [str(v).replace("\\", "/").split("/")[-1] for v in values]
    repeated = {n for n in names if names.count(n) > 1}
    full = ["/".join(str(v).replace("\\", "/").split("/")[-2:]) if n in repeated else n for v, n in zip(values, names, strict=True)]
    return [_short(n) for n in full]


def level_mix(documents: pd.DataFrame) -> str | None:
    """Stacked horizontal bars: share of each results-chain level per document."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = documents[documents["passages_n"] > 0]
    if frame.empty:
        return None
    names = _labels(frame["path"])
    positions = list(range(len(frame)))
    figure, axis = plt.subplots(figsize=(8, 0.45 * len(frame) + 1.2))
    left = pd.Series(0.0, index=frame.index)
    for level, colour in LEVEL_COLOURS.items():
        values = frame[f"{level}_share"].fillna(0)
        axis.barh(positions, values, left=left, color=colour, label=level)
        left = left + values
    axis.set_yticks(positions, names)
    axis.set_xlim(0, 1)
    axis.set_xlabel("share of classified passages")
    axis.invert_yaxis()
    axis.legend(ncol=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    axis.set_title("Level mix per document", pad=28)
    return _svg(figure)


def results_focus(table: pd.DataFrame, label_column: str, title: str) -> str | None:
    """Bars of the results-focus index with its denominator written beside each bar."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = table[table["results_statements_n"] > 0]
    if frame.empty:
        return None
    names = _labels(frame[label_column])
    figure, axis = plt.subplots(figsize=(8, 0.45 * len(frame) + 1.0))
    values = frame["results_focus_index"].fillna(0)
    axis.barh(range(len(frame)), values, color="#1b9e77")
    axis.set_yticks(range(len(frame)), names)
    for y, (value, n) in enumerate(zip(values, frame["results_statements_n"], strict=True)):
        axis.text(min(value + 0.01, 0.9), y, f"{value:.2f} (n={int(n)})", va="center", fontsize=8)
    axis.set_xlim(0, 1)
    axis.invert_yaxis()
    axis.set_xlabel("results-focus index: (outcome + impact) / results-chain statements")
    axis.set_title(title)
    return _svg(figure)


def theme_sizes(themes: pd.DataFrame) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if themes.empty:
        return None
    figure, axis = plt.subplots(figsize=(8, 0.45 * len(themes) + 1.0))
    names = [_short(f"{t.theme_id}. {t.theme}", 50) for t in themes.itertuples()]
    positions = range(len(themes))
    axis.barh(positions, themes["lessons"], color="#7570b3", label="lessons")
    axis.barh(positions, themes["recommendations"], left=themes["lessons"], color="#e7298a", label="recommendations")
    axis.set_yticks(positions, names)
    axis.invert_yaxis()
    axis.set_xlabel("passages")
    axis.legend(frameon=False)
    axis.set_title("Themes of lessons and recommendations")
    return _svg(figure)


def taxonomy_coverage(coverage: pd.DataFrame | None) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if coverage is None or coverage.empty:
        return None
    figure, axis = plt.subplots(figsize=(8, 0.32 * len(coverage) + 1.0))
    names = [f"{r.group}: {r.category}" for r in coverage.itertuples()]
    colours = ["#d73027" if gap else "#4575b4" for gap in coverage["gap"]]
    axis.barh(range(len(coverage)), coverage["projects"], color=colours)
    axis.set_yticks(range(len(coverage)), names)
    axis.invert_yaxis()
    axis.set_xlabel(f"projects mentioning the category (of {int(coverage['projects_total'].max())}); red = gap")
    axis.set_title("Taxonomy coverage")
    return _svg(figure)
