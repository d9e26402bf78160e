"""Turn page texts into passages: headings, bullet items, ``Label: value`` fields, sentences, footnotes.

The segmenter reads lines with their page offsets and decides a role for each: page furniture
(running headers/footers, page numbers), footnote, heading, bullet start, field start, or body
text. Lines are then grouped into blocks — a wrapped bullet whose continuation was pushed past a
blank line is re-joined — and paragraphs are split into sentences. Every passage records the page
slice it came from; its text is ``clean_text`` of that slice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..document import Passage
from ..extract.cleanup import (
    clean_text,
    find_running_lines,
    furniture_key,
    is_page_number,
    strip_bullet,
)
from .sections import is_section_heading, section_kind
from .sentences import split_sentences

#: line hints an extractor may pass (DOCX styles know what a heading or list item is)
HINT_HEADING = "heading"
HINT_BULLET = "bullet"
HINT_CELL = "cell"

_FOOTNOTE_SEPARATOR_RE = re.compile(r"^(?:[ \t]{10,}|[ \t]*[_\u2014\u2013-]{5,}[ \t]*)$")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_TABLE = str.maketrans(_SUPERSCRIPTS, "0123456789")
_FOOTNOTE_START_RE = re.compile(rf"^(\d{{1,3}}|[{_SUPERSCRIPTS}]{{1,3}})\s*(?=\S)(?<=\s|[{_SUPERSCRIPTS}])")
_SUPERSCRIPT_MARK_RE = re.compile(rf"[{_SUPERSCRIPTS}]{{1,3}}")
_GLUED_MARK_RE = re.compile(r"(?:[^\W\d_]{2}|[\)”\"’])(\d{1,3})(?=[\s.,;:)]|$)")
_GLUED_YEAR_MARK_RE = re.compile(r"\b(?:19|20)\d\d(\d{1,2})(?=[\s.,;:)]|$)")
_NUMBERED_ITEM_RE = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)]|\((?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})\))\s+(?=\S)")
_NUMBERED_HEADING_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})+\.?|[IVX]{1,5}\.)\s+[A-ZÆØÅ]")
_FIELD_RE = re.compile(r"^(?P<label>[A-ZÆØÅ][\w()/\-]*(?: [\w()/\-]+){0,4})\s*:(?:\s+(?P<value>\S.*))?$")
_COMPOUND_RE = re.compile(r"\b[^\W\d_]+(?:-[^\W\d_]+)+\b")
_TERMINAL = tuple(".!?…")
_HAS_DIGIT_RE = re.compile(r"\d")


@dataclass
class Line:
    page: int
    index: int  # line number within the page
    start: int  # content start (leading whitespace skipped)
    end: int  # content end (trailing whitespace dropped)
    raw: str
    hint: str | None = None
    role: str = "text"

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def indented(self) -> bool:
        return self.raw[:1] in (" ", "\t") and bool(self.text)


@dataclass
class Block:
    kind: str  # heading | bullet | field | paragraph | footnote
    lines: list[Line] = field(default_factory=list)
    label: str | None = None

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


def split_lines(page_text: str, page: int, hints: Mapping[int, str] | None = None) -> list[Line]:
    """Lines of a page with content offsets (and extractor hints by line number)."""
    lines: list[Line] = []
    pos = 0
    for index, raw in enumerate(page_text.split("\n")):
        lead = len(raw) - len(raw.lstrip())
        content = raw.strip()
        start = pos + lead
        hint = hints.get(index) if hints else None
        lines.append(Line(page, index, start, start + len(content), raw, hint))
        pos += len(raw) + 1
    return lines


def document_compounds(pages: Sequence[str]) -> frozenset[str]:
    """Hyphenated words written unbroken in the document (``rom-befolkningen``)."""
    found: set[str] = set()
    for text in pages:
        if "-" in text:
            found.update(m.group(0).lower() for m in _COMPOUND_RE.finditer(text))
    return frozenset(found)


def footnote_number(line: str) -> int | None:
    """The number a footnote line starts with (``3 Regjeringens …``, ``¹ Survey …``)."""
    match = _FOOTNOTE_START_RE.match(line)
    return int(match.group(1).translate(_SUPERSCRIPT_TABLE)) if match else None


def glued_marks(text: str) -> set[int]:
    """Numbers glued to the end of words or years, and superscript digits: candidate footnote marks.

    Digits after two capitals are part of a name (CO2, SDG5, PM2.5), not marks.
    """
    marks = {int(m.group(1)) for m in _GLUED_MARK_RE.finditer(text)
             if not text[max(0, m.start()) : m.start(1)].isupper()}
    marks.update(int(m.translate(_SUPERSCRIPT_TABLE)) for m in _SUPERSCRIPT_MARK_RE.findall(text))
    marks.update(int(m) for m in _GLUED_YEAR_MARK_RE.findall(text))
    return marks


# --- line roles -------------------------------------------------------------------------------


def _mark_furniture(pages_lines: list[list[Line]]) -> int:
    if len(pages_lines) < 2:
        return 0
    running = find_running_lines([[ln.text for ln in lines] for lines in pages_lines])
    removed = 0
    for lines in pages_lines:
        body = [ln for ln in lines if ln.text and ln.hint is None]
        for ln in body[:3] + body[-3:]:
            if ln.role == "text" and (furniture_key(ln.text) in running or is_page_number(ln.text)):
                ln.role = "furniture"
                removed += 1
    return removed


def _mark_footnotes(lines: list[Line], page_text: str) -> None:
    """Footnotes are ``N text`` lines after a separator rule (text exports), or at the page foot
    when ``N`` is glued as a mark to a word of the page body (PDFs lose the rule)."""
    in_notes = False
    previous: Line | None = None
    for ln in lines:
        if not ln.text:
            if _FOOTNOTE_SEPARATOR_RE.match(ln.raw):
                in_notes = True
            continue
        if in_notes and ln.hint is None:
            if _FOOTNOTE_START_RE.match(ln.text):
                ln.role = "footnote_start"
            elif (
                previous is not None
                and previous.role in ("footnote_start", "footnote")
                and not ln.indented
                and (not previous.text.endswith(_TERMINAL) or ln.text[:1].islower())
            ):
                ln.role = "footnote"
            else:
                in_notes = False
        previous = ln
    marks = glued_marks(page_text)
    if not marks:
        return
    body = [ln for ln in lines if ln.text and ln.role == "text" and ln.hint is None]
    if len(body) < 4:
        return
    # footnotes sit in the last lines of a page: at most 15 lines and under half of the body
    zone = body[max(len(body) // 2, len(body) - 15) :]
    starts = [ln for ln in zone if footnote_number(ln.text) in marks and not _numbered_heading(ln)]
    if not starts:
        return
    first = starts[0].index
    # every later body line belongs to the notes: PDF engines emit footnotes last on a page
    for ln in zone:
        if ln.index < first:
            continue
        ln.role = "footnote_start" if footnote_number(ln.text) in marks and not _numbered_heading(ln) else "footnote"


def _is_heading(ln: Line, prev: Line | None, nxt: Line | None) -> bool:
    text = ln.text
    words = text.split()
    if ln.hint == HINT_HEADING:
        return True
    if ln.hint is not None or not words or len(words) > 12 or len(text) > 100:
        return False
    if text.endswith((".", ",", ";")) and not _NUMBERED_HEADING_RE.match(text):
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    prev_ends = prev is None or not prev.text or prev.role != "text" or prev.text.endswith((*_TERMINAL, ":"))
    if is_section_heading(text.rstrip(":")):
        return prev_ends or ln.indented
    if not prev_ends:
        return False
    if _NUMBERED_HEADING_RE.match(text) or _numbered_heading(ln):
        return True
    if nxt is None or not nxt.text:
        return len(words) <= 8 and not text[-1].isdigit() and text.endswith(":") is False and _title_like(text)
    if text.endswith(":") and len(words) <= 6:
        return True
    max_words = 12 if prev is None else 8  # a title at the top of a page may be longer
    return len(words) <= max_words and _title_like(text) and (nxt.text[:1].isupper() or nxt.text[:1].isdigit())


def _title_like(text: str) -> bool:
    """Short, no sentence punctuation, and mostly capitalised or a single phrase without a verb-y
    ending: heuristics good enough for report headings."""
    if text.isupper() and any(c.isalpha() for c in text):
        return True
    words = [w for w in text.split() if w[:1].isalpha()]
    if not words:
        return False
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised / len(words) >= 0.5 or len(words) <= 5


def _numbered_heading(ln: Line) -> bool:
    """``1. Background``, ``4 Recommendations``: a number, then a short section name."""
    match = _NUMBERED_ITEM_RE.match(ln.text) or re.match(r"^\d{1,2}\s+(?=[A-ZÆØÅ])", ln.text)
    if not match or ln.hint is not None:
        return False
    rest = ln.text[match.end():]
    return not rest.endswith((".", ",", ";")) and is_section_heading(rest.rstrip(":"), max_words=6)


def _bullet_start(ln: Line, prev_block: Block | None, prev_content: Line | None) -> bool:
    if ln.hint == HINT_BULLET:
        return True
    if ln.hint is not None:
        return False
    had_glyph, _ = strip_bullet(ln.raw)
    if had_glyph:
        return True
    if _NUMBERED_ITEM_RE.match(ln.text):
        return not _numbered_heading(ln)
    # bullets whose glyph was lost in extraction keep their single leading space
    if ln.raw.startswith(" ") and not ln.raw.startswith("  ") and prev_content is not None:
        after_lead_in = prev_content.text.endswith(":") and prev_content.role in ("text", "heading")
        in_list = prev_block is not None and prev_block.kind == "bullet"
        return after_lead_in or in_list
    return False


def _field(ln: Line) -> tuple[str, str | None] | None:
    match = _FIELD_RE.match(ln.text)
    if not match:
        return None
    label = match.group("label")
    n_words = len(label.split())
    if n_words > 3 and section_kind(label) == "other":
        return None
    if label.lower().startswith(("http", "www")):
        return None
    return label, match.group("value")


# --- grouping -----------------------------------------------------------------------------------


def build_blocks(lines: list[Line]) -> list[Block]:
    """Group one page's lines into blocks."""
    blocks: list[Block] = []
    current: Block | None = None
    content = [ln for ln in lines if ln.text and ln.role not in ("furniture",)]
    prev_content: Line | None = None
    for i, ln in enumerate(content):
        gap = prev_content is not None and _has_blank_between(lines, prev_content, ln)
        nxt = content[i + 1] if i + 1 < len(content) else None
        nxt_for_heading = None if nxt is not None and _has_blank_between(lines, ln, nxt) else nxt
        if ln.role in ("footnote_start", "footnote"):
            if ln.role == "footnote_start" or current is None or current.kind != "footnote":
                current = Block("footnote", [ln])
                blocks.append(current)
            else:
                current.lines.append(ln)
        elif _bullet_start(ln, current, prev_content):
            current = Block("bullet", [ln])
            blocks.append(current)
        elif (fld := _field(ln)) is not None and fld[1] is not None:
            current = Block("field", [ln], label=fld[0])
            blocks.append(current)
        elif fld is not None or _is_heading(ln, None if gap else prev_content, nxt_for_heading):
            ln.role = "heading"
            blocks.append(Block("heading", [ln], label=fld[0] if fld else None))
            current = None
        elif current is not None and current.kind in ("bullet", "field", "paragraph") and ln.hint is None and (
            not gap or _continues_after_gap(current, ln)
        ):
            current.lines.append(ln)
        else:
            current = Block("paragraph", [ln])
            blocks.append(current)
            if ln.hint == HINT_CELL:
                current = None
        prev_content = ln
    return blocks


