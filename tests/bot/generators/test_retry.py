"""The one retry policy, on errors shaped as each provider's client raises them: the same rules
whether OpenAI's, Anthropic's, Ollama's or httpx's exception comes back. (The policy against a
real client and a stand-in server is in test_openai.py.)"""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest

from bot.generators.base import GeneratorFailed
from bot.generators.retry import ATTEMPTS, LOCAL_TIMEOUT, RetryPolicy, classify, describe

REQUEST = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")


def status_error(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Exception:
    response = httpx.Response(status, request=REQUEST, headers=headers or {}, json=body or {})
    return openai.APIStatusError("failed", response=response, body=body)


class ProviderError(Exception):
    """Shaped like Anthropic's and Ollama's errors: a status code and a body, no OpenAI class."""

    def __init__(self, status_code: int, body: Any = None) -> None:
        super().__init__(f"status {status_code}")
        self.status_code = status_code
        self.body = body


@pytest.mark.parametrize(
    ("error", "kind", "said"),
    [
        (status_error(429), "retry", "HTTP 429"),
        (status_error(503), "retry", "HTTP 503"),
        (status_error(401), "final", "HTTP 401"),
        (
            status_error(429, {"error": {"code": "insufficient_quota"}}),
            "final",
            "HTTP 429 (insufficient_quota)",
        ),
        (
            ProviderError(529, {"type": "error", "error": {"type": "overloaded_error"}}),
            "retry",
            "HTTP 529",
        ),
        (ProviderError(400, {"error": {"type": "invalid_request_error"}}), "final", "HTTP 400"),
        (
            ProviderError(429, {"error": {"code": "insufficient_quota"}}),
            "final",
            "HTTP 429 (insufficient_quota)",
        ),
        (openai.APITimeoutError(REQUEST), "timeout", "timed out"),
        (httpx.ReadTimeout("slow", request=REQUEST), "timeout", "timed out"),
        (openai.APIConnectionError(request=REQUEST), "retry", "connection failed"),
        (httpx.ConnectError("refused", request=REQUEST), "retry", "connection failed"),
        (ConnectionRefusedError(111, "refused"), "retry", "connection failed"),
        (ValueError("no text in the reply"), "unreadable", "ValueError"),
    ],
)
def test_every_provider_s_errors_follow_one_rule(error: Exception, kind: str, said: str) -> None:
    assert classify(error) == kind
    assert describe(error) == said


def test_a_bug_is_not_a_model_failure() -> None:
    """An error that is no failure of the model's service propagates with its traceback."""

    def request() -> str:
        raise RuntimeError("a bug in our code")

    with pytest.raises(RuntimeError, match="a bug"):
        RetryPolicy(sleep=lambda _s: None).call(request)


def test_bounded_retries_honour_retry_after_then_give_up() -> None:
    slept: list[float] = []
    calls = []

    def request() -> str:
        calls.append(1)
        raise status_error(429, headers={"retry-after": "1.5"})

    with pytest.raises(GeneratorFailed, match=f"HTTP 429 after {ATTEMPTS} attempts"):
        RetryPolicy(sleep=slept.append).call(request)
    assert len(calls) == ATTEMPTS and slept == [1.5] * (ATTEMPTS - 1)


def test_a_local_server_s_timeout_is_final_and_a_success_is_returned() -> None:
    def timeout() -> str:
        raise httpx.ReadTimeout("slow", request=REQUEST)

    with pytest.raises(GeneratorFailed, match=LOCAL_TIMEOUT):
        RetryPolicy(local=True, sleep=lambda _s: None).call(timeout)
    answers = iter([status_error(500), "the answer"])

    def flaky() -> str:
        result = next(answers)
        if isinstance(result, Exception):
            raise result
        return result

    assert RetryPolicy(sleep=lambda _s: None).call(flaky) == "the answer"
