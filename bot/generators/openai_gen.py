"""Answers drafted by the OpenAI chat API or any OpenAI-compatible server (OPENAI_BASE_URL).

Retries are ours, not the client's (`max_retries=0`): timeouts, connection errors, 429 and 5xx
are retried with exponential backoff (honouring a short Retry-After), and the whole call is
bounded, so a hung or rate-limited server costs at most a known number of seconds before the
core falls back to the extractive answer. Other errors (401, 404, an unreadable reply, and a 429
that says the account is out of quota) fail at once: retrying would not change them.

A timeout from a server on this machine or network (llama.cpp, Ollama, vLLM: loopback, private
addresses, `localhost`, `.local` names) is not retried either: the server keeps generating the
answer we gave up on, so a retry queues behind it and waits out the timeout again (measured
80-220 s a question on a 2-core box). One request, then the extractive answer with a note.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from bot.core.evidence import Evidence
from bot.generators.base import Draft, GeneratorFailed, draft_from_reply
from bot.generators.prompt import MAX_TOKENS, TEMPERATURE, build_messages

log = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF = 0.5  # seconds before the 2nd attempt; doubled each time
MAX_RETRY_AFTER = 4.0  # a longer Retry-After is not worth waiting for on a chat question
FINAL_429_CODES = frozenset({"insufficient_quota"})  # a 429 that no wait will cure
LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home.arpa")
LOCAL_TIMEOUT = "timed out; a local server is not asked twice"


class OpenAIGenerator:
    """Chat completions through the real `openai` client; thread-safe (the client is)."""

    name = "openai"

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None,
        model: str,
        timeout: float = 30.0,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
        local: bool | None = None,
    ) -> None:
        """`local`: is the server on this machine or network? Derived from `base_url` unless
        given; a local server's timeout is not retried (see the module docstring)."""
        import openai

        self.model = model
        self.local = is_local_url(base_url) if local is None else local
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self._sleep = sleep
        self._openai = openai
        self.client = openai.OpenAI(
            api_key=api_key or "not-needed",  # local servers take any key
            base_url=base_url,
            timeout=timeout,
            max_retries=0,
        )

    def draft(self, question: str, evidence: Evidence) -> Draft:
        messages = build_messages(question, evidence.passages, context=evidence.context)
        return draft_from_reply(self._complete(messages), "the model returned an empty answer")

    def _complete(self, messages: list[dict[str, str]]) -> str:
        errors = self._openai
        retryable = (
            errors.APITimeoutError,
            errors.APIConnectionError,
            errors.RateLimitError,
            errors.InternalServerError,
        )
        last = ""
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.client.chat.completions.create(
                    model=self.model,
                    messages=messages,  # type: ignore[arg-type]
                    temperature=TEMPERATURE,
                    max_tokens=MAX_TOKENS,
                )
                return _content(response)
            except retryable as exc:
                last = _describe(exc)
                if getattr(exc, "code", None) in FINAL_429_CODES:
                    raise GeneratorFailed(last) from exc
                if self.local and isinstance(exc, errors.APITimeoutError):
                    raise GeneratorFailed(LOCAL_TIMEOUT) from exc
                log.warning("OpenAI attempt %d/%d failed: %s", attempt, self.attempts, last)
                if attempt < self.attempts:
                    self._sleep(self._delay(attempt, exc))
            except errors.APIStatusError as exc:
                raise GeneratorFailed(_describe(exc)) from exc
            except (errors.APIError, ValueError, TypeError, AttributeError) as exc:
                raise GeneratorFailed(f"unreadable reply ({type(exc).__name__})") from exc
        raise GeneratorFailed(f"{last} after {self.attempts} attempts")

    def _delay(self, attempt: int, exc: Exception) -> float:
        """Exponential backoff with jitter; a server's short Retry-After wins."""
        retry_after = _retry_after(exc)
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER)
        base = self.backoff * float(2 ** (attempt - 1))
        return base * (0.8 + 0.4 * random.random())  # jitter, not crypto


def is_local_url(base_url: str | None) -> bool:
    """Is the server at `base_url` on this machine or its network, not a cloud?

    Loopback, private and link-local addresses, `localhost`, single-label names (a Docker
    Compose service such as `http://ollama:11434`) and `.local`/`.internal`/`.lan` names. No
    URL means the OpenAI cloud. Decided from the URL alone: no DNS lookup at start-up.
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


def _content(response: Any) -> str:
    choices = getattr(response, "choices", None)
    if not choices:
        raise ValueError("no choices in the reply")
    content = choices[0].message.content
    if not isinstance(content, str):
        raise ValueError("no text in the reply")
    return content


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _describe(exc: Exception) -> str:
    """One line, no secrets: the status code or the kind of failure."""
    status = getattr(exc, "status_code", None)
    if status is not None:
        code = getattr(exc, "code", None)
        return f"HTTP {status} ({code})" if code in FINAL_429_CODES else f"HTTP {status}"
    return {
        "APITimeoutError": "timed out",
        "APIConnectionError": "connection failed",
    }.get(type(exc).__name__, type(exc).__name__)
