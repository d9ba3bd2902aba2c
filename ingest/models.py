"""Typed records passed between the ingest stages (load -> clean -> split -> store)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned news article, identified by its path relative to the articles folder.

    `text` is the cleaned body; chunk offsets point into it, so a citation can quote it exactly.
    `content_hash` is over the raw file bytes: an unchanged file is never re-embedded.
    """

    article_id: str
    file: str
    title: str
    text: str
    content_hash: str
    outlet: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) when the article states one
    url: str = ""
    signature: str = ""  # MinHash of the text (ingest.copies), set by sync
    copy_of: str = ""  # the article this one copies (then it has no chunks of its own)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A sentence-aligned slice of an article's cleaned text, with its place in that text."""

    chunk_id: str
    article_id: str
    index: int
    text: str
    start: int  # character offset into Article.text
    end: int
    metadata: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file the loader refused, with a one-line reason for the user."""

    file: str
    reason: str
