"""`newsbot discord` checked at the wire, against a stand-in Discord on 127.0.0.1.

The real `newsbot discord` process runs over a real index (the seeds plus one story told by
three outlets, ingested by `newsbot ingest`), pointed at tests/bot/faces/fake_discord.py with
NEWSBOT_DISCORD_API_BASE; it finds the stand-in's gateway through GET /gateway/bot. Nothing in
the project is patched: the tests push gateway events and assert on the REST requests the bot
made, which is all Discord ever sees of it. One bot process serves the whole module; each test
asks as fresh users, so the 60 s cooldown of one test never touches another.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.bot.faces.fake_discord import EPHEMERAL, FakeDiscord, Json, Request
from tests.helpers import REPO, SEEDS
from tests.ingest.fake_web import FakeWeb

TOKEN = "MTQwMDAwMDAwMDAwMDAwMDAwMA.GwIrEs.stand-in-token-never-sent-to-discord0"
COOLDOWN = 60  # long enough that a second question of a test always meets it
MESSAGE_CONTENT = 1 << 15
DEFER = 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: the "thinking" message
AUTOMOD_LINE = "Sorry, this server's AutoMod blocked my answer."
UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}
DELETED_LINE = "Sorry, the message I was answering was deleted before I could reply."

# Three outlets on one story, with long titles and URLs: a summary cites all three and needs
# more than one message.
LONG_QUESTION = "Tell me about the Kestrel Bay harbour bridge"
KESTREL_BAY = {
    "Harbour Gazette": "Engineers said the Kestrel Bay harbour bridge needs new suspension cables "
    "on its northern span. The inspection found rust in forty of the anchor bolts that hold the "
    "cables to the towers.",
    "Coastal Times": "The Kestrel Bay harbour bridge will close at night for three months while "
    "its deck is replaced. Buses and bicycles may still cross during the day, the harbour "
    "authority said on Tuesday.",
    "Bay Herald": "Rebuilding the Kestrel Bay harbour bridge from its foundations would cost 240 "
    "million dollars. Sensors that report corrosion every hour will be fitted to each cable "
    "before winter.",
}


def write_long_story(folder: Path) -> None:
    for n, (outlet, text) in enumerate(KESTREL_BAY.items()):
        title = f"Kestrel Bay harbour bridge: what the engineers found and what closes, part {n} "
        url = "https://example.com/" + "/".join([f"kestrel-bay-harbour-bridge-report-{n}"] * 11)
        front = f"title: {title * 2}\noutlet: {outlet}\ndate: 2025-08-19\nurl: {url}"
        (folder / f"kestrel_{n}.md").write_text(f"---\n{front}\n---\n\n{text}\n", "utf-8")


@dataclass
class Wire:
    """The stand-in Discord and the bot process connected to it."""

    fake: FakeDiscord
    log: Path
    proc: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_log(self, text: str, timeout: float = 60.0) -> str:
        """The bot's log once it says `text` (the process must stay alive meanwhile)."""
        deadline = time.monotonic() + timeout
        while text not in (log := self.log_text()):
            assert self.proc.poll() is None, f"newsbot discord exited:\n{log[-3000:]}"
            assert time.monotonic() < deadline, f"the log never said {text!r}:\n{log[-3000:]}"
            time.sleep(0.05)
        return log


