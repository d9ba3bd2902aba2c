"""The Discord adapter driven by discord.py objects.

Mentions and replies go through dpytest, which fakes the gateway and HTTP layer under a real
`discord.Client`. Slash commands are called through their registered callback with an
`Interaction` double. The answering core is replaced by `ScriptedAsker`, a small deterministic
double, because the Discord layer is what is under test here; one test at the end runs the real
core over the seeds.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from itertools import count
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord
import discord.ext.test as dpytest
import discord.ext.test.backend as dpy_backend
import discord.ext.test.callbacks as dpy_callbacks
import discord.ext.test.factories as dpy_factories
import pytest
from pydantic import ValidationError

from bot.core.answer import QuestionError
from bot.core.records import Answer, Citation
from bot.faces.discord_bot import (
    Cooldown,
    NewsBot,
    QuestionMemory,
    RedactingFilter,
    follow_up_context,
    run_discord,
    strip_mentions,
)
from bot.faces.discord_format import QUESTION_PREFIX, format_sources, render_answer
from bot.settings import DiscordSettings
from ingest.models import Skipped
from ingest.report import Added, SyncReport
from ingest.store import Record

FAKE_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456"
FAKE_KEY = "sk-proj-abcdefghijklmnopqrstuvwx0123"


class ScriptedAsker:
    """Deterministic stand-in for the answering core (the Discord layer is under test).

    Answers every question with one cited sentence naming the question; optionally sleeps in
    its (worker) thread or raises, and records each call and how many ran at once.
    """

    def __init__(self, delay: float = 0.0, error: BaseException | None = None) -> None:
        self.delay = delay
        self.error = error
        self.calls: list[tuple[str, str | None]] = []
        self.threads: set[int] = set()
        self.running = 0
        self.max_running = 0
        self.during_sleep: Callable[[], int] | None = None  # read before and after sleeping
        self.advances: list[int] = []
        self._lock = threading.Lock()

    def ask(self, question: str, follow_up_of: str | None = None) -> Answer:
        with self._lock:
            self.calls.append((question, follow_up_of))
            self.threads.add(threading.get_ident())
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        try:
            if self.error is not None:
                raise self.error
            before = self.during_sleep() if self.during_sleep else 0
            time.sleep(self.delay)
            if self.during_sleep:
                self.advances.append(self.during_sleep() - before)
            return answer_for(question)
        finally:
            with self._lock:
                self.running -= 1


def answer_for(question: str) -> Answer:
    cite = Citation(
        n=1,
        article_id="001_story.txt",
        file="seeds/001_story.txt",
        outlet="Reuters",
        title="Leaders meet in Washington",
        published="2025-08-18",
        quote="Macron said Europe would provide security guarantees.",
        score=0.9,
        url="https://example.com/story",
    )
    return Answer(question=question, text=f"Answer to: {question} [1].", citations=[cite])


def make_settings(**values: Any) -> DiscordSettings:
    values.setdefault("cooldown", 0)
    return DiscordSettings(_env_file=None, **values)  # type: ignore[call-arg]


async def loaded(bot: NewsBot) -> NewsBot:
    """The bot with its cog added, as `setup_hook` does before syncing the commands."""
    await bot.add_cog(bot.news)
    return bot


BotFactory = Callable[..., Awaitable[NewsBot]]


@pytest.fixture
async def make_bot() -> AsyncIterator[BotFactory]:
    """Builds a NewsBot under dpytest: one guild, one text channel, three members.

    dpytest 0.7 with discord.py 2.7 needs the members intent, and its fake connection state
    (installed by `configure`) needs the running loop, or `channel.typing()` fails.
    """

    async def build(
        asker: Any = None,
        settings: DiscordSettings | None = None,
        reingest: Callable[[], SyncReport] = SyncReport,
        sources: Callable[[], list[Record]] = list,
        clock: Callable[[], float] = time.monotonic,
        secrets: tuple[str, ...] = (),
    ) -> NewsBot:
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = True
        bot = NewsBot(
            settings or make_settings(),
            asker or ScriptedAsker(),
            reingest,
            sources,
            clock=clock,
            intents=intents,
            secrets=secrets,
        )
        await bot.add_cog(bot.news)
        await bot._async_setup_hook()
        dpytest.configure(bot, members=3)
        bot._connection.loop = asyncio.get_running_loop()
        return bot

    yield build
    await dpytest.empty_queue()


@pytest.fixture
def typing_events() -> Iterator[list[Any]]:
    """Channels the bot showed the typing indicator in."""
    seen: list[Any] = []

    async def on_typing(channel: Any) -> None:
        seen.append(channel)

    dpy_callbacks.set_callback(on_typing, "send_typing")
    yield seen
    dpy_callbacks.remove_callback("send_typing")


def sent_messages() -> list[discord.Message]:
    out = []
    while not dpytest.sent_queue.empty():
        out.append(dpytest.get_message())
    return out


def mention(bot: NewsBot, text: str) -> str:
    assert bot.user is not None
    return f"<@{bot.user.id}> {text}"


async def reply_to(target: discord.Message, content: str, member: int = 0) -> None:
    """A user's Discord reply to `target` (dpytest has no helper for message references)."""
    config = dpytest.get_config()
    channel, author = target.channel, config.members[member]
    data = dpy_factories.make_message_dict(
        channel,
        author,
        content=content,
        mentions=dpy_backend.find_user_mentions(content, config.guilds[0]),
    )
    data["type"] = discord.MessageType.reply.value  # Discord gives a reply type 19
    data["message_reference"] = {
        "type": discord.MessageReferenceType.reply.value,
        "message_id": target.id,
        "channel_id": channel.id,
        "guild_id": config.guilds[0].id,
    }
    dpy_backend.get_state().parse_message_create(data)
    await dpytest.run_all_events()


