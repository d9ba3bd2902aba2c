"""`newsbot feeds add|list|remove` and `newsbot fetch`: parse, call ingest's feed reader, print.

`fetch_and_sync` is the one job the CLI, the watch's schedule and the Discord bot all run:
read the feeds, write the new stories into the articles folder, sync the index with it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings
    from ingest.feed_reader import FetchReport
    from ingest.report import SyncReport
    from ingest.store import Index


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `feeds` and `fetch` subcommands, added to the CLI's parser."""
    feeds = sub.add_parser("feeds", help="the RSS/Atom feeds `newsbot fetch` reads")
    actions = feeds.add_subparsers(dest="feeds_action", required=True, metavar="ACTION")
    actions.add_parser("add", help="subscribe to a feed").add_argument("url")
    listing = actions.add_parser("list", help="the feeds, when each was read, its last error")
    listing.add_argument("--json", action="store_true", help="print as JSON")
    actions.add_parser("remove", help="unsubscribe (its articles stay)").add_argument("url")
    fetch = sub.add_parser("fetch", help="read the feeds now, save new stories, sync the index")
    fetch.add_argument("--json", action="store_true", help="print the summary as JSON")


def _line(message: str) -> None:
    print(f"newsbot: {message}", file=sys.stderr, flush=True)


def run_feeds(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.feeds import add_feed, load_state, remove_feed

    data_dir = settings.data_dir
    if args.feeds_action == "add":
        added = add_feed(data_dir, args.url)
        print(f"{'Added' if added else 'Already in the list'}: {args.url.strip()}")
        print(f"`newsbot fetch` reads it now; a schedule every {_every(settings)}.")
        return 0
    if args.feeds_action == "remove":
        remove_feed(data_dir, args.url)
        print(f"Removed: {args.url.strip()} (the articles taken from it stay)")
        return 0
    feeds = list(load_state(data_dir).feeds.values())
    if args.json:
        rows = [
            {"url": f.url, "title": f.title, "last_read": f.last_read, "last_error": f.last_error}
            for f in feeds
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for f in feeds:
        read = (
            time.strftime("%Y-%m-%d %H:%M", time.localtime(f.last_read))
            if f.last_read
            else "never read"
        )
        print(
            f"{f.url}  {read}  {f.title or '-'}"
            + (f"  last error: {f.last_error}" if f.last_error else "")
        )
    print(f"{len(feeds)} feeds")
    return 0


def _every(settings: Settings) -> str:
    seconds = settings.fetch_every
    if not seconds:
        return "is off (NEWSBOT_FETCH_EVERY)"
    return f"{seconds / 60:g} min (NEWSBOT_FETCH_EVERY) by `ingest --watch` and the Discord bot"


def fetch_feeds(
    settings: Settings, on_problem: Callable[[str], None] = _line
) -> FetchReport | None:
    """Read the feeds once into the articles folder. None when no feed was ever added, another
    newsbot is reading, or the feed list cannot be read or written (said in one line)."""
    from ingest.feed_reader import fetch_all
    from ingest.feeds import STATE_FILE, FeedError, FetchRunning, fetch_lock
    from ingest.fetch import Fetcher

    if not (settings.data_dir / STATE_FILE).is_file():
        return None
    try:
        with (
            fetch_lock(settings.data_dir),
            Fetcher(timeout=settings.fetch_timeout, delay=settings.fetch_delay) as fetcher,
        ):
            return fetch_all(
                settings.data_dir, settings.articles_dir, fetcher, on_problem=on_problem
            )
    except FetchRunning as exc:
        on_problem(f"{exc}; skipping this round")
    except FeedError as exc:
        on_problem(str(exc))
    except OSError as exc:
        on_problem(f"cannot read the feeds into {settings.articles_dir}: {exc.strerror or exc}")
    return None


def fetch_and_sync(
    settings: Settings,
    index: Index,
    on_problem: Callable[[str], None] = _line,
) -> tuple[FetchReport | None, SyncReport | None]:
    """Fetch, then sync when anything new was written (under the ingest lock)."""
    from bot.wiring import sync

    fetched = fetch_feeds(settings, on_problem)
    if fetched is None or not fetched.stories:
        return fetched, None
    return fetched, sync(settings, index=index, on_notice=on_problem, refresh=False)


def run_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import open_index, refresh_lexical
    from ingest.feeds import load_state

    if not load_state(settings.data_dir).feeds:
        print("No feeds to read: add one with `newsbot feeds add URL`.", file=sys.stderr)
        return 0
    index = open_index(settings)
    fetched, report = fetch_and_sync(settings, index)
    if report is not None:
        refresh_lexical(settings, index)
    if args.json:
        out = {
            "fetch": fetched.to_json() if fetched else None,
            "sync": report.to_json() if report else None,
        }
        print(json.dumps(out, ensure_ascii=False))
        return 0
    if fetched is not None:
        print(f"Fetched: {fetched.summary()}")
    if report is not None:
        print(f"Synced: {report.summary()}")
    return 0
