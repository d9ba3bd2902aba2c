"""The refusal gate: per-model similarity floors, terms that meet only across articles, and a
typed answer as evidence. The e5 case is end to end: the real e5 model over the real seeds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.answer import Answerer
from bot.core.evidence import Evidence
from bot.core.extractive import ExtractiveGenerator
from bot.core.records import Passage
from bot.core.relevance import MEANING_MIN, Verdict, judge, weigh_meaning
from bot.core.retrieve import Retriever
from ingest.embed import E5Embeddings, MiniLMEmbeddings, similarity_floor
from ingest.lexical import LexChunk, LexicalIndex
from ingest.store import Index, open_client
from ingest.sync import sync_folder
from tests.helpers import SEEDS

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


def _compare(embeddings: MiniLMEmbeddings, question: str) -> Callable[[list[str]], list[float]]:
    """The real model's cosine of the question with each sentence, as Retrieval computes it."""
    query = embeddings.embed_query(question)

    def compare(texts: list[str]) -> list[float]:
        return [
            sum(a * b for a, b in zip(query, row, strict=True))
            for row in embeddings.embed_documents(texts)
        ]

    return compare


def _weighed(embeddings: MiniLMEmbeddings, question: str, *texts: str) -> tuple[Evidence, Verdict]:
    evidence = _evidence(question, *texts)
    verdict = judge(evidence, 0.6)
    return evidence, weigh_meaning(evidence, verdict, _compare(embeddings, question))


def test_words_that_meet_without_the_meaning_are_refused(embeddings: MiniLMEmbeddings) -> None:
    """The story names the company and its chairman, never a finance chief: every lexical
    signal is high, the meaning of the best sentence is not."""
    question = "Who is Apple's chief financial officer?"
    _, verdict = _weighed(
        embeddings,
        question,
        "John Sculley, Apple's chairman, said the company expected strong sales of the "
        "new Macintosh computers in Europe.",
    )
    assert not verdict.answerable
    assert verdict.meaning is not None and verdict.meaning < MEANING_MIN
    _, answered = _weighed(
        embeddings,
        question,
        "Apple's chief financial officer, Joseph Graziano, said margins would improve.",
    )
    assert answered.answerable and (answered.meaning or 0) >= MEANING_MIN


def test_meaning_reranks_the_sentence_that_only_shares_words() -> None:
    """Scores are scaled by MEANING_BASE + similarity: a sentence that repeats the question's
    words but means little (0.2) falls behind one that says what was asked (0.9)."""
    wordy = "The report on what inspectors find in the river was released on Friday."
    meant = "Toxic waste from two mills had poisoned the river."
    evidence = _evidence("What did the report find about the river?", f"{wordy} {meant}")
    assert evidence.ranked()[0].text == wordy
    sims = {wordy: 0.2, meant: 0.9}
    verdict = weigh_meaning(
        evidence, Verdict(True, "answerable", 1.0, 0.6), lambda ts: [sims[t] for t in ts]
    )
    assert verdict.answerable and verdict.meaning == pytest.approx(0.9)
    assert evidence.ranked()[0].text == meant


def test_questions_no_sentence_can_mean_are_not_refused_for_it(
    embeddings: MiniLMEmbeddings,
) -> None:
    """A follow-up and a question that only names its subject carry too little meaning of their
    own to compare; a count of the very unit asked about answers in any words."""
    text = "Seven European leaders joined the talks in Washington on Monday."
    far = lambda texts: [0.0] * len(texts)  # noqa: E731  (no sentence means the question)
    fine = Verdict(True, "answerable", 1.0, 0.6)
    count = _evidence("How many European leaders attended?", text)
    assert weigh_meaning(count, fine, far).answerable
    bare = _evidence("What did Witkoff say?", "Witkoff said the talks went well.")
    assert weigh_meaning(bare, fine, far).answerable
    follow = Evidence(
        "where?", count.passages, count.lexicon, context="When did the European leaders meet?"
    )
    assert weigh_meaning(follow, fine, far).answerable
    plain = _evidence("Which leaders were hosted at the White House summit?", text)
    refused = weigh_meaning(plain, fine, far)
    assert not refused.answerable and refused.reason == "none of them says what was asked"


def test_seeds_question_on_a_missing_detail_is_refused(answerer: Answerer) -> None:
    """Biden is never in the seeds, the meeting is everywhere: the name rule alone does not
    catch a question whose words meet but whose point is missing."""
    answer = answerer.ask("why did biden criticise the meeting?")
    assert answer.refused, answer.text
    assert answerer.ask("How many European leaders attended?").citations
