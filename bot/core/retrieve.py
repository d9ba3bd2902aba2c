"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank fusion.

Why both: the embedding finds paraphrases ("casualties" for "deaths"), BM25 finds rare exact
words and, through its fuzzy expansion, garbled names that the embedding scatters. RRF needs no
score calibration between the two. Diversity: at most `per_article` passages of one article in
the top k, so one long article cannot take every slot; the rest are filled only if nothing else
is left.

Filters: `source` is a case-insensitive substring of the outlet or the file path; `since` and
`until` compare the article's published date. An article without a date is left out whenever a
date filter is given: nothing shows that it falls in the range.

Outlets named in the question ("What did CGTN report?", see `bot/core/outlets.py`) leave the query
and favour that outlet's articles: both searches run once more over its articles alone, and the
two extra rankings join the fusion, so its best passages lead while other outlets still fill the
remaining slots (a boost, not a filter: "according to X" may be asked of an X that says little).
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.outlets import Outlets
from bot.core.records import Passage
from ingest.errors import NewsbotError

if TYPE_CHECKING:
    import numpy as np
    from langchain_core.embeddings import Embeddings
    from numpy.typing import NDArray

    from ingest.lexical import LexChunk, LexicalIndex
    from ingest.store import Index, StoredChunk

RRF_K = 60  # the constant of Cormack et al.; flattens the head of each list
CANDIDATES = 40  # taken from each ranking before fusion
PER_ARTICLE = 2
COMMON_SHARE = 0.01  # an outlet's one-word name found in more of the other outlets' chunks
# than this share (or than COMMON_MIN) is an everyday word ("time", "post")
COMMON_MIN = 2
# Numbers after the question mark are stray keys ("What did Trump say? 1"): the lexical side
# drops them in `question_terms`, the dense side must not embed them either.
_STRAY_TAIL = re.compile(r"\?[\s\d.,;:!?-]*$")


class FilterError(NewsbotError, ValueError):
    """A filter the user typed that cannot be understood (one line for the user)."""


@dataclass(frozen=True, slots=True)
class Filters:
    """Which articles a question may draw on."""

    source: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(
        cls, source: str | None = None, since: str | None = None, until: str | None = None
    ) -> Filters:
        """From the CLI/Discord strings; FilterError with a readable message on bad dates."""
        start, end = _date("--since", since), _date("--until", until)
        if start and end and start > end:
            raise FilterError(f"--since {start} is after --until {end}")
        return cls((source or "").strip() or None, start, end)

    @property
    def active(self) -> bool:
        return bool(self.source or self.since or self.until)

    def allows(self, meta: dict[str, Any]) -> bool:
        if self.source:
            needle = self.source.casefold()
            haystack = f"{meta.get('outlet', '')}\n{meta.get('file', '')}".casefold()
            if needle not in haystack:
                return False
        if self.since or self.until:
            published = _published(meta)
            if published is None:
                return False
            if (self.since and published < self.since) or (self.until and published > self.until):
                return False
        return True

    def describe(self) -> str:
        parts = []
        if self.source:
            parts.append(f"source contains {self.source!r}")
        if self.since:
            parts.append(f"published on or after {self.since}")
        if self.until:
            parts.append(f"published on or before {self.until}")
        return ", ".join(parts)


def _date(flag: str, value: str | None) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FilterError(f"{flag} must be a date like 2025-08-19, not {value!r}") from None