def test_bot_never_pings_and_asks_for_message_content() -> None:
    bot = NewsBot(make_settings(), ScriptedAsker(), SyncReport, list)
    mentions = bot.allowed_mentions
    assert mentions is not None
    assert mentions.to_dict() == discord.AllowedMentions.none().to_dict()
    assert (mentions.everyone, mentions.users, mentions.roles, mentions.replied_user) == (
        False,
        False,
        False,
        False,
    )
    assert bot.intents.message_content and not bot.intents.members and not bot.intents.presences


async def test_slash_commands_are_registered() -> None:
    bot = await loaded(NewsBot(make_settings(), ScriptedAsker(), SyncReport, list))
    commands = {c.name: c for c in bot.tree.get_commands()}
    assert set(commands) == {"ask", "sources", "reingest"}
    ask = commands["ask"]
    assert isinstance(ask, discord.app_commands.Command)
    assert [(p.name, p.required) for p in ask.parameters] == [("question", True)]
    assert ask.description.startswith("Ask a question about the news")


async def test_mention_is_answered_with_sources_while_typing(
    make_bot: BotFactory, typing_events: list[Any]
) -> None:
    asker = ScriptedAsker()
    bot = await make_bot(asker)
    await dpytest.message(mention(bot, "What did Macron say?"))
    [reply] = sent_messages()
    assert reply.content == render_answer(answer_for("What did Macron say?"))[0]
    assert "**Sources**\n**[1]** Reuters" in reply.content
    assert "<https://example.com/story>" in reply.content
    assert asker.calls == [("What did Macron say?", None)]
    assert threading.get_ident() not in asker.threads  # answered off the event loop
    assert len(typing_events) == 1


async def test_plain_messages_and_mass_mentions_are_ignored(make_bot: BotFactory) -> None:
    asker = ScriptedAsker()
    await make_bot(asker)
    await dpytest.message("What did Macron say?")
    await dpytest.message("@everyone what did Macron say?")
    assert sent_messages() == []
    assert asker.calls == []


async def test_empty_mention_gets_a_hint(make_bot: BotFactory) -> None:
    asker = ScriptedAsker()
    bot = await make_bot(asker)
    await dpytest.message(mention(bot, "  "))
    [reply] = sent_messages()
    assert reply.content.startswith("Ask me something about the news")
    assert asker.calls == []


@pytest.mark.parametrize("listed", [True, False])
async def test_only_allowed_channels_are_answered(make_bot: BotFactory, listed: bool) -> None:
    asker = ScriptedAsker()
    bot = await make_bot(asker, make_settings(channels="1"))
    channel = dpytest.get_config().channels[0]
    bot.settings.channels = f"{channel.id}, 2" if listed else "1, 2"
    await dpytest.message(mention(bot, "Who met in Washington?"))
    assert len(sent_messages()) == (1 if listed else 0)
    assert len(asker.calls) == (1 if listed else 0)


