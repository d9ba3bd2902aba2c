"""Feeds and pages over real HTTP, against the stand-in sites of fake_web.py on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from fake_web import ETAG, LAST_MODIFIED, FakeWeb

from ingest.extract import Story, is_html
from ingest.feed_reader import FetchReport, fetch_all
from ingest.feeds import (
    FeedError,
    FetchRunning,
    add_feed,
    fetch_lock,
    load_state,
    normalise,
    remove_feed,
    strip_tracking,
)
from ingest.fetch import USER_AGENT, Fetcher, FetchError
from ingest.load import read_article

TIMEOUT = 1.0  # well under the slow page's delay


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    site = FakeWeb().start()
    yield site
    site.stop()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(timeout=TIMEOUT, delay=0) as client:
        yield client


def fetch(data: Path, articles: Path, lines: list[str]) -> FetchReport:
    with Fetcher(timeout=TIMEOUT, delay=0) as client:
        return fetch_all(data, articles, client, on_problem=lines.append)


# -- HTTP -----------------------------------------------------------------------------------


def test_requests_name_the_project_and_feeds_are_asked_conditionally(
    web: FakeWeb, fetcher: Fetcher
) -> None:
    first = fetcher.get(f"{web.base}/rss.xml")
    assert first.status == 200 and first.etag == ETAG and b"<rss" in first.body
    again = fetcher.get(f"{web.base}/rss.xml", etag=first.etag)
    assert again.not_modified and again.body == b""
    atom = fetcher.get(f"{web.base}/atom.xml")
    assert atom.last_modified == LAST_MODIFIED
    assert fetcher.get(f"{web.base}/atom.xml", last_modified=atom.last_modified).not_modified
    sent = web.hits("/rss.xml")[-2:]
    assert [r.headers.get("If-None-Match") for r in sent] == [None, ETAG]
    assert all(r.headers["User-Agent"] == USER_AGENT for r in web.requests)
    assert "newsbot" in USER_AGENT


def test_a_redirect_is_followed_to_the_page(web: FakeWeb, fetcher: Fetcher) -> None:
    got = fetcher.get(f"{web.base}/old/ferry")
    assert got.url == f"{web.base}/news/ferry.html" and b"north quay" in got.body


@pytest.mark.parametrize(
    ("path", "message", "transient"),
    [
        ("/news/broken", "HTTP 500 Internal Server Error", True),
        ("/nowhere", "HTTP 404 Not Found", False),
        ("/news/slow", f"no answer within {TIMEOUT:g} s", True),
        ("/news/huge", "too large (50.0 MB; the limit is 5.0 MB)", False),
        ("/news/huge-streamed", "too large (more than 5.0 MB came", False),
    ],
)
def test_a_failed_request_is_one_line_naming_the_url(
    web: FakeWeb, fetcher: Fetcher, path: str, message: str, transient: bool
) -> None:
    with pytest.raises(FetchError) as failed:
        fetcher.get(web.base + path)
    line = str(failed.value)
    assert line.startswith(web.base + path) and message in line and "\n" not in line
    assert failed.value.transient is transient


def test_dns_failure_and_a_bad_address_are_one_line(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match=r"cannot connect") as failed:
        fetcher.get("http://feeds.nonexistent.invalid/rss")
    assert failed.value.transient
    with pytest.raises(FetchError, match="not an http"):
        fetcher.get("ftp://example.com/feed")


def test_requests_to_one_host_wait_their_turn(web: FakeWeb) -> None:
    before = len(web.requests)
    with Fetcher(timeout=TIMEOUT, delay=0.3) as slow:
        for _ in range(3):
            slow.get(f"{web.base}/news/ferry.html")
    times = [r.at for r in web.requests[before:]]
    assert len(times) == 3
    assert all(b - a >= 0.29 for a, b in pairwise(times))


def test_is_html_by_type_or_by_first_bytes() -> None:
    assert is_html("text/html; charset=utf-8", b"")
    assert not is_html("application/pdf", b"<html>")
    assert is_html("", b"  <!DOCTYPE html><html>")
    assert not is_html("", b"%PDF-1.7")


# -- the feed list --------------------------------------------------------------------------


def test_feeds_are_added_listed_and_removed(tmp_path: Path) -> None:
    assert add_feed(tmp_path, " https://example.com/rss.xml ")
    assert not add_feed(tmp_path, "https://example.com/rss.xml")
    assert list(load_state(tmp_path).feeds) == ["https://example.com/rss.xml"]
    with pytest.raises(FeedError, match="not a feed address"):
        add_feed(tmp_path, "example.com/rss")
    with pytest.raises(FeedError, match="not in the feed list"):
        remove_feed(tmp_path, "https://example.com/other.xml")
    remove_feed(tmp_path, "https://example.com/rss.xml")
    assert load_state(tmp_path).feeds == {}


def test_a_damaged_feed_list_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "feeds.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(FeedError, match="cannot read the feed list"):
        load_state(tmp_path)


def test_only_one_reader_at_a_time(tmp_path: Path) -> None:
    with fetch_lock(tmp_path), pytest.raises(FetchRunning), fetch_lock(tmp_path):
        pass


def test_urls_are_keyed_without_tracking_parameters() -> None:
    a = normalise("http://www.Example.com/news/a.html?utm_source=rss&id=3#top")
    assert a == normalise("https://example.com/news/a.html/?id=3")
    assert a != normalise("https://example.com/news/a.html?id=4")
    assert strip_tracking("https://x.com/a?utm_medium=feed&p=2#c") == "https://x.com/a?p=2"
    assert normalise(" tag:coastal,2025:bridge ") == "tag:coastal,2025:bridge"


# -- reading the feeds ----------------------------------------------------------------------


def subscribed(web: FakeWeb, data: Path, *paths: str) -> None:
    for path in paths:
        add_feed(data, path if "://" in path else web.base + path)


def test_fetch_writes_each_story_once_with_its_metadata(web: FakeWeb, tmp_path: Path) -> None:
    data, articles = tmp_path / "data", tmp_path / "articles"
    subscribed(web, data, "/rss.xml", "/atom.xml")
    lines: list[str] = []
    report = fetch(data, articles, lines)

    by_title = {s.title: (s, f) for s, f in zip(report.stories, report.files, strict=True)}
    bridge, path = by_title["Council approves the Kestrel Bay harbour bridge"]
    assert (bridge.outlet, bridge.author, bridge.published) == (
        "Harbour Gazette",
        "Maria Lopez",
        "2025-08-19",
    )
    assert bridge.url == f"{web.base}/news/bridge.html"  # canonical, no tracking parameters
    assert not bridge.summary_only
    article = read_article(path, articles)
    assert not isinstance(article, type(None))
    assert getattr(article, "title", "") == bridge.title
    assert getattr(article, "outlet", "") == "Harbour Gazette"
    assert getattr(article, "published", "") == "2025-08-19"
    assert getattr(article, "url", "") == bridge.url
    text = getattr(article, "text", "")
    assert "seven to two" in text and "240 million dollars" in text
    for chrome in ("Most read", "Subscribe", "All rights reserved", "dataLayer"):
        assert chrome not in text

    # the redirect's target is the story's address
    assert (
        by_title["Ferry terminal moves to the north quay"][0].url == f"{web.base}/news/ferry.html"
    )
    # the bridge page came from both feeds (a GUID and a link each): written once
    assert sum("bridge.html" in s.url for s in report.stories) == 1
    assert len(web.hits("/news/bridge.html")) <= 2  # the Atom link differs: one look to learn it
    assert report.known >= 1


def test_pages_without_a_story_keep_the_summary_and_the_link(web: FakeWeb, tmp_path: Path) -> None:
    data, articles = tmp_path / "data", tmp_path / "articles"
    subscribed(web, data, "/rss.xml")
    lines: list[str] = []
    report = fetch(data, articles, lines)
    summaries = {s.title: s for s in report.stories if s.summary_only}
    assert set(summaries) == {
        "Harbour annual report published",  # a PDF
        "Photo archive of the old harbour",  # 50 MB, said up front
        "Tide tables for September",  # 50 MB, streamed
        "Harbour webcam back online",  # no link at all
    }
    pdf = summaries["Harbour annual report published"]
    assert pdf.url == f"{web.base}/files/report.pdf" and "summary of the story" in pdf.text
    assert any("not a web page (application/pdf)" in line for line in lines)
    written = next(f for s, f in zip(report.stories, report.files, strict=True) if s is pdf)
    front = written.read_text(encoding="utf-8")
    assert 'summary_only: "yes"' in front and f'url: "{pdf.url}"' in front


def test_failures_cost_one_line_each_and_the_rest_goes_on(web: FakeWeb, tmp_path: Path) -> None:
    data, articles = tmp_path / "data", tmp_path / "articles"
    subscribed(
        web,
        data,
        "/broken.xml",
        "/missing.xml",
        "http://feeds.nonexistent.invalid/rss",
        "/rss.xml",
    )
    lines: list[str] = []
    report = fetch(data, articles, lines)
    assert all("\n" not in line for line in lines)
    joined = "\n".join(lines)
    assert f"feed {web.base}/broken.xml: malformed" in joined
    assert f"feed {web.base}/missing.xml: HTTP 404 Not Found" in joined
    assert "feed http://feeds.nonexistent.invalid/rss: cannot connect" in joined
    assert f"page {web.base}/news/broken: HTTP 500" in joined
    assert f"page {web.base}/news/slow: no answer within" in joined
    assert report.retry == 2
    assert "Ferry terminal moves to the north quay" in {s.title for s in report.stories}
    state = load_state(data)
    assert "404" in state.feeds[f"{web.base}/missing.xml"].last_error
    assert state.feeds[f"{web.base}/rss.xml"].last_error == ""


def test_a_second_run_asks_conditionally_and_takes_nothing_twice(
    web: FakeWeb, tmp_path: Path
) -> None:
    data, articles = tmp_path / "data", tmp_path / "articles"
    subscribed(web, data, "/rss.xml", "/atom.xml")
    fetch(data, articles, [])
    files = sorted(articles.rglob("*.md"))
    before = len(web.requests)
    again = fetch(data, articles, [])
    assert (again.feeds, again.unchanged, again.stories) == (2, 2, [])
    assert sorted(articles.rglob("*.md")) == files
    asked = [r.path for r in web.requests[before:]]
    assert sorted(asked) == ["/atom.xml", "/rss.xml"]  # no page asked again

    # the feed changed (its validators no longer match): only the failed pages are retried
    state_file = data / "feeds.json"
    state_file.write_text(
        state_file.read_text(encoding="utf-8").replace(ETAG.replace('"', '\\"'), "old"),
        encoding="utf-8",
    )
    before = len(web.requests)
    third = fetch(data, articles, [])
    pages = {r.path.split("?")[0] for r in web.requests[before:]} - {"/rss.xml", "/atom.xml"}
    assert pages == {"/news/broken", "/news/slow"} and third.stories == []


def test_a_page_that_keeps_failing_is_kept_as_its_summary_in_the_end(
    web: FakeWeb, tmp_path: Path
) -> None:
    data, articles = tmp_path / "data", tmp_path / "articles"
    subscribed(web, data, "/rss.xml")
    for _ in range(2):
        fetch(data, articles, [])
        (data / "feeds.json").write_text(
            (data / "feeds.json").read_text(encoding="utf-8").replace("rss-v1", "stale"),
            encoding="utf-8",
        )
    last = fetch(data, articles, [])
    assert {s.title for s in last.stories} == {
        "Harbour dredging contract awarded",
        "Storm damage on the sea wall",
    }
    assert all(s.summary_only for s in last.stories)


def test_a_story_file_is_never_half_written(tmp_path: Path) -> None:
    from ingest.extract import write_story

    story = Story("A title: with a colon", 'He said "no".', "https://x.com/a", outlet='"Q" Times')
    path = write_story(tmp_path, story)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    article = read_article(path, tmp_path)
    assert getattr(article, "title", "") == "A title: with a colon"
    assert getattr(article, "outlet", "") == '"Q" Times'
    assert getattr(article, "text", "") == 'He said "no".'
