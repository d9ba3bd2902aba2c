"""A stand-in for Discord on 127.0.0.1, for the wire tests: not Discord, but its protocol.

It serves the REST API v10 calls a bot makes (login, application info, GET /gateway/bot, command
sync, interaction callbacks and follow-ups, channel messages, typing) and a gateway WebSocket
(HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeat ACK, RESUME with the missed events replayed,
dispatches), for one bot in one server with two text channels. The bot under test is the real
`newsbot discord` process with NEWSBOT_DISCORD_API_BASE pointing here; it finds the gateway
through this server's GET /gateway/bot, as it would find Discord's.

Tests push gateway events (slash commands, messages, replies, forwards, DMs), read every REST
request the bot made (method, path, JSON body, time), and make Discord refuse things the way it
does: AutoMod keyword rules (400, code 200000), replies to deleted messages (400, 50035 "Unknown
message"), scripted answers such as a 429 with Retry-After or a 500, and a dropped WebSocket.

It runs on its own event loop in a thread so that tests and fixtures stay plain functions.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

API = "/api/v10"
HEARTBEAT_MS = 1000  # short, so heartbeats really happen during a test module
EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 16)  # view channel, send, read history
TIMESTAMP = "2025-08-18T12:00:00.000000+00:00"

Json = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Request:
    """One REST request the bot made, as received, and the status it was answered with."""

    n: int  # its place among all requests
    method: str
    path: str  # below /api/v10
    query: dict[str, str]
    body: Any
    at: float  # time.monotonic()
    status: int
    authorized: bool
    response: Any  # the JSON answered (e.g. the message created, with its id)


@dataclass
class Scripted:
    """A response to give the next `times` requests matching `method` and `path` instead."""

    method: str
    path: re.Pattern[str]
    status: int
    body: Json
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


def reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON as Discord sends it: `Content-Type: application/json` exactly (discord.py reads
    the body as JSON only then; aiohttp's json_response would add a charset)."""
    headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=headers)


def error(status: int, code: int, message: str, errors: Json | None = None) -> web.Response:
    """Discord's JSON error body."""
    body: Json = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return reply(body, status)