async def test_reply_to_an_answer_is_a_follow_up(make_bot: BotFactory) -> None:
    asker = ScriptedAsker()
    bot = await make_bot(asker)
    await dpytest.message(mention(bot, "What did leaders say on guarantees?"))
    [first] = sent_messages()
    await reply_to(first, "What about Macron?")  # no mention: the reply alone is enough
    [second] = sent_messages()
    await reply_to(second, "And Starmer?")
    [third] = sent_messages()
    assert asker.calls == [
        ("What did leaders say on guarantees?", None),
        ("What about Macron?", "What did leaders say on guarantees?"),
        ("And Starmer?", "What did leaders say on guarantees? What about Macron?"),
    ]
    assert third.content.startswith(QUESTION_PREFIX + "And Starmer?\n")


async def test_follow_up_after_restart_reads_the_question_back(make_bot: BotFactory) -> None:
    """With the in-memory map empty (restart, eviction) the referenced answer is fetched."""
    asker = ScriptedAsker()
    bot = await make_bot(asker)
    await dpytest.message(mention(bot, "What did Trump propose?"))
    [first] = sent_messages()
    bot.news.memory = QuestionMemory()
    await reply_to(first, "What about Putin?")
    assert asker.calls[-1] == ("What about Putin?", "What did Trump propose?")
    assert len(sent_messages()) == 1


async def test_reply_to_someone_else_is_not_a_follow_up(make_bot: BotFactory) -> None:
    asker = ScriptedAsker()
    bot = await make_bot(asker)
    other = await dpytest.message("Macron was there too", member=1)
    await reply_to(other, "interesting")
    assert asker.calls == []
    await reply_to(other, mention(bot, "What did Macron say?"))
    assert asker.calls == [("What did Macron say?", None)]
    assert len(sent_messages()) == 1


async def test_cooldown_answers_politely(make_bot: BotFactory) -> None:
    now = [1000.0]
    asker = ScriptedAsker()
    bot = await make_bot(asker, make_settings(cooldown=30), clock=lambda: now[0])
    await dpytest.message(mention(bot, "First question?"))
    now[0] += 10
    await dpytest.message(mention(bot, "Second question?"))
    await dpytest.message(mention(bot, "Someone else's question?"), member=1)
    now[0] += 25
    await dpytest.message(mention(bot, "Third question?"))
    replies = [m.content for m in sent_messages()]
    assert replies[1] == "One moment please: you can ask again in 20 s."
    assert [q for q, _ in asker.calls] == [
        "First question?",
        "Someone else's question?",
        "Third question?",
    ]
    assert len(replies) == 4


async def test_twenty_questions_at_once_all_answered_loop_stays_responsive(
    make_bot: BotFactory,
) -> None:
    """The asker blocks its thread for 0.1 s; a heartbeat coroutine must keep ticking meanwhile.

    Were the asker run on the event loop, no tick could happen during any of its sleeps.
    """
    asker = ScriptedAsker(delay=0.1)
    bot = await make_bot(asker)
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    asker.during_sleep = lambda: ticks
    beat = asyncio.create_task(heartbeat())
    config = dpytest.get_config()
    questions = [f"Question number {i}?" for i in range(20)]
    for i, question in enumerate(questions):  # all 20 arrive before any is answered
        dpy_backend.make_message(mention(bot, question), config.members[i % 3], config.channels[0])
    await dpytest.run_all_events()
    beat.cancel()

    replies = sent_messages()
    assert sorted(m.content.split("\n")[0] for m in replies) == sorted(
        QUESTION_PREFIX + q for q in questions
    )
    assert len(asker.advances) == 20
    assert min(asker.advances) >= 2, asker.advances
    assert 2 <= asker.max_running <= 4  # in parallel, but bounded by the semaphore