def bot_env(fake: FakeDiscord, data_dir: Path, articles: Path) -> dict[str, str]:
    """Only this test's settings: no key, no caller's NEWSBOT_ values, the stand-in's API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "OPENAI_"))}
    env.pop("CHROMA_HOST", None)
    return env | {
        "PYTHONPATH": str(REPO),
        "NEWSBOT_DATA_DIR": str(data_dir),
        "NEWSBOT_ARTICLES_DIR": str(articles),
        "NEWSBOT_LLM": "extractive",
        "DISCORD_TOKEN": TOKEN,
        "NEWSBOT_DISCORD_API_BASE": fake.api_base,
        "NEWSBOT_DISCORD_CHANNELS": fake.channel_id,
        "NEWSBOT_DISCORD_COOLDOWN": str(COOLDOWN),
    }


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wire]:
    """The stand-in started, the articles ingested, `newsbot discord` running until `ready`."""
    work = tmp_path_factory.mktemp("discord-wire")
    articles = work / "articles"
    shutil.copytree(SEEDS, articles)
    write_long_story(articles)
    fake = FakeDiscord(TOKEN)
    fake.start()
    env = bot_env(fake, work / "data", articles)
    command = [sys.executable, "-m", "bot.faces.cli"]
    ingest = subprocess.run(
        [*command, "ingest"], cwd=work, env=env, capture_output=True, text=True, timeout=600
    )
    assert ingest.returncode == 0, ingest.stderr
    log = work / "bot.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "discord"], cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    running = Wire(fake, log, proc)
    try:
        running.wait_log("ready as newsbot")
        yield running
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        fake.stop()


# -- helpers: what the bot sent --------------------------------------------------------------


def posted_to(channel: str, since: int = 0) -> Callable[[Request], bool]:
    """The bot's sends to `channel`, from request number `since` on."""
    path = f"/channels/{channel}/messages"
    return lambda r: r.n >= since and r.method == "POST" and r.path == path


def reply_to(fake: FakeDiscord, message: Json, count: int = 1) -> list[Request]:
    """The bot's accepted message(s) in reply to `message` (its reference names it)."""

    def match(r: Request) -> bool:
        if not posted_to(message["channel_id"])(r) or r.status != 200:
            return False
        return bool(str((r.body.get("message_reference") or {}).get("message_id")) == message["id"])

    return fake.wait_for(match, count=count)


def follow_ups(fake: FakeDiscord, token: str, count: int = 1) -> list[Request]:
    return fake.wait_for(lambda r: r.method == "POST" and r.path.endswith(f"/{token}"), count=count)


def callback(fake: FakeDiscord, interaction_id: str) -> Request:
    [found] = fake.wait_for(lambda r: r.path.startswith(f"/interactions/{interaction_id}/"))
    return found


def is_private(body: Json) -> bool:
    flags = body.get("flags", (body.get("data") or {}).get("flags", 0)) or 0
    return bool(flags & EPHEMERAL)


def ask_by_mention(fake: FakeDiscord, user: Json, question: str, **where: Any) -> Json:
    return fake.post(f"{fake.mention()} {question}", user, mentions=[fake.bot_user], **where)


@pytest.fixture
def automod(wire: Wire) -> Iterator[set[str]]:
    """The server's AutoMod keyword list for one test, emptied after it."""
    yield wire.fake.automod_keywords
    wire.fake.automod_keywords.clear()


# -- start-up --------------------------------------------------------------------------------


def test_start_up_finds_the_gateway_through_the_api_and_syncs_the_commands(wire: Wire) -> None:
    fake = wire.fake
    first = [f"{r.method} {r.path}" for r in fake.requests[:4]]
    assert first == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
        "GET /gateway/bot",
        f"PUT /applications/{fake.app_id}/commands",
    ]
    assert all(r.authorized for r in fake.requests)
    identify = fake.wait_gateway(2)
    assert identify is not None and identify["token"] == TOKEN
    intents = identify["intents"]
    assert intents & MESSAGE_CONTENT and not intents & (1 << 1) and not intents & (1 << 8)

    synced = {c["name"]: c for c in fake.requests[3].body}
    assert set(synced) == {"ask", "sources", "reingest"}
    # /ask and /sources in servers and in DMs with the bot; a guild install only
    for name in ("ask", "sources"):
        assert synced[name]["contexts"] == [0, 1]
        assert synced[name]["integration_types"] == [0]
        assert synced[name]["default_member_permissions"] is None
    assert [(o["name"], o["required"]) for o in synced["ask"]["options"]] == [("question", True)]
    # /reingest: listed only to members with Manage Server, never in DMs
    reingest = synced["reingest"]
    assert (reingest["contexts"], reingest["dm_permission"]) == ([0], False)
    assert int(reingest["default_member_permissions"]) == 1 << 5


# -- /ask ------------------------------------------------------------------------------------


def test_ask_is_deferred_within_3_s_then_answered_in_public(wire: Wire) -> None:
    fake = wire.fake
    question = "What did Trump say about a summit between Putin and Zelensky?"
    iid, token = fake.slash("ask", fake.new_user(), question=question)
    deferral = callback(fake, iid)
    assert deferral.body["type"] == DEFER and not is_private(deferral.body)
    assert deferral.at - fake.interaction_sent_at[iid] < 3.0  # Discord's limit to acknowledge
    [first] = follow_ups(fake, token)
    assert first.status == 200 and not is_private(first.body)
    assert first.body["content"].startswith(f"> **Q:** {question}\n")
    assert "**Sources**" in first.body["content"]


