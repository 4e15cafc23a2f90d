"""The page model: a PDF page parsed once into characters, words and rects.

Every reader of PDF geometry (reading order in :mod:`extract.readers.pdf`,
tables in :mod:`extract.pdftables`, figures, the evidence crops of a brief's
review page) reads these records; pdfium's handles never leave this module.

Characters come from pdfium (``pypdfium2``), which parses a page about 30x
faster than pdfminer. Their boxes follow pdfminer's convention, so the
geometry downstream is unchanged: ``x0``/``x1`` the advance box, ``bottom``
the baseline plus the font's descent, ``top`` one font size above it. Words
are grouped from characters as pdfplumber's ``extract_words`` does (a run of
one font and size; a new word at a space, a gap over 3 points, or a step
back), so ``Word`` is what the reader used to get from pdfplumber.

:func:`parse_page` is the one place a page is parsed.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points

# pdfplumber's word tolerances, in points.
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
LIGATURES = {"\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb01": "fi",
             "\ufb02": "fl", "\ufb06": "st", "\ufb05": "st"}  # fmt: skip
_BOLD = re.compile(r"bold|black|heavy|demi", re.IGNORECASE)
# A path with more segments than a box's is a drawing (a chart), not a rect.
_RECT_SEGMENTS = 6


class Char(NamedTuple):
    """One character with its box (points, from the page's top left) and font.

    A named tuple, not a dataclass: a page has thousands, built in a hot loop.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    upright: bool = True


_char = tuple.__new__  # builds a Char without its Python-level __new__


@dataclass(frozen=True, slots=True)
class Word:
    """A run of characters of one size, with no space or gap inside; ``bold``
    when all its characters are."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True, slots=True)
class Rect:
    """A drawn rectangle or line: a rule when thin, a shaded box when filled.

    ``fill`` is the fill's grey level (0 black, 1 white) when the path is
    filled, else None.
    """

    x0: float
    top: float
    x1: float
    bottom: float
    fill: float | None = None
    stroke: bool = False

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Page:
    """A parsed page: 1-based ``number``, its ``box``, characters, words, rects."""

    number: int
    box: Box
    chars: tuple[Char, ...]
    words: tuple[Word, ...]
    rects: tuple[Rect, ...]

    def without_chars(self) -> Page:
        """The page without its characters, to keep many pages in memory."""
        return replace(self, chars=())

    def chars_in(self, box: Box) -> tuple[Char, ...]:
        """The characters whose middle lies inside ``box`` (a quote's boxes)."""
        x0, top, x1, bottom = box
        return tuple(
            c for c in self.chars
            if x0 <= (c.x0 + c.x1) / 2 <= x1 and top <= (c.top + c.bottom) / 2 <= bottom
        )  # fmt: skip

    @property
    def rules(self) -> tuple[Rect, ...]:
        """The thin horizontal rects and lines: table rules."""
        return tuple(r for r in self.rects if r.height < 2 and r.width > 2)


# ---------------------------------------------------------------- pdfium calls
# Prototypes that take and return plain addresses: ctypes' typed pointers cost
# more per call than the call itself, and a page has thousands of characters.

_VP = ctypes.c_void_p


def _fast(fn: Any, restype: Any, *argtypes: Any) -> Any:
    address = ctypes.cast(fn, _VP).value or 0
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_Floats4 = ctypes.c_float * 4
_loose_box = _fast(
    pdfium_c.FPDFText_GetLooseCharBox,
    ctypes.c_int,
    _VP,
    ctypes.c_int,
    ctypes.POINTER(_Floats4),
)
_text_object = _fast(pdfium_c.FPDFText_GetTextObject, _VP, _VP, ctypes.c_int)
_font_size = _fast(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _VP, ctypes.c_int)
_text_font = _fast(pdfium_c.FPDFTextObj_GetFont, _VP, _VP)
_base_font_name = _fast(
    pdfium_c.FPDFFont_GetBaseFontName,
    ctypes.c_size_t,
    _VP,
    ctypes.c_char_p,
    ctypes.c_size_t,
)
_char_angle = _fast(pdfium_c.FPDFText_GetCharAngle, ctypes.c_float, _VP, ctypes.c_int)


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """The PDF document; pdfium's errors pass through as ``PdfiumError``."""
    return pdfium.PdfDocument(str(path))


def parse_page(pdf: pdfium.PdfDocument, number: int) -> Page:
    """Page ``number`` (1-based) of an open PDF, parsed once into the model.

    This is the one place a page is parsed: a per-page budget or guard goes here.
    """
    page = pdf[number - 1]
    try:
        left, bottom, right, top = page.get_bbox()
        height = top
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, height)
        finally:
            textpage.close()
        rects = _rects(page, height)
        box = (float(left), 0.0, float(right), float(top - bottom))
    finally:
        page.close()
    return Page(number, box, chars, tuple(words_of(chars)), rects)


def load_pages(path: Path) -> Iterator[Page]:
    """Every page of a PDF, in order."""
    pdf = open_pdf(path)
    try:
        for number in range(1, len(pdf) + 1):
            yield parse_page(pdf, number)
    finally:
        pdf.close()


def _chars(textpage: pdfium.PdfTextPage, height: float) -> tuple[Char, ...]:
    raw = ctypes.cast(textpage.raw, _VP).value or 0
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:  # characters outside the BMP: read one by one
        text = "".join(
            chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count)
        )
    box = _Floats4()
    fonts: dict[int, tuple[float, str, bool]] = {}
    names: dict[int, str] = {}  # font handle -> name, for this page only
    out: list[Char] = []
    size, name, upright, base = 0.0, "", True, 0.0
    for i, ch in enumerate(text):
        if ch in "\r\n\x00":
            continue  # pdfium's own line ends
        _loose_box(raw, i, box)
        if ch == " " or ch.isspace():
            # pdfium puts its own (zero-width) space where the PDF has one:
            # a word break, in the font and on the baseline of the text
            # before it (its own box may sit a few points off the line)
            out.append(
                _char(
                    Char, (" ", box[0], box[2], base - size, base, size, name, upright)
                )
            )
            continue
        obj = _text_object(raw, i) or 0
        font = fonts.get(obj)
        if font is None:
            font = fonts[obj] = _font_of(raw, i, obj, names)
        size, name, upright = font
        base = height - box[3]
        if ch in "\ufffe\x02":
            ch = "-"  # pdfium's mark for a hyphen at a line end
        elif ch in LIGATURES:
            ch = LIGATURES[ch]
        out.append(
            _char(Char, (ch, box[0], box[2], base - size, base, size, name, upright))
        )
    return tuple(out)


