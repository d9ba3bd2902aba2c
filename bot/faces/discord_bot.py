"""The Discord face: a thin adapter from /ask, @mentions and replies to the answering core.

A discord.py `commands.Bot` carrying one Cog (`NewsCog`) with the `app_commands` /ask,
/sources and /reingest (the last with `default_permissions(manage_guild=True)`, so Discord
hides it from members who cannot use it) and the message listener. Everything it needs is
passed in at the entry point (the asker, reingest, sources, its own `DiscordSettings` and the
secrets to redact); it looks nothing up. Formatting lives in bot/faces/discord_format.py as
pure functions.

What counts as a question: an @mention of the bot or of its own managed role (Discord's
autocomplete offers both), a real reply (reference type 0 on a REPLY message) to one of its
answers, and any message in a DM. Forwards, pin notices and thread starters also carry a message
reference; they are not replies and are never answered. DMs are answered whatever
NEWSBOT_DISCORD_CHANNELS says: that list picks server channels, and a DM is nobody else's channel.

Who sees what: /ask defers publicly, so its answer and any error line that replaces the
"thinking" message are public (Discord gives the first follow-up the deferral's visibility,
whatever it asks for); /sources and /reingest defer privately. A send Discord refuses (AutoMod,
a question deleted meanwhile) gets one short line where Discord allows one, else the log says why;
when none of the answer got through, the asker's cooldown is given back.

Intents: `message_content` is privileged and must be enabled in the Developer Portal ("Message
Content Intent"); without it the bot sees @mentions and replies with empty text. Slash commands
work without it. No other privileged intent is used.

Why the asker runs in a thread under a semaphore: retrieval and generation block for tens to
thousands of milliseconds; on the event loop they would stall the gateway heartbeat. The
semaphore keeps at most `concurrency` of them at work so a burst of questions queues instead of
starving the embedder of CPU.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import sys
import time
import traceback
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket

from bot.faces.discord_format import (
    format_announcement,
    format_report,
    format_sources,
    one_line,
    parse_question,
    redact,
    rejection_line,
    render_answer,
)
from ingest.errors import NewsbotError

if TYPE_CHECKING:
    from bot.core.records import Answer
    from bot.settings import DiscordSettings
    from ingest.report import SyncReport
    from ingest.store import Record

log = logging.getLogger("newsbot.discord")

FOLLOW_UP_CAP = 600  # characters of earlier questions carried into a follow-up
NO_MENTIONS = discord.AllowedMentions.none()
# Only a user's own words can be a question; pins, thread starters and other system notices not.
ASKABLE_TYPES = (discord.MessageType.default, discord.MessageType.reply)
PRIVATE_COMMANDS = frozenset({"sources", "reingest"})  # deferred ephemerally: only the user sees
# Slash commands: in servers and in DMs with the bot (not in group DMs, which need a user install).
COMMAND_CONTEXTS = app_commands.AppCommandContext(
    guild=True, dm_channel=True, private_channel=False
)
SERVER_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)
GUILD_INSTALL = app_commands.AppInstallationType(guild=True, user=False)


class Asker(Protocol):
    """The answering core as this layer sees it: blocking, thread-safe."""

    def ask(self, question: str, follow_up_of: str | None = None) -> Answer: ...


class Cooldown:
    """Per-user rate limit: one question per `seconds`; memory bounded by forgetting old users."""

    def __init__(
        self, seconds: float, clock: Callable[[], float] = time.monotonic, max_users: int = 10_000
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._max_users = max_users
        self._last: dict[int, float] = {}

    def retry_after(self, user_id: int) -> float:
        """0 and the question counts, or the seconds left before this user may ask again."""
        if self.seconds <= 0:
            return 0.0
        now = self._clock()
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        if len(self._last) >= self._max_users:
            self._last = {u: t for u, t in self._last.items() if now - t < self.seconds}
        self._last[user_id] = now
        return 0.0

    def refund(self, user_id: int) -> None:
        """Forget the question just counted: it got no answer, so it should not cost a wait."""
        self._last.pop(user_id, None)


class QuestionMemory:
    """Bounded LRU map: id of a message of an answer -> the question context it answered."""

    def __init__(self, size: int = 2048) -> None:
        self._size = size
        self._map: OrderedDict[int, str] = OrderedDict()

    def remember(self, message_ids: Iterable[int], question: str) -> None:
        for message_id in message_ids:
            self._map[message_id] = question
            self._map.move_to_end(message_id)
        while len(self._map) > self._size:
            self._map.popitem(last=False)

    def recall(self, message_id: int) -> str | None:
        question = self._map.get(message_id)
        if question is not None:
            self._map.move_to_end(message_id)
        return question

    def __len__(self) -> int:
        return len(self._map)


def follow_up_context(question: str, earlier: str | None) -> str:
    """What a reply to this answer continues: earlier questions and this one, capped.

    Carrying the chain keeps "What about Macron?" then "And what did he say on troops?" about
    the first topic and about Macron; the tail is kept because the latest turn matters most.
    """
    context = f"{earlier} {question}" if earlier else question
    return context if len(context) <= FOLLOW_UP_CAP else "…" + context[-(FOLLOW_UP_CAP - 1) :]


def strip_mentions(content: str, user_id: int, role_id: int | None = None) -> str:
    """The message text without the bot's own mention(s), as a user or as its managed role."""
    pattern = rf"<@!?{user_id}>" + (rf"|<@&{role_id}>" if role_id is not None else "")
    return " ".join(re.sub(pattern, " ", content).split())