def test_ten_asks_at_once_are_each_deferred_within_3_s_and_answered(wire: Wire) -> None:
    fake = wire.fake
    asked = [
        fake.slash("ask", fake.new_user(), question=f"Who met at the White House? ({n})")
        for n in range(10)
    ]
    for iid, token in asked:
        deferral = callback(fake, iid)
        assert deferral.body["type"] == DEFER
        assert deferral.at - fake.interaction_sent_at[iid] < 3.0
        [answer] = follow_ups(fake, token)
        assert answer.body["content"].startswith("> **Q:** Who met at the White House?")


def test_ask_refused_by_discord_gets_a_public_line_and_keeps_no_cooldown(
    wire: Wire, automod: set[str]
) -> None:
    """The line follows the public deferral (Discord shows it to all anyway); it never claims
    to be private. The user may ask again at once: the refused question cost no cooldown."""
    fake = wire.fake
    user = fake.new_user()
    automod.add("Zelensky")
    iid, token = fake.slash("ask", user, question="What did Zelensky say?")
    refused, line = follow_ups(fake, token, count=2)
    assert (refused.status, line.status) == (400, 200)
    assert line.body["content"] == AUTOMOD_LINE and not is_private(line.body)
    assert not is_private(callback(fake, iid).body)

    automod.clear()
    again, token = fake.slash("ask", user, question="What did Zelensky say?")
    assert callback(fake, again).body["type"] == DEFER  # not "One moment please"
    [answer] = follow_ups(fake, token)
    assert answer.body["content"].startswith("> **Q:** What did Zelensky say?")


def test_ask_whose_deferral_is_refused_is_logged_and_keeps_no_cooldown(wire: Wire) -> None:
    """Without an acknowledgement Discord takes no follow-up at all: only the log can say why."""
    fake = wire.fake
    user = fake.new_user()
    fake.script("POST", r"/interactions/\d+/[^/]+/callback", 404, UNKNOWN_INTERACTION)
    iid, token = fake.slash("ask", user, question="What did Macron say?")
    assert callback(fake, iid).status == 404
    assert "Discord refused to acknowledge /ask (HTTP 404, code 10062" in wire.wait_log("10062")

    again, token = fake.slash("ask", user, question="What did Macron say?")
    assert callback(fake, again).body["type"] == DEFER  # not "One moment please"
    [answer] = follow_ups(fake, token)
    assert answer.body["content"].startswith("> **Q:** What did Macron say?")


def test_sources_is_shown_only_to_the_user_who_asked(wire: Wire) -> None:
    fake = wire.fake
    iid, token = fake.slash("sources", fake.new_user())
    assert is_private(callback(fake, iid).body)
    [listing] = follow_ups(fake, token)
    assert is_private(listing.body)
    assert listing.body["content"].startswith("**8 articles indexed**")


# -- mentions, replies, forwards -------------------------------------------------------------


def test_mention_is_answered_in_a_reply_that_pings_no_one(wire: Wire) -> None:
    fake = wire.fake
    question = ask_by_mention(fake, fake.new_user(), "What did Macron say?")
    [answer] = reply_to(fake, question)
    assert answer.body["content"].startswith("> **Q:** What did Macron say?\n")
    assert answer.body["allowed_mentions"] == {"parse": []}
    typing = [r for r in fake.requests if r.path == f"/channels/{fake.channel_id}/typing"]
    assert typing and typing[0].at < answer.at


def test_mention_of_the_bots_own_role_is_a_question(wire: Wire) -> None:
    fake = wire.fake
    role = f"<@&{fake.bot_role_id}>"
    question = fake.post(
        f"{role} What did Macron say?", fake.new_user(), role_mentions=[fake.bot_role_id]
    )
    [answer] = reply_to(fake, question)
    assert answer.body["content"].startswith("> **Q:** What did Macron say?\n")


