"""What the CLI shows: a NewsbotError as one line and its exit code, anything else raised with
its traceback (a programming error must not hide behind a friendly line)."""

from __future__ import annotations

import argparse

import pytest

from bot.faces import cli
from bot.settings import Settings
from ingest.errors import NewsbotError
from ingest.store import StoreUnavailable


def _failing(exc: Exception) -> object:
    def command(args: argparse.Namespace, settings: Settings) -> int:
        raise exc

    return lambda name: command


def test_a_newsbot_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_command", _failing(StoreUnavailable("lost the Chroma server")))
    assert cli.main(["sources"]) == 1
    assert capsys.readouterr().err == "newsbot: error: lost the Chroma server\n"
    assert issubclass(StoreUnavailable, NewsbotError)


def test_any_other_error_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_command", _failing(ValueError("a bug")))
    with pytest.raises(ValueError, match="a bug"):
        cli.main(["sources"])