async def test_error_reaches_user_as_one_line_and_log_with_traceback_no_secrets(
    make_bot: BotFactory, caplog: pytest.LogCaptureFixture
) -> None:
    asker = ScriptedAsker(error=RuntimeError(f"upstream refused {FAKE_TOKEN} and {FAKE_KEY}"))
    settings = make_settings(token=FAKE_TOKEN)
    bot = await make_bot(asker, settings, secrets=(FAKE_KEY,))
    caplog.set_level(logging.ERROR, logger="newsbot.discord")
    await dpytest.message(mention(bot, "What did Macron say?"))
    [reply] = sent_messages()
    assert "\n" not in reply.content
    assert reply.content.startswith("Sorry, something went wrong while answering (ref ")
    assert "Traceback (most recent call last)" in caplog.text
    assert "RuntimeError: upstream refused [redacted] and [redacted]" in caplog.text
    ref = reply.content.split("(ref ")[1].split(")")[0]
    assert f"(ref {ref})" in caplog.text
    for secret in (FAKE_TOKEN, FAKE_KEY, "GhIjKl"):
        assert secret not in reply.content and secret not in caplog.text


async def test_bad_question_message_is_passed_on(make_bot: BotFactory) -> None:
    asker = ScriptedAsker(error=QuestionError("The question is too long. Ask it in a sentence.\nx"))
    bot = await make_bot(asker)
    await dpytest.message(mention(bot, "?" * 50))
    [reply] = sent_messages()
    assert reply.content == "The question is too long. Ask it in a sentence."


# -- slash commands: callbacks called with an Interaction double ---------------------------------


def interaction_double(
    *,
    user_id: int = 7,
    manage_guild: bool = False,
    roles: tuple[tuple[str, int], ...] = (),
    member: bool = True,
    channel_id: int = 500,
) -> MagicMock:
    """A stand-in for the Interaction the Discord gateway would deliver (spec'd on the real types).

    `response.defer` marks the response done, as Discord does; `followup.send` returns a message
    double with a fresh id.
    """
    interaction = MagicMock(spec=discord.Interaction)
    user = MagicMock(spec=discord.Member if member else discord.User)
    user.id = user_id
    user.guild_permissions = discord.Permissions(manage_guild=manage_guild)
    role_doubles = []
    for name, role_id in roles:
        role = MagicMock(spec=discord.Role)
        role.name, role.id = name, role_id
        role_doubles.append(role)
    user.roles = role_doubles
    interaction.user = user
    interaction.channel = MagicMock(spec=discord.TextChannel)
    interaction.channel.id = channel_id
    interaction.channel_id = channel_id

    done = [False]
    response = MagicMock(spec=discord.InteractionResponse)
    response.is_done = MagicMock(side_effect=lambda: done[0])

    async def defer(**_: Any) -> None:
        done[0] = True

    response.defer = AsyncMock(side_effect=defer)
    response.send_message = AsyncMock()
    interaction.response = response

    ids = count(9000)
    followup = MagicMock(spec=discord.Webhook)

    async def send(*_: Any, **__: Any) -> MagicMock:
        message = MagicMock(spec=discord.WebhookMessage)
        message.id = next(ids)
        return message

    followup.send = AsyncMock(side_effect=send)
    interaction.followup = followup
    return interaction


def callback(bot: NewsBot, name: str) -> Callable[..., Awaitable[None]]:
    command = {c.name: c for c in bot.news.get_app_commands()}[name]
    assert isinstance(command, discord.app_commands.Command)

    async def call(interaction: Any, *args: Any) -> None:
        await command.callback(bot.news, interaction, *args)  # type: ignore[arg-type]

    return call


def followup_texts(interaction: MagicMock) -> list[str]:
    return [c.args[0] for c in interaction.followup.send.await_args_list]


async def test_ask_defers_then_follows_up_with_the_answer() -> None:
    asker = ScriptedAsker()
    bot = NewsBot(make_settings(), asker, SyncReport, list)
    interaction = interaction_double()
    await callback(bot, "ask")(interaction, "What did Macron say?")
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=False)
    assert followup_texts(interaction) == render_answer(answer_for("What did Macron say?"))
    for call in interaction.followup.send.await_args_list:
        assert call.kwargs["wait"] is True
        assert call.kwargs["ephemeral"] is False  # the answer is public, as its deferral
        assert call.kwargs["allowed_mentions"].to_dict() == {"parse": []}
    assert asker.calls == [("What did Macron say?", None)]
    assert bot.news.memory.recall(9000) == "What did Macron say?"  # a reply to it is a follow-up


async def test_ask_cooldown_and_channels() -> None:
    now = [0.0]
    asker = ScriptedAsker()
    bot = NewsBot(make_settings(cooldown=10), asker, SyncReport, list, clock=lambda: now[0])
    await callback(bot, "ask")(interaction_double(), "One?")
    again = interaction_double()
    now[0] = 2.5
    await callback(bot, "ask")(again, "Two?")
    again.response.send_message.assert_awaited_once_with(
        "One moment please: you can ask again in 8 s.", ephemeral=True
    )
    again.response.defer.assert_not_awaited()

    bot.settings.channels = "123"
    elsewhere = interaction_double(user_id=8, channel_id=500)
    await callback(bot, "ask")(elsewhere, "Three?")
    assert "only answer in the channels" in elsewhere.response.send_message.await_args.args[0]
    assert [q for q, _ in asker.calls] == ["One?"]


async def test_ask_error_is_one_friendly_line(caplog: pytest.LogCaptureFixture) -> None:
    asker = ScriptedAsker(error=KeyError(f"Authorization: Bot {FAKE_TOKEN}"))
    bot = NewsBot(make_settings(token=FAKE_TOKEN), asker, SyncReport, list)
    interaction = interaction_double()
    with caplog.at_level(logging.ERROR, logger="newsbot.discord"):
        await callback(bot, "ask")(interaction, "Anything?")
    [line] = followup_texts(interaction)
    assert line.startswith("Sorry, something went wrong") and "\n" not in line
    # public, as the deferral it replaces: Discord would show it to everyone anyway
    assert interaction.followup.send.await_args.kwargs["ephemeral"] is False
    assert "KeyError" in caplog.text and "Traceback" in caplog.text
    assert FAKE_TOKEN not in caplog.text and FAKE_TOKEN not in line


def report() -> SyncReport:
    return SyncReport(
        added=1, unchanged=4, chunks=9, seconds=2.0, skipped=[Skipped("bad.bin", "binary")]
    )


@pytest.mark.parametrize(
    ("user", "admin_role", "allowed"),
    [
        ({}, "", False),
        ({"member": False, "manage_guild": True}, "", False),  # a DM: no server to manage
        ({"roles": (("newsroom", 55),)}, "Editors", False),
        ({"roles": (("Editors", 55),)}, "", False),  # no role configured: the name means nothing
        ({"manage_guild": True}, "", True),
        ({"roles": (("Editors", 55),)}, "Editors", True),
        ({"roles": (("other", 4242),)}, "4242", True),
    ],
)
async def test_reingest_is_for_admins_only(
    user: dict[str, Any], admin_role: str, allowed: bool
) -> None:
    threads: list[int] = []

    def reingest() -> SyncReport:
        threads.append(threading.get_ident())
        return report()

    settings = make_settings(admin_role=admin_role)
    bot = NewsBot(settings, ScriptedAsker(), reingest, list)
    interaction = interaction_double(**user)
    await callback(bot, "reingest")(interaction)
    if allowed:
        interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=True)
        assert followup_texts(interaction) == [
            f"Re-ingest finished: {report().summary()}.\n- skipped `bad.bin`: binary"
        ]
        assert len(threads) == 1 and threads[0] != threading.get_ident()  # off the loop
    else:
        assert "Only server managers" in interaction.response.send_message.await_args.args[0]
        interaction.followup.send.assert_not_awaited()
        assert threads == []


async def test_reingest_failure_is_reported_without_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def reingest() -> SyncReport:
        raise ConnectionError(f"chroma said no to key {FAKE_KEY}")

    bot = NewsBot(make_settings(), ScriptedAsker(), reingest, list, secrets=[FAKE_KEY])
    interaction = interaction_double(manage_guild=True)
    with caplog.at_level(logging.ERROR, logger="newsbot.discord"):
        await callback(bot, "reingest")(interaction)
    [line] = followup_texts(interaction)
    assert line.startswith("Sorry, something went wrong while re-ingesting (ref ")
    assert "ConnectionError" in caplog.text and FAKE_KEY not in caplog.text