def _font_of(
    raw: int, index: int, obj: int, names: dict[int, str]
) -> tuple[float, str, bool]:
    """(size, font name, upright) of a character's text object. ``names``
    caches font names by handle for one page: pdfium reuses a closed page's
    addresses, so no cache may outlive the page."""
    size = round(_font_size(raw, index), 4)
    font = (_text_font(obj) or 0) if obj else 0
    name = names.get(font)
    if name is None:
        name = names[font] = _font_name(font)
    angle = _char_angle(raw, index)
    return size, name, abs(angle) < 0.01 or abs(angle - 6.2832) < 0.01


def _font_name(font: int) -> str:
    if not font:
        return ""
    buf = ctypes.create_string_buffer(256)
    n = _base_font_name(font, buf, 256)
    return buf.raw[: max(n - 1, 0)].decode("utf-8", "replace")


def _rects(page: pdfium.PdfPage, height: float) -> tuple[Rect, ...]:
    """The page's simple paths (boxes and lines), in page coordinates."""
    out = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=4):
        raw = obj.raw
        if pdfium_c.FPDFPath_CountSegments(raw) > _RECT_SEGMENTS:
            continue
        left, bottom, right, top = obj.get_bounds()
        fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(raw, fill_mode, stroke)
        pad = _half_stroke(raw) if stroke.value else 0.0
        if right - left > 2 * pad:  # bounds take in half the stroke; pdfminer's do not
            left, right = left + pad, right - pad
        if top - bottom > 2 * pad:
            bottom, top = bottom + pad, top - pad
        out.append(Rect(round(left, 2), round(height - top, 2), round(right, 2),
                        round(height - bottom, 2), _grey(raw) if fill_mode.value else None,
                        bool(stroke.value)))  # fmt: skip
    return tuple(out)


