"""Faults: a Chroma server that dies or freezes, damaged bookkeeping, a bad store folder.

Everything real: `chroma run` servers of the test's own (killed, frozen and restarted by PID),
the packaged MiniLM model, `newsbot` processes. SIGKILL during an ingest is covered by
tests/bot/faces/test_cli_ingest.py::test_sigkill_then_rerun_gives_the_exact_index (both store
modes), so it is not repeated here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.embeddings import Embeddings

from bot.core.answer import Answerer
from bot.core.extractive import ExtractiveGenerator
from bot.core.retrieve import Retriever
from ingest.chroma_process import free_port, start_chroma, stop_process
from ingest.embed import MiniLMEmbeddings
from ingest.lexical import LexicalIndex
from ingest.store import META_ID, Index, StoreUnavailable, collection_name, open_client
from ingest.sync import sync_folder
from tests.helpers import (
    QUESTION,
    SEEDS,
    answer_of,
    assert_exact,
    newsbot_env,
    one_line_error,
    run_newsbot,
)

MODEL = MiniLMEmbeddings.model_id


def snapshot(index: Index) -> tuple[list[str], int, dict[str, Any]]:
    return sorted(c.chunk_id for c in index.all_chunks()), index.count(), index.manifest()


class CountingEmbeddings(Embeddings):
    """The real model, counting the texts it embeds (to prove what was re-embedded)."""

    def __init__(self, real: Embeddings) -> None:
        self.real = real
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return self.real.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)


# --- a Chroma server of the test's own -------------------------------------------------------


class OwnServer:
    """A `chroma run` process this test may kill, freeze and restart on the same port and data."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.frozen = False

    @property
    def env(self) -> dict[str, str]:
        return {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(self.port)}

    def start(self) -> None:
        self.proc = start_chroma(self.data, self.port)

    def _signal(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, sig)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)
        assert self.proc is not None
        self.proc.wait(timeout=30)

    def freeze(self) -> None:
        """SIGSTOP, then wait until the kernel shows the server stopped: the signal is delivered
        asynchronously, and a request sent in that window on a busy machine would be answered."""
        self._signal(signal.SIGSTOP)
        self.frozen = True
        assert self.proc is not None
        stat = Path(f"/proc/{self.proc.pid}/stat")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and stat.read_text().rsplit(")", 1)[1].split()[0] != "T":
            time.sleep(0.01)
        time.sleep(0.2)  # the server's worker threads stop with it

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)
        self.frozen = False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            if self.frozen:
                self.thaw()
            stop_process(self.proc)


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[OwnServer]:
    """A dedicated server (the session's shared one must survive): stopped by PID at the end."""
    server = OwnServer(tmp_path / "server-data")
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- the Chroma server dies, freezes, comes back ---------------------------------------------


def test_server_down_is_one_line_and_after_restart_nothing_is_lost(
    tmp_path: Path, articles_dir: Path, own_server: OwnServer, embeddings: MiniLMEmbeddings
) -> None:
    first = run_newsbot(tmp_path, "ingest", str(articles_dir), "--json", **own_server.env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["added"] == 5
    index = Index(open_client(None, "127.0.0.1", own_server.port), embeddings, MODEL)
    before = snapshot(index)
    answer = answer_of(run_newsbot(tmp_path, "ask", QUESTION, "--json", **own_server.env))
    assert not answer["refused"] and answer["citations"]

    own_server.kill()
    for args in (("ask", QUESTION), ("ingest", str(articles_dir)), ("sources",)):
        down = run_newsbot(tmp_path, *args, **own_server.env)
        line = one_line_error(down)
        assert f"cannot reach Chroma server at 127.0.0.1:{own_server.port}" in line, args
        assert down.stdout == ""
    with pytest.raises(StoreUnavailable):
        index.count()

    own_server.start()  # same port, same data folder
    after = Index(open_client(None, "127.0.0.1", own_server.port), embeddings, MODEL)
    assert snapshot(after) == before
    assert_exact(articles_dir, after)
    again = run_newsbot(tmp_path, "ingest", str(articles_dir), "--json", **own_server.env)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["added"], report["updated"], report["removed"]) == (0, 0, 0)
    assert (report["unchanged"], report["chunks"]) == (5, 0)
    assert answer_of(run_newsbot(tmp_path, "ask", QUESTION, "--json", **own_server.env)) == answer
    assert snapshot(after) == before


