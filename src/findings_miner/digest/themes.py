"""Themes of lessons and recommendations, across English and Norwegian.

Lessons are clustered on two kinds of features: their words (TF-IDF), and bilingual *concepts*
— a small EN/NB lexicon of what aid lessons are about (partners, police, coordination, funding,
monitoring, sustainability, victims, children, …) — so that "samarbeid med myndighetene" and
"cooperation with the authorities" land in the same theme. K-means with a fixed seed; the number
of themes grows with the square root of the number of lessons. A theme's name is built from its
most central concepts (or words, when no concept dominates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..segment.language import function_words

#: concept → word stems (lower case; matched at word start), English and Norwegian
CONCEPTS: dict[str, tuple[str, ...]] = {
    "partners": ("partner", "partnership", "samarbeidspartner", "partnerskap"),
    "authorities": ("government", "authorit", "ministr", "municipal", "myndighet", "departement", "kommune", "stat"),
    "cooperation": ("cooperat", "co-operat", "collaborat", "coordinat", "samarbeid", "koordiner", "samordn", "networ", "nettverk"),
    "police and justice": ("police", "prosecut", "judic", "court", "justice", "law enforcement", "politi", "påtale", "domstol", "rettsvesen", "straffeforfølg"),
    "victims": ("victim", "survivor", "offer", "ofre", "overlever"),
    "identification and referral": ("identif", "referr", "screening", "identifis", "henvis"),
    "shelter and protection": ("shelter", "safe house", "protection", "krisesenter", "beskytt", "botilbud"),
    "reintegration": ("reintegrat", "return", "reintegrer", "retur", "tilbakevend"),
    "prevention and awareness": ("prevent", "awareness", "campaign", "forebygg", "bevissthet", "kampanje", "holdning"),
    "children and youth": ("child", "youth", "adolescen", "barn", "ungdom", "unge"),
    "women and gender": ("women", "gender", "girls", "kvinne", "kjønn", "jente"),
    "minorities": ("roma", "minorit", "migrant", "refugee", "rom-", "minoritet", "flyktning", "disab", "funksjonsnedsett"),
    "communities": ("communit", "local", "village", "lokalsamfunn", "lokal", "landsby", "samfunnsbasert"),
    "knowledge and capacity": ("knowledge", "capacity", "training", "skills", "competen", "kunnskap", "kapasitet", "opplæring", "kompetanse", "kurs"),
    "funding": ("fund", "financ", "budget", "grant", "donor", "finansier", "budsjett", "bevilgning", "tilskudd", "midler"),
    "project duration": ("one-year", "annual funding", "short-term", "long-term", "multi-year", "ettårig", "flerårig", "langsiktig", "kortsiktig"),
    "monitoring and indicators": ("monitor", "indicator", "baseline", "data", "measur", "result framework", "oppfølging", "indikator", "utgangspunkt", "måling", "resultatramme"),
    "reporting and documentation": ("report", "document", "rapport", "dokument"),
    "evaluation and learning": ("evaluat", "learning", "lesson", "evaluer", "læring", "erfaring"),
    "sustainability and ownership": ("sustainab", "ownership", "exit", "phase-out", "continu", "bærekraft", "eierskap", "videreføring", "videreført"),
    "planning and design": ("design", "planning", "plan", "assessment", "needs", "planlegg", "behovs", "kartlegg"),
    "timeliness and logistics": ("delay", "late", "procure", "logistic", "timel", "stock", "pipeline", "forsink", "innkjøp", "logistikk"),
    "volunteers and staff": ("volunteer", "staff", "turnover", "personnel", "frivillig", "ansatt", "personell"),
    "cash and livelihoods": ("cash", "livelihood", "income", "voucher", "kontant", "levebrød", "inntekt"),
    "health": ("health", "medical", "psychosocial", "helse", "medisinsk", "psykososial"),
    "community engagement and feedback": ("feedback", "accountab", "participat", "engage", "tilbakemelding", "medvirk", "deltak"),
}
_WORD_RE = re.compile(r"[^\W\d_][\w-]{2,}")
_STOP = frozenset(
    ["the", "and", "for", "that", "with", "this", "was", "were", "are", "have", "has", "been", "from", "which", "their", "they", "should", "would", "could", "will", "not", "also", "more", "than", "into", "such", "other", "these", "those", "there", "when", "where", "project", "projects", "programme", "og", "for", "som", "med", "det", "den", "til", "har", "ikke", "var", "ble", "vil", "skal", "kan", "bør", "må", "være", "eller", "også", "mer", "enn", "andre", "disse", "prosjektet", "prosjekter", "prosjektene", "programmet", "der", "når", "hvor", "blant"]
) | function_words()  # Swedish, Danish, German, … quotes in a portfolio must not name a theme "att / ett"


def concept_tokens(text: str) -> list[str]:
    """Concept names whose stems occur in a text."""
    lowered = text.lower()
    words = _WORD_RE.findall(lowered)
    found = []
    for concept, stems in CONCEPTS.items():
        if any(" " in stem and stem in lowered for stem in stems) or any(
            w.startswith(stem) for w in words for stem in stems if " " not in stem
        ):
            found.append(concept)
    return found


def _feature_text(text: str) -> str:
    concepts = " ".join(f"C::{c.replace(' ', '_')}" for c in concept_tokens(text))
    words = " ".join(w for w in _WORD_RE.findall(text.lower()) if w not in _STOP)
    return f"{concepts} {concepts} {words}"


@dataclass
class Themes:
    """``themes``: one row per theme; ``assignments``: theme id per input row; ``quotes``: the
    representative rows of each theme (indices into the input)."""

    themes: pd.DataFrame
    assignments: np.ndarray
    quotes: dict[int, list[int]]


def find_themes(learning: pd.DataFrame, *, n_themes: int | None = None, quotes_per_theme: int = 3,
                seed: int = 0) -> Themes:
    """Cluster lesson/recommendation passages into named themes.

    ``learning`` needs columns text, learning, doc_id and optionally project_id, lang.
    """
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(learning)
    columns = ["theme_id", "theme", "top_terms", "passages", "lessons", "recommendations", "documents",
               "projects", "languages"]
    if n == 0:
        return Themes(pd.DataFrame(columns=columns), np.zeros(0, dtype=int), {})
    texts = learning["text"].astype(str).tolist()
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True, min_df=1)
    features = vectorizer.fit_transform([_feature_text(t) for t in texts])
    k = n_themes or int(np.clip(round(np.sqrt(n / 2)), 1, 12))
    k = min(k, n)
    if k == 1:
        labels = np.zeros(n, dtype=int)
        centroids = np.asarray(features.mean(axis=0))
    else:
        model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(features)
        labels, centroids = model.labels_, model.cluster_centers_
    names = np.array(vectorizer.get_feature_names_out())
    rows, quotes = [], {}
    # themes ordered by size, ids renumbered 1..k so that output is stable and readable
    order = sorted(range(k), key=lambda c: (-int((labels == c).sum()), c))
    renumber = {old: new for new, old in enumerate(order, start=1)}
    for cluster in order:
        members = np.where(labels == cluster)[0]
        if len(members) == 0:
            continue
        centroid = centroids[cluster]
        top = [names[i] for i in np.argsort(centroid)[::-1][:8] if centroid[i] > 0]
        concepts = [t[3:].replace("_", " ") for t in top if t.startswith("C::")]
        words = [t for t in top if not t.startswith("C::")]
        name = " / ".join(concepts[:2]) if concepts else " / ".join(words[:3])
        if concepts and words:
            name += f" ({', '.join(words[:2])})"
        similarity = np.asarray(features[members] @ centroid).ravel()
        quotes[renumber[cluster]] = [int(members[i]) for i in np.argsort(similarity)[::-1][:quotes_per_theme]]
        subset = learning.iloc[members]
        rows.append({
            "theme_id": renumber[cluster], "theme": name or f"theme {renumber[cluster]}",
            "top_terms": ", ".join(t.replace("C::", "").replace("_", " ") for t in top),
            "passages": len(members),
            "lessons": int((subset["learning"] == "lesson").sum()),
            "recommendations": int((subset["learning"] == "recommendation").sum()),
            "documents": subset["doc_id"].nunique(),
            "projects": subset["project_id"].nunique() if "project_id" in subset else np.nan,
            "languages": ", ".join(sorted(subset["lang"].dropna().astype(str).unique())) if "lang" in subset else "",
        })
    assignments = np.array([renumber[c] for c in labels])
    return Themes(pd.DataFrame(rows, columns=columns), assignments, quotes)
