"""The index in Chroma: chunk vectors plus a manifest of articles, in the same database.

Why a manifest collection rather than a side file or LangChain's SQL record manager: the
bookkeeping then lives in the same store as the chunks, so the embedded store and a `chroma run`
server behave the same, and there is no second file to drift out of step. Each article is
written as: manifest entry marked `pending` -> chunks upserted under deterministic ids -> the
article's older chunks deleted -> entry marked `done`. A run killed at any point leaves either a
`pending` entry or an old hash, and the next sync redoes that article; ids being deterministic,
nothing is ever duplicated.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ingest.errors import NewsbotError
from ingest.models import Article, Chunk

META_ID = "__meta__"  # manifest record holding the index generation
EMBED_STEP = 64  # chunks embedded between progress reports
# A Chroma server that stops answering (frozen, network gone) must fail a call, not hang it:
# chromadb's HTTP client waits forever by default. Reads and writes get HTTP_TIMEOUT seconds,
# far above the slowest call newsbot makes (an upsert of one 5 MB article's chunks).
HTTP_TIMEOUT = 60.0
CONNECT_TIMEOUT = 5.0

log = logging.getLogger(__name__)


class StoreUnavailable(NewsbotError, RuntimeError):
    """Chroma cannot be reached or opened; the message is one line for the user."""


class StoreWriteFailed(StoreUnavailable):
    """The store refused a read or write (disk full, read-only, locked); one line saying what
    and what to do. Nothing is half-written: the sync protocol redoes it on the next run."""


LOW_DISK = 16 * 1024 * 1024  # bytes free under which a failed write is put down to a full disk


def explain_failure(exc: BaseException, path: Path | None) -> str:
    """What went wrong in the store and what to do about it, in one line. `path` is the local
    store's folder (None for a server, whose disk newsbot cannot see)."""
    text = _first_line(exc)
    lowered = text.lower()
    where = f"the index at {path}" if path else "the Chroma server"
    again = "then run `newsbot ingest` again (what this run could not finish is redone)"
    if "locked" in lowered or "busy" in lowered:
        return f"{where} is locked by another process ({text}); wait for it to finish, {again}"
    probe = _existing(path)
    if "read-only" in lowered or "readonly" in lowered or (probe and _read_only(probe)):
        return (
            f"{where} is read-only (Chroma writes even to read): make it writable or point "
            "NEWSBOT_DATA_DIR at a writable folder"
        )
    free = shutil.disk_usage(probe).free if probe else None
    if "no space" in lowered or "disk is full" in lowered or (free is not None and free < LOW_DISK):
        left = f" ({free // 1024} KB free)" if free is not None else ""
        return f"the disk holding {where} is full{left}: free some space, {again}"
    if path is None:  # a server's disk and log are its own: say where to look
        return f"{where} could not do it ({text}): check its disk space and log, {again}"
    return f"{where} cannot be used: {text}"


def _existing(path: Path | None) -> Path | None:
    """`path` or its nearest existing parent (what disk_usage and statvfs can look at)."""
    while path is not None and not path.exists():
        path = path.parent if path.parent != path else None
    return path


def _read_only(path: Path) -> bool:
    return bool(os.statvfs(path).f_flag & os.ST_RDONLY)


def open_client(
    path: Path | None, host: str | None = None, port: int = 8000, timeout: float = HTTP_TIMEOUT
) -> Any:
    """A Chroma client: a server when `host` is set, else the embedded store at `path`.

    A server call that gets no answer within `timeout` seconds raises StoreUnavailable.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if host:
            heartbeat(host, port, timeout)  # chromadb's own first request has no timeout
            client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
            _bound_http_timeout(client, timeout)
            return client
        assert path is not None
        if path.exists() and not path.is_dir():
            raise StoreUnavailable(f"the Chroma store path {path} is a file, not a folder")
        path.mkdir(parents=True, exist_ok=True)
        _wait_for_writers(path / "chroma.sqlite3", timeout)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except StoreUnavailable:
        raise
    except Exception as exc:
        if host:
            raise StoreUnavailable(
                f"cannot reach Chroma server at {host}:{port}: {_first_line(exc)}"
            ) from exc
        raise StoreWriteFailed(explain_failure(exc, path)) from exc


LOCK_WAIT = 10.0  # seconds to wait for another process's write to the store to finish


def _wait_for_writers(database: Path, timeout: float) -> None:
    """Fail in one line when another process holds the store's database locked: Chroma itself
    would wait forever for it. A write lock taken and released at once is the probe."""
    import sqlite3

    if not database.is_file():
        return
    try:
        probe = sqlite3.connect(database, timeout=min(LOCK_WAIT, timeout))
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
        finally:
            probe.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreWriteFailed(explain_failure(exc, database.parent)) from exc
        # anything else (a read-only disk, a damaged file) Chroma reports in its own words


def _timeout(seconds: float) -> Any:
    import httpx

    return httpx.Timeout(seconds, connect=min(CONNECT_TIMEOUT, seconds))


def heartbeat(host: str, port: int, timeout: float) -> None:
    """Raise an httpx error unless the Chroma server answers within `timeout` seconds."""
    import httpx
    from chromadb.api.fastapi import FastAPI

    url = FastAPI.resolve_url(host, False, "/api/v2", port)
    httpx.get(f"{url}/heartbeat", timeout=_timeout(timeout)).raise_for_status()


def _bound_http_timeout(client: Any, seconds: float) -> None:
    """Give chromadb's HTTP session a timeout (it has no public setting for one)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = _timeout(seconds)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


