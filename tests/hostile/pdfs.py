"""Hostile PDFs written byte by byte: small files that ask for a lot."""

from __future__ import annotations

import zlib


def pdf(streams: list[bytes], compress: bool = True) -> bytes:
    """A PDF with one page per content stream (Helvetica as F1), xref exact."""
    n = len(streams)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objs = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        f"<</Type/Pages/Kids[{kids}]/Count {n}>>".encode(),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    for i, stream in enumerate(streams):
        objs.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
            b"/Resources<</Font<</F1 3 0 R>>>>/Contents %d 0 R>>" % (5 + 2 * i)
        )
        data = zlib.compress(stream, 9) if compress else stream
        flate = b"/Filter/FlateDecode" if compress else b""
        objs.append(b"<</Length %d%s>>stream\n%s\nendstream" % (len(data), flate, data))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        xref,
    )
    return bytes(out)


def text(line: str) -> bytes:
    """A content stream showing one line of text."""
    return b"BT /F1 12 Tf 72 700 Td (" + line.encode() + b") Tj ET"


def glyph_bomb(glyphs: int) -> bytes:
    """Page 1 a sentence, page 2 ``glyphs`` glyphs at 1 pt (compresses to KB)."""
    shows = b"(" + b"A" * 1000 + b") Tj "
    bomb = b"BT /F1 1 Tf 0 0 Td " + shows * (glyphs // 1000) + b"ET"
    return pdf([text("China supplied 72% of the imports in 2024."), bomb])


def zip_bomb(megabytes: int) -> bytes:
    """Page 2's content stream inflates to ``megabytes`` MB of spaces."""
    return pdf([text("China supplied 72% of the imports."), b" " * (megabytes << 20)])


def garbage_page() -> bytes:
    """Three pages; the second's content stream is garbage pdfium cannot parse."""
    junk = b"\x00\xff garbage ((( <<>> ]]] BT Tj " * 20 + b"\x89\x01"
    return pdf(
        [
            text("Page one: China supplied 12% of the imports in 2023."),
            junk,
            text("Page three: Japan supplied 7% of the imports in 2024."),
        ],
        compress=False,
    )


def long_pdf(pages: int) -> bytes:
    """``pages`` pages of one sentence each."""
    return pdf(
        [
            text(f"Page {n} says {n}% of imports came by sea.")
            for n in range(1, pages + 1)
        ]
    )


def truncated_page() -> bytes:
    """Page 2 reads its first line, then garbage cuts off 40 more (pdfium stops)."""
    first = (
        b"BT /F1 12 Tf 72 700 Td (China supplied 12% of the imports in 2023.) Tj ET\n"
    )
    junk = b"\x00\xff garbage ((( <<>> ]]] BT Tj \x89\x01\n"
    rest = b"".join(
        b"BT /F1 10 Tf 72 %d Td (Line %d: Japan supplied 7%% of the imports in 2024.) Tj ET\n"
        % (680 - 14 * i, i)
        for i in range(40)
    )
    return pdf([text("Page one is whole."), first + junk + rest], compress=False)