async def test_sources_lists_the_index() -> None:
    records = [
        Record(f"{i:03}.txt", "h", "done", 3, f"{i:03}.txt", f"Title {i}", "AP", "2025-08-18")
        for i in range(120)
    ]
    bot = NewsBot(make_settings(), ScriptedAsker(), SyncReport, lambda: records)
    interaction = interaction_double()
    await callback(bot, "sources")(interaction)
    texts = followup_texts(interaction)
    assert texts == format_sources(records)
    assert len(texts) > 1 and texts[0].startswith("**120 articles indexed**")
    assert all(c.kwargs["ephemeral"] for c in interaction.followup.send.await_args_list)


@pytest.mark.parametrize("guild_id", [None, 4242])
async def test_setup_hook_syncs_commands(guild_id: int | None) -> None:
    bot = NewsBot(make_settings(guild_id=guild_id), ScriptedAsker(), SyncReport, list)
    bot.tree.sync = AsyncMock(return_value=[])  # type: ignore[method-assign]
    await bot.setup_hook()
    if guild_id is None:
        bot.tree.sync.assert_awaited_once_with()
    else:
        guild = bot.tree.sync.await_args.kwargs["guild"]
        assert guild.id == guild_id
        assert {c.name for c in bot.tree.get_commands(guild=guild)} == {
            "ask",
            "sources",
            "reingest",
        }


# -- entry point and pure helpers ----------------------------------------------------------------


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_run_discord_without_token_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_discord(make_settings(), ScriptedAsker(), SyncReport, list)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "DISCORD_TOKEN is not set" in err


@pytest.mark.parametrize(
    ("error", "code", "expected"),
    [
        (discord.LoginFailure("Improper token has been passed."), 2, "rejected DISCORD_TOKEN"),
        (RuntimeError(f"gateway said {FAKE_TOKEN}"), 1, "gateway said [redacted]"),
        (OSError("Name or service not known"), 1, "cannot reach Discord: Name or service"),
    ],
)
def test_run_discord_failures_never_print_the_token(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_root_logging: None,
    error: Exception,
    code: int,
    expected: str,
) -> None:
    tokens: list[str] = []

    def fake_run(self: discord.Client, token: str, **_: Any) -> None:
        tokens.append(token)
        raise error

    monkeypatch.setattr(discord.Client, "run", fake_run)
    result = run_discord(make_settings(token=FAKE_TOKEN), ScriptedAsker(), SyncReport, list)
    err = capsys.readouterr().err
    assert result == code and tokens == [FAKE_TOKEN]
    assert expected in err and FAKE_TOKEN not in err


def test_redacting_filter_cleans_message_and_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(["configured-secret-value"]))
    logger = logging.getLogger("newsbot.test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError(f"bad {FAKE_KEY} configured-secret-value")
        except ValueError:
            logger.exception("failed with %s", FAKE_TOKEN)
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "failed with [redacted]" in text and "Traceback" in text
    assert "ValueError: bad [redacted] [redacted]" in text
    for secret in (FAKE_KEY, FAKE_TOKEN, "configured-secret-value"):
        assert secret not in text


def test_cooldown_is_per_user_and_bounded() -> None:
    now = [0.0]
    cooldown = Cooldown(5, clock=lambda: now[0], max_users=3)
    assert cooldown.retry_after(1) == 0
    assert cooldown.retry_after(1) == 5
    assert cooldown.retry_after(2) == 0
    now[0] = 4
    assert cooldown.retry_after(1) == 1
    now[0] = 6
    assert cooldown.retry_after(3) == 0
    assert cooldown.retry_after(4) == 0  # over the bound: expired users are forgotten
    assert len(cooldown._last) == 2
    assert Cooldown(0).retry_after(1) == 0 and Cooldown(0).retry_after(1) == 0


def test_cooldown_refund_gives_an_unanswered_question_back() -> None:
    now = [0.0]
    cooldown = Cooldown(30, clock=lambda: now[0])
    assert cooldown.retry_after(1) == 0
    cooldown.refund(1)  # its answer never reached the user
    assert cooldown.retry_after(1) == 0
    now[0] = 10
    assert cooldown.retry_after(1) == 20
    cooldown.refund(2)  # a user with nothing counted: nothing to give back
    assert cooldown.retry_after(2) == 0


def test_strip_mentions_removes_the_bot_as_user_and_as_its_role_only() -> None:
    text = "<@42> <@&77> What did <@9> say? <@!42>"
    assert strip_mentions(text, 42, 77) == "What did <@9> say?"
    assert strip_mentions("<@&78> hi <@43>", 42, 77) == "<@&78> hi <@43>"
    assert strip_mentions("<@&77> hi", 42) == "<@&77> hi"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("http://127.0.0.1:8080/api/v10/", "http://127.0.0.1:8080/api/v10"),
        (" https://proxy.example/api/v10 ", "https://proxy.example/api/v10"),
    ],
)
def test_api_base_setting(value: str, expected: str | None) -> None:
    assert make_settings(api_base=value).api_base == expected


