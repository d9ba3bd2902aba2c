"""Make the index match the articles folder: add new, replace changed, delete removed files.

Files are compared by the sha256 of their bytes against the index's manifest, so an unchanged
file is neither cleaned nor embedded again and a no-op sync costs one read of each file. The
crash-safety argument lives in `ingest.store`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest import copies
from ingest.errors import NewsbotError
from ingest.load import article_key, file_hash, list_files, read_article, size_problem
from ingest.models import Article, Chunk, Skipped
from ingest.progress import Progress
from ingest.report import Added, SyncReport
from ingest.split import split_article
from ingest.store import Index, Record, StoreUnavailable, chunk_id

log = logging.getLogger(__name__)
FLUSH_CHUNKS = 64  # chunks embedded per write: small enough for a lively progress bar

SkipHandler = Callable[[Skipped], None]
SAME_ID = (
    "its name is not UTF-8 or printable and reads the same as another file's once made "
    "printable; that one is indexed, rename this one"
)


class FolderMissing(NewsbotError, FileNotFoundError):
    """The articles folder does not exist (the CLI exits 2)."""


def _ignore(_: Skipped) -> None:
    return None


@dataclass(slots=True)
class _Plan:
    """What a sync has to do, from comparing the folder with the manifest and the store."""

    todo: list[tuple[Path, bytes, str]]  # (path, bytes, sha256) of files to (re)write
    removed: list[str]  # manifest entries whose file is gone
    listed: set[str]  # articles the manifest knows
    unfinished: set[str]  # ... whose last write a killed run left `pending`
    stored: dict[str, set[str]]  # chunk ids in the store, by article id
    strays: list[str]  # chunk ids of articles in neither the manifest nor the folder
    donors: list[str]  # chunk ids of finished articles with the content of a file to write
    originals: dict[str, Record] = field(default_factory=dict)  # finished, not copies, kept
    unsigned: list[tuple[Path, bytes, Record]] = field(default_factory=list)  # to sign
    kept_copies: list[Record] = field(default_factory=list)  # copies of kept originals


def _scan(folder: Path, index: Index, report: SyncReport, on_skip: SkipHandler) -> _Plan:
    """Split the folder into files to (re)write and ids to remove; count the unchanged.

    A file is unchanged only when its manifest entry is `done`, carries the file's hash and
    accounts for exactly the chunk ids the store holds for it (an ids-only read, ~0.1 s at 10k
    chunks). Anything else (a killed run, a garbled entry, chunks gone missing) has the article
    redone, so the index ends exact.
    """
    known = index.manifest()
    stored = index.chunk_ids()
    seen: set[str] = set()
    todo: list[tuple[Path, bytes, str]] = []
    kept: dict[str, tuple[Path, bytes, str]] = {}  # unchanged files, by article id
    for path in list_files(folder):
        article_id = article_key(path, folder)
        if article_id in seen:  # listed right after the file that has the id: same every run
            _skip(report, on_skip, Skipped(article_id, SAME_ID))
            continue
        seen.add(article_id)  # an unreadable file keeps its earlier version, if any
        try:
            too_large = size_problem(path.stat().st_size)  # never read a huge file into memory
            data = b"" if too_large else path.read_bytes()
        except OSError as exc:
            _skip(report, on_skip, Skipped(article_id, f"unreadable ({exc.strerror or exc})"))
            continue
        if too_large:
            _skip(report, on_skip, Skipped(article_id, too_large))
            continue
        digest = file_hash(data)
        record = known.get(article_id)
        problem = _problem(record, digest, stored) if record else ""
        if problem:
            log.warning("manifest entry of %s %s: redoing the article", article_id, problem)
        elif record and record.content_hash == digest and record.state == "done":
            report.unchanged += 1
            kept[article_id] = (path, data, digest)
            continue
        todo.append((path, data, digest))
    strays = sorted(cid for aid in set(stored) - set(known) - seen for cid in stored[aid])
    if strays:
        log.warning("%d chunks belong to no article in the manifest: deleting them", len(strays))
    unfinished = {aid for aid, record in known.items() if record.state == "pending"}
    donors = _donors(known, todo, stored, folder)
    plan = _Plan(todo, sorted(set(known) - seen), set(known), unfinished, stored, strays, donors)
    _plan_copies(plan, known, kept, report)
    return plan


def _plan_copies(
    plan: _Plan,
    known: dict[str, Record],
    kept: dict[str, tuple[Path, bytes, str]],
    report: SyncReport,
) -> None:
    """Copies whose original is gone or being rewritten are redone (after everything else, so
    the original's new version is there to be copied); the originals that stay are what new
    articles are compared with, and those indexed before copies were looked for get signed."""
    for article_id, (path, data, digest) in kept.items():
        record = known[article_id]
        original = known.get(record.copy_of)
        if record.copy_of and (record.copy_of not in kept or not original or original.copy_of):
            report.unchanged -= 1
            plan.todo.append((path, data, digest))
        elif record.copy_of:
            plan.kept_copies.append(record)
        else:
            plan.originals[article_id] = record
            if not record.signature:
                plan.unsigned.append((path, data, record))


def _donors(
    known: dict[str, Record],
    todo: list[tuple[Path, bytes, str]],
    stored: dict[str, set[str]],
    folder: Path,
) -> list[str]:
    """Chunk ids whose vectors a file to write can take instead of embedding again: those of
    a finished article with the very same bytes under another name (a renamed, moved or
    copied file). Articles being rewritten themselves give none: their entry is in doubt."""
    rewriting = {article_key(path, folder) for path, _, _ in todo}
    digests = {digest for _, _, digest in todo}
    return sorted(
        cid
        for aid, record in known.items()
        if record.state == "done" and record.content_hash in digests and aid not in rewriting
        for cid in stored.get(aid, ())
    )


def _replaces(article: Article, plan: _Plan) -> bool:
    """Did an earlier version of this article make it into the index? Then writing it is an
    update; a first version that a killed run left half-written is still an addition."""
    if article.article_id not in plan.unfinished:
        return article.article_id in plan.listed
    mine = chunk_id(article.article_id, article.content_hash, 0).rsplit("#", 1)[0] + "#"
    return any(not cid.startswith(mine) for cid in plan.stored.get(article.article_id, ()))


def _problem(record: Record, digest: str, stored: dict[str, set[str]]) -> str:
    """Why a manifest entry cannot be trusted, or "". A changed file or a killed run (`pending`)
    is no problem: that is what the entry is there to tell."""
    if record.state not in ("pending", "done"):
        return f"is garbled (state {record.state!r})"
    if len(record.content_hash) != len(digest) or record.chunks < 0:
        return "is garbled (no valid hash or chunk count)"
    if record.state == "done" and record.content_hash == digest and record.copy_of:
        if record.chunks or stored.get(record.article_id):
            return "is a copy but has chunks in the store"
    elif record.state == "done" and record.content_hash == digest:
        expected = {chunk_id(record.article_id, digest, i) for i in range(record.chunks)}
        if not expected or stored.get(record.article_id, set()) != expected:
            return "does not match the chunks in the store"
    return ""


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
        yield replace(result, signature=copies.encode(copies.signature(result.text))), chunks


def _finder(folder: Path, index: Index, plan: _Plan) -> copies.CopyFinder:
    """The originals new articles may copy; entries made before copies were looked for are
    signed now (a cleaning pass, no embedding)."""
    finder = copies.CopyFinder()
    finder.add_encoded((aid, r.signature) for aid, r in plan.originals.items() if r.signature)
    finder.add_encoded((r.copy_of, r.signature) for r in plan.kept_copies if r.signature)
    signed: list[tuple[Record, str]] = []
    for path, data, record in plan.unsigned:
        article = read_article(path, folder, data)
        if isinstance(article, Article):
            signed.append((record, copies.encode(copies.signature(article.text))))
    if signed:
        index.sign([r for r, _ in signed], [sig for _, sig in signed])
        finder.add_encoded((r.article_id, sig) for r, sig in signed)
    return finder


def _split_copies(
    prepared: list[tuple[Article, list[Chunk]]], finder: copies.CopyFinder
) -> tuple[list[tuple[Article, list[Chunk]]], list[Article]]:
    """(articles to embed, copies of an original to record without chunks), in order: the
    first of several new copies of one story is its original."""
    originals: list[tuple[Article, list[Chunk]]] = []
    found: list[Article] = []
    for article, chunks in prepared:
        sig = copies.decode(article.signature)
        original = finder.find(sig) if sig is not None else None
        if original is not None and original != article.article_id:
            found.append(replace(article, copy_of=original))
            if sig is not None:
                finder.add(original, sig)
        else:
            if sig is not None:
                finder.add(article.article_id, sig)
            originals.append((article, chunks))
    return originals, found


def sync_folder(
    folder: Path,
    index: Index,
    *,
    progress: bool = False,
    on_skip: SkipHandler = _ignore,
) -> SyncReport:
    """Sync `index` with `folder` and say what changed. Idempotent; safe to kill and re-run.

    `progress`: show progress on stderr (a bar on a terminal, else a line now and then)."""
    if not folder.is_dir():
        raise FolderMissing(f"articles folder not found: {folder}")
    started = time.perf_counter()
    report = SyncReport()
    plan = _scan(folder, index, report, on_skip)
    reusable = index.vectors_by_text(plan.donors)  # read before a renamed file's old id goes
    index.remove(plan.removed)
    index.delete_chunks(plan.strays)
    report.removed = len(plan.removed)
    prepared = list(_prepared(folder, plan.todo, report, on_skip))  # linear and fast: split all
    # files whose vectors are stored (renamed, moved) are originals before anything new is
    # compared with them: a renamed story's copy must not be embedded in its place
    prepared.sort(key=lambda item: not all(c.text in reusable for c in item[1]))
    prepared, found = _split_copies(prepared, _finder(folder, index, plan))
    bar = Progress(sum(len(chunks) for _, chunks in prepared), enabled=progress)
    pending: list[tuple[Article, list[Chunk]]] = []

    def flush() -> None:
        # Every stored id this split does not make: older versions, and anything a tampered
        # store or an earlier splitter left under the same hash.
        stale = [
            cid
            for article, chunks in pending
            for cid in plan.stored.get(article.article_id, set()) - {c.chunk_id for c in chunks}
        ]
        report.chunks += index.write(pending, sorted(stale), bar.update, reusable)
        report.reused += sum(c.text in reusable for _, chunks in pending for c in chunks)
        log.info("wrote %d articles", len(pending))
        _count([a for a, _ in pending], plan, report)
        pending.clear()

    try:
        for item in prepared:
            pending.append(item)
            if sum(len(chunks) for _, chunks in pending) >= FLUSH_CHUNKS:
                flush()
        if pending:
            flush()
        # after the originals: a copy marked done always points at a finished original
        index.write_copies(
            found, sorted(c for a in found for c in plan.stored.get(a.article_id, ()))
        )
        _count(found, plan, report)
        report.copies += len(found)
    finally:
        bar.close()
    if report.changed or plan.strays or index.generation_garbled():
        index.bump_generation()  # a garbled generation record is rewritten here too
    report.seconds = time.perf_counter() - started
    return report


def _count(written: list[Article], plan: _Plan, report: SyncReport) -> None:
    """Count written articles as added or updated; new originals are listed for announcing."""
    for article in written:
        if _replaces(article, plan):
            report.updated += 1
        else:
            report.added += 1
            if not article.copy_of:
                report.new.append(Added(article.title, article.outlet, article.url, article.file))


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
    on_notice: Callable[[str], None] = log.warning,
    progress: bool = False,
    guard: Callable[[], contextlib.AbstractContextManager[object]] = contextlib.nullcontext,
) -> None:
    """Sync now, then again whenever the folder changes, until `stop` is set (or Ctrl-C).

    Polling keeps this dependency-free and works on every filesystem, network mounts included.
    A change is synced once two polls in a row see the same names, sizes and times, so a file
    still being written is not read half-written. A folder that goes away (moved, unmounted)
    or a store that fails is said once through `on_notice` and waited out; the watch goes on.
    `guard` is held around each sync (the ingest lock).
    """
    stop = stop or threading.Event()
    synced: tuple[tuple[str, int, int], ...] | None = None
    before: tuple[tuple[str, int, int], ...] | None = None
    trouble = ""
    while not stop.is_set():
        problem = "" if folder.is_dir() else f"articles folder {folder} is gone; waiting for it"
        if not problem:
            signature = folder_signature(folder)
            if signature != synced and (synced is None or signature == before):
                try:
                    with guard():
                        report = sync_folder(folder, index, progress=progress, on_skip=on_skip)
                    on_report(report)
                    synced = signature
                except FolderMissing:
                    problem = f"articles folder {folder} is gone; waiting for it"
                except StoreUnavailable as exc:
                    problem = f"{exc}; retrying every {interval:g} s"
            before = signature
        if problem != trouble:
            on_notice(problem or "back to normal: watching the articles folder again")
            trouble = problem
        stop.wait(interval)
