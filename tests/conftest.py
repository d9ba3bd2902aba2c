"""Shared fixtures: the real packaged embedder, and real Chroma stores (embedded and server).

The server is a real `chroma run` process started on 127.0.0.1 at a free port for the session
and stopped by PID at the end, so every store test runs against both modes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.embed import MiniLMEmbeddings
from ingest.store import Index

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chroma_binary() -> str:
    """The `chroma` CLI installed beside this interpreter (part of the chromadb package)."""
    local = Path(sys.executable).parent / "chroma"
    found = str(local) if local.exists() else shutil.which("chroma")
    assert found, "the chroma CLI is missing: pip install chromadb"
    return found


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    """Start `chroma run` and wait until its heartbeat answers."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    log = (path.parent / f"chroma-{port}.log").open("wb")
    proc = subprocess.Popen(
        [chroma_binary(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"chroma run exited early; see {log.name}"
        with contextlib.suppress(Exception):
            chromadb.HttpClient(
                host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
            ).heartbeat()
            return proc
        time.sleep(0.2)
    stop_process(proc)
    raise AssertionError("chroma run did not answer within 60 s")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


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