def test_api_base_must_be_an_http_url() -> None:
    with pytest.raises(ValidationError, match="http:// or https://"):
        make_settings(api_base="discord.com/api/v10")


def test_question_memory_is_a_bounded_lru() -> None:
    memory = QuestionMemory(size=3)
    memory.remember([1, 2], "a")
    memory.remember([3], "b")
    assert memory.recall(1) == "a"  # 1 is now the most recent
    memory.remember([4], "c")
    assert (memory.recall(2), memory.recall(1), memory.recall(4), len(memory)) == (
        None,
        "a",
        "c",
        3,
    )


def test_follow_up_context_keeps_the_latest_turns() -> None:
    assert follow_up_context("What about Macron?", None) == "What about Macron?"
    assert follow_up_context("And Starmer?", "Q1? Q2?") == "Q1? Q2? And Starmer?"
    long = follow_up_context("Last?", "x" * 1000)
    assert len(long) == 600 and long.endswith("x Last?") and long.startswith("…")


# -- end to end: the real core over the seeds ----------------------------------------------------


async def test_mention_and_follow_up_with_the_real_core(
    make_bot: BotFactory, answerer: Any
) -> None:
    """The real extractive core on the seeds index (tests/bot/conftest.py), through dpytest."""
    seen: list[tuple[str, str | None]] = []

    class Recording:
        def ask(self, question: str, follow_up_of: str | None = None) -> Answer:
            seen.append((question, follow_up_of))
            return answerer.ask(question, follow_up_of)  # type: ignore[no-any-return]

    bot = await make_bot(Recording())
    question = "What did Trump say about a summit between Putin and Zelensky?"
    await dpytest.message(mention(bot, question))
    first = sent_messages()
    expected = answerer.ask(question)
    assert not expected.refused and expected.citations
    assert [m.content for m in first] == render_answer(expected)
    assert "**Sources**" in "".join(m.content for m in first)

    await reply_to(first[0], "What about Macron?")
    follow_up = sent_messages()
    assert seen[-1] == ("What about Macron?", question)
    assert [m.content for m in follow_up] == render_answer(
        answerer.ask("What about Macron?", question)
    )


async def test_a_bug_in_the_core_is_not_shown_as_a_user_error(
    make_bot: BotFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """A plain ValueError is a programming error, not a message for the user: the reply is the
    line with a reference and the log keeps the traceback."""
    bot = await make_bot(ScriptedAsker(error=ValueError("internal detail")))
    with caplog.at_level(logging.ERROR, logger="newsbot.discord"):
        await dpytest.message(mention(bot, "What did Macron say?"))
    [reply] = sent_messages()
    assert (
        reply.content.startswith("Sorry, something went wrong") and "internal" not in reply.content
    )
    assert "ValueError: internal detail" in caplog.text


async def test_a_reingest_that_added_articles_is_announced_in_the_channel(
    make_bot: BotFactory,
) -> None:
    """Through dpytest: the admin's /reingest answers privately, then the channel hears once."""
    added = [Added("Library reopens", "Coastal Times", "https://coastal.example/lib", "lib.md")]
    bot = await make_bot(reingest=lambda: SyncReport(added=1, new=added))
    channel = bot.guilds[0].text_channels[0]
    bot.settings.announce_channel = channel.id
    await callback(bot, "reingest")(interaction_double(manage_guild=True))
    [post] = sent_messages()
    assert post.channel.id == channel.id
    assert post.content == (
        "**1 new article indexed**\n"
        "- Coastal Times · *Library reopens* <https://coastal.example/lib>"
    )
    # a sync that added nothing (or only copies) says nothing
    bot.news._reingest = lambda: SyncReport(unchanged=1)
    await callback(bot, "reingest")(interaction_double(manage_guild=True))
    assert sent_messages() == []
