"""Running a job every so often in the background: the feed reader of `ingest --watch`.

A thread rather than cron: the watch and the Discord bot are long-running already, and the
schedule then stops with them (Ctrl-C, or the service stopped).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)


def parse_duration(text: str) -> float:
    """Seconds in "15m", "1h", "90s", "90"; 0 for "0", "off", "never" or blank."""
    if text.strip().lower() in ("", "off", "never", "no", "false"):
        return 0.0
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is no duration: write e.g. 15m, 1h, 90s, or off")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]


def run_every(
    seconds: float, job: Callable[[], object], stop: threading.Event, name: str = "schedule"
) -> threading.Thread:
    """Start a daemon thread running `job` now and then every `seconds` until `stop` is set.

    A job that raises is logged and the schedule goes on: one bad round must not end it."""

    def loop() -> None:
        while not stop.is_set():
            try:
                job()
            except Exception:
                log.exception("%s failed; trying again in %g s", name, seconds)
            stop.wait(seconds)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread
