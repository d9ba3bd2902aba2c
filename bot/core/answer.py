"""The answering core: question in, cited `Answer` out. Knows nothing of Discord or terminals.

    answerer = bot.open_answerer()          # wired once, in bot/wiring.py
    answer = answerer.ask("What did Merz say?", filters=Filters.parse(source="cgtn"))

Steps: check the question -> retrieve (dense + BM25) -> weigh the evidence -> refuse if the
articles do not answer it -> draft (extractive, OpenAI-compatible or local model) -> verify every
citation -> number the sources. A failing language model never fails the question: the answer
falls back to the extractive one with a note saying why.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.compose import Claim, Quote, compose
from bot.core.evidence import Evidence, Sentence
from bot.core.extractive import ExtractiveGenerator, extract
from bot.core.records import Answer, Copy
from bot.core.relevance import Verdict, judge, undisclosed, weigh_meaning
from bot.core.retrieve import Filters, Retrieval, Retriever, ms_since
from bot.core.verify import gives_asked_type, missing_type_note, verify
from bot.generators.base import Generator, GeneratorFailed, GeneratorUnavailable
from ingest.embed import similarity_floor
from ingest.errors import NewsbotError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from bot.core.lc import AnswerRunnable, NewsRetriever
    from ingest.store import Record

MAX_QUESTION_CHARS = 2000
EVIDENCE_POOL = 12  # passages weighed for the answer; the answer itself cites 1-3 sentences
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

__all__ = [
    "MAX_QUESTION_CHARS",
    "Answerer",
    "Filters",
    "GeneratorUnavailable",
    "QuestionError",
    "answer_question",
    "respond",
]


class QuestionError(NewsbotError, ValueError):
    """A question that cannot be asked (empty, too long); the message is for the user."""


def clean_question(question: str) -> str:
    """Control characters out, whitespace collapsed; QuestionError when empty or huge."""
    text = " ".join(_CONTROL.sub(" ", _ANSI.sub(" ", question or "")).split())
    if not text:
        raise QuestionError("The question is empty: ask something about the articles.")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is too long ({len(text):,} characters; "
            f"the limit is {MAX_QUESTION_CHARS:,}). Ask it in a sentence or two."
        )
    return text


def evidence_k(k: int) -> int:
    """How many passages to retrieve as evidence for an answer that cites from the best `k`:
    the sentence that carries the asked-for fact is often in a passage ranked a little lower
    ("seven European leaders" under a question about who "attended")."""
    return max(k, EVIDENCE_POOL)


def retrieve_for(
    question: str,
    retriever: Retriever,
    k: int,
    filters: Filters | None = None,
    follow_up_of: str | None = None,
) -> tuple[str, str | None, Retrieval]:
    """The cleaned question, the cleaned earlier question (None unless a follow-up) and the
    evidence for them: a follow-up searches with the earlier question joined on."""
    text = clean_question(question)
    context = clean_question(follow_up_of) if follow_up_of and follow_up_of.strip() else None
    query = f"{context}\n{text}" if context else text
    return text, context, retriever.retrieve(query, evidence_k(k), filters)


def answer_question(
    question: str,
    retriever: Retriever,
    generator: Generator,
    *,
    k: int = 6,
    filters: Filters | None = None,
    follow_up_of: str | None = None,
) -> Answer:
    """Answer one question from the index behind `retriever`.

    `follow_up_of` is the earlier question a follow-up refers to ("What about Macron?"): it
    joins the search and weighs half in picking sentences.
    """
    text, context, retrieval = retrieve_for(question, retriever, k, filters, follow_up_of)
    answer = respond(text, retrieval, generator, context=context, filters=filters)
    if context and not answer.refused:
        answer = _not_a_repeat(answer, retrieval, generator, context, k, filters, retriever)
    return answer


def _not_a_repeat(
    answer: Answer,
    retrieval: Retrieval,
    generator: Generator,
    context: str,
    k: int,
    filters: Filters | None,
    retriever: Retriever,
) -> Answer:
    """A follow-up ("where?") must not repeat the earlier answer word for word: when it would
    quote exactly what the earlier question's answer quoted, those sentences are set aside and
    the next best ones answer it, or it says there is nothing more."""
    earlier_retrieval = retriever.retrieve(context, evidence_k(k), filters)
    earlier = respond(context, earlier_retrieval, ExtractiveGenerator(), filters=filters)
    said = {c.quote for c in earlier.citations}
    if earlier.refused or not said or {c.quote for c in answer.citations} - said:
        return answer
    again = judged_answer(
        answer.question, retrieval, generator, context=context, filters=filters, exclude=said
    )[0]
    if again.refused:
        return replace(again, text=_refusal_text("they say nothing more on it than before"))
    return again


def respond(
    question: str,
    retrieval: Retrieval,
    generator: Generator,
    *,
    context: str | None = None,
    filters: Filters | None = None,
) -> Answer:
    """The answer from passages already retrieved (eval times the two steps apart)."""
    return judged_answer(question, retrieval, generator, context=context, filters=filters)[0]


def judged_answer(
    question: str,
    retrieval: Retrieval,
    generator: Generator,
    *,
    context: str | None = None,
    filters: Filters | None = None,
    exclude: frozenset[str] | set[str] = frozenset(),
) -> tuple[Answer, Verdict | None]:
    """`respond`, with the relevance verdict eval reports (None when nothing was retrieved).

    `exclude`: sentences not to quote (what the previous answer already said)."""
    started = time.perf_counter()
    base = Answer(question=question, text="", generator=generator.name, retrieval_ms=retrieval.ms)
    if not retrieval.passages:
        return _refusal(base, started, _empty_reason(retrieval, filters)), None
    evidence = Evidence(
        question,
        retrieval.passages,
        retrieval.lexicon,
        context=context,
        outlets=retrieval.outlets_asked,
    )
    compare = functools.partial(retrieval.sentence_similarities, question)
    # a follow-up ("and Starmer?") means what it means together with the earlier question
    meant = functools.partial(retrieval.sentence_similarities, retrieval.query)
    floor = similarity_floor(retrieval.embeddings)
    verdict = judge(evidence, retrieval.best_similarity, compare, floor)
    if not verdict.answerable:
        return _refused(base, started, verdict, evidence), verdict
    if verdict.paraphrases:
        evidence.keep_only(verdict.paraphrases)
    if exclude:
        evidence.drop(exclude)
    verdict = weigh_meaning(evidence, verdict, meant if context else compare, floor)
    if not verdict.answerable:
        return _refused(base, started, verdict, evidence), verdict
    withheld = undisclosed(evidence)
    if withheld is not None:
        return _withheld(base, started, withheld, evidence), verdict
    answer = _generate(base, question, evidence, generator)
    return replace(answer, answer_ms=ms_since(started)), verdict


def _generate(base: Answer, question: str, evidence: Evidence, generator: Generator) -> Answer:
    try:
        draft = generator.draft(question, evidence)
    except GeneratorFailed as exc:
        return _extractive(
            base,
            evidence,
            f"{_label(generator)} failed ({exc}); answered extractively from the articles.",
        )
    if draft.refused:
        return replace(
            base, text=_refusal_text("the passages found do not answer it"), refused=True
        )
    claims = draft.claims if draft.claims is not None else verify(draft.text, evidence)
    if not any(c.quotes for c in claims):
        if generator.name == "extractive":
            return replace(base, text=_refusal_text("no sentence in them answers it"), refused=True)
        return _extractive(
            base,
            evidence,
            f"{_label(generator)} gave no answer the articles "
            "support; answered extractively instead.",
        )
    if draft.claims is None and not gives_asked_type(question, claims, evidence.context):
        note = missing_type_note(_label(generator), question, evidence.context)
        return _extractive(base, evidence, note)
    return _composed(base, claims, evidence)


def _extractive(base: Answer, evidence: Evidence, note: str) -> Answer:
    claims = extract(evidence)
    if not any(c.quotes for c in claims):
        return replace(
            base,
            text=_refusal_text("no sentence in them answers it"),
            refused=True,
            generator="extractive",
            note=note,
        )
    return replace(_composed(base, claims, evidence), generator="extractive", note=note)


def _composed(base: Answer, claims: list[Claim], evidence: Evidence) -> Answer:
    text, citations = compose(claims, evidence.passages)
    return replace(base, text=text, citations=citations)


def _refused(base: Answer, started: float, verdict: Verdict, evidence: Evidence) -> Answer:
    """A refusal, quoting the story that says the asked detail was not given when one does:
    "declined to name the other companies" tells more than "none of them says"."""
    withheld = undisclosed(evidence)
    if withheld is not None:
        return _withheld(base, started, withheld, evidence)
    return _refusal(base, started, verdict.reason)


def _refusal(base: Answer, started: float, reason: str) -> Answer:
    return replace(base, text=_refusal_text(reason), refused=True, answer_ms=ms_since(started))


def _withheld(base: Answer, started: float, s: Sentence, evidence: Evidence) -> Answer:
    """A refusal that shows its evidence: the story says the asked detail was not given."""
    claim = Claim(
        f"I can't answer that from the articles: they say it was not given: “{s.text}”",
        (_quote(s),),
    )
    text, citations = compose([claim], evidence.passages)
    return replace(base, text=text, citations=citations, refused=True, answer_ms=ms_since(started))


def _quote(s: Sentence) -> Quote:
    return Quote(s.passage, s.start, s.end)


def _refusal_text(reason: str) -> str:
    return f"I can't answer that from the articles: {reason}."


def _empty_reason(retrieval: Retrieval, filters: Filters | None) -> str:
    if retrieval.matched_articles == 0 and filters is not None and filters.active:
        return f"no article matches the filters ({filters.describe()})"
    return "no articles are indexed yet (run `newsbot ingest`)"


def _label(generator: Generator) -> str:
    return {"openai": "The OpenAI-compatible model", "local": "The local model"}.get(
        generator.name, f"The {generator.name} generator"
    )


class Answerer:
    """What the CLI and Discord hold: a retriever and a generator, asked from any thread.

    `ask` blocks, `aask` runs it in a worker thread for an event loop. For LangChain,
    `as_retriever()` is a `BaseRetriever` and `as_runnable()` a Runnable (invoke, batch,
    ainvoke); they are built on demand, so a plain `ask` never pays LangChain's import.
    """

    def __init__(self, retriever: Retriever, generator: Generator, *, k: int = 6) -> None:
        self.retriever = retriever
        self.generator = generator
        self.k = k

    def ask(
        self,
        question: str,
        follow_up_of: str | None = None,
        filters: Filters | None = None,
        *,
        k: int | None = None,
    ) -> Answer:
        answer = answer_question(
            question,
            self.retriever,
            self.generator,
            k=k or self.k,
            filters=filters,
            follow_up_of=follow_up_of,
        )
        if not answer.citations:
            return answer
        return with_copies(answer, self.retriever.index.copies())

    async def aask(
        self,
        question: str,
        follow_up_of: str | None = None,
        filters: Filters | None = None,
        *,
        k: int | None = None,
    ) -> Answer:
        """`ask` in a worker thread: retrieval and drafting block, an event loop must not."""
        return await asyncio.to_thread(self.ask, question, follow_up_of, filters, k=k)

    def as_retriever(
        self, *, k: int | None = None, filters: Filters | None = None
    ) -> NewsRetriever:
        """The retrieval step alone as a LangChain retriever of cited `Document`s."""
        from bot.core.lc import NewsRetriever

        return NewsRetriever(retriever=self.retriever, k=k or self.k, filters=filters)

    def as_runnable(self) -> AnswerRunnable:
        """This answerer as a LangChain Runnable: a question (or a dict) in, an `Answer` out."""
        from bot.core.lc import AnswerRunnable

        return AnswerRunnable(self)


def with_copies(answer: Answer, copies: Mapping[str, Sequence[Record]]) -> Answer:
    """Each citation with the copies of its article ("also in: ..."): a copy is not indexed
    apart, so the answer cites one source and names the others beside it."""
    cited = [
        replace(c, also_in=tuple(_copy(r) for r in copies.get(c.article_id, ())))
        for c in answer.citations
    ]
    return replace(answer, citations=cited)


def _copy(record: Record) -> Copy:
    return Copy(record.outlet, record.title, record.file, record.url, record.published)