def test_server_killed_during_ingest_fails_in_one_line_and_rerun_is_exact(
    tmp_path: Path, own_server: OwnServer, embeddings: MiniLMEmbeddings
) -> None:
    from benchmarks.corpus import write_corpus

    folder = tmp_path / "corpus"
    write_corpus(folder, 80)
    watcher = Index(open_client(None, "127.0.0.1", own_server.port), embeddings, MODEL)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.faces.cli", "ingest", str(folder), "--json"],
        cwd=tmp_path,
        env=newsbot_env(tmp_path, **own_server.env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            # Kill once the first batch of articles is committed (`done`), mid-run.
            if any(r.state == "done" for r in watcher.manifest().values()):
                break
            time.sleep(0.05)
        own_server.kill()
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    line = one_line_error(result)
    assert "Chroma server" in line, line

    own_server.start()
    rerun = run_newsbot(tmp_path, "ingest", str(folder), "--json", **own_server.env)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["added"] + report["updated"] + report["unchanged"] == 80
    assert report["unchanged"] > 0, "articles written before the server died were lost"
    index = Index(open_client(None, "127.0.0.1", own_server.port), embeddings, MODEL)
    assert_exact(folder, index)


def test_a_dead_or_frozen_server_fails_calls_in_bounded_time(
    tmp_path: Path, articles_dir: Path, own_server: OwnServer, embeddings: MiniLMEmbeddings
) -> None:
    """chromadb's HTTP client has no timeout of its own: a frozen server would hang it."""
    client = open_client(None, "127.0.0.1", own_server.port, timeout=2.0)
    index = Index(client, embeddings, MODEL)
    sync_folder(articles_dir, index)
    count = index.count()
    answerer = Answerer(Retriever(index, tmp_path / "lexical"), ExtractiveGenerator())
    assert not answerer.ask(QUESTION).refused

    own_server.freeze()  # SIGSTOP: connections are accepted by the kernel, never answered
    for call in (index.count, lambda: answerer.ask(QUESTION)):
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="lost the Chroma server: ReadTimeout"):
            call()
        assert 1.5 < time.monotonic() - started < 10
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="cannot reach Chroma server"):
        open_client(None, "127.0.0.1", own_server.port, timeout=2.0)
    assert time.monotonic() - started < 10
    own_server.thaw()
    assert index.count() == count, "the same client works again once the server answers"

    own_server.kill()  # connection refused: immediate
    calls = {
        "count": index.count,
        "search": lambda: index.search("White House", 3),
        "ask": lambda: answerer.ask(QUESTION),
        "sync": lambda: sync_folder(articles_dir, index),
    }
    for name, call in calls.items():
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as caught:
            call()
        assert time.monotonic() - started < 2, name
        assert "\n" not in str(caught.value) and "ConnectError" in str(caught.value)


