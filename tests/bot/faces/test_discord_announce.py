"""New articles announced in Discord: the message as a pure function, and at the wire.

The wire test runs the real `newsbot discord` against the stand-in Discord
(tests/bot/fake_discord.py) and the stand-in news sites (tests/ingest/fake_web.py), both on
127.0.0.1: its schedule reads the feeds as soon as it is ready, syncs, and posts what was added.
"""

from __future__ import annotations

from bot.faces.discord_format import MESSAGE_LIMIT, format_announcement, has_ping
from ingest.report import Added


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
