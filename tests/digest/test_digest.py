"""The digest of the bundled portfolio: renderings, quote provenance, and a real browser render."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from findings_miner import extract
from findings_miner.digest import digest
from findings_miner.digest.themes import concept_tokens, find_themes

ROOT = Path(__file__).resolve().parents[2]
PORTFOLIO = ROOT / "examples" / "portfolio"


@pytest.fixture(scope="module")
def bundled():
    paths = sorted(p for p in PORTFOLIO.iterdir() if p.suffix in (".pdf", ".docx"))
    return digest(paths, manifest=PORTFOLIO / "manifest.csv",
                  taxonomy=ROOT / "examples" / "taxonomy_counter_trafficking.yaml", title="Example portfolio")


def test_concepts_cross_languages():
    assert "cooperation" in concept_tokens("Godt samarbeid med myndighetene er avgjørende")
    assert "cooperation" in concept_tokens("Cooperation with the authorities proved essential")
    assert "authorities" in concept_tokens("samarbeid med myndighetene")


def test_function_words_of_other_languages_never_name_a_theme():
    learning = pd.DataFrame({
        "text": ["Det är viktigt att ett projekt har en plan för uppföljning och att det finns resurser.",
                 "Det är viktigt att ett program har en tydlig plan för hur resultaten ska följas upp.",
                 "Det är svårt att ett projekt når målen för hållbarhet och att det får finansiering.",
                 "Funding arrived too late for the planned activities."],
        "learning": ["lesson"] * 4, "doc_id": list("abcd"), "lang": ["sv", "sv", "sv", "en"],
    })
    themes = find_themes(learning, n_themes=2)
    names = " ".join(themes.themes["theme"])
    assert not {"att", "ett", "för", "och", "det"} & set(re.findall(r"[^\W\d_]+", names))


def test_themes_group_en_and_nb_together():
    learning = pd.DataFrame({
        "text": ["Samarbeid med myndighetene er avgjørende.", "Cooperation with the authorities is essential.",
                 "Godt samarbeid med kommunen ga resultater.", "Coordination with government partners helped.",
                 "Finansieringen var for kortsiktig.", "One-year funding prevented long-term planning.",
                 "Ettårig finansiering hindret langsiktig planlegging.", "Funding arrived too late."],
        "learning": ["lesson"] * 8, "doc_id": list("abcdefgh"), "lang": ["nb", "en"] * 4,
    })
    themes = find_themes(learning, n_themes=2)
    assert themes.assignments[0] == themes.assignments[1] == themes.assignments[2] == themes.assignments[3]
    assert themes.assignments[4] == themes.assignments[5] == themes.assignments[6]
    assert set(themes.themes["languages"]) == {"en, nb"}
    assert all(len(q) == 3 for q in themes.quotes.values())


def test_digest_tables(bundled):
    assert len(bundled.themes) >= 2
    assert set(bundled.lessons["learning"]) <= {"lesson", "recommendation"}
    assert set(bundled.lessons["lang"].dropna()) == {"en", "nb"}
    assert list(bundled.sheets()) == ["documents", "passages", "scores", "lessons", "themes", "projects", "errors",
                                      "taxonomy"]


def test_markdown_and_excel(bundled, tmp_path):
    markdown = bundled.to_markdown(tmp_path / "digest.md")
    assert markdown.startswith("# Example portfolio")
    assert "## Themes of lessons and recommendations" in markdown and "— *P" in markdown
    workbook = bundled.to_excel(tmp_path / "digest.xlsx")
    sheets = pd.read_excel(workbook, sheet_name=None)
    assert len(sheets["documents"]) == 9 and len(sheets["lessons"]) == len(bundled.lessons)


class _QuoteParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.quotes, self._current = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self._current = {**dict(attrs), "text": ""}

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag):
        if tag == "blockquote" and self._current is not None:
            self.quotes.append(self._current)
            self._current = None


def test_every_quote_resolves_to_its_source(bundled, tmp_path):
    html = bundled.to_html(tmp_path / "digest.html")
    parser = _QuoteParser()
    parser.feed(html)
    assert len(parser.quotes) >= 6
    documents = {}
    for quote in parser.quotes:
        path = quote["data-path"]
        document = documents.setdefault(path, extract(path))
        page, start, end = int(quote["data-page"]), int(quote["data-start"]), int(quote["data-end"])
        passages = [p for p in document.passages if (p.page, p.char_start, p.char_end) == (page, start, end)]
        assert len(passages) == 1, quote
        assert passages[0].text == quote["text"]
        assert document.pages[page - 1][start:end] == document.source_text(passages[0])


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_html_renders_in_headless_chromium(bundled, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (the Makefile's test target installs Debian chromium)")
    page = bundled.to_html(tmp_path / "digest.html")
    assert page.count("<svg") >= 4 and "<table" in page
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", (tmp_path / "digest.html").as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert len(re.findall(r"<svg", dom)) >= 4, "plots did not survive rendering"
    assert "Themes of lessons and recommendations" in dom
    shot = tmp_path / "shot.png"
    subprocess.run([browser, *flags, "--window-size=1200,2000", f"--screenshot={shot}",
                    (tmp_path / "digest.html").as_uri()], capture_output=True, timeout=120, check=False)
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 2000)
    colours = image.resize((120, 200)).getcolors(maxcolors=100000)
    assert colours is not None and len(colours) > 50, "screenshot is blank"
    # the level-mix plot's colours are on the page
    pixels = [colour for _, colour in image.getcolors(maxcolors=2**24)]
    assert any(abs(r - 0x1B) < 12 and abs(g - 0x9E) < 12 and abs(b - 0x77) < 12 for r, g, b in pixels)
