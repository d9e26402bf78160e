"""Clean-up of text that PDF and Word extraction breaks.

Each rule is a small function over plain strings, so that segmentation can apply them to any
slice of a page and the cleaned passage text can always be re-derived from its source slice:
``clean_text(page[start:end]) == passage.text``.

Rules:
- bullet glyphs (U+F0B7, U+F0A7, •, ▪, ◦, –, …) at the start of an item are recognised and dropped;
  other private-use glyphs are removed;
- end-of-line hyphenation and PDFium's soft-hyphen marks are re-joined, but real compounds
  (``rom-befolkningen``, ``counter-trafficking``, ``FN-organisasjoner``) keep their hyphen;
- ligatures (ﬁ, ﬂ, …) are expanded, NBSP and control characters normalised;
- footnote marks glued to words (``Utenriksdepartementet1``) are removed when the footnote exists;
- running headers, footers and page numbers are found by their repetition across pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

SOFT_HYPHEN = "\u00ad"
PDFIUM_SOFT_HYPHEN = "\x02"

#: glyphs that start a bullet item (private-use Symbol/Wingdings bullets included)
BULLET_GLYPHS = "\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf06e\uf0be•▪◦‣∙●○■□►▸➢✓✔–—*·"
BULLET_RE = re.compile(r"^[ \t]*(?:(?:[" + re.escape(BULLET_GLYPHS) + r"]|-(?=\s))[ \t]*)+")
_PUA_RE = re.compile("[\ue000-\uf8ff]")
_CONTROL_RE = re.compile("[\x00-\x01\x03-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_LIGATURE_RE = re.compile("[" + "".join(_LIGATURES) + "]")
_LETTER = r"[^\W\d_]"
# word-part, hyphen (hard at line end, or soft anywhere), optional line break, word-part
_HYPHEN_BREAK_RE = re.compile(
    rf"(?P<left>[\w\-]*{_LETTER})(?:-[ \t]*\n\s*|[{SOFT_HYPHEN}{PDFIUM_SOFT_HYPHEN}]\s*)(?P<right>{_LETTER}[\w]*)"
)
_WS_RE = re.compile(r"\s+")
#: prefixes that keep their hyphen in English (counter-trafficking, non-governmental, ...)
_HYPHEN_PREFIXES = frozenset(
    ["counter", "non", "anti", "self", "cross", "co", "ex", "post", "pre", "well", "inter", "intra", "sub", "socio", "semi", "mid", "multi", "long", "short", "high", "low"]
)


def normalize_page_text(raw: str) -> str:
    """Minimal, page-level normalisation that defines the offset coordinate system.

    Line endings become ``\\n``, PDFium's ``\\x02`` soft-hyphen mark becomes U+00AD (same length),
    and Unicode is composed (NFC). Everything else stays, so offsets keep pointing at what the
    engine returned.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace(PDFIUM_SOFT_HYPHEN, SOFT_HYPHEN)
    return unicodedata.normalize("NFC", text)


def strip_bullet(line: str) -> tuple[bool, str]:
    """Return (had_bullet, rest) for a line that may start with a bullet glyph."""
    match = BULLET_RE.match(line)
    if match and match.end() < len(line):
        return True, line[match.end() :]
    return False, line


def _keep_hyphen(left: str, right: str, compounds: frozenset[str]) -> bool:
    word = f"{left}-{right}".lower()
    if word in compounds:
        return True
    last = left.rsplit("-", 1)[-1]
    if "-" in left:  # a compound chain such as Vest-Balkan-seksjonen
        return True
    if right[:1].isupper() or (last[:1].isupper() and (last.isupper() or len(last) <= 3)):
        return True  # FN-organisasjoner, Sør-Afrika, pre-Balkan names
    return last.lower() in _HYPHEN_PREFIXES


