"""The one retry policy for language models, whatever the provider.

Retries are ours, not the client's (every chat model is built with `max_retries=0`): timeouts,
connection errors, 429 and 5xx are retried with exponential backoff (honouring a short
Retry-After), and the whole call is bounded, so a hung or rate-limited server costs at most a
known number of seconds before the core falls back to the extractive answer. Other errors (401,
404, an unreadable reply, and a 429 that says the account is out of quota) fail at once:
retrying would not change them.

A timeout from a server on this machine or network (llama.cpp, Ollama, vLLM: loopback, private
addresses, `localhost`, `.local` names) is not retried either: the server keeps generating the
answer we gave up on, so a retry queues behind it and waits out the timeout again (measured
80-220 s a question on a 2-core box). One request, then the extractive answer with a note.

Errors are told apart by shape (`status_code`, `code`, the exception's name), not by the
provider's classes, so OpenAI's, Anthropic's and Ollama's clients all follow the same rules.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from bot.generators.base import GeneratorFailed

log = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF = 0.5  # seconds before the 2nd attempt; doubled each time
MAX_RETRY_AFTER = 4.0  # a longer Retry-After is not worth waiting for on a chat question
FINAL_429_CODES = frozenset({"insufficient_quota"})  # a 429 that no wait will cure
LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home.arpa")
LOCAL_TIMEOUT = "timed out; a local server is not asked twice"
# Failures that mean the reply could not be read (garbage, a wrong shape): final at once.
UNREADABLE = (ValueError, TypeError, AttributeError, KeyError, IndexError, json.JSONDecodeError)

T = TypeVar("T")


@dataclass
class RetryPolicy:
    """How often and how long to try one language-model call."""

    attempts: int = ATTEMPTS
    backoff: float = BACKOFF
    local: bool = False  # a server on this machine or network: its timeout is final
    label: str = "OpenAI"  # how the log names the provider
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def call(self, request: Callable[[], T]) -> T:
        """`request()`, retried by the rules above; GeneratorFailed with one line otherwise."""
        attempts = max(1, self.attempts)
        last = ""
        for attempt in range(1, attempts + 1):
            try:
                return request()
            except Exception as exc:
                kind = classify(exc)
                if kind == "final":
                    raise GeneratorFailed(describe(exc)) from exc
                if kind == "unreadable":
                    raise GeneratorFailed(f"unreadable reply ({type(exc).__name__})") from exc
                last = describe(exc)
                if self.local and kind == "timeout":
                    raise GeneratorFailed(LOCAL_TIMEOUT) from exc
                log.warning("%s attempt %d/%d failed: %s", self.label, attempt, attempts, last)
                if attempt < attempts:
                    self.sleep(self.delay(attempt, exc))
        raise GeneratorFailed(f"{last} after {attempts} attempts")

    def delay(self, attempt: int, exc: Exception) -> float:
        """Exponential backoff with jitter; a server's short Retry-After wins."""
        retry_after = _retry_after(exc)
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER)
        base = self.backoff * float(2 ** (attempt - 1))
        return base * (0.8 + 0.4 * random.random())  # jitter, not crypto


def classify(exc: Exception) -> str:
    """`timeout`, `retry` (connection, 429, 5xx), `final` (any other status, an empty account)
    or `unreadable` (a reply that could not be parsed)."""
    status = _status(exc)
    if status is not None:
        if status == 429:
            return "final" if _code(exc) in FINAL_429_CODES else "retry"
        return "retry" if status >= 500 else "final"
    names = {cls.__name__ for cls in type(exc).__mro__}
    if any("Timeout" in name for name in names):
        return "timeout"
    if names & {"APIConnectionError", "ConnectError", "ConnectionError", "RemoteProtocolError"}:
        return "retry"
    if isinstance(exc, UNREADABLE) or names & {"APIError", "APIResponseValidationError"}:
        return "unreadable"
    raise exc  # not a failure of the model's service: a bug, with its traceback


def describe(exc: Exception) -> str:
    """One line, no secrets: the status code or the kind of failure."""
    status = _status(exc)
    if status is not None:
        code = _code(exc)
        return f"HTTP {status} ({code})" if code in FINAL_429_CODES else f"HTTP {status}"
    names = {cls.__name__ for cls in type(exc).__mro__}
    if any("Timeout" in name for name in names):
        return "timed out"
    return "connection failed" if classify(exc) == "retry" else type(exc).__name__


def is_local_url(base_url: str | None) -> bool:
    """Is the server at `base_url` on this machine or its network, not a cloud?

    Loopback, private and link-local addresses, `localhost`, single-label names (a Docker
    Compose service such as `http://ollama:11434`) and `.local`/`.internal`/`.lan` names. No
    URL means the provider's cloud. Decided from the URL alone: no DNS lookup at start-up.
    """
    if not base_url:
        return False
    host = (urlsplit(base_url if "//" in base_url else f"//{base_url}").hostname or "").rstrip(".")
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or "." not in host or host.endswith(LOCAL_SUFFIXES)
    return address.is_loopback or address.is_private or address.is_link_local


def _status(exc: Exception) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def _code(exc: Exception) -> str | None:
    code = getattr(exc, "code", None)
    if isinstance(code, str):
        return code
    body = getattr(exc, "body", None)  # Anthropic and others put it in the error body
    error = body.get("error") if isinstance(body, dict) else None
    value = error.get("code") or error.get("type") if isinstance(error, dict) else None
    return value if isinstance(value, str) else None


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
