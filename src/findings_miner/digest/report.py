"""The Digest: scores, themes of lessons and recommendations with traced quotes, and its renderings
(Markdown, self-contained HTML with plots, Excel)."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..score import Scores
from . import plots
from .themes import find_themes

logger = logging.getLogger(__name__)

QUOTE_COLUMNS = ["theme_id", "learning", "text", "lang", "path", "page", "char_start", "char_end", "doc_id",
                 "project_id", "section"]


@dataclass
class Digest:
    """A portfolio digest: the score tables plus themes, lessons and quotes (pandas DataFrames)."""

    scores: Scores
    lessons: pd.DataFrame
    themes: pd.DataFrame
    quotes: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    # -- tables --------------------------------------------------------------------------

    @property
    def documents(self) -> pd.DataFrame:
        return self.scores.documents

    @property
    def passages(self) -> pd.DataFrame:
        return self.scores.passages

    @property
    def errors(self) -> pd.DataFrame:
        return self.scores.errors

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The tables as written to Excel, by sheet name."""
        scores = pd.concat([
            self.scores.portfolio.assign(scope="portfolio", key="all"),
            self.scores.doc_types.assign(scope="doc_type").rename(columns={"doc_type": "key"}),
            self.scores.projects.assign(scope="project").rename(columns={"project_id": "key"}),
        ], ignore_index=True)
        scores = scores[["scope", "key", *[c for c in scores.columns if c not in ("scope", "key")]]]
        sheets = {
            "documents": self.scores.documents,
            "passages": self.scores.passages,
            "scores": scores,
            "lessons": self.lessons,
            "themes": self.themes,
            "projects": self.scores.promised_vs_reported,
            "errors": self.scores.errors,
        }
        if self.scores.taxonomy_coverage is not None:
            sheets["taxonomy"] = self.scores.taxonomy_coverage
        return sheets

    # -- renderings ----------------------------------------------------------------------

    def to_excel(self, path: str | Path) -> Path:
        """One workbook, one sheet per table (documents, passages, scores, lessons, themes,
        projects, errors, taxonomy)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, frame in self.sheets().items():
                _excel_safe(frame).to_excel(writer, sheet_name=name[:31], index=False)
        return path

    def to_markdown(self, path: str | Path | None = None) -> str:
        """A Markdown report; written to ``path`` when given."""
        lines = [f"# {self.meta.get('title', 'Lessons-learned digest')}", ""]
        lines += _portfolio_lines(self.scores)
        lines += ["", "## Documents", "", _md_table(_document_view(self.scores.documents)), ""]
        if len(self.scores.projects):
            lines += ["## Projects", "", _md_table(_project_view(self.scores.projects)), ""]
        gaps = self.scores.promised_vs_reported
        if len(gaps):
            unmatched = gaps[~gaps["matched"]]
            lines += ["## Promised vs reported", "",
                      f"{int(gaps['matched'].sum())} of {len(gaps)} planned results of applications have a reported "
                      f"counterpart (similarity ≥ threshold); {len(unmatched)} are gaps.", ""]
            if len(unmatched):
                lines += [_md_table(unmatched[["project_id", "planned_level", "planned_text", "similarity"]]), ""]
        if self.scores.taxonomy_coverage is not None:
            lines += ["## Taxonomy coverage", "", _md_table(self.scores.taxonomy_coverage), ""]
        lines += ["## Themes of lessons and recommendations", ""]
        for theme in self.themes.itertuples():
            lines += [f"### {theme.theme_id}. {theme.theme}", "",
                      f"{theme.passages} passages ({theme.lessons} lessons, {theme.recommendations} recommendations) "
                      f"from {theme.documents} documents and {theme.projects} projects; languages: {theme.languages}.", ""]
            for quote in self.quotes[self.quotes["theme_id"] == theme.theme_id].itertuples():
                lines += [f"> {quote.text}", ">", f"> — *{Path(quote.path).name}*, p. {quote.page}, "
                          f"chars {quote.char_start}–{quote.char_end} ({quote.lang}, {quote.learning})", ""]
        if len(self.scores.errors):
            lines += ["## Files that could not be read", "", _md_table(self.scores.errors[["path", "error_code", "message"]]), ""]
        text = "\n".join(lines)
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_html(self, path: str | Path | None = None) -> str:
        """A self-contained HTML page (inline CSS and SVG plots); written to ``path`` when given."""
        from jinja2 import Environment

        environment = Environment(autoescape=True)
        template = environment.from_string(_HTML_TEMPLATE)
        documents = self.scores.documents
        figures = {
            "level_mix": plots.level_mix(documents),
            "rfi_documents": plots.results_focus(documents, "path", "Results-focus index per document"),
            "rfi_projects": plots.results_focus(self.scores.projects, "project_id", "Results-focus index per project")
            if len(self.scores.projects) else None,
            "themes": plots.theme_sizes(self.themes),
            "taxonomy": plots.taxonomy_coverage(self.scores.taxonomy_coverage),
        }
        gaps = self.scores.promised_vs_reported
        rendered = template.render(
            title=self.meta.get("title", "Lessons-learned digest"),
            summary=_portfolio_lines(self.scores),
            figures={k: v for k, v in figures.items() if v},
            documents=_html_table(_document_view(documents)),
            projects=_html_table(_project_view(self.scores.projects)) if len(self.scores.projects) else None,
            promised=_html_table(gaps[["project_id", "planned_level", "planned_text", "reported_text", "similarity",
                                       "matched"]]) if len(gaps) else None,
            taxonomy=_html_table(self.scores.taxonomy_coverage) if self.scores.taxonomy_coverage is not None else None,
            themes=[{"row": t, "quotes": self.quotes[self.quotes["theme_id"] == t.theme_id].to_dict("records")}
                    for t in self.themes.itertuples()],
            errors=_html_table(self.scores.errors[["path", "error_code", "message"]]) if len(self.scores.errors) else None,
            basename=lambda p: Path(str(p)).name,
        )
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(rendered, encoding="utf-8")
        return rendered

    def save(self, path: str | Path) -> Path:
        """Write by suffix: ``.html``, ``.md`` or ``.xlsx``."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            self.to_html(path)
        elif suffix in (".md", ".markdown"):
            self.to_markdown(path)
        elif suffix == ".xlsx":
            self.to_excel(path)
        else:
            from ..errors import InputError

            raise InputError(f"unknown digest format {suffix!r}: use .html, .md or .xlsx")
        return path


