"""Section context as evidence: a passage under *Anbefalinger* is more likely a recommendation,
an ``Aktiviteter:`` field lists activities, a ``Delmål:`` field states a planned outcome.

Evidence multiplies the model's calibrated probabilities by a likelihood ratio and renormalises
(a naive-Bayes update), so strong text evidence can still overrule the section, and every update
is named in the passage's cues (``section:recommendations``).
"""

from __future__ import annotations

import re

import numpy as np

#: section_kind → head → label → likelihood ratio
SECTION_EVIDENCE: dict[str, dict[str, dict[str, float]]] = {
    "recommendations": {"learning": {"recommendation": 4.0}},
    "lessons": {"learning": {"lesson": 4.0}},
    "activities": {"level": {"activity": 3.0}},
    "objectives": {"status": {"planned": 3.0}, "level": {"outcome": 1.5, "impact": 1.5}},
    "results": {"status": {"achieved": 1.5}},
    "findings": {"status": {"achieved": 1.3}},
    "method": {"level": {"other": 2.0}},
    "background": {"level": {"other": 1.5}},
    "target_group": {"level": {"other": 4.0}},
    "annex": {},
}

_FIELD_EVIDENCE: tuple[tuple[re.Pattern[str], dict[str, dict[str, float]]], ...] = (
    (re.compile(r"^(overordnet mål|hovedmål|overall (goal|objective)|goal|impact|effektmål|langsiktig mål)"),
     {"level": {"impact": 4.0}, "status": {"planned": 3.0}}),
    (re.compile(r"^(delmål|specific objectives?|outcomes?|expected outcomes?|resultatmål|utfall|objectives?)\b"),
     {"level": {"outcome": 2.5}, "status": {"planned": 3.0}}),
    (re.compile(r"^(outputs?|forventede resultater|expected results?)\b"), {"level": {"output": 2.0}}),
    (re.compile(r"^(aktiviteter|aktivitet|activities|activity|tiltak)\b"), {"level": {"activity": 4.0}}),
    (re.compile(r"^(målgruppe|target groups?|beneficiar|partner|periode|period|budsjett|budget|land|country)"),
     {"level": {"other": 6.0}}),
    (re.compile(r"^(resultater|results|achievements|oppnådde resultater)\b"), {"status": {"achieved": 2.0}}),
    (re.compile(r"^(anbefalinger|recommendations?)\b"), {"learning": {"recommendation": 5.0}}),
    (re.compile(r"^(erfaringer|læring|lessons?( learned)?)\b"), {"learning": {"lesson": 5.0}}),
)


def evidence_for(section_kind: str | None, field_label: str | None) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Likelihood ratios and their cue names for a passage's section and field label."""
    evidence: dict[str, dict[str, float]] = {}
    cues: list[str] = []
    if field_label:
        label = field_label.lower().strip()
        for pattern, field_evidence in _FIELD_EVIDENCE:
            if pattern.search(label):
                evidence = {head: dict(ratios) for head, ratios in field_evidence.items()}
                cues.append(f"field:{field_label}")
                break
    if not evidence and section_kind in SECTION_EVIDENCE and SECTION_EVIDENCE[section_kind]:
        evidence = SECTION_EVIDENCE[section_kind]
        cues.append(f"section:{section_kind}")
    return evidence, cues


def apply_evidence(probabilities: np.ndarray, classes: tuple[str, ...], ratios: dict[str, float]) -> np.ndarray:
    """Multiply one row of probabilities by likelihood ratios and renormalise."""
    if not ratios:
        return probabilities
    updated = probabilities.copy()
    for label, ratio in ratios.items():
        updated[classes.index(label)] *= ratio
    return updated / updated.sum()
