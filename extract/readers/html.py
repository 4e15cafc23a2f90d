"""HTML: the main text of a page, without navigation and page furniture.

Parsed with BeautifulSoup over lxml. The page's ``<main>`` (or ``<article>``,
or ``role="main"``) is read when there is one, else ``<body>``; navigation,
headers, footers, asides, forms and scripts are dropped, as are elements whose
class or id names them as menus, sharing bars, cookie notices and the like.
The document text is the blocks' text joined by blank lines, so offsets point
into that text; reading the same file again gives the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from extract.errors import ReadError
from extract.readers.text import decode
from extract.records import Block, DocumentText

DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "iframe",
    "select",
)
DROP_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "search", "complementary"}
)
FURNITURE = re.compile(
    r"(?:^|[-_ ])(?:nav|navbar|menu|breadcrumbs?|footer|header|sidebar|cookie|"
    r"share|social|related|advert|ads|promo|newsletter|subscribe|skip)(?:$|[-_ ])",
    re.IGNORECASE,
)
BLOCK_KINDS = {
    **{f"h{i}": "heading" for i in range(1, 7)},
    "p": "paragraph",
    "li": "list_item",
    "table": "table",
    "figcaption": "caption",
    "caption": "caption",
    "blockquote": "paragraph",
    "pre": "paragraph",
    "dd": "paragraph",
    "dt": "paragraph",
}
SPACE = re.compile(r"\s+")


def read_html(path: Path, data: bytes) -> DocumentText:
    """Read an HTML page into blocks of its main text."""
    soup = BeautifulSoup(decode(path, data), "lxml")
    root = main_element(soup)
    if root is None:
        raise ReadError(path, "no <body> in this HTML page")
    drop_furniture(root)
    pieces = [(kind, text) for kind, text in html_blocks(root) if text]
    if not pieces:
        raise ReadError(path, "no text found in the page's main content")
    return assemble(pieces)


def main_element(soup: BeautifulSoup) -> Tag | None:
    """The element holding the page's main content."""
    for selector in ("main", "article", "[role=main]", "body"):
        found = soup.select_one(selector)
        if isinstance(found, Tag):
            return found
    return None


def drop_furniture(root: Tag) -> None:
    """Remove navigation and page furniture from the tree, in place."""
    for tag in root.find_all(DROP_TAGS):
        tag.decompose()
    for tag in root.find_all(is_furniture):
        tag.decompose()


def is_furniture(tag: Tag) -> bool:
    """True for elements that are menus, banners, share bars and the like."""
    if tag.name in ("main", "article", "body") or tag.attrs is None:
        return False
    if tag.get("role") in DROP_ROLES:
        return True
    names = " ".join([str(tag.get("id") or ""), *(tag.get("class") or ())])
    return bool(FURNITURE.search(names))


def html_blocks(root: Tag) -> Iterator[tuple[str, str]]:
    """Each outermost block element as (kind, text), in document order.

    A table's own ``<caption>`` comes first, as a caption block; a ``<div>``
    holding text of its own and no block elements reads as a paragraph, as
    many news pages write their paragraphs.
    """
    for tag in root.find_all(is_block):
        if any(parent.name in BLOCK_KINDS for parent in tag.parents):
            continue  # read as part of its enclosing block
        kind = BLOCK_KINDS.get(tag.name, "paragraph")
        if kind == "table":
            caption = tag.find("caption")
            if isinstance(caption, Tag):
                yield "caption", flat_text(caption)
            yield kind, table_text(tag)
        else:
            yield kind, flat_text(tag)


def is_block(tag: Tag) -> bool:
    """A block element, or a div of bare text."""
    if tag.name in BLOCK_KINDS:
        return True
    if tag.name != "div":
        return False
    has_text = any(isinstance(c, str) and c.strip() for c in tag.children)
    return has_text and tag.find(["div", *BLOCK_KINDS]) is None


def flat_text(tag: Tag) -> str:
    """An element's text with whitespace runs collapsed to single spaces."""
    return SPACE.sub(" ", tag.get_text(" ")).strip()


def table_text(table: Tag) -> str:
    """A table as tab-separated rows, one per line."""
    rows = []
    for tr in table.find_all("tr"):
        cells = [flat_text(c) for c in tr.find_all(("td", "th"))]
        if any(cells):
            rows.append("\t".join(cells))
    return "\n".join(rows)


def assemble(pieces: list[tuple[str, str]]) -> DocumentText:
    """Join block texts with blank lines and record each block's span."""
    blocks = []
    parts = []
    pos = 0
    for kind, text in pieces:
        blocks.append(Block(kind=kind, page=1, start=pos, end=pos + len(text)))
        parts.append(text)
        pos += len(text) + 2
    return DocumentText(text="\n\n".join(parts), blocks=tuple(blocks), pages=1)