def dehyphenate(text: str, compounds: frozenset[str] = frozenset()) -> str:
    """Re-join words split by end-of-line or soft hyphens; real compounds keep their hyphen.

    ``compounds`` holds hyphenated words (lower case) seen unbroken elsewhere in the document:
    a split that re-forms one of them keeps its hyphen.
    """
    if "-" not in text and SOFT_HYPHEN not in text and PDFIUM_SOFT_HYPHEN not in text:
        return text

    def join(match: re.Match[str]) -> str:
        left, right = match.group("left"), match.group("right")
        joiner = match.group(0)[len(left) : len(match.group(0)) - len(right)]
        if joiner[0] in (SOFT_HYPHEN, PDFIUM_SOFT_HYPHEN):
            return left + right
        return f"{left}-{right}" if _keep_hyphen(left, right, compounds) else left + right

    return _HYPHEN_BREAK_RE.sub(join, text)


def strip_footnote_marks(text: str, marks: Iterable[int]) -> str:
    """Remove footnote numbers glued to the end of words (``Utenriksdepartementet1``)."""
    marks = sorted({int(m) for m in marks}, key=lambda m: -len(str(m)))
    if not marks:
        return text
    superscripts = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}")
    text = superscripts.sub(
        lambda m: "" if int(m.group(0).translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))) in marks
        else m.group(0), text)
    alternatives = "|".join(str(m) for m in marks)
    letters = re.compile(rf"(?:(?<=[^\W\d_][^\W\d_])|(?<=[\)”\"’]))(?:{alternatives})(?=[\s.,;:)]|$)")
    text = letters.sub("", text)
    # a mark glued to a year: "2000-20102." -> "2000-2010."
    years = re.compile(rf"\b((?:19|20)\d\d)(?:{alternatives})(?=[\s.,;:)]|$)")
    return years.sub(r"\1", text)


def clean_text(
    source: str,
    *,
    footnote_marks: Iterable[int] = (),
    compounds: frozenset[str] = frozenset(),
) -> str:
    """Turn a slice of page text into the clean text of one passage.

    Bullet glyph dropped, hyphenation re-joined, ligatures expanded, private-use and control
    characters removed, glued footnote marks removed, whitespace collapsed to single spaces.
    """
    _, text = strip_bullet(source.lstrip())
    text = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group(0)], text)
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
    text = _CONTROL_RE.sub("", text)
    text = _PUA_RE.sub(" ", text)
    text = dehyphenate(text, compounds)
    text = text.replace(SOFT_HYPHEN, "")
    if footnote_marks:
        text = strip_footnote_marks(text, footnote_marks)
    return _WS_RE.sub(" ", text).strip()


# --- page furniture -------------------------------------------------------------------------

_ROMAN = r"(?:[ivxlcdm]{1,7})"
_PAGE_NUMBER_RE = re.compile(
    rf"^\s*(?:(?:page|side|sida|s\.|p\.)\s*)?(?:\d{{1,4}}|{_ROMAN})(?:\s*(?:of|av|/|\|)\s*\d{{1,4}})?\s*$",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+")


def is_page_number(line: str) -> bool:
    """A line that holds nothing but a page number (``12``, ``Page 3 of 9``, ``Side 4``, ``iii``)."""
    return bool(_PAGE_NUMBER_RE.match(line))


def furniture_key(line: str) -> str:
    """Line normalised for repetition counting: digits and roman page numbers folded."""
    key = _DIGITS_RE.sub("#", line.strip().lower())
    key = re.sub(rf"\b{_ROMAN}$", "#", key)
    return _WS_RE.sub(" ", key)


def find_running_lines(pages: Sequence[Sequence[str]], edge: int = 3) -> frozenset[str]:
    """Keys of lines repeated at the top or bottom of many pages (running headers/footers).

    A line among the first or last ``edge`` non-blank lines of a page counts as furniture when its
    :func:`furniture_key` occurs on at least 3 pages and on at least a quarter of them.
    """
    if len(pages) < 3:
        return frozenset()
    counts: Counter[str] = Counter()
    for lines in pages:
        body = [ln for ln in lines if ln.strip()]
        keys = {furniture_key(ln) for ln in body[:edge] + body[-edge:]}
        counts.update(k for k in keys if len(k) > 1)
    threshold = max(3, int(0.25 * len(pages)))
    return frozenset(k for k, n in counts.items() if n >= threshold)
