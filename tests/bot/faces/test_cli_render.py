"""What `newsbot ask` prints: the answer, then its sources; `--json` in the documented shape."""

from __future__ import annotations

import json

from bot.core.answer import Answerer
from bot.faces.cli_render import render_answer, render_json
from tests.helpers import ANSWER_KEYS, CITATION_KEYS


def test_render_shows_answer_then_sources(answerer: Answerer) -> None:
    answer = answerer.ask("What did Macron call Putin?")
    out = render_answer(answer)
    head, sources = out.split("\nSources:\n")
    assert "[1]" in head
    c = answer.citations[0]
    assert f"[1] {c.outlet}" in sources and c.file in sources
    assert "predator" in sources
    data = json.loads(render_json(answer))
    assert set(data) >= ANSWER_KEYS
    assert set(data["citations"][0]) >= CITATION_KEYS


def test_render_refusal_has_no_sources(answerer: Answerer) -> None:
    out = render_answer(answerer.ask("What did the Pope say?"))
    assert "Sources:" not in out and out.startswith("I can't answer")