class _Guarded:
    """A Chroma collection whose calls turn a lost server connection into StoreUnavailable,
    and a store that cannot write (disk full, read-only, locked) into StoreWriteFailed.

    Without it a server that dies mid-run surfaces as an httpx traceback from deep inside
    chromadb, and a full disk as "Error in compaction: Failed to apply logs to the metadata
    segment"; with it the CLI prints one line and Discord one friendly reply.
    """

    def __init__(self, collection: Any, path: Path | None = None) -> None:
        self._collection = collection
        self._path = path

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._collection, name)
        if not callable(value):
            return value
        return _guard(value, self._path)


def _guard(call: Callable[..., Any], path: Path | None) -> Callable[..., Any]:
    import sqlite3

    import httpx
    from chromadb.errors import InternalError

    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except httpx.TransportError as exc:
            raise StoreUnavailable(
                f"lost the Chroma server: {type(exc).__name__}: {_first_line(exc)}"
            ) from exc
        except (InternalError, sqlite3.Error, OSError) as exc:
            raise StoreWriteFailed(explain_failure(exc, path)) from exc

    return guarded


@dataclass(frozen=True, slots=True)
class Record:
    """What the manifest knows of one article."""

    article_id: str
    content_hash: str
    state: str  # "pending" | "done"
    chunks: int
    file: str = ""
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""
    signature: str = ""  # MinHash of the text, to find copies of it (ingest.copies)
    copy_of: str = ""  # the original's id when this article is a copy; it then has no chunks


@dataclass(frozen=True, slots=True)
class StoredChunk:
    """A chunk as read back from Chroma, with its distance when it came from a query."""

    chunk_id: str
    text: str
    metadata: dict[str, Any]
    distance: float = 0.0


def collection_name(model_id: str) -> str:
    """One collection per embedding model: vectors of different models never mix."""
    slug = re.sub(r"[^a-z0-9]+", "-", model_id.lower()).strip("-")
    return f"newsbot-{slug}"[:60]


def chunk_id(article_id: str, content_hash: str, index: int) -> str:
    """Deterministic: re-writing the same article version upserts the same ids."""
    return f"{article_id}#{content_hash[:12]}#{index}"