def _published(meta: dict[str, Any]) -> date | None:
    raw = str(meta.get("published", ""))[:10]
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Retrieval:
    """The passages for one question and the signals the answerer weighs them by."""

    query: str
    passages: list[Passage]
    lexicon: LexicalIndex
    similarity: dict[str, float] = field(default_factory=dict)  # chunk id -> dense cosine sim
    best_similarity: float = 0.0
    ms: float = 0.0
    matched_articles: int = -1  # articles the filters allowed; -1 when no filter was given
    embeddings: Embeddings | None = None  # the model behind `similarity`
    outlets_asked: tuple[str, ...] = ()  # outlets the question names, as stored ("cgtn.com")

    def sentence_similarities(self, question: str, sentences: list[str]) -> list[float]:
        """Cosine of the question with each sentence, in the index's embedding space.

        A passage's similarity is diluted by its other sentences; one sentence that says the
        same thing in other words ("eight deaths" for "killed") stands out at this grain.
        """
        if self.embeddings is None or not sentences:
            return [0.0] * len(sentences)
        import numpy as np

        query = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        rows = np.asarray(self.embeddings.embed_documents(sentences), dtype=np.float32)
        norms = np.linalg.norm(rows, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
        return [float(x) for x in rows @ query / np.clip(norms, 1e-12, None)]


class Retriever:
    """Dense + lexical search over one Index, keeping the BM25 cache in step with it.

    Thread-safe: the lexical index is swapped under a lock when the index generation moves
    on, and everything else is read-only or guarded by its own lock (the embedder).
    """

    def __init__(
        self,
        index: Index,
        cache_dir: Path,
        *,
        candidates: int = CANDIDATES,
        per_article: int = PER_ARTICLE,
    ) -> None:
        self.index = index
        self.cache_dir = cache_dir
        self.candidates = candidates
        self.per_article = per_article
        self._lexical: LexicalIndex | None = None
        self._outlets: tuple[LexicalIndex, Outlets] | None = None
        self._lock = threading.Lock()

    def lexical(self) -> LexicalIndex:
        """The BM25 index for the current generation, loaded or rebuilt only when it changed."""
        from ingest.lexical import LexicalIndex

        generation = self.index.generation()
        with self._lock:
            current = self._lexical
            if current is None or current.generation != generation:
                current = LexicalIndex.load_or_build(self.index, self.cache_dir)
                self._lexical = current
            return current

    def outlets(self, lexicon: LexicalIndex) -> Outlets:
        """The outlets of the lexicon's chunks, gathered once per index generation."""
        with self._lock:
            if self._outlets is None or self._outlets[0] is not lexicon:
                self._outlets = (lexicon, _outlets_of(lexicon))
            return self._outlets[1]

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        return self.retrieve(query, k, filters).passages

    def retrieve(self, query: str, k: int, filters: Filters | None = None) -> Retrieval:
        """The top-k passages for `query`, fused, diversified and filtered."""
        started = time.perf_counter()
        lexicon = self.lexical()
        filters = filters or Filters()
        mask, where, matched = _filter_plan(lexicon, filters)
        if matched == 0:
            return Retrieval(query, [], lexicon, ms=ms_since(started), matched_articles=0)
        mention = self.outlets(lexicon).find(query)
        text = _STRAY_TAIL.sub("?", mention.rest if mention.outlets else query)
        dense, lexical = self._both(text, lexicon, mask, where)
        rankings = [[c.chunk_id for c in dense], [c.chunk_id for c, _ in lexical]]
        if mention.outlets:
            o_mask, o_where, o_matched = _filter_plan(lexicon, filters, mention.outlets)
            if o_matched:
                o_dense, o_lexical = self._both(text, lexicon, o_mask, o_where)
                rankings += [[c.chunk_id for c in o_dense], [c.chunk_id for c, _ in o_lexical]]
                dense, lexical = dense + o_dense, lexical + o_lexical
        fused = _fuse(*rankings)
        similarity = {c.chunk_id: 1.0 - c.distance for c in dense}
        chunks: dict[str, tuple[str, dict[str, Any]]] = {
            c.chunk_id: (c.text, c.metadata) for c in dense
        }
        chunks.update({c.chunk_id: (c.text, c.meta) for c, _ in lexical})
        chosen = _diversify(fused, chunks, k, self.per_article)
        top = max(fused.values(), default=1.0)
        passages = [_passage(cid, *chunks[cid], fused[cid] / top) for cid in chosen]
        return Retrieval(
            query,
            passages,
            lexicon,
            similarity,
            max(similarity.values(), default=0.0),
            ms_since(started),
            matched,
            self.index.embeddings,
            mention.outlets,
        )

    def _both(
        self,
        text: str,
        lexicon: LexicalIndex,
        mask: NDArray[np.bool_] | None,
        where: dict[str, Any] | None,
    ) -> tuple[list[StoredChunk], list[tuple[LexChunk, float]]]:
        """The dense and the lexical candidates for `text` within one filter plan."""
        dense = self.index.search(text, self.candidates, where=where)
        return dense, lexicon.search(text, self.candidates, mask)


def _outlets_of(lexicon: LexicalIndex) -> Outlets:
    """The index's outlets; a one-word name the other outlets' chunks use as an everyday word
    ("time", "post") counts only when the question capitalises it."""
    from ingest.text.words import stem

    per_outlet = Counter(str(c.meta.get("outlet", "")) for c in lexicon.chunks)
    per_outlet.pop("", None)
    limit = max(COMMON_MIN, COMMON_SHARE * len(lexicon))

    def common(alias: str, outlet: str) -> bool:
        return lexicon.df(stem(alias)) - per_outlet[outlet] > limit

    return Outlets(per_outlet, common)


def ms_since(started: float) -> float:
    """Milliseconds since a `time.perf_counter()` reading."""
    return (time.perf_counter() - started) * 1000.0


def _filter_plan(
    lexicon: LexicalIndex, filters: Filters, outlets: tuple[str, ...] = ()
) -> tuple[NDArray[np.bool_] | None, dict[str, Any] | None, int]:
    """A chunk mask for BM25, a Chroma `where` for the dense side, and how many articles pass
    (the filters, and when `outlets` are given, one of those outlets)."""
    if not filters.active and not outlets:
        return None, None, -1
    import numpy as np

    allowed = np.array(
        [
            filters.allows(c.meta) and (not outlets or c.meta.get("outlet") in outlets)
            for c in lexicon.chunks
        ],
        dtype=bool,
    )
    passing = zip(lexicon.chunks, allowed, strict=True)
    articles = sorted({article_id(c.chunk_id, c.meta) for c, ok in passing if ok})
    if not articles:
        return allowed, None, 0
    return allowed, {"article_id": {"$in": articles}}, len(articles)


def article_id(chunk_id: str, meta: dict[str, Any]) -> str:
    """The chunk's article: from its metadata, else the id's prefix (`<file>#<hash>#<n>`)."""
    return str(meta.get("article_id", chunk_id.split("#", 1)[0]))


def _fuse(*rankings: list[str]) -> dict[str, float]:
    """Reciprocal rank fusion: each list adds 1 / (RRF_K + rank) to the chunks it ranks."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank)
    return dict(sorted(scores.items(), key=lambda item: (-item[1], item[0])))


def _diversify(
    fused: dict[str, float],
    chunks: dict[str, tuple[str, dict[str, Any]]],
    k: int,
    per_article: int,
) -> list[str]:
    """Best-first, at most `per_article` chunks per article; leftovers fill empty slots."""
    chosen: list[str] = []
    overflow: list[str] = []
    per: dict[str, int] = {}
    for cid in fused:
        article = article_id(cid, chunks[cid][1])
        if per.get(article, 0) < per_article:
            per[article] = per.get(article, 0) + 1
            chosen.append(cid)
        else:
            overflow.append(cid)
        if len(chosen) >= k:
            return chosen
    return chosen + overflow[: k - len(chosen)]


def _passage(cid: str, text: str, meta: dict[str, Any], score: float) -> Passage:
    return Passage(
        chunk_id=cid,
        article_id=article_id(cid, meta),
        file=str(meta.get("file", "")),
        text=text,
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", len(text))),
        title=str(meta.get("title", "")),
        outlet=str(meta.get("outlet", "")),
        published=str(meta.get("published", "")),
        url=str(meta.get("url", "")),
        score=round(score, 4),
    )