def build_digest(scores: Scores, *, quotes_per_theme: int = 3, n_themes: int | None = None,
                 title: str | None = None) -> Digest:
    """Themes and quotes from the lesson and recommendation passages of scored documents."""
    passages = scores.passages
    if len(passages):
        learning = passages[passages["classified"] & passages["learning"].isin(["lesson", "recommendation"])]
        learning = learning.reset_index(drop=True)
    else:
        learning = pd.DataFrame(columns=[c for c in QUOTE_COLUMNS if c != "theme_id"])
    themes = find_themes(learning, n_themes=n_themes, quotes_per_theme=quotes_per_theme)
    lessons = learning.assign(theme_id=themes.assignments) if len(learning) else learning.assign(theme_id=[])
    quote_rows = [lessons.iloc[i] for theme_id in sorted(themes.quotes) for i in themes.quotes[theme_id]]
    quotes = pd.DataFrame(quote_rows)[QUOTE_COLUMNS] if quote_rows else pd.DataFrame(columns=QUOTE_COLUMNS)
    keep = [c for c in ["theme_id", "learning", "text", "lang", "level", "status", "p_lesson", "p_recommendation",
                        "path", "page", "char_start", "char_end", "section", "section_kind", "doc_id", "project_id",
                        "doc_type", "cues"] if c in lessons.columns]
    return Digest(scores, lessons[keep], themes.themes, quotes.reset_index(drop=True),
                  {"title": title or "Lessons-learned digest"})


# -- helpers -------------------------------------------------------------------------------


def _excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel cannot hold lists or control characters; cells are capped at 32,767 characters."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else
                           (_no_formula(_ILLEGAL_XML.sub("", v)[:32000]) if isinstance(v, str) else v)))
    return out


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _no_formula(text: str) -> str:
    """Text from documents must never become a live spreadsheet formula (=, +, @ …)."""
    return "'" + text if text[:1] in ("=", "+", "@") else text


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "–" if pd.isna(value) else f"{value:.2f}"
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    return str(value)


def _md_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "(none)"
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(_fmt(v).replace("|", "\\|").replace("\n", " ") for v in row) + " |"
            for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def _html_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _document_view(documents: pd.DataFrame) -> pd.DataFrame:
    columns = ["path", "project_id", "doc_type", "status", "language", "pages", "passages_n", "results_statements_n",
               "results_focus_index", "activity_focus", "indicator_coverage", "baseline_coverage", "target_coverage",
               "lessons_n", "recommendations_n", "lessons_per_1000_words", "activity_only_sections"]
    view = documents[[c for c in columns if c in documents.columns]].copy()
    view["path"] = view["path"].map(lambda p: Path(str(p)).name)
    return view


def _project_view(projects: pd.DataFrame) -> pd.DataFrame:
    columns = ["project_id", "documents_n", "failed_n", "passages_n", "results_statements_n", "results_focus_index",
               "activity_focus", "indicator_coverage", "baseline_coverage", "target_coverage", "lessons_n",
               "recommendations_n"]
    return projects[[c for c in columns if c in projects.columns]]


