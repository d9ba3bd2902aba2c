"""`newsbot feeds` and `newsbot fetch` as a user runs them: real processes, the real index,
the stand-in sites of tests/ingest/fake_web.py on 127.0.0.1."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import newsbot_env, run_newsbot
from tests.ingest.fake_web import FakeWeb


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    site = FakeWeb().start()
    yield site
    site.stop()


def feeds(work: Path) -> dict[str, str]:
    """What these tests add to the clean environment of tests/helpers: the articles folder,
    the extractive answerer and fetching without waits."""
    return {
        "NEWSBOT_ARTICLES_DIR": str(work / "articles"),
        "NEWSBOT_LLM": "extractive",
        "NEWSBOT_FETCH_TIMEOUT": "1",
        "NEWSBOT_FETCH_DELAY": "0",
    }


def newsbot(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_newsbot(work, *args, **feeds(work))


def test_feeds_are_added_fetched_synced_and_answered_from(web: FakeWeb, tmp_path: Path) -> None:
    for path in ("/rss.xml", "/atom.xml", "/missing.xml"):
        added = newsbot(tmp_path, "feeds", "add", web.base + path)
        assert added.returncode == 0 and added.stdout.startswith("Added: "), added.stderr
    again = newsbot(tmp_path, "feeds", "add", f"{web.base}/rss.xml")
    assert again.stdout.startswith("Already in the list")
    bad = newsbot(tmp_path, "feeds", "add", "not a url")
    assert bad.returncode != 0
    assert bad.stderr.strip().splitlines() == [
        "newsbot: error: not a feed address: 'not a url' (it must start with http:// or https://)"
    ]

    fetched = newsbot(tmp_path, "fetch", "--json")
    assert fetched.returncode == 0, fetched.stderr
    out = json.loads(fetched.stdout)
    titles = {s["title"] for s in out["fetch"]["new"]}
    assert "Council approves the Kestrel Bay harbour bridge" in titles
    assert out["sync"]["added"] == len(titles) and out["sync"]["copies"] == 1
    # each failure is one line on stderr, and the run went on
    assert f"newsbot: feed {web.base}/missing.xml: HTTP 404 Not Found" in fetched.stderr
    assert "Traceback" not in fetched.stderr

    asked = newsbot(tmp_path, "ask", "--json", "How much will the Kestrel Bay harbour bridge cost?")
    answer = json.loads(asked.stdout)
    assert not answer["refused"] and "240 million" in answer["answer"]
    [cited] = [c for c in answer["citations"] if "bridge" in c["url"]]
    assert cited["outlet"] == "Harbour Gazette" and cited["url"] == f"{web.base}/news/bridge.html"
    assert [c["outlet"] for c in cited["also_in"]] == ["Coastal Times"]

    quiet = json.loads(newsbot(tmp_path, "fetch", "--json").stdout)
    assert quiet["fetch"]["new"] == [] and quiet["sync"] is None

    listed = newsbot(tmp_path, "feeds", "list").stdout
    assert "Harbour Gazette" in listed and "last error: " in listed and "3 feeds" in listed
    removed = newsbot(tmp_path, "feeds", "remove", f"{web.base}/missing.xml")
    assert removed.returncode == 0
    assert [f["url"] for f in json.loads(newsbot(tmp_path, "feeds", "list", "--json").stdout)] == [
        f"{web.base}/atom.xml",
        f"{web.base}/rss.xml",
    ]
    gone = newsbot(tmp_path, "feeds", "remove", f"{web.base}/missing.xml")
    assert gone.returncode != 0 and "not in the feed list" in gone.stderr


def test_bad_schedule_setting_is_one_line(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("NEWSBOT_FETCH_EVERY=soon\n", encoding="utf-8")
    result = newsbot(tmp_path, "feeds", "list")
    assert result.returncode == 2
    assert result.stderr.startswith("newsbot: error: bad setting NEWSBOT_FETCH_EVERY")


def _take_ctrl_c() -> None:
    """Ctrl-C stops the watch as in a terminal, even when the suite itself runs as a shell's
    background job (`pytest &`), whose children inherit an ignored SIGINT and never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ingest_watch_reads_the_feeds_on_its_schedule_and_syncs_what_they_bring(
    web: FakeWeb, tmp_path: Path
) -> None:
    (tmp_path / "articles").mkdir()
    assert newsbot(tmp_path, "feeds", "add", f"{web.base}/atom.xml").returncode == 0
    env = newsbot_env(tmp_path, **feeds(tmp_path), NEWSBOT_FETCH_EVERY="1h")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.faces.cli", "ingest", "--watch", "--json", "--interval", "0.3"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=_take_ctrl_c,
    )
    watchdog = threading.Timer(180, proc.kill)  # a hung watch fails the test, never the suite
    watchdog.start()
    added = 0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            added += json.loads(line)["added"]
            if added >= 2:  # the library story and the bridge (its copy is added as a copy)
                break
    finally:
        watchdog.cancel()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert added >= 2
    written = sorted(p.name for p in (tmp_path / "articles").rglob("*.md"))
    assert any("library-reopens" in name for name in written)
