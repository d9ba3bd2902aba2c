"""The local generator: llama.cpp in process on the SmolLM2-135M GGUF shipped on PyPI, and its
setup errors as one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.answer import answer_question
from bot.core.evidence import Evidence
from bot.core.retrieve import Retriever
from bot.generators.base import GeneratorUnavailable
from bot.generators.local import LocalGenerator
from ingest.store import Index
from tests.helpers import assert_citations_valid


def test_local_generator_runs_a_real_gguf(
    seeds_retriever: Retriever, seeds_index: Index, smollm_gguf: Path
) -> None:
    generator = LocalGenerator(smollm_gguf, n_ctx=4096)
    q = "What did Macron call Putin?"
    evidence = Evidence(q, seeds_retriever.search(q, 4), seeds_retriever.lexical())
    draft = generator.draft(q, evidence)
    assert draft.refused or draft.text.strip()  # the model answered through llama.cpp
    answer = answer_question(q, seeds_retriever, generator, k=4)
    assert answer.generator in {"local", "extractive"}
    assert answer.generator == "local" or answer.note or answer.refused
    assert_citations_valid(answer, seeds_index)


def test_local_generator_setup_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(GeneratorUnavailable, match="NEWSBOT_LOCAL_MODEL"):
        LocalGenerator(None)
    with pytest.raises(GeneratorUnavailable, match="no such file"):
        LocalGenerator(tmp_path / "missing.gguf")
