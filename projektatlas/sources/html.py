"""HTML pages to plain text: trafilatura for articles, an lxml block rendering otherwise.

The HTML is only parsed, never executed; ``<script>``, ``<style>`` and similar elements are
dropped before any text is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import lxml.html
from lxml import etree

from projektatlas.normalize import clean_spaces, parse_iso_date

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head")
_FURNITURE_TAGS = ("nav", "header", "footer", "aside", "form", "button")
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
        "br",
    ]
)


@dataclass(slots=True)
class HtmlText:
    title: str | None
    text: str
    removed: str | None
    published: date | None


# Characters lxml refuses in text nodes (form feed and the other C0 controls, lone
# surrogates, U+FFFE/U+FFFF): they become spaces before the page is parsed.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _parse(html: str) -> lxml.html.HtmlElement | None:
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _strip(root: lxml.html.HtmlElement, tags: tuple[str, ...]) -> list[str]:
    """Remove elements with these tags; return their text."""
    texts = []
    for el in list(root.iter(*tags)):
        if el.getparent() is not None:
            texts.append(clean_spaces(el.text_content()))
            el.drop_tree()
    return [t for t in texts if t]


def _block_lines(root: lxml.html.HtmlElement) -> list[str]:
    """One line per block element; a table row's cells joined by tabs-free spaces."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = clean_spaces(" ".join(buf))
        if line:
            lines.append(line)
        buf.clear()

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        is_block = tag in _BLOCK_TAGS
        if is_block:
            flush()
        if el.text and isinstance(el.tag, str):
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if is_block:
            flush()

    walk(root)
    flush()
    return lines


def _title(root: lxml.html.HtmlElement | None) -> str | None:
    if root is None:
        return None
    for xpath in ("//title", "//h1"):
        for el in root.xpath(xpath):
            text = clean_spaces(el.text_content())
            if text:
                return text
    return None


def _trafilatura_text(html: str, url: str | None) -> tuple[str | None, str | None, date | None]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_tables=True,
        include_comments=False,
        include_formatting=False,
        include_links=False,
        favor_recall=True,
    )
    if doc is None:
        return None, None, None
    text = doc.text or None
    published = parse_iso_date(doc.date) if doc.date else None
    return text, doc.title or None, published


def _htmldate(html: str) -> date | None:
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover
        return None
    try:
        found = find_date(html, extensive_search=False)
    except Exception:  # noqa: BLE001 - htmldate raises assorted errors on odd pages
        return None
    return parse_iso_date(found) if found else None


def _is_label_value_page(root: lxml.html.HtmlElement) -> bool:
    """A record page: a definition list or a two-column label/value table."""
    if root.xpath("//dl[dt and dd]"):
        return True
    rows = root.xpath("//tr[count(th|td)=2]")
    return len(rows) >= 3


def html_to_text(html: str, url: str | None = None) -> HtmlText:
    """Main text of a page, one line per heading/paragraph/list item/row.

    Article pages go through trafilatura; record pages (label/value lists or tables) and
    pages where trafilatura finds nothing are rendered block by block with lxml so that
    every label and value is kept on its own line.
    """
    html = _XML_INCOMPATIBLE.sub(" ", html)
    root = _parse(html)
    title = _title(root)
    if root is None:
        return HtmlText(title=None, text="", removed=None, published=None)
    _strip(root, _DROP_TAGS)
    full_lines = _block_lines(root)

    text: str | None = None
    published: date | None = None
    if not _is_label_value_page(root):
        text, meta_title, published = _trafilatura_text(html, url)
        title = title or meta_title
    if not text or not text.strip():
        furniture = _strip(root, _FURNITURE_TAGS)
        lines = _block_lines(root)
        text = "\n".join(lines)
        removed_lines = furniture
    else:
        text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
        kept = {re.sub(r"^[-*•]\s+", "", line) for line in text.splitlines()}
        removed_lines = [line for line in full_lines if line not in kept and line != title]
    if published is None:
        published = _htmldate(html)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    removed = "\n".join(removed_lines) or None
    return HtmlText(title=title, text=text, removed=removed, published=published)