# --- the lexical (BM25) cache damaged on disk ------------------------------------------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The seeds ingested by `newsbot ingest` into an embedded store, and the answer to
    QUESTION from the sound cache. Each test copies the data folder before damaging it."""
    work = tmp_path_factory.mktemp("ingested")
    folder = work / "articles"
    shutil.copytree(SEEDS, folder)
    result = run_newsbot(work, "ingest", str(folder))
    assert result.returncode == 0, result.stderr
    answer = answer_of(run_newsbot(work, "ask", QUESTION, "--json"))
    assert not answer["refused"]
    return work, answer


def _damage(cache: Path, how: str) -> None:
    if how == "truncated":
        target = next(cache.glob("words/*.npy"))
        with target.open("r+b") as f:
            f.truncate(target.stat().st_size // 3)
    elif how == "garbage":
        (cache / "chunks.jsonl").write_bytes(os.urandom(4096))
    elif how == "wrong generation":
        state = json.loads((cache / "state.json").read_text())
        state["generation"] += 5  # a cache of another generation under this one's name
        (cache / "state.json").write_text(json.dumps(state))
    elif how == "empty state file":
        (cache / "state.json").write_bytes(b"")
    elif how == "file missing":
        (cache / "vocab.json").unlink()


@pytest.mark.parametrize(
    "how", ["truncated", "garbage", "wrong generation", "empty state file", "file missing"]
)
def test_damaged_lexical_cache_is_rebuilt_with_one_warning(
    tmp_path: Path, ingested: tuple[Path, dict[str, Any]], how: str
) -> None:
    work, answer = ingested
    shutil.copytree(work / "data", tmp_path / "data")
    [cache] = (tmp_path / "data" / "lexical").glob("*/gen-*")
    sound = json.loads((cache / "state.json").read_text())
    _damage(cache, how)

    result = run_newsbot(tmp_path, "ask", QUESTION, "--json")
    assert answer_of(result) == answer
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("WARNING ingest.lexical: rebuilding the lexical cache")
    assert str(cache) in warnings[0]

    rebuilt = LexicalIndex.load(cache)  # sound again: checksums verify
    assert (rebuilt.generation, len(rebuilt)) == (sound["generation"], sound["chunks"])
    quiet = run_newsbot(tmp_path, "ask", QUESTION, "--json")
    assert answer_of(quiet) == answer
    assert quiet.stderr == "", "the rebuilt cache was not used"


def test_sync_killed_before_its_generation_bump_leaves_no_stale_cache(
    tmp_path: Path,
    ingested: tuple[Path, dict[str, Any]],
    embeddings: MiniLMEmbeddings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Writes landed, the generation did not move: the cache of that generation has the same
    number of chunks but some are gone. The next ingest (a no-op) must still replace it."""
    work, _ = ingested
    shutil.copytree(work / "data", tmp_path / "data")
    folder = tmp_path / "articles"
    shutil.copytree(work / "articles", folder)
    changed = folder / "003_94ac584e2d0b5b00.txt"
    changed.write_text(changed.read_text().replace("270 drones", "999 drones"))

    client = open_client(tmp_path / "data" / "chroma")
    index = Index(client, embeddings, MODEL)

    def killed() -> int:
        raise KeyboardInterrupt  # the kill, right before the bump

    monkeypatch.setattr(index, "bump_generation", killed)
    with pytest.raises(KeyboardInterrupt):
        sync_folder(folder, index)
    stored = {c.chunk_id for c in index.all_chunks()}
    client.close()
    [cache] = (tmp_path / "data" / "lexical").glob("*/gen-*")
    assert len(LexicalIndex.load(cache)) == len(stored), "same count: a count check is fooled"

    result = run_newsbot(tmp_path, "ingest", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["unchanged"] == 5
    [warning] = result.stderr.strip().splitlines()
    assert "rebuilding the lexical cache" in warning and "are not the index's" in warning
    assert set(LexicalIndex.load(cache).positions) == stored
    answer = answer_of(run_newsbot(tmp_path, "ask", "How many drones did Russia launch?", "--json"))
    assert "999 drones" in answer["answer"] and "270 drones" not in answer["answer"]


# --- the manifest in Chroma garbled ----------------------------------------------------------

VICTIM = "002_17d30bda0ffc9e3b.txt"


def _garble(index: Index, how: str) -> None:
    col = index.manifest_col
    if how == "bogus state":
        col.update(ids=[VICTIM], metadatas=[{"state": "zombie"}])
    elif how == "no metadata":
        col.delete(ids=[VICTIM])
        col.add(ids=[VICTIM], embeddings=[[0.0]], metadatas=[{"junk": "x"}])
    elif how == "chunk count not a number":
        col.update(ids=[VICTIM], metadatas=[{"chunks": "many"}])
    elif how == "hash not a hash":
        col.update(ids=[VICTIM], metadatas=[{"content_hash": 12345}])
    elif how == "wrong chunk count":
        record = index.manifest()[VICTIM]
        col.update(ids=[VICTIM], metadatas=[{"chunks": record.chunks + 2}])
    elif how == "entry deleted":
        col.delete(ids=[VICTIM])
    elif how == "a chunk deleted":
        mine = sorted(c.chunk_id for c in index.all_chunks() if c.chunk_id.startswith(VICTIM))
        index.chunks.delete(ids=[mine[-1]])


GARBLED = {  # how -> (report field the victim lands in, warning expected)
    "bogus state": ("updated", "is garbled (state 'zombie')"),
    "no metadata": ("updated", "is garbled (state '')"),
    "chunk count not a number": ("updated", "is garbled (no valid hash or chunk count)"),
    "hash not a hash": ("updated", "is garbled (no valid hash or chunk count)"),
    "wrong chunk count": ("updated", "does not match the chunks in the store"),
    "a chunk deleted": ("updated", "does not match the chunks in the store"),
    "entry deleted": ("added", ""),  # an unknown file: added again, same ids, no duplicates
}


@pytest.mark.parametrize("how", list(GARBLED))
def test_garbled_manifest_entry_is_redone_and_the_index_ends_exact(
    chroma_client: Any,
    embeddings: MiniLMEmbeddings,
    articles_dir: Path,
    caplog: pytest.LogCaptureFixture,
    how: str,
) -> None:
    counting = CountingEmbeddings(embeddings)
    index = Index(chroma_client, counting, MODEL)
    sync_folder(articles_dir, index)
    victim_chunks = index.manifest()[VICTIM].chunks
    _garble(index, how)

    counting.embedded = 0
    with caplog.at_level(logging.WARNING, logger="ingest.sync"):
        report = sync_folder(articles_dir, index)
    field, warning = GARBLED[how]
    assert getattr(report, field) == 1 and report.unchanged == 4, report.summary()
    assert counting.embedded == victim_chunks, "only the garbled article is re-embedded"
    messages = [r.getMessage() for r in caplog.records]
    if warning:
        assert messages == [f"manifest entry of {VICTIM} {warning}: redoing the article"]
    else:
        assert messages == []
    assert_exact(articles_dir, index)

    counting.embedded = 0
    again = sync_folder(articles_dir, index)
    assert (again.unchanged, again.chunks, counting.embedded) == (5, 0, 0)


def test_stray_chunks_of_no_article_are_deleted(
    chroma_client: Any, embeddings: MiniLMEmbeddings, articles_dir: Path
) -> None:
    """Chunks whose article left both the manifest and the folder: nothing else removes them."""
    index = Index(chroma_client, embeddings, MODEL)
    sync_folder(articles_dir, index)
    generation = index.generation()
    stray = "gone.txt#0123456789ab#0"
    index.chunks.upsert(
        ids=[stray],
        documents=["An orphaned passage."],
        embeddings=embeddings.embed_documents(["An orphaned passage."]),
        metadatas=[{"article_id": "gone.txt", "file": "gone.txt"}],
    )
    report = sync_folder(articles_dir, index)
    assert report.unchanged == 5
    assert_exact(articles_dir, index)
    assert index.generation() == generation + 1, "readers must drop a cache holding the stray"


def test_garbled_generation_record_does_not_stop_ask_or_ingest(
    tmp_path: Path, ingested: tuple[Path, dict[str, Any]], embeddings: MiniLMEmbeddings
) -> None:
    work, answer = ingested
    shutil.copytree(work / "data", tmp_path / "data")
    client = open_client(tmp_path / "data" / "chroma")
    Index(client, embeddings, MODEL).manifest_col.update(
        ids=[META_ID], metadatas=[{"generation": "abc"}]
    )
    client.close()  # release the embedded store before newsbot opens it

    asked = run_newsbot(tmp_path, "ask", QUESTION, "--json")
    assert answer_of(asked) == answer
    assert asked.stderr.strip().splitlines() == [
        "WARNING ingest.store: the index generation record is garbled: counting from 0"
    ]
    synced = run_newsbot(tmp_path, "ingest", str(work / "articles"), "--json")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["unchanged"] == 5
    healed = run_newsbot(tmp_path, "ask", QUESTION, "--json")
    assert answer_of(healed) == answer
    assert healed.stderr == "", "the ingest rewrites the generation record"


def test_garbled_entry_warns_one_line_through_the_cli(tmp_path: Path, articles_dir: Path) -> None:
    assert run_newsbot(tmp_path, "ingest", str(articles_dir)).returncode == 0
    client = open_client(tmp_path / "data" / "chroma")
    client.get_collection(f"{collection_name(MODEL)}-articles").update(
        ids=[VICTIM], metadatas=[{"state": "zombie"}]
    )
    client.close()

    result = run_newsbot(tmp_path, "ingest", str(articles_dir), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"WARNING ingest.sync: manifest entry of {VICTIM} is garbled (state 'zombie'): "
        "redoing the article"
    ]
    report = json.loads(result.stdout)
    assert (report["updated"], report["unchanged"]) == (1, 4)


# --- a bad store folder ----------------------------------------------------------------------


@contextlib.contextmanager
def unwritable_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may create files in. chmod is enough for a normal user; root ignores
    it, so as root the folder is made immutable (chattr +i), or, where the filesystem does not
    support that, a folder under /sys (read-only even for root) is used."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if _writable(folder):
        immutable = (
            subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        )
    try:
        if _writable(folder):
            folder = Path("/sys/newsbot-store")
        assert not _writable(folder), f"could not make an unwritable folder ({folder})"
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(tmp_path / "locked")], check=True)
        (tmp_path / "locked").chmod(0o755)


