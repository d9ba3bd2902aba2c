"""newsbot: ask questions about a folder of news articles; every answer cites its sources.

    import bot

    report = bot.sync("seeds")                      # index the folder (only what changed)
    answerer = bot.open_answerer()                  # settings from the environment and .env
    answer = answerer.ask("Who met at the White House on Monday?")
    print(answer.text)                              # "... [1]."
    for c in answer.citations:                      # typed: outlet, title, date, URL, quote
        print(c.n, c.outlet, c.title, c.published, c.url, c.quote, c.start, c.end)

`await answerer.aask(...)` from an event loop; `answerer.as_retriever()` and
`answerer.as_runnable()` for LangChain. Errors meant for the user derive from `NewsbotError`.
Names are loaded on first use, so `import bot` stays cheap.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.core.answer import Answerer, QuestionError
    from bot.core.records import Answer, Citation
    from bot.core.retrieve import Filters
    from bot.settings import Settings
    from ingest.errors import NewsbotError
    from ingest.models import Skipped
    from ingest.report import SyncReport

__all__ = [
    "Answer",
    "Answerer",
    "Citation",
    "Filters",
    "NewsbotError",
    "QuestionError",
    "Settings",
    "SyncReport",
    "open_answerer",
    "sync",
]

_LAZY = {
    "Answer": "bot.core.records",
    "Citation": "bot.core.records",
    "Answerer": "bot.core.answer",
    "QuestionError": "bot.core.answer",
    "Filters": "bot.core.retrieve",
    "Settings": "bot.settings",
    "NewsbotError": "ingest.errors",
    "SyncReport": "ingest.report",
}


def __getattr__(name: str) -> Any:
    """The public names, imported when first used (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")


def open_answerer(settings: Settings | None = None) -> Answerer:
    """The answerer over the index the settings name (default: the environment and `.env`).

    A missing or empty index, or a generator that cannot run here, is a `NewsbotError` whose
    message says what to do."""
    from bot.wiring import open_answerer as wired

    return wired(settings or _settings())


def sync(
    folder: str | Path | None = None,
    *,
    settings: Settings | None = None,
    progress: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> SyncReport:
    """Bring the index in step with `folder` (default NEWSBOT_ARTICLES_DIR): new files added,
    changed ones replaced, removed ones deleted, the rest untouched; one sync at a time.

    `on_skip` hears of each file that cannot be read (with the reason), `on_notice` of a wait
    for another ingest; `progress` draws progress on stderr."""
    from bot.wiring import sync as wired

    return wired(
        settings or _settings(),
        Path(folder) if folder is not None else None,
        progress=progress,
        on_skip=on_skip,
        on_notice=on_notice,
    )


def _settings() -> Settings:
    from bot.settings import Settings

    return Settings()
