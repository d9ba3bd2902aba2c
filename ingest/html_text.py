"""HTML page -> article text lines and page metadata, with the standard library's parser only.

Block elements become lines (list items keep a "- " bullet), page furniture (scripts, styles,
navigation, headers, footers, asides, forms, captions, hidden elements) is dropped, and when the
page marks its story with <article> or <main> only that part is kept. The text then goes through
`ingest.clean.clean_text` like any other article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Never article text. <header> is here too: inside <article> it holds the headline and byline,
# which the metadata keeps.
_SKIP = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "nav",
    "header", "footer", "aside", "form", "button", "select", "figcaption", "dialog", "menu",
}  # fmt: skip
# Skipped regions where the headline and the publication time can still be found.
_META_OK_IN = {"header"}
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog"}
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "section", "article",
    "main", "br", "tr", "dd", "dt", "pre", "ul", "ol", "table", "hr", "figure", "address",
    "body", "td", "th",
}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col"}
_SCOPES = {"article", "main"}
_META_KEYS = {
    "og:title": "title",
    "twitter:title": "title",
    "og:site_name": "outlet",
    "application-name": "outlet",
    "og:url": "url",
    "article:published_time": "published",
    "og:published_time": "published",
    "datepublished": "published",
    "date": "published",
    "pubdate": "published",
    "publishdate": "published",
    "dc.date": "published",
    "dc.date.issued": "published",
    "parsely-pub-date": "published",
    "sailthru.date": "published",
}


@dataclass(frozen=True, slots=True)
class HtmlDocument:
    """Visible article text (one block per line) and what the page says about itself."""

    text: str
    title: str = ""
    outlet: str = ""
    published: str = ""  # as written on the page; the loader normalises it to YYYY-MM-DD
    url: str = ""


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []  # open elements whose content is not article text
        self.open_scopes = 0  # open <article>/<main> elements
        self.lines: list[tuple[str, bool]] = []  # (line, inside article/main)
        self.buffer: list[str] = []
        self.meta: dict[str, str] = {}
        self.capture: str = ""  # "title", "h1" or "ld" while reading that element's text
        self.captured: dict[str, list[str]] = {"title": [], "h1": [], "ld": []}
        self.time = ""

    # -- state helpers
    def _meta_visible(self) -> bool:
        return all(tag in _META_OK_IN for tag in self.skipping)

    def _flush(self) -> None:
        line = " ".join("".join(self.buffer).split())
        self.buffer.clear()
        if line and line != "-":
            self.lines.append((line, self.open_scopes > 0))

    def _set_meta(self, key: str, value: str) -> None:
        if value.strip() and key not in self.meta:
            self.meta[key] = value.strip()

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (attr.get("property") or attr.get("name") or attr.get("itemprop", "")).lower()
            if name in _META_KEYS:
                self._set_meta(_META_KEYS[name], attr.get("content", ""))
            return
        if tag == "link":
            if "canonical" in attr.get("rel", "").lower().split():
                self._set_meta("canonical", attr.get("href", ""))
            return
        if tag == "time" and not self.time and self._meta_visible():
            self.time = attr.get("datetime", "")
        if tag == "title" and not self.captured["title"]:
            self.capture = "title"
        elif tag == "h1" and not self.captured["h1"] and self._meta_visible():
            self.capture = "h1"
        elif tag == "script" and "ld+json" in attr.get("type", ""):
            self.capture = "ld"
        if tag in _VOID:
            if tag in _BLOCK:
                self._flush()
            return
        hidden = (
            "hidden" in attr
            or attr.get("aria-hidden", "").lower() == "true"
            or attr.get("role", "").lower() in _SKIP_ROLES
        )
        if tag in _SKIP or hidden:
            self._flush()
            self.skipping.append(tag)
            return
        if tag in _BLOCK:
            self._flush()
            if tag == "li" and not self.skipping:
                self.buffer.append("- ")
        if tag in _SCOPES:
            self.open_scopes += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == self.capture or (self.capture == "ld" and tag == "script"):
            self.capture = ""
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass
            return
        if tag in _BLOCK:
            self._flush()
        if tag in _SCOPES and self.open_scopes:
            self.open_scopes -= 1

    def handle_data(self, data: str) -> None:
        if self.capture:
            self.captured[self.capture].append(data)
        if not self.skipping:
            self.buffer.append(data)


def _json_ld_date(blobs: list[str]) -> str:
    """datePublished from JSON-LD blocks, searched loosely: sites nest it in many shapes."""
    for blob in blobs:
        try:
            found = re.search(r'"datePublished"\s*:\s*("[^"]*")', blob)
            if found:
                return str(json.loads(found.group(1)))
        except ValueError:
            continue
    return ""


def _defuse_unclosed(markup: str) -> str:
    """`markup` with every "<" that cannot open a whole tag written as "&lt;" (the parser turns
    it back into "<" in the text), in one pass.

    The standard parser rescans from such a "<" to the end of the page before giving up on it,
    once per "<", so a page full of them ("<a <a <a ...", "<!-- <!-- ...") took time growing
    with the square of its size. A tag is whole when its ">" comes before the next "<"; a
    comment when its "-->" comes before the next "<!--" (markup inside comments is passed
    over). A "<" inside a quoted attribute value is the price: that rare tag reads as text.
    """
    out: list[str] = []
    done = 0
    at = markup.find("<")
    while at != -1:
        if markup.startswith("<!--", at):
            opener = markup.find("<!--", at + 4)
            close = markup.find("-->", at + 4, opener if opener != -1 else len(markup))
            if close != -1:
                at = markup.find("<", close + 3)
                continue
            nxt = opener
        else:
            nxt = markup.find("<", at + 1)
            close = markup.find(">", at + 1, nxt if nxt != -1 else len(markup))
            if close != -1 or not _TAG_START.match(markup, at):
                at = nxt
                continue
        out += [markup[done:at], "&lt;"]
        done = at + 1
        at = markup.find("<", at + 1)
    return "".join(out) + markup[done:] if out else markup


_TAG_START = re.compile(r"<[a-zA-Z/!?]")


def html_to_document(markup: str) -> HtmlDocument:
    """The article text and metadata of one HTML page."""
    parser = _Extractor()
    parser.feed(_defuse_unclosed(markup))
    parser.close()
    parser._flush()
    scoped = [line for line, inside in parser.lines if inside]
    lines = scoped or [line for line, _ in parser.lines]
    meta = parser.meta
    h1 = " ".join("".join(parser.captured["h1"]).split())
    title_tag = " ".join("".join(parser.captured["title"]).split())
    return HtmlDocument(
        text="\n".join(lines),
        title=meta.get("title") or h1 or title_tag,
        outlet=meta.get("outlet", ""),
        published=meta.get("published") or parser.time or _json_ld_date(parser.captured["ld"]),
        url=meta.get("canonical") or meta.get("url", ""),
    )