def test_only_a_real_reply_is_a_follow_up(wire: Wire) -> None:
    """Forwards, pin notices and thread starters reference the answer too; they are ignored."""
    fake = wire.fake
    first = ask_by_mention(fake, fake.new_user(), "Who met at the White House?")
    [answer] = reply_to(fake, first)
    bot_message = answer.response
    start = len(fake.requests)

    forward = fake.post("", fake.new_user(), forward_of=bot_message["id"])
    pin = fake.post("", fake.new_user(), reply_to=bot_message["id"], kind=6)
    starter = fake.post("", fake.new_user(), reply_to=bot_message["id"], kind=21)
    follow_up = fake.post("What about Macron?", fake.new_user(), reply_to=bot_message["id"])
    [answer] = reply_to(fake, follow_up)  # events are handled in order: the others are done
    assert answer.body["content"].startswith("> **Q:** What about Macron?\n")

    later = [r.body["content"] for r in fake.requests if posted_to(fake.channel_id, start)(r)]
    assert not any(text.startswith("Ask me something") for text in later)  # the old symptom
    assert {forward["id"], pin["id"], starter["id"]}.isdisjoint(fake.replied_to())


# -- refused replies -------------------------------------------------------------------------


def test_reply_blocked_by_automod_gets_one_line_and_keeps_no_cooldown(
    wire: Wire, automod: set[str]
) -> None:
    fake = wire.fake
    user = fake.new_user()
    automod.add("Zelensky")
    start = len(fake.requests)
    question = ask_by_mention(fake, user, "What did Zelensky say?")
    refused, line = fake.wait_for(posted_to(fake.channel_id, start), count=2)
    assert (refused.status, line.status) == (400, 200)
    assert line.body["content"] == AUTOMOD_LINE
    assert str(line.body["message_reference"]["message_id"]) == question["id"]
    assert line.body["message_reference"]["fail_if_not_exists"] is False

    automod.clear()
    again = ask_by_mention(fake, user, "What did Zelensky say?")
    [answer] = reply_to(fake, again)
    assert answer.body["content"].startswith("> **Q:** What did Zelensky say?")
    third = ask_by_mention(fake, user, "And Macron?")
    [wait] = reply_to(fake, third)
    assert wait.body["content"].startswith("One moment please")  # the cooldown does apply


def test_question_deleted_while_thinking_gets_one_line_and_keeps_no_cooldown(wire: Wire) -> None:
    fake = wire.fake
    user = fake.new_user()
    question = fake.message(f"{fake.mention()} What did Merz say?", user, mentions=[fake.bot_user])
    fake.deleted.add(question["id"])  # gone before the answer is ready
    start = len(fake.requests)
    fake.dispatch("MESSAGE_CREATE", question)
    refused, line = fake.wait_for(posted_to(fake.channel_id, start), count=2)
    assert refused.status == 400 and refused.response["code"] == 50035
    assert (line.status, line.body["content"]) == (200, DELETED_LINE)

    again = ask_by_mention(fake, user, "What did Merz say?")
    [answer] = reply_to(fake, again)
    assert answer.body["content"].startswith("> **Q:** What did Merz say?")


def test_a_refused_error_line_is_explained_in_the_log(wire: Wire, automod: set[str]) -> None:
    fake = wire.fake
    automod.update({"Zelensky", "AutoMod"})
    start = len(fake.requests)
    ask_by_mention(fake, fake.new_user(), "What did Zelensky say?")
    refused = fake.wait_for(posted_to(fake.channel_id, start), count=2)
    assert [r.status for r in refused] == [400, 400]
    log = wire.wait_log("refused the error line")
    assert f"in channel {fake.channel_id}" in log and "code 200000" in log


# -- DMs and the channel list ----------------------------------------------------------------


def test_dms_are_answered_whatever_the_channel_list(wire: Wire) -> None:
    """NEWSBOT_DISCORD_CHANNELS lists one server channel; a DM needs no mention and is answered,
    /ask works in a DM, and a mention in an unlisted server channel is not answered."""
    fake = wire.fake
    start = len(fake.requests)
    ask_by_mention(fake, fake.new_user(), "What did Starmer say?", channel=fake.other_channel_id)

    dm_channel = fake.new_id()
    in_dm = fake.post("What did Starmer say?", fake.new_user(), dm=True, channel=dm_channel)
    [answer] = reply_to(fake, in_dm)
    assert answer.body["content"].startswith("> **Q:** What did Starmer say?\n")

    iid, token = fake.slash("ask", fake.new_user(), dm=True, question="What did Starmer say?")
    assert callback(fake, iid).body["type"] == DEFER
    [answer] = follow_ups(fake, token)
    assert answer.body["content"].startswith("> **Q:** What did Starmer say?\n")
    assert not any(posted_to(fake.other_channel_id, start)(r) for r in fake.requests)


