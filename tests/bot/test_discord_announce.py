"""New articles announced in Discord: the message as a pure function, and at the wire.

The wire test runs the real `newsbot discord` against the stand-in Discord
(tests/bot/fake_discord.py) and the stand-in news sites (tests/ingest/fake_web.py), both on
127.0.0.1: its schedule reads the feeds as soon as it is ready, syncs, and posts what was added.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.discord_format import MESSAGE_LIMIT, format_announcement, has_ping
from ingest.report import Added, SyncReport
from tests.bot.fake_discord import FakeDiscord
from tests.bot.test_discord_bot import (  # noqa: F401  (make_bot is a fixture)
    BotFactory,
    callback,
    interaction_double,
    make_bot,
    sent_messages,
)
from tests.bot.test_discord_wire import TOKEN, Wire, bot_env, posted_to
from tests.ingest.fake_web import FakeWeb


def test_one_line_per_new_article_with_outlet_and_link() -> None:
    [message] = format_announcement(
        [
            Added("Council approves the bridge", "Harbour Gazette", "https://g.example/a", "a.md"),
            Added("Library reopens", "", "https://www.coastal.example/lib", "b.md"),
            Added("", "", "", "c.md"),
        ]
    )
    assert message.splitlines() == [
        "**3 new articles indexed**",
        "- Harbour Gazette · *Council approves the bridge* <https://g.example/a>",
        "- coastal.example · *Library reopens* <https://www.coastal.example/lib>",
        "- untitled article",
    ]
    assert format_announcement([]) == []


def test_a_long_list_is_split_within_the_limit_and_pings_no_one() -> None:
    added = [
        Added(f"@everyone story {n} <@123> " + "word " * 30, "Outlet", f"https://x.example/{n}", "")
        for n in range(60)
    ]
    parts = format_announcement(added)
    assert len(parts) > 1 and all(len(p) <= MESSAGE_LIMIT for p in parts)
    assert not any(has_ping(p) for p in parts)
    text = "".join(parts)
    assert all(f"<https://x.example/{n}>" in text for n in range(60))


@pytest.fixture
def sites() -> Iterator[FakeWeb]:
    site = FakeWeb().start()
    yield site
    site.stop()


def test_the_scheduled_fetch_announces_the_new_stories_once(sites: FakeWeb, tmp_path: Path) -> None:
    fake = FakeDiscord(TOKEN)
    fake.start()
    announce = fake.other_channel_id
    env = bot_env(fake, tmp_path / "data", tmp_path / "articles") | {
        "NEWSBOT_DISCORD_ANNOUNCE_CHANNEL": announce,
        "NEWSBOT_FETCH_EVERY": "1h",
        "NEWSBOT_FETCH_TIMEOUT": "1",
        "NEWSBOT_FETCH_DELAY": "0",
    }
    command = [sys.executable, "-m", "bot.cli"]
    for feed in ("/rss.xml", "/atom.xml"):
        subprocess.run([*command, "feeds", "add", sites.base + feed], env=env, check=True)
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "discord"], cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        Wire(fake, log, proc).wait_log("ready as newsbot")
        [post] = fake.wait_for(posted_to(announce), timeout=120)
        assert post.status == 200 and post.body["allowed_mentions"] == {"parse": []}
        content = post.body["content"]
        assert content.startswith("**")
        assert (
            f"Harbour Gazette · *Council approves the Kestrel Bay harbour bridge* "
            f"<{sites.base}/news/bridge.html>" in content
        )
        assert "Coastal Times · *Library reopens after flood repairs*" in content
        assert "Harbour bridge gets the go-ahead" not in content  # a copy: not news
        Wire(fake, log, proc).wait_log("announced ")  # every part sent
        assert len([r for r in fake.requests if posted_to(announce)(r)]) == 1
        assert "Traceback" not in log.read_text(encoding="utf-8")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        fake.stop()


async def test_a_reingest_that_added_articles_is_announced_in_the_channel(
    make_bot: BotFactory,  # noqa: F811 (the fixture imported above)
) -> None:
    """Through dpytest: the admin's /reingest answers privately, then the channel hears once."""
    added = [Added("Library reopens", "Coastal Times", "https://coastal.example/lib", "lib.md")]
    bot = await make_bot(reingest=lambda: SyncReport(added=1, new=added))
    channel = bot.guilds[0].text_channels[0]
    bot.settings.discord_announce_channel = channel.id
    await callback(bot, "reingest")(interaction_double(manage_guild=True))
    [post] = sent_messages()
    assert post.channel.id == channel.id
    assert post.content == (
        "**1 new article indexed**\n"
        "- Coastal Times · *Library reopens* <https://coastal.example/lib>"
    )
    # a sync that added nothing (or only copies) says nothing
    bot._reingest = lambda: SyncReport(unchanged=1)
    await callback(bot, "reingest")(interaction_double(manage_guild=True))
    assert sent_messages() == []
