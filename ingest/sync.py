"""Make the index match the articles folder: add new, replace changed, delete removed files.

Files are compared by the sha256 of their bytes against the index's manifest, so an unchanged
file is neither cleaned nor embedded again and a no-op sync costs one read of each file. The
crash-safety argument lives in `ingest.store`.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ingest.load import file_hash, list_files, read_article
from ingest.models import Article, Chunk, Skipped
from ingest.report import SyncReport
from ingest.split import split_article
from ingest.store import Index

log = logging.getLogger(__name__)
FLUSH_CHUNKS = 64  # chunks embedded per write: small enough for a lively progress bar

SkipHandler = Callable[[Skipped], None]


class FolderMissing(FileNotFoundError):
    """The articles folder does not exist (the CLI exits 2)."""


def _ignore(_: Skipped) -> None:
    return None


def _scan(
    folder: Path, index: Index, report: SyncReport, on_skip: SkipHandler
) -> tuple[list[tuple[Path, bytes, str]], list[str], set[str]]:
    """Split the folder into files to (re)write and ids to remove; count the unchanged."""
    known = index.manifest()
    seen: set[str] = set()
    todo: list[tuple[Path, bytes, str]] = []
    for path in list_files(folder):
        article_id = path.relative_to(folder).as_posix()
        seen.add(article_id)  # an unreadable file keeps its earlier version, if any
        try:
            data = path.read_bytes()
        except OSError as exc:
            _skip(report, on_skip, Skipped(article_id, f"unreadable ({exc.strerror or exc})"))
            continue
        digest = file_hash(data)
        record = known.get(article_id)
        if record and record.content_hash == digest and record.state == "done":
            report.unchanged += 1
        else:
            todo.append((path, data, digest))
    removed = sorted(set(known) - seen)
    return todo, removed, set(known)


def _skip(report: SyncReport, on_skip: SkipHandler, skipped: Skipped) -> None:
    report.skipped.append(skipped)
    on_skip(skipped)


def _prepared(
    folder: Path,
    todo: list[tuple[Path, bytes, str]],
    report: SyncReport,
    on_skip: SkipHandler,
) -> Iterator[tuple[Article, list[Chunk]]]:
    """Load, clean and split the files to write, skipping bad ones with a reason."""
    for path, data, _digest in todo:
        result = read_article(path, folder, data)
        if isinstance(result, Skipped):
            _skip(report, on_skip, result)
            continue
        chunks = split_article(result)
        if not chunks:
            _skip(report, on_skip, Skipped(result.file, "no article text left after cleaning"))
            continue
        yield result, chunks


def sync_folder(
    folder: Path,
    index: Index,
    *,
    progress: bool = False,
    on_skip: SkipHandler = _ignore,
) -> SyncReport:
    """Sync `index` with `folder` and say what changed. Idempotent; safe to kill and re-run."""
    if not folder.is_dir():
        raise FolderMissing(f"articles folder not found: {folder}")
    started = time.perf_counter()
    report = SyncReport()
    todo, removed, known = _scan(folder, index, report, on_skip)
    index.remove(removed)
    report.removed = len(removed)
    bar = _progress_bar(len(todo), progress)
    pending: list[tuple[Article, list[Chunk]]] = []

    def flush() -> None:
        report.chunks += index.write(pending)
        log.info("wrote %d articles", len(pending))
        for article, _ in pending:
            if article.article_id in known:
                report.updated += 1
            else:
                report.added += 1
        bar.update(len(pending))
        pending.clear()

    for item in _prepared(folder, todo, report, on_skip):
        pending.append(item)
        if sum(len(chunks) for _, chunks in pending) >= FLUSH_CHUNKS:
            flush()
    if pending:
        flush()
    bar.close()
    if report.changed:
        index.bump_generation()
    report.seconds = time.perf_counter() - started
    return report


def _progress_bar(total: int, enabled: bool) -> tqdm[Any]:
    return tqdm(
        total=total,
        unit="article",
        desc="embedding",
        disable=not enabled or total == 0,
        file=sys.stderr,
        leave=False,
    )


def folder_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes: cheap to compute, changes when any article file changes."""
    out = []
    for path in list_files(folder):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(out)


def watch_folder(
    folder: Path,
    index: Index,
    on_report: Callable[[SyncReport], None],
    *,
    interval: float = 2.0,
    stop: threading.Event | None = None,
    on_skip: SkipHandler = _ignore,
) -> None:
    """Sync now, then again whenever the folder changes, until `stop` is set (or Ctrl-C).

    Polling keeps this dependency-free and works on every filesystem, network mounts included.
    """
    stop = stop or threading.Event()
    last: tuple[tuple[str, int, int], ...] | None = None
    while not stop.is_set():
        signature = folder_signature(folder)
        if signature != last:
            on_report(sync_folder(folder, index, on_skip=on_skip))
            last = signature
        stop.wait(interval)
