"""The public API (`bot/__init__.py`) as the README shows it: its example is run exactly as
written, in a fresh folder holding a copy of the seeds, with no keys (the offline path)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import bot
from tests.helpers import REPO, SEEDS

EXAMPLE = re.compile(r"<!-- api-example -->\s*```python\n(.*?)```", re.S)


def readme_example() -> str:
    found = EXAMPLE.search((REPO / "README.md").read_text(encoding="utf-8"))
    assert found, "README.md has no ```python block after <!-- api-example -->"
    return found.group(1)


def test_readme_example_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "OPENAI_"))}
    env.pop("CHROMA_HOST", None)
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, "-c", readme_example()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "5 added" in out  # the sync's summary
    assert "[1]" in out and "“" in out  # an answer citing a quoted source
    assert "seven european leaders" in out.lower() or "white house" in out.lower()
    assert (tmp_path / ".newsbot").is_dir()  # the index went where the settings say


def test_public_names_are_few_and_resolve() -> None:
    assert sorted(bot.__all__) == [
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
    for name in bot.__all__:
        assert getattr(bot, name) is not None
    assert issubclass(bot.QuestionError, bot.NewsbotError)
    assert {"outlet", "title", "published", "url", "quote", "start", "end"} <= set(
        bot.Citation.__dataclass_fields__
    )
