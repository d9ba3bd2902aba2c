"""The lexical index: BM25 (bm25s) over the chunks, cached on disk per index generation.

Why a cache keyed by `Index.generation()`: BM25 must see exactly the chunks Chroma holds, yet
building it per query would cost seconds at 10k chunks. Ingest bumps the generation after every
sync that changed something; a reader loads `gen-<n>` once and rebuilds only when the generation
moved on or the files fail their checksums. Writes go to a temporary folder renamed into place,
so a reader never sees half a cache, and two processes building at once cannot corrupt it.

Why a light hand-written stemmer rather than Snowball (PyStemmer, which bm25s takes as
`stemmer=`): measured on the eval sets, Snowball answered no more questions and lost a refusal
the README promises ("Who represented Kenya at the London coffee quota talks?": it reads
"represented" as "repres", as common as "representative", so the question's missing word
weighs less); see benchmarks/LEXICAL.md.

Why near misses from the vocabulary (rapidfuzz): words (folded, stemmed) score the chunks, and
a query term is expanded with indexed spellings close to it ("Zelenski" -> "zelinski",
"zellinski"). Garbled names in machine-translated articles (seeds/001: "Zelinski", "Kiir
Starmer", "Fredchic Mirz") and typos in questions both need it. rapidfuzz scans the terms that
share the first letter in C, exactly, so no second index of character n-grams is kept.

Words and near-miss names are read by `ingest.text.words` and `ingest.text.names`, shared with
the answering core.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import math
import shutil
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

from ingest.text.names import FUZZY_MIN_LEN, FUZZY_MIN_RATIO, similarity
from ingest.text.words import question_terms, terms

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ingest.store import Index

log = logging.getLogger(__name__)
FORMAT = 10  # bump when the cache layout or tokenisation changes: old caches are rebuilt
STATE_FILE = "state.json"
CHUNKS_FILE = "chunks.jsonl"
FUZZY_CANDIDATES = 40
CANDIDATE_MIN_RATIO = 0.55  # below the threshold, so sound-alikes reach `similarity`
FUZZY_MAX_VARIANTS = 4
ARTICLE_BAGS = 2000  # articles whose terms are kept in memory (about 10 MB)


@dataclass(frozen=True, slots=True)
class LexChunk:
    """A chunk as the lexical index keeps it: enough to make a Passage without Chroma."""

    chunk_id: str
    text: str
    meta: dict[str, Any]


class CacheCorrupt(RuntimeError):
    """A cache folder that is incomplete, altered or from another index: rebuild it."""


def _bm25s() -> Any:
    """Import bm25s, which sets its own logger to DEBUG on import: quieten it to WARNING."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def _bm25(corpus: list[list[str]]) -> Any:
    bm25s = _bm25s()
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever


class LexicalIndex:
    """BM25 over one generation of an `Index`'s chunks, and its vocabulary for near misses."""

    def __init__(
        self,
        generation: int,
        chunks: list[LexChunk],
        words_bm25: Any,
        vocab: list[str],
        index_name: str = "",
    ) -> None:
        self.generation = generation
        self.index_name = index_name
        self.chunks = chunks
        self.positions = {c.chunk_id: i for i, c in enumerate(chunks)}
        self._words = words_bm25
        self._vocab = vocab
        self._by_letter: dict[str, list[str]] = {}
        for term in vocab:  # near misses share the first letter (see `similarity`)
            if len(term) >= FUZZY_MIN_LEN and term.isalpha():
                self._by_letter.setdefault(term[0], []).append(term)
        self._ids: dict[str, int] = dict(words_bm25.vocab_dict) if words_bm25 else {}
        indptr = words_bm25.scores["indptr"] if words_bm25 else np.zeros(1)
        self._df = np.diff(np.asarray(indptr))
        self._lock = threading.Lock()
        self._expansions: dict[str, dict[str, float]] = {}
        self._by_article: dict[str, list[int]] | None = None
        self._bags: OrderedDict[str, frozenset[str]] = OrderedDict()

    # -- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, index: Index) -> LexicalIndex:
        """Read every chunk of the index (paged) and index it; the generation is read first,
        so a sync finishing meanwhile only makes the cache look older than it is."""
        generation = index.generation()
        chunks = [LexChunk(c.chunk_id, c.text, c.metadata) for c in index.all_chunks()]
        return cls.from_chunks(chunks, generation, index.name)

    @classmethod
    def from_chunks(
        cls, chunks: list[LexChunk], generation: int = 0, index_name: str = ""
    ) -> LexicalIndex:
        chunks = sorted(chunks, key=lambda c: c.chunk_id)
        if not chunks:
            return cls(generation, [], None, [], index_name)
        corpus = [terms(_indexed_text(c)) or [""] for c in chunks]
        words_bm25 = _bm25(corpus)
        vocab = sorted(t for t in words_bm25.vocab_dict if t)
        return cls(generation, chunks, words_bm25, vocab, index_name)

    # -- persistence -----------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the cache into `folder` (which must not exist yet), state file last."""
        folder.mkdir(parents=True)
        with (folder / CHUNKS_FILE).open("w", encoding="utf-8") as out:
            for c in self.chunks:
                out.write(json.dumps({"id": c.chunk_id, "text": c.text, "meta": c.meta}) + "\n")
        (folder / "vocab.json").write_text(json.dumps(self._vocab), encoding="utf-8")
        if self._words is not None:
            self._words.save(str(folder / "words"), show_progress=False)
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        state = {
            "format": FORMAT,
            "generation": self.generation,
            "index": self.index_name,
            "chunks": len(self.chunks),
            "sha256": {p.relative_to(folder).as_posix(): _sha256(p) for p in files},
        }
        (folder / STATE_FILE).write_text(json.dumps(state, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Load a cache folder, verifying every file's checksum; CacheCorrupt if anything is off."""
        try:
            state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            if state.get("format") != FORMAT:
                raise CacheCorrupt(f"cache format {state.get('format')} is not {FORMAT}")
            listed: dict[str, str] = state["sha256"]
            present = {
                p.relative_to(folder).as_posix()
                for p in folder.rglob("*")
                if p.is_file() and p.name != STATE_FILE
            }
            if present != set(listed):
                raise CacheCorrupt("cache files missing or unexpected")
            for rel, digest in listed.items():
                if _sha256(folder / rel) != digest:
                    raise CacheCorrupt(f"checksum mismatch in {rel}")
            chunks = [_lex_chunk(line) for line in _lines(folder / CHUNKS_FILE)]
            vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            words_bm25 = _load_bm25(folder / "words") if chunks else None
            if len(chunks) != state["chunks"]:
                raise CacheCorrupt("chunk count does not match the state file")
            return cls(int(state["generation"]), chunks, words_bm25, vocab, state["index"])
        except CacheCorrupt:
            raise
        except Exception as exc:  # unreadable JSON, truncated arrays, missing keys
            raise CacheCorrupt(f"unreadable cache: {type(exc).__name__}: {exc}") from exc

    @classmethod
    def load_or_build(cls, index: Index, cache_dir: Path) -> LexicalIndex:
        """The current generation's cache if it is sound and holds exactly the index's chunk
        ids (an ids-only read, ~0.1 s at 10k chunks), else a fresh build, saved. Comparing ids
        rather than counts also catches a sync killed between its writes and its generation
        bump, and a cache left from another store at the same generation number."""
        generation = index.generation()
        folder = generation_dir(cache_dir, index, generation)
        if folder.exists():
            try:
                loaded = cls.load(folder)
                stored = {cid for ids in index.chunk_ids().values() for cid in ids}
                if loaded.generation == generation and loaded.positions.keys() == stored:
                    return loaded
                problem = (
                    f"it holds generation {loaded.generation}, the index is at {generation}"
                    if loaded.generation != generation
                    else f"its {len(loaded)} chunks are not the index's {len(stored)}"
                )
            except CacheCorrupt as exc:
                problem = str(exc)
            log.warning(
                "rebuilding the lexical cache %s: %s", folder, " ".join(problem.split())[:200]
            )
        return refresh(index, cache_dir)

    # -- querying --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.chunks)

    def df(self, term: str) -> int:
        """How many chunks contain `term` (a stemmed word)."""
        tid = self._ids.get(term)
        return int(self._df[tid]) if tid is not None else 0

    def idf(self, term: str) -> float:
        """BM25's idf; a term no chunk has gets the highest value (it is the most telling)."""
        n = len(self.chunks)
        df = self.df(term)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def expand(self, term: str) -> dict[str, float]:
        """The term and its indexed spelling variants, each with a weight in (0, 1]."""
        with self._lock:
            cached = self._expansions.get(term)
        if cached is not None:
            return cached
        variants: dict[str, float] = {term: 1.0} if term in self._ids else {}
        found = [
            (ratio, other)
            for other in self._near(term)
            if (ratio := similarity(term, other)) >= FUZZY_MIN_RATIO
        ]
        for ratio, other in sorted(found, reverse=True)[:FUZZY_MAX_VARIANTS]:
            variants[other] = ratio * ratio
        with self._lock:
            self._expansions[term] = variants
        return variants

    def _near(self, term: str) -> list[str]:
        """Indexed terms of the same first letter spelt close to `term`, best first."""
        if len(term) < FUZZY_MIN_LEN or not term.isalpha():
            return []
        found = process.extract(
            term,
            self._by_letter.get(term[0], []),
            scorer=Indel.normalized_similarity,
            score_cutoff=CANDIDATE_MIN_RATIO,
            limit=FUZZY_CANDIDATES,
        )
        return [other for other, _, _ in found if other != term]

    def article_terms(self, article_id: str) -> frozenset[str]:
        """Every term of one article (all its chunks, title included), however few of its
        chunks were retrieved: "does this story mention Kenya at all?" asks the whole story.
        Neighbouring terms are in it too, joined by a space ("home state"), so a name of several
        words can be told from its words scattered ("Federal Home Loan Bank ... state")."""
        with self._lock:
            cached = self._bags.get(article_id)
            if cached is not None:
                self._bags.move_to_end(article_id)
                return cached
            if self._by_article is None:
                self._by_article = {}
                for i, c in enumerate(self.chunks):
                    key = str(c.meta.get("article_id", c.chunk_id.split("#", 1)[0]))
                    self._by_article.setdefault(key, []).append(i)
            positions = self._by_article.get(article_id, [])
        bag: set[str] = set()
        for i in positions:
            found = terms(_indexed_text(self.chunks[i]))
            bag.update(found)
            bag.update(f"{a} {b}" for a, b in itertools.pairwise(found))
        with self._lock:
            self._bags[article_id] = frozenset(bag)
            while len(self._bags) > ARTICLE_BAGS:
                self._bags.popitem(last=False)
            return self._bags[article_id]

    def expand_query(self, query_terms: Iterable[str]) -> dict[str, float]:
        """Weighted indexed terms for a query: each term's variants, weights summed on repeats."""
        weights: dict[str, float] = {}
        for term in query_terms:
            for variant, weight in self.expand(term).items():
                weights[variant] = max(weights.get(variant, 0.0), weight)
        return weights

    def scores(self, weighted: Mapping[str, float]) -> NDArray[np.float32]:
        """BM25 score of every chunk for weighted query terms (0 for an empty index)."""
        total = np.zeros(len(self.chunks), dtype=np.float32)
        if self._words is None:
            return total
        for term, weight in weighted.items():
            tid = self._ids.get(term)
            if tid is not None:
                total += weight * self._words.get_scores_from_ids([tid])
        return total

    def search(
        self, query: str, k: int, mask: NDArray[np.bool_] | None = None
    ) -> list[tuple[LexChunk, float]]:
        """Top-k chunks for a question, with near-miss spellings expanded; `mask` filters."""
        scores = self.scores(self.expand_query(question_terms(query)))
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        if k <= 0 or not len(scores):
            return []
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]


def _indexed_text(chunk: LexChunk) -> str:
    """What BM25 sees: the chunk and its title, so a headline word finds its article."""
    title = str(chunk.meta.get("title", ""))
    return f"{title}\n{chunk.text}" if title else chunk.text


def generation_dir(cache_dir: Path, index: Index, generation: int) -> Path:
    return cache_dir / index.name / f"gen-{generation}"


def refresh(index: Index, cache_dir: Path) -> LexicalIndex:
    """Rebuild the lexical cache for the index's current generation and drop older ones.

    Ingest calls this after a sync that changed something; readers would otherwise rebuild on
    their next query. Safe to run from two processes at once.
    """
    built = LexicalIndex.build(index)
    final = generation_dir(cache_dir, index, built.generation)
    tmp = final.parent / f".tmp-{uuid.uuid4().hex}"
    try:
        built.save(tmp)
    except OSError as exc:  # a full or read-only disk: one line, no half-written cache left
        shutil.rmtree(tmp, ignore_errors=True)
        from ingest.store import StoreWriteFailed, explain_failure

        raise StoreWriteFailed(explain_failure(exc, cache_dir)) from exc
    if final.exists():
        shutil.rmtree(final, ignore_errors=True)  # corrupt or stale: ours replaces it
    try:
        tmp.replace(final)
    except OSError:  # another process renamed its own build first: same content
        shutil.rmtree(tmp, ignore_errors=True)
    _drop_other_generations(final)
    return built


def _drop_other_generations(keep: Path) -> None:
    for other in keep.parent.glob("gen-*"):
        if other != keep:
            shutil.rmtree(other, ignore_errors=True)
    for tmp in keep.parent.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < keep.stat().st_mtime - 3600:  # abandoned builds
                shutil.rmtree(tmp, ignore_errors=True)


def _load_bm25(folder: Path) -> Any:
    bm25s = _bm25s()
    return bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)


def _lex_chunk(line: str) -> LexChunk:
    row = json.loads(line)
    return LexChunk(str(row["id"]), str(row["text"]), dict(row["meta"]))


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
