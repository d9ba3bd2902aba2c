"""The one place settings become resources: settings -> Chroma client + embedder -> index ->
generator -> answerer, and the sync that keeps the index in step with a folder.

Resources are built here once, at the entry point, and passed down; no module looks them up on
its own. The CLI, Discord, the public API (`bot.open_answerer`, `bot.sync`) and the benchmarks
all come through here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ingest.errors import NewsbotError

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.answer import Answerer
    from bot.generators.base import Generator
    from bot.settings import Settings
    from ingest.models import Skipped
    from ingest.report import SyncReport
    from ingest.store import Index


class IndexMissing(NewsbotError):
    """No index where the settings point, or an empty one: ingest first."""


def open_index(settings: Settings) -> Index:
    """The index for the configured embedder, embedded on disk or on a Chroma server."""
    from ingest.embed import embedder_id, make_embedder
    from ingest.store import Index, open_client

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    embeddings = make_embedder(settings.embedder, api_key=key, base_url=settings.openai_base_url)
    client = open_client(settings.store_path, settings.chroma_host, settings.chroma_port)
    local = None if settings.chroma_host else settings.store_path
    return Index(client, embeddings, embedder_id(settings.embedder), local)


def open_existing_index(settings: Settings) -> Index:
    """The index to ask, which must exist and hold something; IndexMissing says where it
    looked (asking from another folder finds no `.newsbot/`, and makes none)."""
    store = settings.store_path
    if not settings.chroma_host and not store.exists():  # a file there is open_index's to say
        raise IndexMissing(
            f"no index at {store.resolve()}: run `newsbot ingest` here first, run `ask` from "
            "the folder you ingested in, or set NEWSBOT_DATA_DIR"
        )
    index = open_index(settings)
    if index.count() == 0:
        where = f"at {store.resolve()} " if not settings.chroma_host else ""
        raise IndexMissing(f"the index {where}is empty: run `newsbot ingest` first")
    return index


def refresh_lexical(settings: Settings, index: Index) -> None:
    """Bring the BM25 cache up to date after a sync, so the first question does not pay for it.

    Rebuilt only when the sync changed the index (or the cache is missing or damaged): a no-op
    ingest of 10k chunks would otherwise spend ~4 s rebuilding what is already on disk.
    """
    from ingest.lexical import LexicalIndex

    LexicalIndex.load_or_build(index, settings.data_dir / "lexical")


def make_generator(settings: Settings) -> Generator:
    """The generator NEWSBOT_LLM names: extractive, local (llama.cpp in process) or a chat
    model as provider:model (auto: OpenAI when a key or base URL is set)."""
    from bot.core.extractive import ExtractiveGenerator
    from bot.generators.base import GeneratorUnavailable

    name = settings.generator_name()
    if name == "extractive":
        return ExtractiveGenerator()
    if name == "local":
        from bot.generators.local import LocalGenerator

        return LocalGenerator(settings.local_model_path)
    from bot.generators.chat import chat_generator, split_spec

    provider, _model = split_spec(name)
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if provider == "openai" and not key and not settings.openai_base_url:
        raise GeneratorUnavailable(
            "NEWSBOT_LLM=openai needs OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"
        )
    base_url = {"openai": settings.openai_base_url, "ollama": settings.ollama_host}.get(provider)
    return chat_generator(
        name,
        api_key=key if provider == "openai" else None,
        base_url=base_url,
        timeout=settings.openai_timeout,
    )


def build_answerer(settings: Settings, index: Index) -> Answerer:
    """The answerer over `index`; GeneratorUnavailable on a bad generator setup."""
    from bot.core.answer import Answerer
    from bot.core.retrieve import Retriever

    retriever = Retriever(index, settings.data_dir / "lexical")
    return Answerer(retriever, make_generator(settings), k=settings.top_k)


def open_answerer(settings: Settings) -> Answerer:
    """The answerer over the configured, existing index."""
    return build_answerer(settings, open_existing_index(settings))


def sync(
    settings: Settings,
    folder: Path | None = None,
    *,
    index: Index | None = None,
    progress: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
    on_notice: Callable[[str], None] | None = None,
    refresh: bool = True,
) -> SyncReport:
    """Sync the index with `folder` (default NEWSBOT_ARTICLES_DIR) under the ingest lock, then
    bring the BM25 cache up to date: what `newsbot ingest` and Discord's /reingest do.

    `refresh=False` leaves the cache to a retriever that reloads it anyway (Discord's)."""
    from ingest.lock import ingest_lock
    from ingest.sync import FolderMissing, sync_folder

    folder = folder or settings.articles_dir
    if not folder.is_dir():
        raise FolderMissing(f"articles folder not found: {folder}")
    index = index or open_index(settings)
    with ingest_lock(settings.data_dir, on_notice or (lambda _message: None)):
        report = sync_folder(folder, index, progress=progress, on_skip=on_skip or _ignore)
    if refresh:
        refresh_lexical(settings, index)
    return report


def _ignore(_skipped: Skipped) -> None:
    return None