def _writable(folder: Path) -> bool:
    probe = folder / "probe"
    try:
        probe.mkdir(parents=True)
    except OSError:
        return False
    probe.rmdir()
    return True


@pytest.mark.parametrize("kind", ["a regular file", "an unwritable folder", "a corrupt database"])
@pytest.mark.parametrize("command", ["ingest", "ask"])
def test_bad_store_folder_is_one_line_and_exit_1(
    tmp_path: Path, articles_dir: Path, kind: str, command: str
) -> None:
    args = ["ingest", str(articles_dir)] if command == "ingest" else ["ask", QUESTION]
    with contextlib.ExitStack() as stack:
        if kind == "a regular file":
            store = tmp_path / "store"
            store.write_text("not a folder\n")
            expected = f"the Chroma store path {store} is a file, not a folder"
        elif kind == "an unwritable folder":
            store = stack.enter_context(unwritable_folder(tmp_path))
            expected = f"the index at {store} "
        else:
            store = tmp_path / "store"
            store.mkdir()
            (store / "chroma.sqlite3").write_bytes(os.urandom(64 * 1024))
            expected = f"the index at {store} cannot be used: "
        result = run_newsbot(tmp_path, *args, NEWSBOT_CHROMA_PATH=str(store))
    line = one_line_error(result)
    assert expected in line, line
    assert result.stdout == ""


