"""The refusal gate: per-model similarity floors, terms that meet only across articles, and a
typed answer as evidence. The e5 case is end to end: the real e5 model over the real seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answer import Answerer
from bot.evidence import Evidence
from bot.extractive import ExtractiveGenerator
from bot.models import Passage
from bot.relevance import judge
from bot.retrieve import Retriever
from ingest.embed import E5Embeddings, MiniLMEmbeddings, similarity_floor
from ingest.lexical import LexChunk, LexicalIndex
from ingest.store import Index, open_client
from ingest.sync import sync_folder
from tests.conftest import SEEDS

BACKGROUND = [
    "The central bank kept interest rates unchanged on Thursday, citing slowing inflation.",
    "The football club confirmed the signing of a new striker on a three-year contract.",
    "Lawmakers debated a bill on data privacy that would tighten rules for app makers.",
]


def _evidence(question: str, *texts: str) -> Evidence:
    passages = [
        Passage(f"a{i}.txt#h#0", f"a{i}.txt", f"a{i}.txt", t, 0, len(t), score=0.6)
        for i, t in enumerate(texts)
    ]
    chunks = [LexChunk(p.chunk_id, p.text, {"article_id": p.article_id}) for p in passages]
    chunks += [LexChunk(f"bg{i}.txt#h#0", t, {}) for i, t in enumerate(BACKGROUND)]
    return Evidence(question, passages, LexicalIndex.from_chunks(chunks))


def test_terms_that_meet_only_across_articles_do_not_add_up() -> None:
    question = "What did the mayor say about the harbour tunnel?"
    together = _evidence(question, "The mayor said the harbour tunnel will open in May.")
    apart = _evidence(
        question, "The mayor opened a new library on Monday.", "The harbour tunnel is late."
    )
    assert together.article_coverage == pytest.approx(1.0)
    assert apart.coverage == pytest.approx(1.0)  # every term is somewhere in the passages
    assert apart.article_coverage < 0.8  # but no single article holds them together


def test_a_clear_typed_answer_settles_a_near_miss() -> None:
    """Paraphrased ("hurt" for "injuries", "air raid" for "strikes"): just under the threshold,
    the number with the asked unit decides it; without it, the sentence opinion is asked."""
    text = "Officials reported more than 50 injuries after the strikes on the city."
    asked: list[str] = []

    def compare(texts: list[str]) -> list[float]:
        asked.extend(texts)
        return [0.0] * len(texts)

    typed = _evidence("How many were hurt in the air raid on the city?", text)
    assert typed.typed_answer is not None
    assert judge(typed, 0.2, compare).answerable and not asked
    plain = _evidence("What happened in the air raid on the city?", text)
    assert plain.typed_answer is None


def test_models_have_a_floor_for_unrelated_texts() -> None:
    assert similarity_floor(MiniLMEmbeddings()) == 0.0
    assert similarity_floor(E5Embeddings) == pytest.approx(0.7)
    assert similarity_floor(object()) == 0.0


def test_similarity_is_read_against_the_floor() -> None:
    ev = _evidence("What did the mayor say about the harbour tunnel?", "The mayor spoke.")
    assert judge(ev, 0.77, floor=0.7).similarity == pytest.approx(0.233, abs=0.001)
    assert judge(ev, 0.77).similarity == pytest.approx(0.77)


@pytest.fixture(scope="module")
def e5_answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    """The seeds embedded by e5 (the optional model the CI installs), asked extractively."""
    embeddings = E5Embeddings()
    folder: Path = tmp_path_factory.mktemp("e5")
    index = Index(open_client(folder / "chroma"), embeddings, E5Embeddings.model_id)
    sync_folder(SEEDS, index)
    return Answerer(Retriever(index, folder / "lexical"), ExtractiveGenerator())


def test_e5_refuses_off_topic_questions_and_answers_real_ones(e5_answerer: Answerer) -> None:
    """e5 puts any two texts at cosine ~0.7+: read raw, "banana bread" looked answerable."""
    assert e5_answerer.ask("What is the recipe for banana bread?").refused
    assert e5_answerer.ask("How many goals did Messi score last season?").refused
    answer = e5_answerer.ask("How many European leaders attended?")
    assert not answer.refused and "Seven European leaders" in answer.text
