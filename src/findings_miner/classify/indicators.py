"""Indicator, baseline and target detection (English and Norwegian), by rule.

A results framework statement is *measurable* when it names a metric ("number of", "% of",
"antall", "andel") or a quantity; it has a *baseline* when it says where it starts ("baseline",
"utgangspunkt", "nullpunkt", "from 20 % to 45 %", "fra 20 til 45") and a *target* when it says where
it should end ("target", "målverdi", "mål for 2025", "by 2025", "innen 2025", "to 45 %").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"\d[\d\s.,]*\d|\d"
_METRIC_RE = re.compile(
    r"(?<![\w-])(number of|no\. of|# of|% of|percentage of|proportion of|share of|rate of|ratio of|"
    r"level of|amount of|indicators?|antall|andel|prosentandel|grad av|nivå på|indikator\w*)(?![\w-])"
)
_QUANTITY_RE = re.compile(rf"(?:{_NUMBER})\s?(%|percent|per cent|prosent|\w+)")
_YEAR_RE = re.compile(r"(?:19|20)\d\d[.,:)]?")
_BASELINE_RE = re.compile(
    r"(?<![\w-])(baseline|base line|base-line|utgangspunkt\w*|nullpunkt\w*|grunnlinje\w*|utgangsverdi\w*|"
    r"startverdi\w*|(?:from|fra) (?:\d[\d\s.,]*\d|\d)\s?(?:%|percent|prosent)?\s(?:\w+\s){0,3}?(?:to|til) \d)"
)
_TARGET_RE = re.compile(
    r"(?<![\w-])(targets?|target value|målverdi\w*|målsetting\w*|mål(?:et)? (?:for|i|innen) \d{4}|"
    r"by (?:the end of |end of |end-)?\d{4}|innen (?:utgangen av )?\d{4}|within \d+ (?:years?|months?)|"
    r"(?:to|til) (?:\d[\d\s.,]*\d|\d)\s?(?:%|percent|prosent)|at least \d|minst \d)"
)


@dataclass(frozen=True)
class IndicatorFlags:
    has_indicator: bool
    has_baseline: bool
    has_target: bool
    cues: tuple[str, ...]


def detect_indicators(text: str) -> IndicatorFlags:
    """Whether a passage states a measurable indicator, a baseline and a target."""
    lowered = text.lower()
    cues: list[str] = []
    metric = _METRIC_RE.search(lowered)
    quantity = next((m for m in _QUANTITY_RE.finditer(lowered) if not _YEAR_RE.fullmatch(m.group(0).split()[0])), None)
    if metric:
        cues.append(f"indicator:{metric.group(1)}")
    elif quantity:
        cues.append(f"indicator:{quantity.group(0).strip()}")
    baseline = _BASELINE_RE.search(lowered)
    if baseline:
        cues.append(f"baseline:{baseline.group(1)}")
    # "from 10 % to 47 %" is a change from a baseline, not a target: skip its "to 47 %" part
    inside_change = baseline.span() if baseline and baseline.group(1).startswith(("from", "fra")) else (-1, -1)
    target = next((m for m in _TARGET_RE.finditer(lowered)
                   if not inside_change[0] <= m.start() < inside_change[1]), None)
    if target:
        cues.append(f"target:{target.group(1)}")
    has_indicator = bool(metric or quantity)
    return IndicatorFlags(has_indicator, bool(baseline), bool(target), tuple(cues))