MAX_PASSAGE_CHARS = 5000
LONG_ITEM_CHARS = 400


def _cap_length(text: str, start: int, end: int, limit: int = MAX_PASSAGE_CHARS) -> list[tuple[int, int]]:
    """Split an overlong span (a table dump, a file without punctuation) at whitespace so that no
    passage exceeds ``limit`` characters; offsets stay exact."""
    if end - start <= limit:
        return [(start, end)]
    pieces = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def _has_blank_between(lines: list[Line], a: Line, b: Line) -> bool:
    return any(not lines[j].text for j in range(a.index + 1, b.index))


def _continues_after_gap(block: Block, ln: Line) -> bool:
    """A wrapped line pushed past a blank line: the block did not end a sentence and the line
    starts in lower case (the seed text's split bullets)."""
    last = block.lines[-1].text
    return not last.endswith((*_TERMINAL, ":", ";")) and ln.text[:1].islower()


# --- passages -----------------------------------------------------------------------------------


@dataclass
class SegmentResult:
    passages: list[Passage]
    furniture_lines: int
    footnotes: int


def segment_pages(
    pages: Sequence[str],
    *,
    doc_id: str = "",
    hints: Sequence[Mapping[int, str]] | None = None,
) -> SegmentResult:
    """Segment page texts into passages with provenance and section context."""
    result = _segment(pages, doc_id, hints, remove_furniture=True)
    if not result.passages and result.furniture_lines:
        # everything looked like running headers (tiny or synthetic files): keep it as text
        result = _segment(pages, doc_id, hints, remove_furniture=False)
    return result


