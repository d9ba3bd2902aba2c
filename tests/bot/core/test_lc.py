"""The core in LangChain's shapes, on the real seeds index: the retriever inside an LCEL chain,
its Documents carrying the citation metadata, and the answerer as a Runnable."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from langchain_core.documents import Document
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from bot.core.answer import Answerer
from bot.core.records import Answer
from bot.core.retrieve import Filters
from ingest.store import Index

QUESTION = "What did Macron call Putin?"


def _untimed(answer: Answer) -> Answer:
    return replace(answer, retrieval_ms=0.0, answer_ms=0.0)


def _context(docs: list[Document]) -> str:
    return "\n".join(
        f"[{d.metadata['outlet'] or d.metadata['file']}] {d.page_content}" for d in docs
    )


def test_retriever_documents_carry_the_citation_metadata(
    answerer: Answerer, seeds_index: Index
) -> None:
    retriever = answerer.as_retriever(k=4)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke(QUESTION)
    assert 1 <= len(docs) <= 4
    assert any("predator" in d.page_content for d in docs)
    manifest = seeds_index.manifest()
    chunks = {c.chunk_id: c.text for c in seeds_index.all_chunks()}
    for doc in docs:
        meta = doc.metadata
        record = manifest[meta["article_id"]]
        assert (meta["file"], meta["outlet"], meta["title"], meta["published"]) == (
            record.file,
            record.outlet,
            record.title,
            record.published,
        )
        assert doc.id == meta["chunk_id"] and chunks[doc.id] == doc.page_content
        assert meta["end"] - meta["start"] == len(doc.page_content)
        assert 0 < meta["score"] <= 1


def test_retriever_in_an_lcel_chain(answerer: Answerer) -> None:
    """retriever | format -> prompt, the way a LangChain user builds a RAG chain."""
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Answer from these passages only:\n{context}"), ("human", "{question}")]
    )
    chain = {
        "context": answerer.as_retriever(k=4) | RunnableLambda(_context),
        "question": RunnablePassthrough(),
    } | prompt
    messages = chain.invoke(QUESTION).to_messages()
    assert messages[1].content == QUESTION
    assert "predator" in str(messages[0].content)


def test_retriever_filters_by_outlet(answerer: Answerer) -> None:
    docs = answerer.as_retriever(filters=Filters.parse(source="chinadaily")).invoke(QUESTION)
    assert docs and {d.metadata["outlet"] for d in docs} == {"chinadaily.com.cn"}


def test_answerer_as_a_runnable_invokes_batches_and_awaits(answerer: Answerer) -> None:
    runnable = answerer.as_runnable()
    assert isinstance(runnable, Runnable)
    expected = _untimed(answerer.ask(QUESTION))
    assert _untimed(runnable.invoke(QUESTION)) == expected
    other = "Who hosted Zelensky and the European leaders at the White House?"
    batch = runnable.batch([QUESTION, other])
    assert [a.question for a in batch] == [QUESTION, other]
    assert _untimed(batch[0]) == expected
    assert _untimed(asyncio.run(runnable.ainvoke(QUESTION))) == expected
    assert _untimed(asyncio.run(answerer.aask(QUESTION))) == expected


def test_runnable_takes_a_dict_with_filters(answerer: Answerer) -> None:
    answer = answerer.as_runnable().invoke({"question": QUESTION, "source": "chinadaily"})
    assert answer.citations and {c.outlet for c in answer.citations} == {"chinadaily.com.cn"}
    filtered = answerer.ask(QUESTION, filters=Filters.parse(source="chinadaily"))
    assert _untimed(answer) == _untimed(filtered)


def test_citation_offsets_point_at_the_quote(answerer: Answerer, seeds_index: Index) -> None:
    """start/end place the quote in its article's cleaned text: the chunk that holds it,
    read at those offsets, is the quote."""
    answer = answerer.ask(QUESTION)
    chunks = list(seeds_index.all_chunks())
    assert answer.citations
    for c in answer.citations:
        holders = [
            k
            for k in chunks
            if k.metadata["article_id"] == c.article_id
            and int(k.metadata["start"]) <= c.start < c.end <= int(k.metadata["end"])
        ]
        assert c.start >= 0 and holders, c
        k = holders[0]
        offset = int(k.metadata["start"])
        assert k.text[c.start - offset : c.end - offset] == c.quote
