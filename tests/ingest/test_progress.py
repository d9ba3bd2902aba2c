"""Sync progress where no terminal shows a bar: a line now and then, counted in chunks."""

from __future__ import annotations

import io

import pytest

from ingest import progress
from ingest.progress import Progress


def test_without_a_terminal_progress_is_an_occasional_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "LINE_EVERY", 0.0)
    out = io.StringIO()
    bar = Progress(6000, stream=out)
    bar.update(1500)
    bar.update(1500)
    bar.update(3000)  # done: no line for the end, the summary says it
    bar.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("newsbot: embedding 1,500/6,000 chunks (25%), about ")
    assert lines[1].startswith("newsbot: embedding 3,000/6,000 chunks (50%)")
    assert len(lines) == 2


def test_a_short_sync_prints_nothing() -> None:
    out = io.StringIO()
    bar = Progress(100, stream=out)  # LINE_EVERY seconds have not passed
    bar.update(100)
    bar.close()
    assert out.getvalue() == ""
    quiet = Progress(100, enabled=False, stream=out)
    quiet.update(100)
    assert out.getvalue() == ""