def is_reply(message: discord.Message) -> bool:
    """A real reply: a REPLY message whose reference is of the reply type.

    Forwards (reference type 1), pin notices and thread starters carry a reference too; none of
    them is a user continuing a conversation with the bot.
    """
    ref = message.reference
    return (
        message.type is discord.MessageType.reply
        and ref is not None
        and ref.type is discord.MessageReferenceType.reply
        and ref.message_id is not None
    )


def is_forward(message: discord.Message) -> bool:
    """A forwarded message: someone else's words passed on, never a question to the bot."""
    ref = message.reference
    return ref is not None and ref.type is discord.MessageReferenceType.forward


def own_role_id(message: discord.Message) -> int | None:
    """The id of the role Discord made for this bot in the message's server, if any."""
    role = message.guild.self_role if message.guild is not None else None
    return role.id if role is not None else None


def is_admin(user: discord.abc.User, role: str) -> bool:
    """Manage Server permission, or the configured admin role (by name or id)."""
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild:
        return True
    role = role.strip()
    return bool(role) and any(r.name == role or str(r.id) == role for r in user.roles)


class RedactingFilter(logging.Filter):
    """Rewrites each record, traceback included, so no secret reaches any log handler."""

    def __init__(self, secret_values: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secret_values if s]

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self._secrets)
        record.args = None
        if record.exc_info:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = redact(text, self._secrets).rstrip("\n")
            record.exc_info = None
        return True