# -- Discord's own hiccups -------------------------------------------------------------------


def test_a_500_and_a_429_are_waited_out_and_the_answer_still_arrives(wire: Wire) -> None:
    fake = wire.fake
    dm_channel = fake.new_id()  # a path of its own: no other send can take the scripted answers
    path = rf"/channels/{dm_channel}/messages"
    fake.script("POST", path, 500, {"message": "500: Internal Server Error", "code": 0})
    retry_after = 0.4
    limited = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": False,
    }
    headers = {
        "Retry-After": "1",
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset-After": str(retry_after),
        "X-RateLimit-Bucket": "stand-in-bucket",
        "X-RateLimit-Scope": "user",
        "Via": "1.1 google",  # discord.py takes a 429 without it for a Cloudflare ban
    }
    fake.script("POST", path, 429, limited, headers)
    question = fake.post("What did Macron say?", fake.new_user(), dm=True, channel=dm_channel)
    tries = fake.wait_for(posted_to(dm_channel), count=3)
    assert [r.status for r in tries] == [500, 429, 200]
    assert tries[0].body == tries[1].body == tries[2].body
    assert tries[2].at - tries[1].at >= retry_after * 0.9  # Discord's Retry-After was honoured
    assert str(tries[2].body["message_reference"]["message_id"]) == question["id"]


def test_a_dropped_gateway_is_resumed_and_missed_events_still_answered(wire: Wire) -> None:
    fake = wire.fake
    connections, heartbeats = fake.connections, fake.count_gateway(1)
    fake.drop_connection(4000)  # resumable close
    question = ask_by_mention(fake, fake.new_user(), "Who met at the White House?")  # missed
    resume = fake.wait_gateway(6)
    assert resume is not None
    assert (resume["session_id"], resume["token"]) == ("fake-session", TOKEN)
    assert resume["seq"] > 1
    assert fake.count_gateway(2) == 1  # resumed, never identified again
    [answer] = reply_to(fake, question)  # replayed after RESUME and answered
    assert answer.body["content"].startswith("> **Q:** Who met at the White House?")
    assert fake.connections == connections + 1
    fake.wait_gateway(1, count=heartbeats + 1)  # and the heartbeat goes on


# -- every send ------------------------------------------------------------------------------


def test_long_answer_is_split_and_no_send_is_too_long_or_can_ping(wire: Wire) -> None:
    """Over every message the bot sent in this module, plus one answer too long for one."""
    fake = wire.fake
    iid, token = fake.slash("ask", fake.new_user(), question=LONG_QUESTION)
    callback(fake, iid)
    parts = follow_ups(fake, token, count=2)
    assert parts[0].body["content"].startswith(f"> **Q:** {LONG_QUESTION}")
    assert "Kestrel Bay" in "".join(p.body["content"] for p in parts)

    sends = [r for r in fake.requests if r.method == "POST" and "/messages" in r.path]
    sends += [r for r in fake.requests if r.method == "POST" and "/webhooks/" in r.path]
    assert len(sends) > 20
    for request in sends:
        assert len(request.body["content"]) <= 2000
        assert request.body["allowed_mentions"]["parse"] == []
        assert not {"users", "roles"} & set(request.body["allowed_mentions"])
    for request in fake.requests:  # immediate interaction replies (cooldown, refusals)
        data = (request.body or {}).get("data") if isinstance(request.body, dict) else None
        if data and "content" in data:
            assert len(data["content"]) <= 2000 and data["allowed_mentions"]["parse"] == []


def test_the_token_never_reaches_the_log(wire: Wire) -> None:
    log = wire.log_text()
    assert "ready as newsbot" in log
    assert TOKEN not in log and TOKEN.split(".")[-1] not in log


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
    command = [sys.executable, "-m", "bot.faces.cli"]
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
