"""Typed settings, read from the environment and `.env` at the entry point.

Two sections, each handed only to what uses it: `Settings` (articles, index, answering) for the
core and the CLI, `DiscordSettings` for the Discord face alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

GENERATORS = frozenset({"auto", "extractive", "openai", "local"})


def _alias(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """The core's and the CLI's knobs (articles, index, answering); `.env.example` documents
    each one. The Discord face has its own section, `DiscordSettings`."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    articles_dir: Path = Field(Path("seeds"), validation_alias=_alias("NEWSBOT_ARTICLES_DIR"))
    data_dir: Path = Field(Path(".newsbot"), validation_alias=_alias("NEWSBOT_DATA_DIR"))
    chroma_path: Path | None = Field(None, validation_alias=_alias("NEWSBOT_CHROMA_PATH"))
    chroma_host: str | None = Field(None, validation_alias=_alias("CHROMA_HOST"))
    chroma_port: int = Field(8000, validation_alias=_alias("CHROMA_PORT"))
    embedder: Literal["minilm", "e5", "openai"] = Field(
        "minilm", validation_alias=_alias("NEWSBOT_EMBEDDER")
    )

    llm: str = Field("auto", validation_alias=_alias("NEWSBOT_LLM"))
    openai_api_key: SecretStr | None = Field(None, validation_alias=_alias("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=_alias("OPENAI_BASE_URL"))
    openai_model: str = Field("gpt-4o-mini", validation_alias=_alias("NEWSBOT_OPENAI_MODEL"))
    openai_timeout: float = Field(30.0, validation_alias=_alias("NEWSBOT_OPENAI_TIMEOUT"))
    ollama_host: str | None = Field(None, validation_alias=_alias("OLLAMA_HOST"))
    local_model_path: Path | None = Field(None, validation_alias=_alias("NEWSBOT_LOCAL_MODEL"))
    top_k: int = Field(6, ge=1, le=20, validation_alias=_alias("NEWSBOT_TOP_K"))

    fetch_every: float = Field(900.0, validation_alias=_alias("NEWSBOT_FETCH_EVERY"))
    fetch_timeout: float = Field(20.0, gt=0, validation_alias=_alias("NEWSBOT_FETCH_TIMEOUT"))
    fetch_delay: float = Field(1.0, ge=0, validation_alias=_alias("NEWSBOT_FETCH_DELAY"))

    @field_validator("fetch_every", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        """ "15m", "1h", "90s" or plain seconds; "0", "off" or blank: never on a schedule."""
        from ingest.schedule import parse_duration

        return parse_duration(str(value))

    @field_validator("chroma_host", "openai_base_url", "ollama_host", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """An empty `CHROMA_HOST=` line in .env means "not set", not "connect to ''"."""
        return None if value == "" else value

    @field_validator("openai_api_key", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def store_path(self) -> Path:
        """The embedded Chroma folder: NEWSBOT_CHROMA_PATH, else <data dir>/chroma."""
        return self.chroma_path or self.data_dir / "chroma"

    @field_validator("llm", mode="before")
    @classmethod
    def _llm(cls, value: object) -> object:
        """auto, extractive, openai, local, or a chat model as provider:model."""
        text = str(value or "auto").strip()
        if text.lower() in GENERATORS:
            return text.lower()
        provider, _, model = text.partition(":")
        if not provider.strip() or not model.strip():
            raise ValueError(
                "must be auto, extractive, openai, local or a chat model as provider:model "
                "(openai:gpt-4o-mini, ollama:llama3.2, anthropic:claude-sonnet-4-5)"
            )
        return f"{provider.strip().lower()}:{model.strip()}"

    def generator_name(self) -> str:
        """Resolve NEWSBOT_LLM=auto: OpenAI when a key or a compatible server is configured.

        extractive, local, or the chat model as provider:model (`openai` alone is
        openai:NEWSBOT_OPENAI_MODEL)."""
        name = self.llm
        if name == "auto":
            name = "openai" if (self.openai_api_key or self.openai_base_url) else "extractive"
        return f"openai:{self.openai_model}" if name == "openai" else name

    def secret_values(self) -> list[str]:
        """The secrets a log must never show (a face redacts them)."""
        key = self.openai_api_key.get_secret_value() if self.openai_api_key else ""
        return [key] if key else []


class DiscordSettings(BaseSettings):
    """The Discord face's own settings (DISCORD_TOKEN, NEWSBOT_DISCORD_*)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    token: SecretStr | None = Field(None, validation_alias=_alias("DISCORD_TOKEN"))
    guild_id: int | None = Field(None, validation_alias=_alias("NEWSBOT_DISCORD_GUILD_ID"))
    channels: str = Field("", validation_alias=_alias("NEWSBOT_DISCORD_CHANNELS"))
    admin_role: str = Field("", validation_alias=_alias("NEWSBOT_DISCORD_ADMIN_ROLE"))
    cooldown: float = Field(10.0, ge=0, validation_alias=_alias("NEWSBOT_DISCORD_COOLDOWN"))
    api_base: str | None = Field(None, validation_alias=_alias("NEWSBOT_DISCORD_API_BASE"))
    announce_channel: int | None = Field(
        None, validation_alias=_alias("NEWSBOT_DISCORD_ANNOUNCE_CHANNEL")
    )

    @field_validator("announce_channel", mode="before")
    @classmethod
    def _blank_channel(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("api_base", mode="before")
    @classmethod
    def _api_base(cls, value: object) -> object:
        """Blank means Discord itself; else an http(s) URL, kept without a trailing slash
        because discord.py appends paths that start with one."""
        if value is None or value == "":
            return None
        text = str(value).strip().rstrip("/")
        if not text.startswith(("http://", "https://")):
            raise ValueError(
                "must be an http:// or https:// URL such as http://127.0.0.1:8080/api/v10"
            )
        return text

    @field_validator("token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def channel_ids(self) -> set[int]:
        """NEWSBOT_DISCORD_CHANNELS as ids; empty means every channel."""
        return {int(p) for p in self.channels.replace(",", " ").split() if p.isdigit()}
