"""The answering core in LangChain's shapes: a `BaseRetriever` of cited `Document`s and the
answerer as a Runnable.

    retriever = answerer.as_retriever()            # newsbot's dense + BM25 retrieval
    docs = retriever.invoke("What did Macron say?")  # Documents; metadata carries the citation
    chain = answerer.as_runnable()                 # question (or dict) -> Answer
    answers = chain.batch(["Who met?", "Where?"])

Kept apart from `answer.py` because importing LangChain's Runnable machinery costs ~0.4 s, which
every cold `newsbot ask` would otherwise pay for nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig

from bot.core.records import Answer, Passage
from bot.core.retrieve import Filters, Retriever

if TYPE_CHECKING:
    from langchain_core.callbacks import CallbackManagerForRetrieverRun

    from bot.core.answer import Answerer

Question = str | Mapping[str, Any]


def passage_document(passage: Passage) -> Document:
    """A retrieved passage as a LangChain Document: its text, and in `metadata` everything a
    citation needs (outlet, title, date, URL, file, article and the text's offsets)."""
    return Document(
        page_content=passage.text,
        id=passage.chunk_id,
        metadata={
            "chunk_id": passage.chunk_id,
            "article_id": passage.article_id,
            "file": passage.file,
            "outlet": passage.outlet,
            "title": passage.title,
            "published": passage.published,
            "url": passage.url,
            "start": passage.start,
            "end": passage.end,
            "score": passage.score,
        },
    )


class NewsRetriever(BaseRetriever):
    """newsbot's retrieval (dense + BM25, fused, at most two passages per article) as a
    LangChain retriever; `filters` limits it by outlet and date as `--source/--since/--until`."""

    retriever: Retriever
    k: int = 6
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        retrieval = self.retriever.retrieve(query, self.k, self.filters)
        return [passage_document(p) for p in retrieval.passages]


class AnswerRunnable(Runnable[Question, Answer]):
    """The answerer as a Runnable: `invoke`, `batch`, `ainvoke`, `abatch`, and any LCEL pipe.

    Input: the question, or a dict with `question` and optionally `follow_up_of`, `source`,
    `since`, `until` (YYYY-MM-DD) and `k`. Output: the `Answer` with its citations.
    """

    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer

    def invoke(
        self, input: Question, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Answer:
        return self._call_with_config(self._ask, input, config, run_type="chain")

    def _ask(self, question: Question) -> Answer:
        if isinstance(question, str):
            return self.answerer.ask(question)
        get = question.get
        filters = Filters.parse(get("source"), get("since"), get("until"))
        return self.answerer.ask(str(get("question", "")), get("follow_up_of"), filters, k=get("k"))
