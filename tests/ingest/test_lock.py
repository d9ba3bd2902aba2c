"""One ingest at a time: a second `newsbot ingest` waits for the first, then finds its work done.

The first ingest is played by this test holding the lock while it syncs; the second is a real
`newsbot ingest` process started meanwhile. Both store modes: with a Chroma server the lock
still lives in the local data folder, so it serialises ingests from this machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ingest.embed import MiniLMEmbeddings
from ingest.lock import ingest_lock
from ingest.store import Index
from ingest.sync import sync_folder
from tests.helpers import REPO

MODEL = MiniLMEmbeddings.model_id


def test_a_second_ingest_waits_for_the_first_instead_of_redoing_its_work(
    tmp_path: Path,
    articles_dir: Path,
    chroma_client: Any,
    store_mode: str,
    embeddings: MiniLMEmbeddings,
    request: pytest.FixtureRequest,
) -> None:
    data = tmp_path / "data"
    env = {"NEWSBOT_DATA_DIR": str(data), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    if store_mode == "server":
        host, port = request.getfixturevalue("chroma_server")
        env |= {"CHROMA_HOST": host, "CHROMA_PORT": str(port)}
    else:
        env["NEWSBOT_CHROMA_PATH"] = str(tmp_path / "chroma")  # chroma_client's folder
    told: list[str] = []
    with ingest_lock(data, told.append):
        index = Index(chroma_client, embeddings, MODEL)
        assert sync_folder(articles_dir, index).added == 5  # the first ingest's work
        err = (tmp_path / "second.err").open("w+", encoding="utf-8")
        second = subprocess.Popen(
            [sys.executable, "-m", "bot.faces.cli", "ingest", str(articles_dir), "--json"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        deadline = time.monotonic() + 120
        while "waiting" not in (tmp_path / "second.err").read_text() and second.poll() is None:
            assert time.monotonic() < deadline, "the second ingest never said it waits"
            time.sleep(0.1)
        assert second.poll() is None, "the second ingest did not wait for the lock"
    out, _ = second.communicate(timeout=300)
    err.close()
    assert second.returncode == 0, (tmp_path / "second.err").read_text()
    report = json.loads(out)
    assert (report["unchanged"], report["chunks"]) == (5, 0)  # nothing done twice
    message = (tmp_path / "second.err").read_text().strip()
    assert message.startswith("newsbot: another ingest of this index is running (pid ")
    assert told == []  # the first was alone