def _segment(
    pages: Sequence[str],
    doc_id: str,
    hints: Sequence[Mapping[int, str]] | None,
    *,
    remove_furniture: bool,
) -> SegmentResult:
    pages_lines = [split_lines(text, n + 1, hints[n] if hints else None) for n, text in enumerate(pages)]
    furniture = _mark_furniture(pages_lines) if remove_furniture else 0
    for lines, text in zip(pages_lines, pages, strict=True):
        _mark_footnotes(lines, text)
    compounds = document_compounds(pages)
    page_blocks = [build_blocks(lines) for lines in pages_lines]
    footnote_numbers = {
        number
        for blocks in page_blocks
        for b in blocks
        if b.kind == "footnote" and (number := footnote_number(b.lines[0].text)) is not None
    }

    passages: list[Passage] = []
    section: str | None = None
    kind_of_section = "other"
    n_footnotes = 0
    for page_number, (text, blocks) in enumerate(zip(pages, page_blocks, strict=True), start=1):
        # footnote marks can only be stripped on pages that carry one of the known footnote numbers
        page_refs = glued_marks(text) & footnote_numbers if footnote_numbers else set()
        for block in blocks:
            spans: list[tuple[int, int]]
            if block.kind == "paragraph" or (
                block.kind in ("bullet", "field") and block.end - block.start > LONG_ITEM_CHARS
            ):
                # a long bullet or field is usually a paragraph whose item marker was lost
                spans = split_sentences(text, block.start, block.end)
            else:
                spans = [(block.start, block.end)]
            spans = [piece for span in spans for piece in _cap_length(text, *span)]
            if block.kind == "heading":
                heading_text = clean_text(text[block.start : block.end]).rstrip(":").strip()
                section = heading_text
                kind_of_section = section_kind(heading_text)
            if block.kind == "footnote":
                n_footnotes += 1
            for start, end in spans:
                source = text[start:end]
                refs: tuple[int, ...] = ()
                if block.kind != "footnote" and page_refs and _HAS_DIGIT_RE.search(source):
                    refs = tuple(sorted(glued_marks(source) & footnote_numbers))
                cleaned = clean_text(source, footnote_marks=refs, compounds=compounds)
                if not cleaned:
                    continue
                passage_kind = {"paragraph": "sentence"}.get(block.kind, block.kind)
                p_section, p_kind = section, kind_of_section
                if block.kind == "field" and block.label:
                    label_kind = section_kind(block.label)
                    p_section, p_kind = block.label, (label_kind if label_kind != "other" else kind_of_section)
                if block.kind == "footnote":
                    p_kind = kind_of_section
                passages.append(
                    Passage(
                        doc_id=doc_id,
                        index=len(passages),
                        text=cleaned,
                        page=page_number,
                        char_start=start,
                        char_end=end,
                        kind=passage_kind,
                        section=p_section,
                        section_kind=p_kind,
                        field_label=block.label if block.kind == "field" else None,
                        footnote_refs=refs,
                    )
                )
    return SegmentResult(passages, furniture, n_footnotes)
