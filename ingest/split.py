"""Sentence-aware chunking: whole sentences packed to a token budget, with overlap.

Chunks never cut a sentence, so every quote a citation shows is a complete sentence, and each
chunk records its character span in the cleaned article text. Tokens are estimated from words
(about 1.3 WordPiece tokens per English word), which keeps the splitter independent of the
embedder: a splitter never calls the model.
"""

from __future__ import annotations

from ingest.models import Article, Chunk
from ingest.store import chunk_id
from ingest.text.sentences import sentence_spans

TARGET_TOKENS = 220  # the model reads 256; leave room for the title line prefix
OVERLAP_SENTENCES = 1


def estimate_tokens(text: str) -> int:
    return int(len(text.split()) * 1.3) + 1


def _windows(text: str, spans: list[tuple[int, int]], budget: int) -> list[tuple[int, int]]:
    """Group sentence spans into [first, last) index windows of at most `budget` tokens."""
    windows: list[tuple[int, int]] = []
    first = 0
    while first < len(spans):
        last, used = first, 0
        while last < len(spans):
            cost = estimate_tokens(text[spans[last][0] : spans[last][1]])
            if used and used + cost > budget:
                break
            used += cost
            last += 1
        windows.append((first, last))
        if last >= len(spans):
            break
        first = max(first + 1, last - OVERLAP_SENTENCES)
    return windows


def split_article(article: Article, budget: int = TARGET_TOKENS) -> list[Chunk]:
    """Chunks of one article with its metadata on every chunk (Chroma filters on it)."""
    text = article.text
    spans = sentence_spans(text)
    if not spans:
        return []
    windows = _windows(text, spans, budget)
    base: dict[str, str | int] = {
        "article_id": article.article_id,
        "file": article.file,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "url": article.url,
        "content_hash": article.content_hash,
        "n_chunks": len(windows),
    }
    chunks = []
    for i, (first, last) in enumerate(windows):
        start, end = spans[first][0], spans[last - 1][1]
        chunks.append(
            Chunk(
                chunk_id=chunk_id(article.article_id, article.content_hash, i),
                article_id=article.article_id,
                index=i,
                text=text[start:end],
                start=start,
                end=end,
                metadata=base | {"index": i, "start": start, "end": end},
            )
        )
    return chunks
