"""Sync against real Chroma (embedded and a `chroma run` server) with the real packaged model."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ingest.load import file_hash, read_article
from ingest.models import Article, Skipped
from ingest.split import split_article
from ingest.store import Index
from ingest.sync import sync_folder, watch_folder
from tests.helpers import CountingEmbeddings, assert_exact


def test_first_sync_indexes_every_seed(index: Index, articles_dir: Path) -> None:
    report = sync_folder(articles_dir, index)
    assert (report.added, report.updated, report.removed, report.unchanged) == (5, 0, 0, 0)
    assert report.skipped == []
    assert report.chunks == index.count() > 5
    assert_exact(articles_dir, index)


def test_resync_is_a_noop_that_embeds_nothing(
    counted_index: Index, counting: CountingEmbeddings, articles_dir: Path
) -> None:
    index = counted_index
    sync_folder(articles_dir, index)
    first, generation = counting.embedded, index.generation()
    report = sync_folder(articles_dir, index)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)
    assert report.chunks == 0 and counting.embedded == first
    assert index.generation() == generation, "a no-op sync must not invalidate reader caches"
    assert_exact(articles_dir, index)


def test_changed_added_and_removed_files_are_synced(index: Index, articles_dir: Path) -> None:
    sync_folder(articles_dir, index)
    changed = articles_dir / "003_94ac584e2d0b5b00.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("270 drones", "999 drones"), encoding="utf-8"
    )
    (articles_dir / "002_17d30bda0ffc9e3b.txt").unlink()
    (articles_dir / "sub").mkdir()
    (articles_dir / "sub" / "new.md").write_text(
        "# Lighthouse restored\n\nThe old lighthouse in Porto reopened on Friday after a "
        "two-year restoration funded by the city council.\n",
        encoding="utf-8",
    )
    report = sync_folder(articles_dir, index)
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 3)
    texts = [c.text for c in index.all_chunks()]
    assert any("999 drones" in t for t in texts)
    assert not any("270 drones" in t for t in texts), "stale chunk of the changed file left"
    assert not any(c.metadata["article_id"].startswith("002_") for c in index.all_chunks())
    assert "sub/new.md" in index.manifest()
    assert_exact(articles_dir, index)


def test_bad_files_are_skipped_with_reasons_and_the_run_goes_on(
    index: Index, articles_dir: Path
) -> None:
    (articles_dir / "empty.txt").write_bytes(b"")
    (articles_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (articles_dir / "cp1252.txt").write_bytes(b"The \x93quoted\x94 caf\xe9 story. " * 10)
    seen: list[Skipped] = []
    report = sync_folder(articles_dir, index, on_skip=seen.append)
    assert report.added == 5
    assert {s.file for s in report.skipped} == {"empty.txt", "image.txt", "cp1252.txt"}
    assert seen == report.skipped
    assert all(s.reason and "\n" not in s.reason for s in report.skipped)
    assert_exact(articles_dir, index)


def test_a_file_turned_bad_keeps_its_indexed_version(index: Index, articles_dir: Path) -> None:
    sync_folder(articles_dir, index)
    before = {c.chunk_id for c in index.all_chunks() if c.metadata["file"].startswith("004_")}
    (articles_dir / "004_c21a65f38bb3e5fc.txt").write_bytes(b"")
    report = sync_folder(articles_dir, index)
    assert [s.file for s in report.skipped] == ["004_c21a65f38bb3e5fc.txt"]
    after = {c.chunk_id for c in index.all_chunks() if c.metadata["file"].startswith("004_")}
    assert after == before != set()


def test_interrupted_write_is_redone_without_duplicates(index: Index, articles_dir: Path) -> None:
    """A crash between the chunk upsert and the commit leaves a `pending` article: redone."""
    sync_folder(articles_dir, index)
    path = articles_dir / "001_5990277709c17f71.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nA late paragraph was added.\n")
    article = read_article(path, articles_dir)
    assert isinstance(article, Article)
    chunks = split_article(article)
    index._mark([article], "pending", [len(chunks)])
    index.chunks.upsert(
        ids=[c.chunk_id for c in chunks[:1]],
        documents=[c.text for c in chunks[:1]],
        embeddings=index.embeddings.embed_documents([chunks[0].text]),
        metadatas=[dict(chunks[0].metadata)],
    )
    report = sync_folder(articles_dir, index)
    assert report.updated == 1
    assert_exact(articles_dir, index)


def test_watch_picks_up_a_new_file(index: Index, articles_dir: Path) -> None:
    reports = []
    stop = threading.Event()
    arrived = threading.Event()

    def on_report(report: Any) -> None:
        reports.append(report)
        if len(reports) == 2:
            arrived.set()
            stop.set()

    worker = threading.Thread(
        target=watch_folder,
        args=(articles_dir, index, on_report),
        kwargs={"interval": 0.1, "stop": stop},
    )
    worker.start()
    while not reports:
        stop.wait(0.05)
    (articles_dir / "late.txt").write_text(
        "Storm closes ports. Heavy storms closed three ports on the coast on Sunday.\n"
    )
    assert arrived.wait(60), "watch did not sync the new file"
    stop.set()
    worker.join(10)
    assert reports[0].added == 5 and reports[1].added == 1
    assert "late.txt" in index.manifest()


def test_any_file_name_the_os_allows_is_indexed_under_a_printable_id(
    index: Index, articles_dir: Path
) -> None:
    """Latin-1 bytes (not UTF-8) and a line break in names: indexed, printable, stable."""
    latin1 = articles_dir / os.fsdecode(b"caf\xe9.txt")
    latin1.write_text("Cafe prices rise\n\nCoffee rose sharply in Lisbon cafes on Monday.\n")
    (articles_dir / "two\nlines.txt").write_text("Odd name\n\nA story filed on Tuesday.\n")
    report = sync_folder(articles_dir, index)
    assert (report.added, report.skipped) == (7, [])
    ids = set(index.manifest())
    assert {"caf\\xe9.txt", "two\\nlines.txt"} <= ids
    assert all(i.isprintable() for i in ids)
    assert_exact(articles_dir, index)
    assert sync_folder(articles_dir, index).unchanged == 7  # the same id on the next run


def test_a_rerun_after_a_killed_first_write_counts_it_as_added(
    index: Index, articles_dir: Path
) -> None:
    """A first version a killed run left `pending` was never in the index: it is added."""
    path = articles_dir / "003_94ac584e2d0b5b00.txt"
    article = read_article(path, articles_dir)
    assert isinstance(article, Article)
    index._mark([article], "pending", [len(split_article(article))])
    report = sync_folder(articles_dir, index)
    assert (report.added, report.updated) == (5, 0)


def _watching(
    folder: Path, index: Index, **kwargs: Any
) -> tuple[threading.Thread, threading.Event, list[Any], list[str]]:
    """A watch running in a thread: (thread, stop, reports, notices)."""
    reports: list[Any] = []
    notices: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(
        target=watch_folder,
        args=(folder, index, reports.append),
        kwargs={"interval": 0.1, "stop": stop, "on_notice": notices.append} | kwargs,
    )
    worker.start()
    return worker, stop, reports, notices


def _until(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_watch_waits_out_a_vanished_folder(index: Index, articles_dir: Path) -> None:
    """Moved away (or unmounted) for a while: said once, then synced again when it is back."""
    worker, stop, reports, notices = _watching(articles_dir, index)
    try:
        assert _until(lambda: len(reports) == 1)
        away = articles_dir.with_name("away")
        articles_dir.rename(away)
        assert _until(lambda: len(notices) == 1)
        time.sleep(0.5)  # several polls while it is gone: still one notice
        assert len(notices) == 1 and "is gone" in notices[0]
        (away / "late.txt").write_text("Storm closes ports\n\nStorms closed three ports.\n")
        away.rename(articles_dir)
        assert _until(lambda: len(reports) == 2), notices
        assert worker.is_alive()
    finally:
        stop.set()
        worker.join(30)
    assert reports[1].added == 1 and "late.txt" in index.manifest()
    assert "back to normal" in notices[-1]


def test_watch_does_not_read_a_file_still_being_written(index: Index, articles_dir: Path) -> None:
    """A file that grows between polls is synced once it has stopped growing, whole."""
    worker, stop, reports, _ = _watching(articles_dir, index, interval=0.3)
    growing = articles_dir / "growing.txt"
    try:
        assert _until(lambda: len(reports) == 1)
        with growing.open("w", encoding="utf-8") as out:
            out.write("Port strike spreads\n\n")
            for i in range(30):  # a slow writer: a line every 0.05 s, a poll every 0.3 s
                out.write(f"Dockers at port number {i} joined the strike on Monday.\n")
                out.flush()
                time.sleep(0.05)
        assert _until(lambda: "growing.txt" in index.manifest())
    finally:
        stop.set()
        worker.join(30)
    assert_exact(articles_dir, index)
    # never a half-written version first (it would have been updated later to the whole)
    assert sum(r.added for r in reports) == 6 and sum(r.updated for r in reports) == 0


def test_a_file_with_the_same_id_as_another_is_skipped_and_the_other_indexed(
    index: Index, articles_dir: Path
) -> None:
    """A latin-1 "caf\\xe9.txt" and a file really named with a backslash share a printable id:
    the one named so is indexed, the other skipped with a reason, the same way every run."""
    latin1 = articles_dir / os.fsdecode(b"caf\xe9.txt")
    latin1.write_text("Latin-1 name\n\nThe latin-1 story was filed on Monday.\n")
    literal = articles_dir / "caf\\xe9.txt"
    literal.write_text("Backslash name\n\nThe backslash story was filed on Tuesday.\n")
    for _ in range(2):
        report = sync_folder(articles_dir, index)
        assert [s.file for s in report.skipped] == ["caf\\xe9.txt"]
        assert "rename this one" in report.skipped[0].reason
    assert index.manifest()["caf\\xe9.txt"].content_hash == file_hash(literal.read_bytes())
    assert report.unchanged == 6  # the seeds and the indexed one; nothing rewritten


def test_a_renamed_or_copied_file_takes_its_stored_vectors_instead_of_embedding_again(
    counted_index: Index, counting: CountingEmbeddings, articles_dir: Path
) -> None:
    index = counted_index
    sync_folder(articles_dir, index)
    old = articles_dir / "003_94ac584e2d0b5b00.txt"
    before = index.chunks.get(where={"article_id": old.name}, include=["documents", "embeddings"])
    vectors = dict(zip(before["documents"], before["embeddings"], strict=True))
    (articles_dir / "moved").mkdir()
    old.rename(articles_dir / "moved" / "renamed.txt")
    (articles_dir / "copy.txt").write_bytes((articles_dir / "moved" / "renamed.txt").read_bytes())
    counting.embedded = 0
    report = sync_folder(articles_dir, index)
    assert (report.added, report.removed, report.updated) == (2, 1, 0)
    assert counting.embedded == 0
    # the first of the two files with the same text takes the vectors, the other is its copy
    assert report.reused == report.chunks == len(vectors) and report.copies == 1
    assert index.manifest()["moved/renamed.txt"].copy_of == "copy.txt"
    assert_exact(articles_dir, index)
    for moved in ("copy.txt",):
        after = index.chunks.get(where={"article_id": moved}, include=["documents", "embeddings"])
        assert len(after["ids"]) == len(vectors)
        for text, vector in zip(after["documents"], after["embeddings"], strict=True):
            # the stored vector, as Chroma gives it back (float32, normalised for cosine)
            assert np.allclose(vector, vectors[text], rtol=1e-5, atol=1e-7)
    changed = articles_dir / "copy.txt"
    changed.write_text(
        changed.read_text()
        + "\n"
        + " ".join(f"Update {i}: the count rose to {i * 7}." for i in range(400))
    )
    report = sync_folder(articles_dir, index)
    assert report.reused == 0 and report.copies == 0  # new content is embedded; ...
    assert counting.embedded > 0
    # ... and the copy, no longer nearly the same, is indexed on its own
    assert index.manifest()["moved/renamed.txt"].copy_of == ""
    assert_exact(articles_dir, index)