class NewsBot(commands.Bot):
    """The bot: a discord.py Bot carrying the news cog, sending with no pings ever.

    Built at the entry point with everything it needs; `setup_hook` adds the cog and syncs its
    slash commands. It has no prefix commands: messages are the cog's to read.
    """

    def __init__(
        self,
        settings: DiscordSettings,
        asker: Asker,
        reingest: Callable[[], SyncReport],
        sources: Callable[[], list[Record]],
        *,
        secrets: Iterable[str] = (),
        fetch: Callable[[], SyncReport | None] | None = None,
        fetch_every: float = 0.0,
        concurrency: int = 4,
        clock: Callable[[], float] = time.monotonic,
        intents: discord.Intents | None = None,
    ) -> None:
        if intents is None:
            intents = discord.Intents.default()
            intents.message_content = True  # privileged: to read @mentions and replies
        # The one guard that matters: nothing this bot sends can ping anyone.
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=NO_MENTIONS,
            allowed_contexts=COMMAND_CONTEXTS,
            allowed_installs=GUILD_INSTALL,
        )
        self.settings = settings
        token = settings.token.get_secret_value() if settings.token else ""
        self.secrets = [s for s in (token, *secrets) if s]
        self.news = NewsCog(
            self, settings, asker, reingest, sources, concurrency=concurrency, clock=clock
        )
        self.tree.error(self.news.on_app_command_error)
        self._fetch = fetch
        self._fetch_seconds = fetch_every
        self._tasks: set[asyncio.Task[None]] = set()

    async def setup_hook(self) -> None:
        """Add the cog, then sync its slash commands: to one guild when configured (instant),
        else globally (slow).

        With NEWSBOT_DISCORD_API_BASE the gateway URL is asked of that API first (GET
        /gateway/bot, as Discord recommends): discord.py's Client otherwise dials Discord's
        fixed gateway, which a proxy or a test stand-in would never see.
        """
        if self.get_cog(self.news.qualified_name) is None:
            await self.add_cog(self.news)
        if self.settings.api_base:
            _shards, url, _limits = await self.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
            log.info("gateway from %s: %s", self.settings.api_base, url)
        guild_id = self.settings.guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands (may take up to an hour to appear)", len(synced))
        if self._fetch is not None and self._fetch_seconds > 0:
            task = asyncio.create_task(self._fetch_every(self._fetch, self._fetch_seconds))
            self._tasks.add(task)  # held: the loop keeps only a weak reference to a task

    # -- feeds and announcements ---------------------------------------------------------------

    async def _fetch_every(self, fetch: Callable[[], SyncReport | None], seconds: float) -> None:
        """Read the feeds and sync now and every `seconds`, announcing what was added; a round
        that fails is logged and the next one comes all the same."""
        await self.wait_until_ready()
        while not self.is_closed():
            try:
                async with self.news.reingest_lock:
                    report = await asyncio.to_thread(fetch)
                if report is not None:
                    await self.announce(report)
            except Exception as exc:
                self.log_failure("reading the feeds", exc)
            await asyncio.sleep(seconds)

    async def announce(self, report: SyncReport) -> None:
        """Post the articles a sync added to NEWSBOT_DISCORD_ANNOUNCE_CHANNEL, if one is set.

        One message (more only past Discord's 2000 characters), pinging no one; a refused send
        is logged, never retried (the next sync announces its own articles)."""
        channel_id = self.settings.announce_channel
        if channel_id is None or not report.new:
            return
        found = self.get_channel(channel_id)
        channel: discord.abc.Messageable = (
            found
            if isinstance(found, discord.abc.Messageable)
            else self.get_partial_messageable(channel_id)  # not cached: by id alone
        )
        parts = format_announcement(report.new)
        for part in parts:
            try:
                await channel.send(part, allowed_mentions=NO_MENTIONS)
            except discord.HTTPException as exc:
                log.warning(
                    "Discord refused the announcement in channel %s: HTTP %s, code %s: %s",
                    channel_id,
                    exc.status,
                    exc.code,
                    one_line(exc.text),
                )
                return
        log.info("announced %d new articles in %d message(s)", len(report.new), len(parts))

    async def on_ready(self) -> None:
        """Logged so an operator (and the wire tests) can tell the bot is taking questions."""
        log.info("ready as %s in %d server(s)", self.user, len(self.guilds))

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: a mention is a question for the cog, never a command name."""

    def log_failure(self, doing: str, exc: BaseException) -> str:
        """Log the redacted traceback under a short random reference the user is shown."""
        ref = secrets.token_hex(3)
        text = "".join(traceback.format_exception(exc))
        log.error("%s failed (ref %s):\n%s", doing, ref, redact(text, self.secrets))
        return ref

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Event handler failures (e.g. on_message): logged with the traceback, redacted."""
        text = traceback.format_exc()
        log.error("error in %s:\n%s", event_method, redact(text, self.secrets))


