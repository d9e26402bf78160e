"""User taxonomies in YAML: category → terms per language; coverage tables and gaps.

Format::

    name: Counter-trafficking
    groups:
      pillar:                      # a dimension of the review
        prevention:
          en: [prevent*, awareness, campaign*]
          nb: [forebygg*, bevissthet*]
        protection: {...}

Terms match whole words, case-insensitively; a trailing ``*`` matches any ending
(``forebygg*`` matches ``forebygging``, ``forebyggende``). A term may also be a regular
expression written as ``re:...``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError


@dataclass(frozen=True)
class Category:
    group: str
    name: str
    pattern: re.Pattern[str]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    name: str
    categories: tuple[Category, ...]

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(c.group for c in self.categories))


def _term_regex(term: str) -> str:
    if term.startswith("re:"):
        return term[3:]
    escaped = re.escape(term.lower().rstrip("*"))
    return rf"(?<![\w-]){escaped}" + (r"[\w-]*" if term.endswith("*") else r"(?![\w-])")


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and compile a YAML taxonomy.

    Raises:
        InputError: unreadable YAML, no groups, or a category without terms or with a bad regex.
    """
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read taxonomy {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise InputError(f"taxonomy {path} needs a 'groups' mapping")
    categories = []
    for group, members in data["groups"].items():
        for name, terms_by_lang in (members or {}).items():
            terms = [t for lang_terms in (terms_by_lang or {}).values() for t in (lang_terms or [])]
            if not terms:
                raise InputError(f"taxonomy {path}: category {group}/{name} has no terms")
            try:
                pattern = re.compile("|".join(_term_regex(str(t)) for t in terms), re.IGNORECASE)
            except re.error as exc:
                raise InputError(f"taxonomy {path}: bad pattern in {group}/{name}: {exc}") from exc
            categories.append(Category(str(group), str(name), pattern, tuple(map(str, terms))))
    return Taxonomy(str(data.get("name", Path(path).stem)), tuple(categories))


def category_hits(passages: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Long table: one row per (document, category) with the number of passages that mention it."""
    rows = []
    texts = passages["text"].astype(str).str.lower().tolist()
    for category in taxonomy.categories:
        hits = [bool(category.pattern.search(t)) for t in texts]
        counts = passages.assign(_hit=hits).groupby("doc_id")["_hit"].sum()
        for doc_id, count in counts.items():
            rows.append({"doc_id": doc_id, "group": category.group, "category": category.name, "passages": int(count)})
    return pd.DataFrame(rows, columns=["doc_id", "group", "category", "passages"])


def coverage(hits: pd.DataFrame, documents: pd.DataFrame, taxonomy: Taxonomy, *, min_passages: int = 1,
             gap_max_projects: int = 1) -> pd.DataFrame:
    """Projects (and documents) per category, with the categories few or no projects cover flagged
    as gaps (``projects <= gap_max_projects``)."""
    merged = hits.merge(documents[["doc_id", "project_id"]], on="doc_id", how="left")
    merged = merged[merged["passages"] >= min_passages]
    total_projects = documents["project_id"].nunique()
    rows = []
    for category in taxonomy.categories:
        subset = merged[(merged["group"] == category.group) & (merged["category"] == category.name)]
        projects = subset["project_id"].nunique()
        rows.append({"group": category.group, "category": category.name, "projects": projects,
                     "projects_total": total_projects, "documents": subset["doc_id"].nunique(),
                     "passages": int(subset["passages"].sum()), "gap": projects <= gap_max_projects})
    return pd.DataFrame(rows)
