"""`newsbot fetch`: read every subscribed feed, take each new item's story, write article files.

feedparser reads RSS and Atom from bytes we fetched ourselves (so it never opens a URL on its
own, and our timeout, size cap, delay and User-Agent hold). For each item not taken before (by
GUID, link or canonical URL), the page is fetched and its story extracted; an item whose page
gives no story (not HTML, a 404, too short, too large) is kept with the feed's summary and the
link; a page that failed for a passing reason (5xx, timeout) is tried again on the next runs,
and kept as its summary after `MAX_TRIES`. Every failure is one line through `on_problem` and
the run goes on. Files go to `<articles>/feeds/<host>/`; syncing them is the caller's next step.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ingest.extract import Story, is_html, story_from_page, write_story
from ingest.feeds import MAX_TRIES, Feed, FeedState, load_state, save_state, strip_tracking
from ingest.fetch import Fetcher, FetchError
from ingest.html_text import html_to_document

log = logging.getLogger(__name__)
MAX_ITEMS = 100  # newest items read per feed and run: a first read of a huge archive is capped
FEEDS_FOLDER = "feeds"
_OUTLET_WORDS = 4  # a feed title longer than this is a description, not an outlet's name

ProblemHandler = Callable[[str], None]


@dataclass(slots=True)
class FetchReport:
    """What a fetch run did; `stories` are the written ones, in order."""

    feeds: int = 0
    unchanged: int = 0  # feeds that answered 304 Not Modified
    stories: list[Story] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    summaries: int = 0  # of the stories, kept as the feed's summary and link
    known: int = 0  # items taken on an earlier run (or by another feed)
    retry: int = 0  # items whose page failed for now; tried again next run
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.feeds} feeds read ({self.unchanged} unchanged), {len(self.stories)} new "
            f"stories ({self.summaries} as summaries), {self.known} already taken, "
            f"{self.retry} to retry, {len(self.problems)} problems in {self.seconds:.1f}s"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "feeds": self.feeds,
            "unchanged": self.unchanged,
            "new": [
                {"title": s.title, "outlet": s.outlet, "url": s.url, "file": str(f)}
                for s, f in zip(self.stories, self.files, strict=True)
            ],
            "summaries": self.summaries,
            "known": self.known,
            "retry": self.retry,
            "problems": self.problems,
            "seconds": round(self.seconds, 3),
        }


def _ignore(_: str) -> None:
    return None


def fetch_all(
    data_dir: Path,
    articles_dir: Path,
    fetcher: Fetcher,
    *,
    on_problem: ProblemHandler = _ignore,
) -> FetchReport:
    """Read every feed in the list once; the caller holds `feeds.fetch_lock`."""
    started = time.perf_counter()
    state = load_state(data_dir)
    report = FetchReport()
    run = _Run(state, articles_dir / FEEDS_FOLDER, fetcher, report, on_problem)
    for feed in list(state.feeds.values()):
        run.read_feed(feed)
        save_state(data_dir, state)  # after each feed: a killed run loses one feed's work
    report.seconds = time.perf_counter() - started
    return report


@dataclass(slots=True)
class _Run:
    state: FeedState
    folder: Path
    fetcher: Fetcher
    report: FetchReport
    on_problem: ProblemHandler

    def problem(self, line: str) -> None:
        self.report.problems.append(line)
        self.on_problem(line)

    def read_feed(self, feed: Feed) -> None:
        """One feed: a conditional GET, parse, then each new item; failures are one line."""
        self.report.feeds += 1
        try:
            got = self.fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        except FetchError as exc:
            feed.last_error = str(exc)
            self.problem(f"feed {exc}")
            return
        if got.not_modified:
            self.report.unchanged += 1
            feed.last_read, feed.last_error = time.time(), ""
            return
        parsed = _parse(got.body, got.url, got.content_type)
        if isinstance(parsed, str):
            feed.last_error = f"{feed.url}: {parsed}"
            self.problem(f"feed {feed.last_error}")
            return
        if _malformed(parsed):
            feed.last_error = f"{feed.url}: {_malformed(parsed)}"
            self.problem(f"feed {feed.last_error}; read the {len(parsed.entries)} items found")
        feed.etag, feed.last_modified = got.etag, got.last_modified
        feed.last_read = time.time()
        feed.last_error = feed.last_error if _malformed(parsed) else ""
        feed.title = _text(parsed.feed.get("title", ""))
        for entry in parsed.entries[:MAX_ITEMS]:
            self.read_item(_item(entry, feed, got.url))

    def read_item(self, item: _Item) -> None:
        """One item: skipped when taken before, else its story (or its summary) written."""
        if self.state.is_seen(item.guid, item.story.url):
            self.report.known += 1
            return
        story = self._story(item)
        if story is None:
            return
        if story.url != item.story.url and self.state.is_seen(story.url):
            self.state.mark_seen(item.guid, item.story.url)  # another feed's copy of it
            self.report.known += 1
            return
        try:
            path = write_story(self.folder / (_host(story.url or story.feed) or "unknown"), story)
        except OSError as exc:
            self.problem(f"cannot write {story.url} into {self.folder}: {exc.strerror or exc}")
            return
        self.state.mark_seen(item.guid, item.story.url, story.url)
        self.report.stories.append(story)
        self.report.files.append(path)
        self.report.summaries += story.summary_only

    def _story(self, item: _Item) -> Story | None:
        """The page's story; the summary when the page has none; None to retry later."""
        if not item.story.url:
            return self._summary(
                item, f"item {item.story.title!r} of {item.story.feed} has no link"
            )
        try:
            page = self.fetcher.get(item.story.url)
        except FetchError as exc:
            tries = self.state.failed(item.guid or item.story.url)
            if exc.transient and tries < MAX_TRIES:
                self.report.retry += 1
                self.problem(f"page {exc} (try {tries} of {MAX_TRIES}; again next run)")
                return None
            return self._summary(item, f"page {exc}")
        if not is_html(page.content_type, page.body):
            kind = page.content_type.split(";")[0] or "no content type"
            return self._summary(item, f"page {page.url}: not a web page ({kind})")
        story = story_from_page(page.body, page.url, item.story)
        if story is None:
            return self._summary(item, f"page {page.url}: no story text found in it")
        return story

    def _summary(self, item: _Item, why: str) -> Story | None:
        """The item as the feed gave it; None (and a line) when it has no summary either."""
        if not item.story.text:
            self.problem(f"{why}; the item has no summary either, skipped")
            self.state.mark_seen(item.guid, item.story.url)
            return None
        self.problem(f"{why}; kept the feed's summary and link")
        return item.story


