from findings_miner.extract.cleanup import (
    clean_text,
    dehyphenate,
    find_running_lines,
    is_page_number,
    normalize_page_text,
    strip_bullet,
    strip_footnote_marks,
)


def test_private_use_bullet_glyphs_are_bullets():
    for glyph in ("\uf0b7", "\uf0a7", "•", "▪", "◦", "–"):
        had, rest = strip_bullet(f"{glyph} Drift av krisesenter")
        assert had and rest == "Drift av krisesenter"
    assert strip_bullet("Drift av krisesenter") == (False, "Drift av krisesenter")
    assert clean_text("\uf0b7 Opplæring av lærere") == "Opplæring av lærere"


def test_pdfium_soft_hyphen_rejoined_as_in_norad_report():
    # PDFium marks the soft hyphen of "inntekts-nivået" as \x02 (norad_poverty_report_nb.pdf p. 6)
    page = normalize_page_text("høyere desto høyere inntekts\x02nivået er i et land.\r\nBrutto nasjo\x02nalinntekt")
    assert "\r" not in page and "\x02" not in page
    assert clean_text(page) == "høyere desto høyere inntektsnivået er i et land. Brutto nasjonalinntekt"


def test_line_end_hyphenation_joined_but_compounds_kept():
    assert dehyphenate("menneskehandels-\nprosjekter") == "menneskehandelsprosjekter"
    assert dehyphenate("counter-\ntrafficking") == "counter-trafficking"
    assert dehyphenate("FN-\norganisasjoner") == "FN-organisasjoner"
    assert dehyphenate("Vest-Balkan-\nseksjonen") == "Vest-Balkan-seksjonen"
    # seen unbroken elsewhere in the document: keep the hyphen
    assert dehyphenate("rom-\nbefolkningen", frozenset({"rom-befolkningen"})) == "rom-befolkningen"
    assert dehyphenate("sår-\nbare") == "sårbare"
    # a hyphen inside a line is never touched
    assert dehyphenate("rom-befolkningen og 2003-2009") == "rom-befolkningen og 2003-2009"


def test_wrapped_bullet_split_by_blank_line_is_one_clean_text():
    source = "Det er behov for økt fokus på rom-befolkningen, ytterligere spissing av sårbare \n\ngrupper og samfunnsbasert omsorg "
    assert clean_text(source) == (
        "Det er behov for økt fokus på rom-befolkningen, ytterligere spissing av sårbare "
        "grupper og samfunnsbasert omsorg"
    )


def test_ligatures_and_whitespace():
    assert clean_text("ﬁnal  ofﬁce\u00a0staff\tﬂows") == "final office staff flows"


def test_footnote_marks_removed_only_for_known_footnotes():
    text = "Siden 2000 har Utenriksdepartementet1 støttet prosjekter i perioden 2000-20102."
    assert strip_footnote_marks(text, {1, 2}) == "Siden 2000 har Utenriksdepartementet støttet prosjekter i perioden 2000-2010."
    assert strip_footnote_marks("Resolution 1325 and COVID19", {5}) == "Resolution 1325 and COVID19"


def test_page_numbers_and_running_headers():
    assert is_page_number("12") and is_page_number("Page 3 of 9") and is_page_number("Side 4")
    assert is_page_number("iii")
    assert not is_page_number("12 prosjekter har barn som målgruppe")
    pages = [["Norad rapport 2023", "Innhold på side", str(n)] for n in range(1, 8)]
    running = find_running_lines(pages)
    assert "norad rapport #" in running
    assert "innhold på side" in running
