"""Shared fixtures: the real packaged embedder, and real Chroma stores (embedded and server).

The server is a real `chroma run` process started on 127.0.0.1 at a free port for the session
and stopped by PID at the end, so every store test runs against both modes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.chroma_process import free_port, start_chroma, stop_process
from ingest.embed import MiniLMEmbeddings
from ingest.store import Index

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


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


def server_client(host: str, port: int) -> Any:
    """A client on the shared server with every collection dropped: each test starts empty."""
    from ingest.store import open_client

    client = open_client(None, host, port)
    for collection in client.list_collections():
        client.delete_collection(collection.name)
    return client


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