class Index:
    """Chunks and manifest of one embedder in one Chroma database."""

    def __init__(
        self, client: Any, embeddings: Embeddings, model_id: str, path: Path | None = None
    ) -> None:
        """`path`: the embedded store's folder, to say why a write failed (None: a server)."""
        self.client = client
        self.embeddings = embeddings
        self.name = collection_name(model_id)
        self.path = path
        try:
            # embedding_function=None everywhere: Chroma must never fall back to its default
            # model, which it would download at run time.
            self.chunks = _Guarded(
                client.get_or_create_collection(
                    self.name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"model": model_id},
                ),
                path,
            )
            self.manifest_col = _Guarded(
                client.get_or_create_collection(f"{self.name}-articles", embedding_function=None),
                path,
            )
            self._batch = max(1, min(4000, int(client.get_max_batch_size())))
        except Exception as exc:
            raise StoreWriteFailed(explain_failure(exc, path)) from exc
        self._generation_warned = False

    # -- manifest --------------------------------------------------------------------------

    def manifest(self) -> dict[str, Record]:
        """Every article the index knows, by id (the generation record excluded)."""
        records: dict[str, Record] = {}
        for ids, metas in self._paged(self.manifest_col, include=["metadatas"]):
            for rid, meta in zip(ids, metas, strict=True):
                if rid != META_ID:
                    records[rid] = _record(rid, meta or {})
        return records

    def articles(self) -> list[Record]:
        """The manifest as a list sorted by file: what `sources` shows."""
        return sorted(self.manifest().values(), key=lambda r: r.file)

    def generation(self) -> int:
        """Bumped after every sync that changed anything; readers key caches on it. A garbled
        record reads as 0 (with one warning) until the next sync rewrites it."""
        generation = self._stored_generation()
        if generation is None:
            if not self._generation_warned:
                log.warning("the index generation record is garbled: counting from 0")
                self._generation_warned = True
            return 0
        return generation

    def generation_garbled(self) -> bool:
        return self._stored_generation() is None

    def _stored_generation(self) -> int | None:
        got = self.manifest_col.get(ids=[META_ID], include=["metadatas"])
        metas = got.get("metadatas") or []
        generation = _int(metas[0].get("generation", 0) if metas and metas[0] else 0)
        return None if generation < 0 else generation

    def bump_generation(self) -> int:
        new = self.generation() + 1
        self.manifest_col.upsert(
            ids=[META_ID], embeddings=[[0.0]], metadatas=[{"generation": new, "at": time.time()}]
        )
        return new

    def _mark(self, articles: Sequence[Article], state: str, counts: Sequence[int]) -> None:
        metas = [_entry(a, state, n) for a, n in zip(articles, counts, strict=True)]
        ids = [a.article_id for a in articles]
        self.manifest_col.upsert(ids=ids, embeddings=[[0.0]] * len(ids), metadatas=metas)

    # -- writing ---------------------------------------------------------------------------

    def write(
        self,
        batch: Sequence[tuple[Article, list[Chunk]]],
        stale: Sequence[str] | None = None,
        on_embedded: Callable[[int], None] | None = None,
        reusable: Mapping[str, list[float]] | None = None,
    ) -> int:
        """Replace these articles' chunks, crash-safely (see the module docstring).

        `stale`: the ids of these articles' chunks that the new ones do not replace, when the
        caller has read them (sync has); else every chunk of another version is deleted by
        query. Either way they go before the articles are marked done. `on_embedded(n)` is
        told of every EMBED_STEP chunks embedded, so one long article shows progress too.
        `reusable`: vectors already in the index, by chunk text (see `vectors_by_text`); a
        chunk with one of those texts takes its vector instead of being embedded again.
        """
        articles = [a for a, _ in batch]
        counts = [len(c) for _, c in batch]
        self._mark(articles, "pending", counts)
        chunks = [c for _, cs in batch for c in cs]
        vectors = self._vectors([c.text for c in chunks], reusable or {}, on_embedded)
        for pos in range(0, len(chunks), self._batch):
            part = chunks[pos : pos + self._batch]
            self.chunks.upsert(
                ids=[c.chunk_id for c in part],
                documents=[c.text for c in part],
                embeddings=vectors[pos : pos + self._batch],
                metadatas=[dict(c.metadata) for c in part],
            )
        if stale is not None:
            self.delete_chunks(stale)
        else:
            for article in articles:
                self.chunks.delete(
                    where={
                        "$and": [
                            {"article_id": article.article_id},
                            {"content_hash": {"$ne": article.content_hash}},
                        ]
                    }
                )
        self._mark(articles, "done", counts)
        return len(chunks)

    def write_copies(self, copies: Sequence[Article], stale: Sequence[str]) -> None:
        """Record articles that copy another (`copy_of` set): no chunks of their own, and any
        they had (`stale`) deleted, under the same pending -> done protocol as `write`."""
        if not copies:
            return
        counts = [0] * len(copies)
        self._mark(copies, "pending", counts)
        self.delete_chunks(stale)
        self._mark(copies, "done", counts)

    def sign(self, records: Sequence[Record], signatures: Sequence[str]) -> None:
        """Give finished entries made before copies were looked for their text's signature,
        without touching their chunks."""
        ids = [r.article_id for r in records]
        metas = [
            _entry(replace(r, signature=sig), r.state, r.chunks)
            for r, sig in zip(records, signatures, strict=True)
        ]
        for pos in range(0, len(ids), self._batch):
            self.manifest_col.upsert(
                ids=ids[pos : pos + self._batch],
                embeddings=[[0.0]] * len(ids[pos : pos + self._batch]),
                metadatas=metas[pos : pos + self._batch],
            )

    def copies(self) -> dict[str, list[Record]]:
        """The copies in the index, by the id of the article they copy (a filtered read)."""
        got = self.manifest_col.get(where={"copy_of": {"$ne": ""}}, include=["metadatas"])
        out: dict[str, list[Record]] = {}
        for rid, meta in zip(got["ids"], got["metadatas"], strict=True):
            record = _record(rid, meta or {})
            if record.copy_of and record.state == "done":
                out.setdefault(record.copy_of, []).append(record)
        return {k: sorted(v, key=lambda r: r.file) for k, v in out.items()}

    def _vectors(
        self,
        texts: list[str],
        reusable: Mapping[str, list[float]],
        on_embedded: Callable[[int], None] | None,
    ) -> list[list[float]]:
        """One vector per text: a reusable one when there is one, else embedded, in steps."""
        fresh = [t for t in texts if t not in reusable]
        embedded: list[list[float]] = []
        if on_embedded is not None and len(fresh) < len(texts):
            on_embedded(len(texts) - len(fresh))
        for pos in range(0, len(fresh), EMBED_STEP):
            embedded += self.embeddings.embed_documents(fresh[pos : pos + EMBED_STEP])
            if on_embedded is not None:
                on_embedded(len(fresh[pos : pos + EMBED_STEP]))
        made = iter(embedded)
        return [reusable[t] if t in reusable else next(made) for t in texts]

    def vectors_by_text(self, chunk_ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these chunks, by their text: a vector is the model's reading
        of the text alone, so any chunk with the same text may take it without embedding."""
        out: dict[str, list[float]] = {}
        for pos in range(0, len(chunk_ids), self._batch):
            got = self.chunks.get(
                ids=list(chunk_ids[pos : pos + self._batch]), include=["documents", "embeddings"]
            )
            for text, vector in zip(got["documents"], got["embeddings"], strict=True):
                if text is not None and vector is not None:
                    out[text] = [float(x) for x in vector]
        return out

    def delete_chunks(self, chunk_ids: Sequence[str]) -> None:
        """Delete chunks by id (stray ones that no manifest entry accounts for)."""
        for pos in range(0, len(chunk_ids), self._batch):
            self.chunks.delete(ids=list(chunk_ids[pos : pos + self._batch]))

    def remove(self, article_ids: Sequence[str]) -> None:
        """Delete articles' chunks first, then their manifest entries (so a crash is redone)."""
        for aid in article_ids:
            self.chunks.delete(where={"article_id": aid})
        if article_ids:
            self.manifest_col.delete(ids=list(article_ids))

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.chunks.count())

    def search(self, query: str, k: int, where: dict[str, Any] | None = None) -> list[StoredChunk]:
        """Dense nearest neighbours of the query (cosine distance, smaller is closer)."""
        n = min(k, self.count())
        if n == 0:
            return []
        vector = self.embeddings.embed_query(query)
        res = self.chunks.query(
            query_embeddings=[vector],
            n_results=n,
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            StoredChunk(cid, doc or "", dict(meta or {}), float(dist))
            for cid, doc, meta, dist in zip(
                res["ids"][0],
                res["documents"][0],
                res["metadatas"][0],
                res["distances"][0],
                strict=True,
            )
        ]

    def get_chunks(self, ids: Sequence[str]) -> list[StoredChunk]:
        res = self.chunks.get(ids=list(ids), include=["documents", "metadatas"])
        return [
            StoredChunk(cid, doc or "", dict(meta or {}))
            for cid, doc, meta in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        ]

    def chunk_ids(self) -> dict[str, set[str]]:
        """Every chunk id, by the article id it was made from (ids only: cheap at 10k chunks)."""
        out: dict[str, set[str]] = {}
        for (ids,) in self._paged(self.chunks, include=[]):
            for cid in ids:
                out.setdefault(cid.rsplit("#", 2)[0], set()).add(cid)
        return out

    def all_chunks(self) -> Iterator[StoredChunk]:
        """Every chunk, paged, for building the lexical index."""
        for ids, metas, docs in self._paged(self.chunks, include=["metadatas", "documents"]):
            for cid, meta, doc in zip(ids, metas, docs, strict=True):
                yield StoredChunk(cid, doc or "", dict(meta or {}))

    def _paged(self, collection: Any, include: list[str]) -> Iterator[tuple[Any, ...]]:
        offset = 0
        while True:
            res = collection.get(include=include, limit=self._batch, offset=offset)
            ids = res["ids"]
            if not ids:
                return
            yield (ids, *(res[key] for key in include))
            offset += len(ids)


def _entry(item: Article | Record, state: str, chunks: int) -> dict[str, str | int]:
    """An article's manifest metadata, from the article being written or its entry."""
    return {
        "content_hash": item.content_hash,
        "state": state,
        "chunks": chunks,
        "file": item.file,
        "title": item.title,
        "outlet": item.outlet,
        "published": item.published,
        "url": item.url,
        "signature": item.signature,
        "copy_of": item.copy_of,
    }


def _int(value: Any) -> int:
    """A count read back from metadata; -1 when it is not a whole number (a garbled record)."""
    if isinstance(value, bool):
        return -1
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return -1


def _record(rid: str, meta: dict[str, Any]) -> Record:
    """A manifest entry as stored; a garbled one reads as such (sync then redoes the article)."""
    return Record(
        article_id=rid,
        content_hash=str(meta.get("content_hash", "")),
        state=str(meta.get("state", "")),
        chunks=_int(meta.get("chunks", -1)),
        file=str(meta.get("file", "")),
        title=str(meta.get("title", "")),
        outlet=str(meta.get("outlet", "")),
        published=str(meta.get("published", "")),
        url=str(meta.get("url", "")),
        signature=str(meta.get("signature", "")),
        copy_of=str(meta.get("copy_of", "")),
    )
