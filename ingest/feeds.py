"""The feeds newsbot reads and what it has taken from them, kept in the data folder.

One JSON file, `feeds.json`, written whole to a temporary file and renamed over the old one, so
a run killed mid-write leaves the previous state, never half of one. It holds, per feed, the
validators of its last answer (ETag, Last-Modified: the next read is a conditional GET) and its
last error; and the keys of every item already taken (its GUID, its link and its page's
canonical URL, normalised), so no item is fetched twice, even when two feeds carry it or its
link gains tracking parameters.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ingest.errors import NewsbotError

STATE_FILE = "feeds.json"
LOCK_FILE = "fetch.lock"
MAX_TRIES = 3  # a page that keeps failing (5xx, timeout) is kept as its summary after this
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref_src", "cmpid")


class FeedError(NewsbotError, ValueError):
    """A feed command the user got wrong (a bad URL, a feed not in the list): one line."""


@dataclass(slots=True)
class Feed:
    """One subscribed feed and what its last read left."""

    url: str
    etag: str = ""
    last_modified: str = ""
    last_read: float = 0.0  # time of the last successful read (200 or 304)
    last_error: str = ""
    title: str = ""


@dataclass(slots=True)
class FeedState:
    """Feeds by URL, the keys of items taken, and failed tries of items not yet taken."""

    feeds: dict[str, Feed] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    tries: dict[str, int] = field(default_factory=dict)

    def is_seen(self, *urls_or_ids: str) -> bool:
        return any(key in self.seen for key in _keys(urls_or_ids))

    def mark_seen(self, *urls_or_ids: str) -> None:
        for key in _keys(urls_or_ids):
            self.seen.add(key)
            self.tries.pop(key, None)

    def failed(self, item_key: str) -> int:
        """Count a failed try of an item; the number of tries so far."""
        key = normalise(item_key)
        self.tries[key] = self.tries.get(key, 0) + 1
        return self.tries[key]


def _keys(values: tuple[str, ...]) -> set[str]:
    return {normalise(v) for v in values if v and v.strip()}


def normalise(value: str) -> str:
    """A GUID or URL as a key: URLs without fragment, tracking parameters, default port or
    "www.", host lower-cased; anything else stripped as is."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return value
    host = parts.hostname.lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))


def strip_tracking(url: str) -> str:
    """`url` without tracking parameters (utm_*, fbclid...) and fragment: the address stored
    with an article, so a citation links to the story, not to a campaign."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return url.strip()
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _tracking(name: str) -> bool:
    return name.lower().startswith(_TRACKING)


def check_feed_url(url: str) -> str:
    """`url` stripped, or FeedError when it cannot be a feed address."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FeedError(f"not a feed address: {url!r} (it must start with http:// or https://)")
    return url


def load_state(data_dir: Path) -> FeedState:
    """The state in `data_dir`; empty when there is none. A damaged file is FeedError."""
    path = data_dir / STATE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return FeedState()
    except (OSError, ValueError) as exc:
        raise FeedError(f"cannot read the feed list {path}: {exc}") from exc
    feeds = {}
    for url, entry in (raw.get("feeds") or {}).items():
        known = {k: v for k, v in entry.items() if k in Feed.__dataclass_fields__ and k != "url"}
        feeds[url] = Feed(url, **known)
    return FeedState(feeds, set(raw.get("seen") or []), dict(raw.get("tries") or {}))


def save_state(data_dir: Path, state: FeedState) -> None:
    """Write the state atomically: a temporary file in the same folder, renamed over the old."""
    data_dir.mkdir(parents=True, exist_ok=True)
    raw = {
        "feeds": {url: {k: v for k, v in asdict(f).items() if k != "url"} for url, f in
                  sorted(state.feeds.items())},
        "seen": sorted(state.seen),
        "tries": state.tries,
    }  # fmt: skip
    fd, tmp = tempfile.mkstemp(prefix=".feeds-", dir=data_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(raw, out, indent=1, ensure_ascii=False)
        Path(tmp).replace(data_dir / STATE_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_feed(data_dir: Path, url: str) -> bool:
    """Subscribe to `url`; False when it was already in the list."""
    url = check_feed_url(url)
    with fetch_lock(data_dir, wait=True):
        state = load_state(data_dir)
        if url in state.feeds:
            return False
        state.feeds[url] = Feed(url)
        save_state(data_dir, state)
    return True


def remove_feed(data_dir: Path, url: str) -> None:
    """Unsubscribe; the articles already taken stay (and their items stay seen)."""
    url = url.strip()
    with fetch_lock(data_dir, wait=True):
        state = load_state(data_dir)
        if url not in state.feeds:
            raise FeedError(f"not in the feed list: {url} (see `newsbot feeds list`)")
        del state.feeds[url]
        save_state(data_dir, state)


class FetchRunning(NewsbotError, RuntimeError):
    """Another process is reading the feeds right now."""


@contextlib.contextmanager
def fetch_lock(data_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """One reader of the feeds at a time (a Discord bot and `ingest --watch` may both be
    scheduled): without it both would fetch and write the same new items. Not waiting, a held
    lock is FetchRunning; the kernel frees it if its holder dies."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK_FILE).open("a", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise FetchRunning("another newsbot is reading the feeds right now") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
