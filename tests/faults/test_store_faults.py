"""A store that cannot write: a full disk, a read-only file system, a database another process
holds locked. Each is one line saying what and what to do, nothing half-written, and the next
run exact.

Real file systems: a small tmpfs the test mounts (the tests run as root on a fresh machine, as
CI does), filled by the ingest itself; remounted larger, or read-only, by the test. The
embedded store lives on it, or a `chroma run` server's data folder does.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.chroma_process import free_port, start_chroma, stop_process
from ingest.embed import MiniLMEmbeddings
from ingest.store import Index, open_client
from tests.helpers import QUESTION, assert_exact, one_line_error, run_newsbot

MODEL = MiniLMEmbeddings.model_id
TOO_SMALL = "600k"  # room for Chroma's empty database, not for the seeds' chunks


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of TOO_SMALL bytes, unmounted at the end."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TOO_SMALL}", "tmpfs", str(mount)], check=True
    )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def remount(mount: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount)], check=True)


def test_a_full_disk_is_one_line_and_the_next_run_is_exact(
    tmp_path: Path, articles_dir: Path, small_disk: Path, embeddings: MiniLMEmbeddings
) -> None:
    store = small_disk / "chroma"
    full = run_newsbot(tmp_path, "ingest", str(articles_dir), NEWSBOT_CHROMA_PATH=str(store))
    line = one_line_error(full)
    assert f"the disk holding the index at {store} is full" in line, line
    assert "run `newsbot ingest` again" in line
    remount(small_disk, "size=20m")  # space freed
    again = run_newsbot(tmp_path, "ingest", str(articles_dir), NEWSBOT_CHROMA_PATH=str(store))
    assert again.returncode == 0, again.stderr
    assert_exact(articles_dir, Index(open_client(store), embeddings, MODEL))


def test_a_full_disk_on_the_server_is_one_line_and_the_next_run_is_exact(
    tmp_path: Path, articles_dir: Path, small_disk: Path, embeddings: MiniLMEmbeddings
) -> None:
    port = free_port()
    server = start_chroma(small_disk / "server", port)
    env = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port)}
    try:
        line = one_line_error(run_newsbot(tmp_path, "ingest", str(articles_dir), **env))
        # the server's own words may not name the disk ("Error in compaction ..."): say where
        # to look, and that the next run finishes the work
        assert "the Chroma server" in line and "disk" in line, line
        assert "run `newsbot ingest` again" in line, line
        stop_process(server)  # space freed and the server restarted, as its admin would
        remount(small_disk, "size=20m")
        server = start_chroma(small_disk / "server", port)
        again = run_newsbot(tmp_path, "ingest", str(articles_dir), **env)
        assert again.returncode == 0, again.stderr
        assert_exact(articles_dir, Index(open_client(None, "127.0.0.1", port), embeddings, MODEL))
    finally:
        stop_process(server)


def test_a_read_only_store_is_one_line_for_ingest_and_ask(
    tmp_path: Path, articles_dir: Path, small_disk: Path
) -> None:
    remount(small_disk, "size=20m")
    store = small_disk / "chroma"
    first = run_newsbot(tmp_path, "ingest", str(articles_dir), NEWSBOT_CHROMA_PATH=str(store))
    assert first.returncode == 0, first.stderr
    (articles_dir / "new.txt").write_text("A new story\n\nA new story arrived on Friday.\n")
    remount(small_disk, "ro")
    for args in (("ingest", str(articles_dir)), ("ask", QUESTION)):
        line = one_line_error(run_newsbot(tmp_path, *args, NEWSBOT_CHROMA_PATH=str(store)))
        assert f"the index at {store} is read-only" in line, line


def test_a_store_locked_by_another_process_is_one_line_in_bounded_time(
    tmp_path: Path, articles_dir: Path, embeddings: MiniLMEmbeddings
) -> None:
    store = tmp_path / "store"
    first = run_newsbot(tmp_path, "ingest", str(articles_dir), NEWSBOT_CHROMA_PATH=str(store))
    assert first.returncode == 0, first.stderr
    (articles_dir / "new.txt").write_text("A new story\n\nA new story arrived on Friday.\n")
    holder = sqlite3.connect(store / "chroma.sqlite3")
    holder.execute("BEGIN EXCLUSIVE")  # another program writing, for as long as it likes
    try:  # Chroma alone would wait for it forever (run_newsbot's timeout would fail the test)
        locked = run_newsbot(tmp_path, "ingest", str(articles_dir), NEWSBOT_CHROMA_PATH=str(store))
    finally:
        holder.rollback()
        holder.close()
    line = one_line_error(locked)
    assert f"the index at {store} is locked by another process" in line, line
    again = run_newsbot(tmp_path, "ingest", str(articles_dir), NEWSBOT_CHROMA_PATH=str(store))
    assert again.returncode == 0, again.stderr
    assert_exact(articles_dir, Index(open_client(store), embeddings, MODEL))


def fill(mount: Path, leave: int) -> Path:
    """Fill the tmpfs at `mount` until about `leave` bytes are free; the filler file."""
    filler = mount / "filler"
    free = shutil.disk_usage(mount).free
    filler.write_bytes(b"\0" * max(0, free - leave))
    return filler


def test_a_full_data_folder_is_one_line_leaves_no_half_cache_and_the_next_run_is_exact(
    tmp_path: Path, articles_dir: Path, small_disk: Path
) -> None:
    """The data folder (lock file, word-index cache) fills up while Chroma's disk has room:
    the cache cannot be written. One line, no half-written cache, and after freeing space
    the next ingest finishes and `ask` answers."""
    remount(small_disk, "size=1m")
    env = {"NEWSBOT_DATA_DIR": str(small_disk), "NEWSBOT_CHROMA_PATH": str(tmp_path / "chroma")}
    filler = fill(small_disk, leave=8 * 1024)  # the lock file fits, the cache does not
    line = one_line_error(run_newsbot(tmp_path, "ingest", str(articles_dir), **env))
    assert f"the disk holding the index at {small_disk / 'lexical'} is full" in line, line
    assert not list(small_disk.rglob(".tmp-*"))
    filler.unlink()
    again = run_newsbot(tmp_path, "ingest", str(articles_dir), "--json", **env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["unchanged"] == 5  # the chunks were all written before
    asked = run_newsbot(tmp_path, "ask", QUESTION, **env)
    assert asked.returncode == 0 and "[1]" in asked.stdout, asked.stderr


def test_a_read_only_data_folder_is_one_line_for_ingest(
    tmp_path: Path, articles_dir: Path, small_disk: Path
) -> None:
    """The lock file cannot be made: one line naming the folder, not a traceback."""
    remount(small_disk, "ro")
    env = {"NEWSBOT_DATA_DIR": str(small_disk), "NEWSBOT_CHROMA_PATH": str(tmp_path / "chroma")}
    line = one_line_error(run_newsbot(tmp_path, "ingest", str(articles_dir), **env))
    assert f"the index at {small_disk} is read-only" in line, line
