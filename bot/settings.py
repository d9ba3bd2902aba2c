"""The one typed settings object, read from the environment and `.env` at the entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _alias(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """Every knob newsbot has; `.env.example` documents each one."""

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

    llm: Literal["auto", "extractive", "openai", "local"] = Field(
        "auto", validation_alias=_alias("NEWSBOT_LLM")
    )
    openai_api_key: SecretStr | None = Field(None, validation_alias=_alias("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=_alias("OPENAI_BASE_URL"))
    openai_model: str = Field("gpt-4o-mini", validation_alias=_alias("NEWSBOT_OPENAI_MODEL"))
    openai_timeout: float = Field(30.0, validation_alias=_alias("NEWSBOT_OPENAI_TIMEOUT"))
    local_model_path: Path | None = Field(None, validation_alias=_alias("NEWSBOT_LOCAL_MODEL"))
    top_k: int = Field(6, ge=1, le=20, validation_alias=_alias("NEWSBOT_TOP_K"))

    discord_token: SecretStr | None = Field(None, validation_alias=_alias("DISCORD_TOKEN"))
    discord_guild_id: int | None = Field(None, validation_alias=_alias("NEWSBOT_DISCORD_GUILD_ID"))
    discord_channels: str = Field("", validation_alias=_alias("NEWSBOT_DISCORD_CHANNELS"))
    discord_admin_role: str = Field("", validation_alias=_alias("NEWSBOT_DISCORD_ADMIN_ROLE"))
    discord_cooldown: float = Field(10.0, ge=0, validation_alias=_alias("NEWSBOT_DISCORD_COOLDOWN"))
    discord_api_base: str | None = Field(None, validation_alias=_alias("NEWSBOT_DISCORD_API_BASE"))
    discord_announce_channel: int | None = Field(
        None, validation_alias=_alias("NEWSBOT_DISCORD_ANNOUNCE_CHANNEL")
    )
    fetch_every: float = Field(900.0, validation_alias=_alias("NEWSBOT_FETCH_EVERY"))
    fetch_timeout: float = Field(20.0, gt=0, validation_alias=_alias("NEWSBOT_FETCH_TIMEOUT"))
    fetch_delay: float = Field(1.0, ge=0, validation_alias=_alias("NEWSBOT_FETCH_DELAY"))

    @field_validator("fetch_every", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        """ "15m", "1h", "90s" or plain seconds; "0", "off" or blank: never on a schedule."""
        from ingest.schedule import parse_duration

        return parse_duration(str(value))

    @field_validator("discord_announce_channel", mode="before")
    @classmethod
    def _blank_channel(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("chroma_host", "openai_base_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """An empty `CHROMA_HOST=` line in .env means "not set", not "connect to ''"."""
        return None if value == "" else value

    @field_validator("discord_api_base", mode="before")
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

    @field_validator("openai_api_key", "discord_token", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def store_path(self) -> Path:
        """The embedded Chroma folder: NEWSBOT_CHROMA_PATH, else <data dir>/chroma."""
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def channel_ids(self) -> set[int]:
        """NEWSBOT_DISCORD_CHANNELS as ids; empty means every channel."""
        return {int(p) for p in self.discord_channels.replace(",", " ").split() if p.isdigit()}

    def generator_name(self) -> str:
        """Resolve NEWSBOT_LLM=auto: OpenAI when a key or a compatible server is configured."""
        if self.llm != "auto":
            return self.llm
        return "openai" if (self.openai_api_key or self.openai_base_url) else "extractive"
