"""Wiring at the entry point: settings -> Chroma client + embedder -> Index.

Resources are built here once and passed down; no module looks them up on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings
    from ingest.store import Index


def open_index(settings: Settings) -> Index:
    """The index for the configured embedder, embedded on disk or on a Chroma server."""
    from ingest.embed import embedder_id, make_embedder
    from ingest.store import Index, open_client

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    embeddings = make_embedder(settings.embedder, api_key=key, base_url=settings.openai_base_url)
    client = open_client(settings.store_path, settings.chroma_host, settings.chroma_port)
    local = None if settings.chroma_host else settings.store_path
    return Index(client, embeddings, embedder_id(settings.embedder), local)


def refresh_lexical(settings: Settings, index: Index) -> None:
    """Bring the BM25 cache up to date after a sync, so the first question does not pay for it.

    Rebuilt only when the sync changed the index (or the cache is missing or damaged): a no-op
    ingest of 10k chunks would otherwise spend ~4 s rebuilding what is already on disk.
    """
    from ingest.lexical import LexicalIndex

    LexicalIndex.load_or_build(index, settings.data_dir / "lexical")
