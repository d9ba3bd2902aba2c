"""The feed reader's schedule: durations as people write them, and rounds that outlive errors."""

from __future__ import annotations

import threading

import pytest

from ingest.schedule import parse_duration, run_every


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("15m", 900), ("1h", 3600), ("90s", 90), ("90", 90), ("1.5h", 5400), (" 2 M ", 120)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "off", "0", "never", "OFF"])
def test_off(text: str) -> None:
    assert parse_duration(text) == 0


@pytest.mark.parametrize("text", ["soon", "15 minutes", "-5m", "1w"])
def test_nonsense_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match=r"write e\.g\. 15m"):
        parse_duration(text)


def test_a_round_that_fails_does_not_end_the_schedule() -> None:
    rounds: list[int] = []
    done, stop = threading.Event(), threading.Event()

    def job() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise OSError("the first round fails")
        if len(rounds) == 3:
            done.set()

    thread = run_every(0.01, job, stop, "test")
    assert done.wait(30)
    stop.set()
    thread.join(30)
    assert not thread.is_alive() and rounds[:3] == [0, 1, 2]