class FakeDiscord:
    """The stand-in server. `start()`, point the bot at `api_base`, push events, read requests."""

    def __init__(self, token: str) -> None:
        self._token = token
        self._ids = itertools.count(1_400_000_000_000_000_000)
        self.app_id = self.new_id()
        self.guild_id = self.new_id()
        self.channel_id = self.new_id()  # the channel the bot is set up for
        self.other_channel_id = self.new_id()  # a channel of the same server it is not
        self.bot_role_id = self.new_id()  # the role Discord makes for the bot in the server
        self.bot_user: Json = self._user("newsbot", bot=True)
        self.owner: Json = self._user("owner")
        self.requests: list[Request] = []
        self.gateway_ops: list[tuple[int, Json | None]] = []  # (op, d) the bot sent
        self.connections = 0
        self.messages: dict[str, Json] = {}  # every message, the bot's and the users'
        self.deleted: set[str] = set()
        self.automod_keywords: set[str] = set()
        self.interaction_sent_at: dict[str, float] = {}
        self._interaction_channel: dict[str, str] = {}  # token -> where its follow-ups go
        self._scripted: list[Scripted] = []
        self._events: list[Json] = []  # every dispatch, for RESUME's replay
        self._ws: web.WebSocketResponse | None = None
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self._run(self._serve())

    def stop(self) -> None:
        if self._runner is not None:
            self._run(self._runner.cleanup())
        self._loop.call_soon_threadsafe(self._loop.stop)

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the stand-in's loop from a test's thread and wait for it."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    # -- what the bot did ---------------------------------------------------------------------

    def wait_for(
        self, match: Callable[[Request], bool], timeout: float = 20.0, count: int = 1
    ) -> list[Request]:
        """The first `count` recorded requests that `match`, waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [r for r in self.requests if match(r)]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = "\n".join(f"{r.method} {r.path} {r.status}" for r in self.requests[-15:])
                    raise AssertionError(f"no {count} matching request(s) in {timeout} s:\n{seen}")
                self._changed.wait(left)

    def replied_to(self) -> set[str]:
        """Ids of the messages the bot's sends referenced (replies and error lines)."""
        bodies = [r.body for r in self.requests if r.method == "POST" and isinstance(r.body, dict)]
        return {
            str(b["message_reference"]["message_id"]) for b in bodies if b.get("message_reference")
        }

    def count_gateway(self, op: int) -> int:
        """How many gateway messages with this opcode the bot has sent."""
        with self._changed:
            return sum(1 for o, _ in self.gateway_ops if o == op)

    def wait_gateway(self, op: int, count: int = 1, timeout: float = 20.0) -> Json | None:
        """The `d` of the `count`-th gateway message with this opcode the bot sent."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(sent := [d for o, d in self.gateway_ops if o == op]) < count:
                if not self._changed.wait(max(0.0, deadline - time.monotonic())):
                    raise AssertionError(f"the bot sent no op {op} #{count} in {timeout} s")
            return sent[count - 1]

    def _record(
        self, request: Request | None = None, op: tuple[int, Json | None] | None = None
    ) -> None:
        with self._changed:
            if request is not None:
                self.requests.append(request)
            if op is not None:
                self.gateway_ops.append(op)
            self._changed.notify_all()

    # -- how Discord answers ------------------------------------------------------------------

    def script(
        self,
        method: str,
        path: str,
        status: int,
        body: Json,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests to `method` `path` (a regex) with this instead."""
        self._scripted.append(
            Scripted(method, re.compile(path), status, body, headers or {}, times)
        )

    def _scripted_for(self, method: str, path: str) -> Scripted | None:
        for scripted in self._scripted:
            if scripted.times > 0 and scripted.method == method and scripted.path.fullmatch(path):
                scripted.times -= 1
                return scripted
        return None

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await request.json() if request.can_read_body else None
        authorized = self._authorized(path, request.headers.get("Authorization"))
        scripted = self._scripted_for(request.method, path)
        if scripted is not None:
            response = reply(scripted.body, scripted.status, scripted.headers)
        elif not authorized:
            response = error(401, 0, "401: Unauthorized")
        else:
            response = self._route(request.method, path, body)
        raw = response.body
        answered = json.loads(raw) if isinstance(raw, bytes) and raw else None
        self._record(
            Request(
                len(self.requests),
                request.method,
                path,
                dict(request.query),
                body,
                time.monotonic(),
                response.status,
                authorized,
                answered,
            )
        )
        return response

    def _authorized(self, path: str, header: str | None) -> bool:
        """The bot token on bot routes; interaction routes carry the interaction's token in
        the path instead (Discord wants no Authorization there)."""
        if path.startswith(("/interactions/", "/webhooks/")):
            return any(token in path for token in self._interaction_channel)
        return header == f"Bot {self._token}"

    def _route(self, method: str, path: str, body: Any) -> web.Response:
        for want, pattern, handler in self._routes():
            m = re.fullmatch(pattern, path)
            if m and want == method:
                return handler(body, **m.groupdict())
        return error(404, 0, "404: Not Found")

    def _routes(self) -> list[tuple[str, str, Callable[..., web.Response]]]:
        ok = reply
        return [
            ("GET", r"/users/@me", lambda _: ok(self.bot_user)),
            ("GET", r"/oauth2/applications/@me", lambda _: ok(self._application())),
            ("GET", r"/gateway/bot", lambda _: ok(self._gateway_bot())),
            ("PUT", r"/applications/\d+/commands", self._sync),
            ("PUT", r"/applications/\d+/guilds/\d+/commands", self._sync),
            ("POST", r"/interactions/(?P<iid>\d+)/[^/]+/callback", self._callback),
            ("POST", r"/webhooks/\d+/(?P<token>[^/]+)", self._follow_up),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._create_message),
            ("POST", r"/channels/\d+/typing", lambda _: web.Response(status=204)),
            ("GET", r"/channels/\d+/messages/(?P<mid>\d+)", self._get_message),
        ]

    def _application(self) -> Json:
        return {
            "id": self.app_id,
            "name": "newsbot",
            "icon": None,
            "description": "",
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.owner,
            "verify_key": "0" * 64,
            "team": None,
            "flags": 0,
            "interactions_endpoint_url": None,
        }

    def _gateway_bot(self) -> Json:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    def _sync(self, body: Any) -> web.Response:
        commands = [
            {**command, "id": self.new_id(), "application_id": self.app_id, "version": "1"}
            for command in body
        ]
        return reply(commands)

    def _callback(self, body: Any, iid: str) -> web.Response:
        flags = (body.get("data") or {}).get("flags", 0)
        return reply(
            {
                "interaction": {
                    "id": iid,
                    "type": 2,
                    "response_message_id": self.new_id(),
                    "response_message_loading": body["type"] == 5,
                    "response_message_ephemeral": bool(flags & EPHEMERAL),
                }
            }
        )

    def _refusal(self, body: Json) -> web.Response | None:
        """What Discord says to a message it will not post, if anything."""
        content = str(body.get("content") or "")
        if any(word.lower() in content.lower() for word in self.automod_keywords):
            return error(400, 200000, "Message was blocked by automatic moderation")
        ref = body.get("message_reference") or {}
        if str(ref.get("message_id")) in self.deleted and ref.get("fail_if_not_exists", True):
            unknown = {
                "_errors": [{"code": "REPLIES_UNKNOWN_MESSAGE", "message": "Unknown message"}]
            }
            return error(400, 50035, "Invalid Form Body", {"message_reference": unknown})
        return None

    def _create_message(self, body: Any, channel: str) -> web.Response:
        refused = self._refusal(body)
        if refused is not None:
            return refused
        target = str((body.get("message_reference") or {}).get("message_id", "")) or None
        if target in self.deleted:
            target = None  # fail_if_not_exists=False: posted as a plain message
        content = body.get("content", "")
        return reply(self.message(content, self.bot_user, channel=channel, reply_to=target))

    def _follow_up(self, body: Any, token: str) -> web.Response:
        refused = self._refusal(body)
        if refused is not None:
            return refused
        channel = self._interaction_channel.get(token, self.channel_id)
        message = self.message(body.get("content", ""), self.bot_user, channel=channel)
        message.update(
            webhook_id=self.app_id, application_id=self.app_id, flags=body.get("flags", 0)
        )
        return reply(message)

    def _get_message(self, _: Any, mid: str) -> web.Response:
        if mid in self.deleted or mid not in self.messages:
            return error(404, 10008, "Unknown Message")
        return reply(self.messages[mid])

    # -- the gateway --------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.connections += 1
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}})
        async for frame in ws:
            if frame.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            op, data = payload["op"], payload.get("d")
            self._record(op=(op, data))
            if op == 1:
                await ws.send_json({"op": 11})
            elif op == 2:
                self._ws = ws
                await self._dispatch("READY", self._ready())
                await self._dispatch("GUILD_CREATE", self._guild())
            elif op == 6:
                # As Discord: nothing is dispatched on a new connection before it resumes; the
                # events since the bot's last seq are replayed, those arriving meanwhile too,
                # and only then does the connection take live events (no await in between).
                sent = data["seq"]
                while sent < len(self._events):
                    await ws.send_json(self._events[sent])
                    sent += 1
                self._ws = ws
                await self._dispatch("RESUMED", {})
        return ws

    async def _dispatch(self, name: str, data: Json) -> None:
        event = {"op": 0, "t": name, "s": len(self._events) + 1, "d": data}
        self._events.append(event)
        if self._ws is not None and not self._ws.closed:
            await self._ws.send_json(event)

    def dispatch(self, name: str, data: Json) -> None:
        """Send a gateway event; while the bot is away it waits for the RESUME replay."""
        self._run(self._dispatch(name, data))

    def drop_connection(self, code: int = 4000) -> None:
        """Close the gateway WebSocket as Discord does on a hiccup (4000: resumable)."""
        ws = self._ws
        assert ws is not None
        self._run(ws.close(code=code))

    def _ready(self) -> Json:
        return {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": self.guild_id, "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "shard": [0, 1],
            "application": {"id": self.app_id, "flags": 0},
        }

    def _role(self, role_id: str, name: str, permissions: int, **extra: Any) -> Json:
        return {
            "id": role_id,
            "name": name,
            "color": 0,
            "hoist": False,
            "position": 0,
            "permissions": str(permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
            **extra,
        }

    def _channel(self, channel_id: str, name: str) -> Json:
        return {
            "id": channel_id,
            "type": 0,
            "guild_id": self.guild_id,
            "name": name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        }

    def _guild(self) -> Json:
        bot_role = self._role(
            self.bot_role_id,
            "newsbot",
            MEMBER_PERMISSIONS,
            managed=True,
            tags={"bot_id": self.bot_user["id"]},
        )
        return {
            "id": self.guild_id,
            "name": "Newsroom",
            "owner_id": self.owner["id"],
            "roles": [self._role(self.guild_id, "@everyone", MEMBER_PERMISSIONS), bot_role],
            "channels": [
                self._channel(self.channel_id, "news"),
                self._channel(self.other_channel_id, "off-topic"),
            ],
            "members": [self.member(self.bot_user, roles=[self.bot_role_id])],
            "member_count": 2,
            "emojis": [],
            "stickers": [],
            "features": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "large": False,
            "unavailable": False,
            "joined_at": TIMESTAMP,
            "premium_tier": 0,
            "preferred_locale": "en-US",
        }

    # -- building what users do ---------------------------------------------------------------

    def new_id(self) -> str:
        return str(next(self._ids))

    def _user(self, name: str, *, bot: bool = False) -> Json:
        user: Json = {"id": self.new_id(), "username": name, "discriminator": "0", "avatar": None}
        if bot:
            user["bot"] = True
        return user

    def new_user(self) -> Json:
        """A fresh member (so each test starts with no cooldown spent)."""
        return self._user("reader")

    def member(self, user: Json, roles: list[str] | None = None) -> Json:
        return {
            "user": user,
            "roles": roles or [],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
        }

    def message(
        self,
        content: str,
        author: Json,
        *,
        channel: str | None = None,
        dm: bool = False,
        reply_to: str | None = None,
        forward_of: str | None = None,
        kind: int = 0,
        mentions: list[Json] | None = None,
        role_mentions: list[str] | None = None,
    ) -> Json:
        """A message as Discord shapes it (stored, so later replies and fetches can find it)."""
        message: Json = {
            "id": self.new_id(),
            "channel_id": channel or self.channel_id,
            "author": author,
            "content": content,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": mentions or [],
            "mention_roles": role_mentions or [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": kind,
            "flags": 0,
        }
        if not dm:
            message["guild_id"] = self.guild_id
            if "bot" not in author:
                message["member"] = {k: v for k, v in self.member(author).items() if k != "user"}
        target = reply_to or forward_of
        if target is not None:
            message["message_reference"] = {
                "type": 0 if reply_to else 1,
                "message_id": target,
                "channel_id": self.messages[target]["channel_id"],
                **({} if dm else {"guild_id": self.guild_id}),
            }
        if reply_to is not None:
            message["type"] = 19 if kind == 0 else kind
            message["referenced_message"] = self.messages.get(reply_to)
        if forward_of is not None:
            snapshot = {
                k: self.messages[forward_of][k]
                for k in (
                    "content",
                    "timestamp",
                    "edited_timestamp",
                    "mentions",
                    "mention_roles",
                    "attachments",
                    "embeds",
                    "type",
                    "flags",
                )
            }
            message["message_snapshots"] = [{"message": snapshot}]
        self.messages[message["id"]] = message
        return message

    def post(self, content: str, author: Json, **kwargs: Any) -> Json:
        """A user's message arriving over the gateway (MESSAGE_CREATE)."""
        message = self.message(content, author, **kwargs)
        self.dispatch("MESSAGE_CREATE", message)
        return message

    def mention(self) -> str:
        return f"<@{self.bot_user['id']}>"

    def slash(self, name: str, user: Json, *, dm: bool = False, **options: str) -> tuple[str, str]:
        """A slash command arriving over the gateway (INTERACTION_CREATE): (id, token)."""
        iid, token = self.new_id(), f"token-{self.new_id()}"
        data: Json = {
            "id": iid,
            "application_id": self.app_id,
            "type": 2,
            "token": token,
            "version": 1,
            "locale": "en-US",
            "app_permissions": str(MEMBER_PERMISSIONS),
            "attachment_size_limit": 8 * 1024 * 1024,
            "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild_id},
            "data": {
                "id": self.new_id(),
                "name": name,
                "type": 1,
                "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
            },
        }
        if dm:
            data.update(
                context=1,
                user=user,
                channel_id=(dm_id := self.new_id()),
                channel={"id": dm_id, "type": 1, "recipients": [user]},
            )
        else:
            data.update(
                context=0,
                guild_id=self.guild_id,
                guild_locale="en-US",
                member={**self.member(user), "permissions": str(MEMBER_PERMISSIONS)},
                channel_id=self.channel_id,
                channel=self._channel(self.channel_id, "news"),
            )
        self._interaction_channel[token] = data["channel_id"]
        self.interaction_sent_at[iid] = time.monotonic()
        self.dispatch("INTERACTION_CREATE", data)
        return iid, token