def _portfolio_lines(scores: Scores) -> list[str]:
    p = scores.portfolio.iloc[0] if len(scores.portfolio) else None
    if p is None:
        return ["No documents."]
    return [
        f"- Documents: {int(p['documents_n'])} ({int(p['failed_n'])} could not be read)",
        f"- Classified passages: {int(p['passages_n'])}; results-chain statements: {int(p['results_statements_n'])}",
        f"- Results-focus index (outcome + impact share of results-chain statements): {_fmt(p['results_focus_index'])}"
        f" (n={int(p['results_statements_n'])}); activity share: {_fmt(p['activity_focus'])}",
        f"- Indicator / baseline / target coverage of output-outcome-impact statements: "
        f"{_fmt(p['indicator_coverage'])} / {_fmt(p['baseline_coverage'])} / {_fmt(p['target_coverage'])} "
        f"(n={int(p['results_n'])})",
        f"- Lessons: {int(p['lessons_n'])}; recommendations: {int(p['recommendations_n'])} "
        f"({_fmt(p['lessons_per_1000_words'])} and {_fmt(p['recommendations_per_1000_words'])} per 1,000 words)",
    ]


_HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; line-height: 1.45; padding: 0 1em; }
h1 { border-bottom: 3px solid #1b9e77; padding-bottom: .3em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.table-wrap { overflow-x: auto; margin: .5em 0 1.5em; }
table { border-collapse: collapse; font-size: 12px; width: 100%; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
blockquote.quote { margin: .8em 0 .2em; padding: .4em .8em; border-left: 4px solid #7570b3; background: #f7f7fb; }
cite { display: block; font-size: 12px; color: #555; margin-bottom: .8em; }
.theme { margin-bottom: 1.5em; } .summary li { margin: .2em 0; }
</style></head>
<body>
<h1>{{ title }}</h1>
<ul class="summary">{% for line in summary %}<li>{{ line[2:] }}</li>{% endfor %}</ul>
{% if figures.level_mix %}<figure id="plot-level-mix">{{ figures.level_mix | safe }}</figure>{% endif %}
{% if figures.rfi_documents %}<figure id="plot-rfi-documents">{{ figures.rfi_documents | safe }}</figure>{% endif %}
{% if figures.rfi_projects %}<figure id="plot-rfi-projects">{{ figures.rfi_projects | safe }}</figure>{% endif %}
<h2>Documents</h2>
{{ documents | safe }}
{% if projects %}<h2>Projects</h2>{{ projects | safe }}{% endif %}
{% if promised %}<h2>Promised vs reported</h2>
<p>Each planned output/outcome/impact statement of an application, with the most similar achieved statement of the
project's later documents; rows with <code>matched = False</code> are planned results without a reported counterpart.</p>
{{ promised | safe }}{% endif %}
{% if taxonomy %}<h2>Taxonomy coverage</h2>
{% if figures.taxonomy %}<figure id="plot-taxonomy">{{ figures.taxonomy | safe }}</figure>{% endif %}
{{ taxonomy | safe }}{% endif %}
<h2>Themes of lessons and recommendations</h2>
{% if figures.themes %}<figure id="plot-themes">{{ figures.themes | safe }}</figure>{% endif %}
{% for theme in themes %}<div class="theme" id="theme-{{ theme.row.theme_id }}">
<h3>{{ theme.row.theme_id }}. {{ theme.row.theme }}</h3>
<p>{{ theme.row.passages }} passages ({{ theme.row.lessons }} lessons, {{ theme.row.recommendations }} recommendations)
from {{ theme.row.documents }} documents and {{ theme.row.projects }} projects; languages: {{ theme.row.languages }}.
Top terms: {{ theme.row.top_terms }}.</p>
{% for q in theme.quotes %}<blockquote class="quote" lang="{{ q.lang }}" data-path="{{ q.path }}" data-page="{{ q.page }}"
 data-start="{{ q.char_start }}" data-end="{{ q.char_end }}" data-learning="{{ q.learning }}">{{ q.text }}</blockquote>
<cite>{{ basename(q.path) }}, p. {{ q.page }}, characters {{ q.char_start }}–{{ q.char_end }} · {{ q.lang }} · {{ q.learning }}</cite>
{% endfor %}</div>{% endfor %}
{% if errors %}<h2>Files that could not be read</h2>{{ errors | safe }}{% endif %}
<footer><p style="font-size:11px;color:#777">Made by findings_miner. Every quote carries its file, page and
character offsets into the page text as extracted.</p></footer>
</body></html>
"""
