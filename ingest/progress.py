"""Progress of a sync on stderr, counted in chunks embedded (the slow part).

On a terminal it is a tqdm bar; elsewhere (a log file, `--json` piped into a script, a
service's journal) it is a line every LINE_EVERY seconds, and only for syncs long enough to
need one. Counting chunks rather than articles keeps one long article from sitting at 0% for
minutes.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

LINE_EVERY = 15.0  # seconds between progress lines when stderr is not a terminal


class Progress:
    """`update(n)` after every n chunks embedded; `close()` at the end."""

    def __init__(self, total: int, *, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self._last_line = self.started
        self._bar: Any = None
        self.enabled = enabled and total > 0
        if self.enabled and self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, unit="chunk", desc="embedding", file=self.stream, leave=False
            )

    def update(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last_line >= LINE_EVERY and self.done < self.total:
            self._last_line = now
            rate = self.done / max(now - self.started, 1e-9)
            left = (self.total - self.done) / rate if rate > 0 else 0.0
            print(
                f"newsbot: embedding {self.done:,}/{self.total:,} chunks "
                f"({100 * self.done // self.total}%), about {left:.0f} s left",
                file=self.stream,
                flush=True,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
