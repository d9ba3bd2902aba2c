"""Answers drafted by any LangChain chat model: OpenAI, an OpenAI-compatible server (llama.cpp,
vLLM, LM Studio), Ollama, Anthropic, or whatever `init_chat_model` knows.

One setting names the model, `provider:model` (`NEWSBOT_LLM=openai:gpt-4o-mini`,
`ollama:llama3.2`, `anthropic:claude-sonnet-4-5`); the provider's integration package must be
installed (`langchain-openai` is; `pip install langchain-ollama` or `langchain-anthropic` for
the others). The model is built with its own retries off: `bot.generators.retry` is the one
policy, the same for every provider. What the model writes is only a draft: the core verifies
every citation before anyone sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.generators.base import Draft, GeneratorUnavailable, draft_from_reply
from bot.generators.prompt import MAX_TOKENS, TEMPERATURE, build_messages
from bot.generators.retry import RetryPolicy, is_local_url

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.core.evidence import Evidence

LABELS = {"openai": "OpenAI", "anthropic": "Anthropic", "ollama": "Ollama"}
OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"


class ChatModelGenerator:
    """A LangChain chat model as a newsbot generator; thread-safe as its client is."""

    def __init__(
        self,
        chat: BaseChatModel,
        *,
        provider: str,
        model: str,
        base_url: str | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.chat = chat
        self.provider = provider
        self.name = provider  # "openai" keeps the name answers and `--json` always carried
        self.model = model
        self.base_url = base_url
        self.policy = policy or RetryPolicy(label=LABELS.get(provider, provider))

    @property
    def local(self) -> bool:
        """Is the server on this machine or network? Its timeout is then not retried."""
        return self.policy.local

    @local.setter
    def local(self, value: bool) -> None:
        self.policy.local = value

    def draft(self, question: str, evidence: Evidence) -> Draft:
        messages = build_messages(question, evidence.passages, context=evidence.context)
        reply = self.policy.call(lambda: self.chat.invoke(messages))
        content = reply.text if hasattr(reply, "text") else reply.content
        if not isinstance(content, str):
            raise ValueError("no text in the reply")
        return draft_from_reply(str(content), "the model returned an empty answer")


def split_spec(spec: str) -> tuple[str, str]:
    """`provider:model` as its two parts; GeneratorUnavailable when either is missing."""
    provider, _, model = spec.partition(":")
    if not provider or not model:
        raise GeneratorUnavailable(
            f"NEWSBOT_LLM={spec!r}: name a chat model as provider:model, e.g. openai:gpt-4o-mini"
        )
    return provider.strip().lower(), model.strip()


def chat_generator(
    spec: str,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    timeout: float = 30.0,
    local: bool | None = None,
    max_tokens: int | None = None,
) -> ChatModelGenerator:
    """The generator for `provider:model`, its client's retries off (ours apply).

    `api_key`/`base_url` are OpenAI's (OPENAI_API_KEY, OPENAI_BASE_URL) for the `openai`
    provider and the server's address for `ollama`; other providers read their own
    environment variables. `local` is derived from the address unless given.
    """
    from langchain.chat_models import init_chat_model

    provider, model = split_spec(spec)
    kwargs = _provider_kwargs(provider, api_key, base_url, timeout, max_tokens or MAX_TOKENS)
    try:
        chat = init_chat_model(model, model_provider=provider, **kwargs)
    except ImportError as exc:
        raise GeneratorUnavailable(f"NEWSBOT_LLM={spec}: {_first_line(exc)}") from exc
    except ValueError as exc:  # an unknown provider, a missing key the client insists on
        raise GeneratorUnavailable(f"NEWSBOT_LLM={spec}: {_first_line(exc)}") from exc
    url = kwargs.get("base_url")
    where = str(url) if url else None
    generator = ChatModelGenerator(chat, provider=provider, model=model, base_url=where)
    generator.local = is_local_url(where) if local is None else local
    return generator


def _provider_kwargs(
    provider: str, api_key: str | None, base_url: str | None, timeout: float, max_tokens: int
) -> dict[str, Any]:
    """Each provider's names for the same knobs: temperature, reply length, timeout, retries."""
    common: dict[str, Any] = {"temperature": TEMPERATURE}
    if provider == "openai":
        return common | {
            "api_key": api_key or "not-needed",  # local servers take any key
            "base_url": base_url,
            "timeout": timeout,
            "max_retries": 0,
            "max_tokens": max_tokens,
        }
    if provider == "ollama":
        return common | {
            "base_url": base_url or OLLAMA_DEFAULT_URL,
            "num_predict": max_tokens,
            "client_kwargs": {"timeout": timeout},
        }
    return common | {"timeout": timeout, "max_retries": 0, "max_tokens": max_tokens}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
