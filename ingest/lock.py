"""One sync at a time per index: a second `newsbot ingest` waits for the first.

Without it two ingests of the same folder both embed every new article (the ids being
deterministic, the index still ends exact, but the work is done twice). The lock is an
advisory `flock` on a file in the data folder, released by the kernel if its holder dies, so a
killed ingest never leaves a stale lock. It serialises processes on one machine; two machines
writing to one Chroma server are not covered (their data folders differ).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_FILE = "ingest.lock"


@contextlib.contextmanager
def ingest_lock(data_dir: Path, on_wait: Callable[[str], None]) -> Iterator[None]:
    """Hold the index's ingest lock; when another process holds it, say so once through
    `on_wait` and wait for it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK_FILE).open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            on_wait(
                f"another ingest of this index is running (pid {holder}); "
                "waiting for it to finish, then syncing what is left"
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