@dataclass(frozen=True, slots=True)
class _Item:
    guid: str
    story: Story  # the feed's own view: title, summary as text, link, author, date


def _parse(body: bytes, url: str, content_type: str) -> Any:
    """feedparser's result, or a one-line reason why the body is no feed."""
    import feedparser

    parsed = feedparser.parse(
        body, response_headers={"content-location": url, "content-type": content_type}
    )
    if parsed.bozo and not parsed.entries:
        reason = " ".join(str(parsed.get("bozo_exception", "")).split())[:200]
        return f"not a readable RSS or Atom feed ({reason or 'malformed'})"
    if not parsed.get("version") and not parsed.entries:
        return "not an RSS or Atom feed"
    return parsed


def _malformed(parsed: Any) -> str:
    """Why a feed that could be read in part is not well-formed, or "" (a charset declared
    wrongly is common and harmless: not worth a line)."""
    import feedparser

    problem = parsed.get("bozo_exception")
    if not parsed.bozo or problem is None:
        return ""
    if isinstance(problem, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType):
        return ""
    return f"malformed ({' '.join(str(problem).split())[:200]})"


def _item(entry: Any, feed: Feed, feed_url: str) -> _Item:
    link = strip_tracking(str(entry.get("link") or ""))
    summary = entry.get("summary") or ""
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value", "")
    title = _text(entry.get("title", "")) or "untitled"
    outlet = _text(feed.title)
    if not outlet or len(outlet.split()) > _OUTLET_WORDS:
        outlet = _host(link or feed_url)
    story = Story(
        title=title,
        text=html_to_document(summary).text if summary else "",
        url=link,
        outlet=outlet,
        author=_text(entry.get("author", "")),
        published=_entry_date(entry),
        feed=feed.url,
        summary_only=True,
    )
    guid = str(entry.get("id") or link).strip() or f"{feed.url}#{title}"
    return _Item(guid, story)


def _entry_date(entry: Any) -> str:
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            try:
                return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday).isoformat()
            except ValueError:
                continue
    return ""


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")