def test_interactive_ask_reports_a_lost_server_and_keeps_the_prompt(
    tmp_path: Path, articles_dir: Path, own_server: OwnServer
) -> None:
    """Asked at the prompt while the server is down: one line, and the next question, once the
    server is back, is answered in the same session (`--json`: one answer a line)."""
    assert run_newsbot(tmp_path, "ingest", str(articles_dir), **own_server.env).returncode == 0
    session = subprocess.Popen(
        [sys.executable, "-m", "bot.faces.cli", "ask", "--json"],
        cwd=tmp_path,
        env=newsbot_env(tmp_path, **own_server.env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert session.stdin and session.stdout and session.stderr

    def ask(question: str) -> None:
        assert session.stdin is not None
        session.stdin.write(question + "\n")
        session.stdin.flush()

    try:
        ask("How many European leaders attended?")
        assert "[1]" in json.loads(session.stdout.readline())["answer"]
        own_server.kill()
        ask("When will Putin and Zelensky meet?")
        lost = session.stderr.readline()
        assert lost.startswith("newsbot: error: lost the Chroma server"), lost
        own_server.start()
        ask("When will Putin and Zelensky meet?")
        assert "two weeks" in json.loads(session.stdout.readline())["answer"]
        ask("exit")
        assert session.wait(timeout=60) == 0
    finally:
        if session.poll() is None:
            session.kill()
