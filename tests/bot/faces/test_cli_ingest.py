"""`newsbot ingest` as a user runs it: a real process, real Chroma, the real model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.corpus import write_corpus
from ingest.chroma_process import free_port
from ingest.embed import MiniLMEmbeddings
from ingest.store import Index, open_client
from tests.helpers import assert_exact, server_client


def newsbot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no .env from the repo, no API keys, this test's own store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "OPENAI_"))}
    env.pop("CHROMA_HOST", None)
    env.update(NEWSBOT_DATA_DIR=str(tmp_path / "data"), **extra)
    return env


def run_newsbot(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.faces.cli", *args],
        cwd=tmp_path,
        env=newsbot_env(tmp_path, **extra) | {"PYTHONPATH": str(Path(__file__).parents[3])},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_json_summary_then_noop(tmp_path: Path, articles_dir: Path) -> None:
    first = run_newsbot(tmp_path, "ingest", str(articles_dir), "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert set(summary) == {
        "added",
        "updated",
        "removed",
        "unchanged",
        "skipped",
        "chunks",
        "reused",
        "copies",
        "seconds",
    }
    assert summary["added"] == 5 and summary["chunks"] > 5 and summary["reused"] == 0
    again = json.loads(run_newsbot(tmp_path, "ingest", str(articles_dir), "--json").stdout)
    assert (again["unchanged"], again["added"], again["chunks"]) == (5, 0, 0)


def test_missing_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_newsbot(tmp_path, "ingest", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "articles folder not found" in result.stderr


def test_dead_chroma_server_is_one_line_and_exit_1(tmp_path: Path, articles_dir: Path) -> None:
    port = str(free_port())  # nothing listens there
    result = run_newsbot(
        tmp_path, "ingest", str(articles_dir), CHROMA_HOST="127.0.0.1", CHROMA_PORT=port
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert f"cannot reach Chroma server at 127.0.0.1:{port}" in result.stderr


def test_bad_files_warn_one_line_each(tmp_path: Path, articles_dir: Path) -> None:
    (articles_dir / "blank.md").write_text("   \n\n")
    result = run_newsbot(tmp_path, "ingest", str(articles_dir), "--json")
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [warnings[0]] and "blank.md" in warnings[0]
    assert json.loads(result.stdout)["skipped"][0]["file"] == "blank.md"


def _kill_mid_ingest(tmp_path: Path, folder: Path, **extra: str) -> None:
    """Start an ingest, SIGKILL it right after its first write lands."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.faces.cli", "-v", "ingest", str(folder), "--json"],
        cwd=tmp_path,
        env=newsbot_env(tmp_path, **extra) | {"PYTHONPATH": str(Path(__file__).parents[3])},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "wrote" in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"


def test_sigkill_then_rerun_gives_the_exact_index(
    tmp_path: Path, store_mode: str, embeddings: MiniLMEmbeddings, request: Any
) -> None:
    folder = tmp_path / "corpus"
    write_corpus(folder, 40)
    extra: dict[str, str] = {"NEWSBOT_CHROMA_PATH": str(tmp_path / "store")}
    if store_mode == "server":
        host, port = request.getfixturevalue("chroma_server")
        server_client(host, port)
        extra = {"CHROMA_HOST": host, "CHROMA_PORT": str(port)}
    _kill_mid_ingest(tmp_path, folder, **extra)
    result = run_newsbot(tmp_path, "ingest", str(folder), "--json", **extra)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["added"] + report["updated"] + report["unchanged"] == 40
    assert report["unchanged"] > 0, "work done before the kill was redone"
    client = (
        open_client(None, extra["CHROMA_HOST"], int(extra["CHROMA_PORT"]))
        if store_mode == "server"
        else open_client(tmp_path / "store")
    )
    assert_exact(folder, Index(client, embeddings, MiniLMEmbeddings.model_id))
