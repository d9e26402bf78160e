import pytest

from findings_miner.segment.sections import section_kind


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Sammendrag", "summary"), ("Executive summary", "summary"),
        ("Bakgrunn", "background"), ("1. Background", "background"),
        ("Metode", "method"), ("Methodology", "method"),
        ("Funn", "findings"), ("4.2 Findings", "findings"),
        ("Resultater", "results"), ("Results", "results"), ("Achievements", "results"),
        ("Aktiviteter", "activities"), ("Activities", "activities"),
        ("Overordnet mål", "objectives"), ("Delmål", "objectives"), ("Mål", "objectives"),
        ("Formål", "objectives"), ("Goal", "objectives"), ("Objective 2", "objectives"),
        ("Purpose", "objectives"), ("Expected outcome", "objectives"),
        ("Målgruppe", "target_group"), ("Target group", "target_group"),
        ("Læring og erfaringer:", "lessons"), ("Erfaringer", "lessons"), ("Lessons learned", "lessons"),
        ("Anbefalinger", "recommendations"), ("5. Recommendations", "recommendations"),
        ("Konklusjon", "conclusions"), ("Conclusions", "conclusions"),
        ("Vedlegg 2", "annex"), ("Annex 1: Terms of reference", "annex"),
        ("Table of figures and maps", "other"),
    ],
)
def test_vocabulary(heading, kind):
    assert section_kind(heading) == kind