class NewsCog(commands.Cog, name="news"):
    """/ask, /sources, /reingest, @mentions and replies: a thin adapter to the asker."""

    def __init__(
        self,
        bot: NewsBot,
        settings: DiscordSettings,
        asker: Asker,
        reingest: Callable[[], SyncReport],
        sources: Callable[[], list[Record]],
        *,
        concurrency: int = 4,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.settings = settings
        self._asker = asker
        self._reingest = reingest
        self._sources = sources
        self._slots = asyncio.Semaphore(concurrency)
        self.reingest_lock = asyncio.Lock()
        self._cooldown = Cooldown(settings.cooldown, clock)
        self.memory = QuestionMemory()

    # -- answering ---------------------------------------------------------------------------

    def channel_allowed(self, channel: Any, guild_id: int | None) -> bool:
        """NEWSBOT_DISCORD_CHANNELS (empty: every channel); a thread counts as its parent.

        A DM (no guild) is always allowed: the list picks server channels, and a DM is a
        private conversation nobody else is disturbed by.
        """
        allowed = self.settings.channel_ids
        if not allowed or guild_id is None:
            return True
        ids = {getattr(channel, "id", None), getattr(channel, "parent_id", None)}
        return bool(ids & allowed)

    def _cooldown_message(self, user_id: int) -> str | None:
        wait = self._cooldown.retry_after(user_id)
        if wait <= 0:
            return None
        return f"One moment please: you can ask again in {max(1, round(wait))} s."

    async def answer(self, question: str, earlier: str | None) -> tuple[list[str], str | None]:
        """The messages to send, and the context a reply to them continues (None on failure).

        The asker runs in a worker thread, at most `concurrency` at a time. A NewsbotError is the
        core telling the user what was wrong (the question, the store); anything else is our
        fault: the user gets one line with a reference, the log gets the traceback, both redacted.
        """
        try:
            async with self._slots:
                answer = await asyncio.to_thread(self._asker.ask, question, earlier)
        except NewsbotError as exc:
            line = one_line(redact(str(exc), self.bot.secrets))
            return [line or "I can't answer that question."], None
        except Exception as exc:
            ref = self.bot.log_failure("answering", exc)
            line = f"Sorry, something went wrong while answering (ref {ref}). Try again later."
            return [line], None
        return render_answer(answer), follow_up_context(question, earlier)

    async def earlier_question(self, message: discord.Message) -> str | None:
        """If `message` replies to one of this bot's answers, the question that answer was for.

        The LRU memory knows recent answers; after a restart or eviction the referenced message
        is fetched and its first line (the echoed question) read back. Only a real reply
        counts (see `is_reply`).
        """
        ref = message.reference
        if not is_reply(message) or ref is None or ref.message_id is None or self.bot.user is None:
            return None
        remembered = self.memory.recall(ref.message_id)
        if remembered is not None:
            return remembered
        referenced = ref.resolved if isinstance(ref.resolved, discord.Message) else None
        if referenced is None and ref.channel_id == message.channel.id:
            try:
                referenced = await message.channel.fetch_message(ref.message_id)
            except discord.HTTPException:
                return None
        if referenced is None or referenced.author.id != self.bot.user.id:
            return None
        return parse_question(referenced.content)

    def _is_for_me(self, message: discord.Message) -> bool:
        """A user's own message (no bot, no system notice, no forward) where the bot may talk."""
        return (
            not message.author.bot
            and message.type in ASKABLE_TYPES
            and not is_forward(message)
            and self.channel_allowed(message.channel, message.guild.id if message.guild else None)
        )

    def _mentions_me(self, message: discord.Message, me: discord.ClientUser) -> bool:
        """@bot, or @ the bot's own managed role, which Discord's autocomplete offers too."""
        role_id = own_role_id(message)
        return any(user.id == me.id for user in message.mentions) or any(
            role.id == role_id for role in message.role_mentions
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """@mention -> a question; a reply to one of our answers -> its follow-up; DMs too."""
        me = self.bot.user
        if me is None or not self._is_for_me(message):
            return
        earlier = await self.earlier_question(message)
        if earlier is None and not self._mentions_me(message, me) and message.guild is not None:
            return
        question = strip_mentions(message.content, me.id, own_role_id(message))
        if not question:
            await self._reply_lines(
                message, ["Ask me something about the news, e.g. `@me what did Macron say?`"]
            )
            return
        wait = self._cooldown_message(message.author.id)
        if wait:
            await self._reply_lines(message, [wait])
            return
        async with message.channel.typing():
            parts, context = await self.answer(question, earlier)
        sent = await self._reply_lines(message, parts)
        self._settle(message.author.id, sent, context)

    def _settle(self, user_id: int, sent: Sequence[discord.Message], context: str | None) -> None:
        """An answer delivered: remember it for follow-ups. Otherwise (Discord refused it, or
        only an error line went out) the question got no answer and spends no cooldown."""
        if context is not None and sent:
            self.memory.remember((m.id for m in sent), context)
        else:
            self._cooldown.refund(user_id)

    async def _reply_lines(
        self, message: discord.Message, parts: list[str]
    ) -> list[discord.Message]:
        """Reply with `parts` (the first as the reply, the rest after it); the messages sent.

        If Discord refuses one (AutoMod, the question deleted meanwhile), the user gets one
        line saying so, attached to the question while it exists, else plain.
        """
        sent: list[discord.Message] = []
        try:
            sent.append(await message.reply(parts[0]))
            for part in parts[1:]:
                sent.append(await message.channel.send(part))
        except discord.HTTPException as exc:
            where = f"in channel {message.channel.id}"
            reference = message.to_reference(fail_if_not_exists=False)
            await self._tell_refusal(
                exc, where, lambda line: message.channel.send(line, reference=reference)
            )
        return sent

    async def _tell_refusal(
        self,
        exc: discord.HTTPException,
        where: str,
        send_line: Callable[[str], Awaitable[object]],
    ) -> None:
        """Log why Discord refused a send, and tell the user in one line if Discord lets us."""
        log.warning(
            "Discord refused a message %s: HTTP %s, code %s: %s",
            where,
            exc.status,
            exc.code,
            one_line(exc.text),
        )
        await self._send_line(rejection_line(exc.status, exc.code, exc.text), where, send_line)

    async def _send_line(
        self, line: str, where: str, send_line: Callable[[str], Awaitable[object]]
    ) -> None:
        """Send one error line; when Discord refuses that too, only the log can say why."""
        try:
            await send_line(line)
        except discord.HTTPException as exc:
            log.warning(
                "Discord refused the error line %s too (HTTP %s, code %s: %s); the user saw "
                "nothing: %r",
                where,
                exc.status,
                exc.code,
                one_line(exc.text),
                line,
            )

    # -- slash commands (each docstring's first line is the help Discord shows) ---------------

    @app_commands.command(name="ask")
    @app_commands.describe(question="What you want to know from the indexed articles")
    async def ask_command(self, interaction: discord.Interaction, question: str) -> None:
        """Ask a question about the news articles; the answer cites its sources."""
        if not self.channel_allowed(interaction.channel, interaction.guild_id):
            await interaction.response.send_message(
                "I only answer in the channels I was set up for.", ephemeral=True
            )
            return
        wait = self._cooldown_message(interaction.user.id)
        if wait:
            await interaction.response.send_message(wait, ephemeral=True)
            return
        if not await self._defer(interaction, private=False):
            self._cooldown.refund(interaction.user.id)
            return
        parts, context = await self.answer(question, None)
        sent = await self._follow_up(interaction, parts, private=False)
        self._settle(interaction.user.id, sent, context)

    @app_commands.command(name="sources")
    async def sources_command(self, interaction: discord.Interaction) -> None:
        """List the articles in the index."""
        if not await self._defer(interaction, private=True):
            return
        try:  # reading and formatting every record: off the event loop
            parts = await asyncio.to_thread(lambda: format_sources(self._sources()))
        except Exception as exc:
            await self._fail(interaction, "listing sources", exc, private=True)
            return
        await self._follow_up(interaction, parts, private=True)

    @app_commands.command(name="reingest")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    async def reingest_command(self, interaction: discord.Interaction) -> None:
        """Admins: sync the index with the articles folder and report what changed."""
        if not is_admin(interaction.user, self.settings.admin_role):
            await interaction.response.send_message(
                "Only server managers or the bot's admin role can re-ingest.", ephemeral=True
            )
            return
        if self.reingest_lock.locked():
            await interaction.response.send_message(
                "A re-ingest is already running; its summary will follow.", ephemeral=True
            )
            return
        if not await self._defer(interaction, private=True):
            return
        async with self.reingest_lock:
            try:
                report = await asyncio.to_thread(self._reingest)
            except Exception as exc:
                await self._fail(interaction, "re-ingesting", exc, private=True)
                return
        await self._follow_up(interaction, format_report(report), private=True)
        await self.bot.announce(report)

    async def _defer(self, interaction: discord.Interaction, *, private: bool) -> bool:
        """Acknowledge within Discord's 3 s (the "thinking" message); False if Discord refused.

        A refused acknowledgement (the 3 s passed, the interaction is unknown) leaves no way to
        reply at all, so the log says why.
        """
        try:
            await interaction.response.defer(thinking=True, ephemeral=private)
        except discord.HTTPException as exc:
            log.warning(
                "Discord refused to acknowledge /%s (HTTP %s, code %s: %s); no reply is possible",
                _command_name(interaction),
                exc.status,
                exc.code,
                one_line(exc.text),
            )
            return False
        return True

    async def _follow_up(
        self, interaction: discord.Interaction, parts: Iterable[str], *, private: bool
    ) -> list[discord.WebhookMessage]:
        """Send each part as a follow-up, pinging no one; the messages, for reply tracking.

        `private` must match the deferral: Discord keeps the deferral's visibility for the first
        follow-up, and a later one marked otherwise would show a private list to everyone. On a
        refusal the user gets one line of the same visibility.
        """
        sent: list[discord.WebhookMessage] = []

        async def send(text: str) -> discord.WebhookMessage:
            return await interaction.followup.send(
                text, wait=True, ephemeral=private, allowed_mentions=NO_MENTIONS
            )

        try:
            for part in parts:
                sent.append(await send(part))
        except discord.HTTPException as exc:
            await self._tell_refusal(exc, f"for /{_command_name(interaction)}", send)
        return sent

    async def _fail(
        self, interaction: discord.Interaction, doing: str, exc: BaseException, *, private: bool
    ) -> None:
        """One line with a reference for the user, the traceback for the log.

        Before any response the line is private; after a deferral it has the deferral's
        visibility (`private`), which is what Discord shows anyway.
        """
        ref = self.bot.log_failure(doing, exc)
        line = f"Sorry, something went wrong while {doing} (ref {ref})."
        if interaction.response.is_done():
            await self._follow_up(interaction, [line], private=private)
        else:
            where = f"for /{_command_name(interaction)}"
            await self._send_line(
                line,
                where,
                lambda text: interaction.response.send_message(text, ephemeral=True),
            )

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Anything a command did not handle: one line to the user, the traceback to the log.

        Installed as the tree's handler (not the cog's), so discord.py's own handler, which
        would log the traceback unredacted, never runs."""
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        private = _command_name(interaction) in PRIVATE_COMMANDS
        await self._fail(interaction, "running that command", cause, private=private)


def _command_name(interaction: discord.Interaction) -> str:
    command = interaction.command
    return command.name if command is not None else "?"


def use_api_base(base: str) -> None:
    """Point discord.py's REST calls at `base` instead of https://discord.com/api/v10.

    For tests and self-hosted API proxies only: the bot token goes wherever this points. The
    gateway URL is then asked of the same API (see `NewsBot.setup_hook`).
    """
    discord.http.Route.BASE = base
    log.warning("using the Discord API at %s instead of discord.com", base)


def _log_through_redaction(secret_values: list[str]) -> None:
    """One root handler, redacting: replaces the CLI's, which would print every line twice and
    unredacted. Voice-support warnings are dropped: this bot never joins voice."""
    for old in logging.getLogger().handlers[:]:
        logging.getLogger().removeHandler(old)
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter(secret_values))
    discord.utils.setup_logging(handler=handler, root=True)
    logging.getLogger("discord.client").addFilter(
        lambda record: "voice will NOT be supported" not in record.getMessage()
    )


def run_discord(
    settings: DiscordSettings,
    asker: Asker,
    reingest: Callable[[], SyncReport],
    sources: Callable[[], list[Record]],
    *,
    secrets: Iterable[str] = (),
    fetch: Callable[[], SyncReport | None] | None = None,
    fetch_every: float = 0.0,
) -> int:
    """`newsbot discord`: run the bot until interrupted; 2 when it cannot start.

    `secrets`: the core's secrets (an API key) to redact from every log line, besides the
    bot token. `fetch`: read the feeds and sync (None when nothing was added), every
    `fetch_every` seconds (NEWSBOT_FETCH_EVERY; 0 never)."""
    if settings.token is None:
        print(
            "newsbot discord: DISCORD_TOKEN is not set; put the bot token in .env or the "
            "environment (see README, 'Running the Discord bot').",
            file=sys.stderr,
        )
        return 2
    secret_values = [s for s in (settings.token.get_secret_value(), *secrets) if s]
    _log_through_redaction(secret_values)
    if settings.api_base:
        use_api_base(settings.api_base)
    bot = NewsBot(
        settings,
        asker,
        reingest,
        sources,
        secrets=secret_values,
        fetch=fetch,
        fetch_every=fetch_every,
    )
    try:
        bot.run(settings.token.get_secret_value(), log_handler=None)
    except discord.LoginFailure:
        print("newsbot discord: Discord rejected DISCORD_TOKEN; copy it again.", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print(
            "newsbot discord: enable 'Message Content Intent' for the bot in the Developer "
            "Portal (Bot page).",
            file=sys.stderr,
        )
        return 2
    except (OSError, aiohttp.ClientError) as exc:  # no network, DNS, Discord unreachable
        message = redact(one_line(str(exc)) or type(exc).__name__, secret_values)
        print(f"newsbot discord: cannot reach Discord: {message}", file=sys.stderr)
        return 1
    except Exception as exc:
        log.error("the bot stopped: %s", exc, exc_info=True)
        message = redact(one_line(str(exc)) or type(exc).__name__, secret_values)
        print(f"newsbot discord: {message}", file=sys.stderr)
        return 1
    return 0
