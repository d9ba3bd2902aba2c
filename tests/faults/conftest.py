"""Helpers of the fault tests: running `newsbot` as a process, reading its one-line errors,
checking an index against its folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ingest.load import list_files, read_article
from ingest.models import Article
from ingest.split import split_article
from ingest.store import Index
from tests.conftest import REPO

QUESTION = "Who met at the White House on Monday and what did they discuss?"


# --- running newsbot -------------------------------------------------------------------------


def newsbot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no API keys, no server, this test's own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "OPENAI_"))}
    env.pop("CHROMA_HOST", None)
    env.pop("CHROMA_PORT", None)
    env.update(NEWSBOT_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    env.update(extra)
    return env


def run_newsbot(
    tmp_path: Path, *args: str, stdin: str | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    """`newsbot ARGS` in `tmp_path` (so no .env of the repo is read), output captured."""
    return subprocess.run(
        [sys.executable, "-m", "bot.faces.cli", *args],
        cwd=tmp_path,
        env=newsbot_env(tmp_path, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """Assert the run failed with `code` and said so in exactly one line; return that line."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsbot: error: "), lines[0]
    return lines[0]


def answer_of(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The `ask --json` answer without its timings (which differ run to run)."""
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    return {k: v for k, v in answer.items() if not k.endswith("_ms")}


# --- the index against the folder ------------------------------------------------------------


def assert_exact(folder: Path, index: Index) -> None:
    """Every good file's chunks present once, nothing else, and a `done` manifest entry with
    the file's hash and chunk count for each (computed from the files, not from the index)."""
    expected: dict[str, str] = {}
    entries: dict[str, tuple[str, str, int]] = {}
    for path in list_files(folder):
        article = read_article(path, folder)
        if isinstance(article, Article):
            chunks = split_article(article)
            expected.update({c.chunk_id: c.text for c in chunks})
            entries[article.article_id] = (article.content_hash, "done", len(chunks))
    stored = {c.chunk_id: c.text for c in index.all_chunks()}
    assert stored == expected
    assert index.count() == len(expected)
    manifest = {r.article_id: (r.content_hash, r.state, r.chunks) for r in index.articles()}
    assert manifest == entries