def _half_stroke(raw: object) -> float:
    width = ctypes.c_float()
    return width.value / 2 if pdfium_c.FPDFPageObj_GetStrokeWidth(raw, width) else 0.0


def _grey(raw: object) -> float:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(raw, r, g, b, a):
        return 0.0
    return round((r.value + g.value + b.value) / 765, 3)


# ------------------------------------------------------------------- words


@functools.cache
def is_bold(font: str) -> bool:
    """Whether a font name says bold (or black, heavy, demi)."""
    return bool(_BOLD.search(font))


def words_of(chars: Sequence[Char]) -> Iterator[Word]:
    """Characters into words, as pdfplumber's ``extract_words`` groups them.

    Consecutive characters of one size and direction form a run (a change of
    font inside a word, "**Cobalt**,", does not split it); a run's characters
    are clustered into lines by their top (3 points) and sorted left to
    right; a space, a gap over 3 points or a step back starts a new word.
    """
    n, i = len(chars), 0
    while i < n:
        size, upright = chars[i].size, chars[i].upright
        j = i + 1
        while j < n and chars[j].size == size and chars[j].upright == upright:
            j += 1
        run = chars[i:j]
        for line in [run] if _one_line_in_order(run) else _cluster_lines(run):
            yield from _split_words(line)
        i = j


def _one_line_in_order(run: Sequence[Char]) -> bool:
    """Whether clustering and sorting would leave the run as it is (the usual case)."""
    tops = [c.top for c in run]
    if max(tops) - min(tops) > Y_TOLERANCE:
        return False
    return all(a.x0 <= b.x0 for a, b in itertools.pairwise(run))


def _cluster_lines(run: Sequence[Char]) -> list[list[Char]]:
    tops = sorted({c.top for c in run})
    groups: list[list[float]] = []
    for t in tops:
        if groups and t - groups[-1][-1] <= Y_TOLERANCE:
            groups[-1].append(t)
        else:
            groups.append([t])
    index = {t: n for n, g in enumerate(groups) for t in g}
    lines: list[list[Char]] = [[] for _ in groups]
    for c in run:
        lines[index[c.top]].append(c)
    return [sorted(line, key=lambda c: (c.x0, c.top)) for line in lines]


def _split_words(line: Sequence[Char]) -> Iterator[Word]:
    """A line's characters into words: a space, a step back, a gap over
    ``X_TOLERANCE`` or a change of line over ``Y_TOLERANCE`` starts one.
    (The hottest loop of the reader: a page has thousands of characters.)"""
    word: list[Char] = []
    for c in line:
        if c.text == " ":
            if word:
                yield _word(word)
                word = []
            continue
        if word:
            p = word[-1]
            if (
                c.x0 < p.x0
                or c.x0 > p.x1 + X_TOLERANCE
                or abs(c.top - p.top) > Y_TOLERANCE
            ):
                yield _word(word)
                word = [c]
                continue
        word.append(c)
    if word:
        yield _word(word)


def _word(chars: list[Char]) -> Word:
    first = chars[0]
    if len(chars) == 1:
        return Word(first.text, first.x0, first.x1, first.top, first.bottom,
                    round(first.size, 1), is_bold(first.font))  # fmt: skip
    text, x0, x1, top, bottom, _, fonts, _ = zip(*chars, strict=True)
    return Word(
        text="".join(text),
        x0=min(x0),
        x1=max(x1),
        top=min(top),
        bottom=max(bottom),
        size=round(first.size, 1),
        bold=all(map(is_bold, fonts)),
    )
