"""An article page (or a feed item alone) -> an article file the loader reads.

trafilatura finds the story in the page (dropping menus, teasers and comments) and its metadata:
title, outlet, author, date (through htmldate) and canonical URL. What the page lacks, the feed
item supplies. The file is Markdown with front matter, the format `ingest.load` reads:

    ---
    title: "..."
    outlet: "..."
    author: "..."
    date: "2025-08-19"
    url: "https://..."
    feed: "https://..."
    summary_only: "yes"       (only when the page gave no story: the text is the feed's summary)
    ---

    text, one paragraph per block
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

MIN_TEXT_CHARS = 200  # less than this from a page is a teaser, a paywall or a video page
SLUG_CHARS = 60
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class Story:
    """One news item as it will be written: text plus the metadata the loader reads."""

    title: str
    text: str
    url: str  # canonical when the page names one, else the item's link after redirects
    outlet: str = ""
    author: str = ""
    published: str = ""  # YYYY-MM-DD when known
    feed: str = ""
    summary_only: bool = False  # the page gave no story: the feed's summary and the link

    def to_markdown(self) -> str:
        """The article file's content: front matter, then the text."""
        fields = {
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "date": self.published,
            "url": self.url,
            "feed": self.feed,
            "summary_only": "yes" if self.summary_only else "",
        }
        front = "\n".join(f"{k}: {_quoted(v)}" for k, v in fields.items() if v)
        return f"---\n{front}\n---\n\n{self.text.strip()}\n"

    def file_name(self) -> str:
        """`<date>-<slug>-<8 hex of the URL>.md`: readable, sortable, unique per URL (per feed
        and title for an item with no link)."""
        digest = hashlib.sha256((self.url or f"{self.feed}#{self.title}").encode()).hexdigest()[:8]
        slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")[:SLUG_CHARS].strip("-")
        return f"{self.published or 'undated'}-{slug or 'story'}-{digest}.md"


def _quoted(value: str) -> str:
    """One line in double quotes: the loader strips one pair and keeps the rest verbatim."""
    return '"' + " ".join(value.split()) + '"'


def is_html(content_type: str, body: bytes) -> bool:
    """Whether a response is a web page: by its declared type, or by its first bytes when it
    declares none."""
    declared = content_type.split(";")[0].strip().lower()
    if declared:
        return declared in HTML_TYPES
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def story_from_page(html: bytes, url: str, item: Story) -> Story | None:
    """The story in `html` with `item`'s metadata filling the gaps; None when the page holds
    no story text (too short: the caller keeps the item's summary instead)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < MIN_TEXT_CHARS:
        return None
    title = _attr(doc, "title") or item.title
    return Story(
        title=title,
        text=_paragraphs(text, title),
        url=_canonical(_attr(doc, "url"), url) or item.url,
        outlet=_attr(doc, "sitename") or item.outlet or _host(url),
        author=_attr(doc, "author") or item.author,
        published=_date(_attr(doc, "date")) or item.published or _page_date(html, url),
        feed=item.feed,
    )


def _attr(doc: object, name: str) -> str:
    value = getattr(doc, name, None)
    return " ".join(str(value).split()) if value else ""


def _paragraphs(text: str, title: str) -> str:
    """trafilatura's lines as paragraphs, the title line dropped (it is in the front matter)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return "\n\n".join(lines)


def _canonical(found: str, fetched: str) -> str:
    """The page's canonical URL when it is an http(s) address, else the fetched one."""
    if found.lower().startswith(("http://", "https://")):
        return found
    return fetched


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _date(value: str) -> str:
    match = _ISO.match(value)
    return match.group(0) if match else ""


def _page_date(html: bytes, url: str) -> str:
    """htmldate on its own, for a page whose metadata trafilatura did not date."""
    from htmldate import find_date

    try:
        return _date(find_date(html.decode("utf-8", "replace"), url=url) or "")
    except Exception:  # htmldate raises on odd markup; a missing date is no failure
        return ""


def write_story(folder: Path, story: Story) -> Path:
    """Write the article file under `folder`, atomically (a hidden temporary file, which the
    loader and the watch ignore, renamed into place): a sync never reads half a story."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / story.file_name()
    tmp = folder / f".{path.name}.part"
    tmp.write_text(story.to_markdown(), encoding="utf-8")
    tmp.replace(path)
    return path
