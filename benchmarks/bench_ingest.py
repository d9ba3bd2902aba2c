"""Ingest throughput against the raw embedder, and the cost of a no-op re-ingest.

    python -m benchmarks.bench_ingest [--articles 2000] [--server]

Prints figures; asserts nothing. Embedding dominates: the interesting ratio is ingest chunks/s
over the raw embedder's chunks/s on the same texts (1.0 would mean zero overhead).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import write_corpus
from benchmarks.suite import store
from ingest.embed import MiniLMEmbeddings
from ingest.load import list_files, read_article
from ingest.models import Article
from ingest.sentences import sentences
from ingest.split import split_article
from ingest.store import Index, open_client
from ingest.sync import sync_folder


def raw_rate(model: MiniLMEmbeddings, texts: list[str]) -> float:
    """Texts per second through the embedder alone."""
    started = time.perf_counter()
    model.embed_documents(texts)
    return len(texts) / (time.perf_counter() - started)


def corpus_texts(folder: Path, limit: int) -> tuple[list[str], list[str]]:
    """A sample of the corpus's chunk texts and sentences, as ingest would see them."""
    chunks: list[str] = []
    for path in list_files(folder):
        article = read_article(path, folder)
        if isinstance(article, Article):
            chunks.extend(c.text for c in split_article(article))
        if len(chunks) >= limit:
            break
    sents = [s for c in chunks for s in sentences(c)][: limit * 4]
    return chunks[:limit], sents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--server", action="store_true", help="use a `chroma run` server")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "corpus"
        write_corpus(folder, args.articles)
        model = MiniLMEmbeddings()
        model.embed_query("warm up")
        sample_chunks, sample_sents = corpus_texts(folder, 200)
        sent_rate = raw_rate(model, sample_sents)
        chunk_rate = raw_rate(model, sample_chunks)

        with store("server" if args.server else "embedded", work) as server:  # stopped on errors
            client = open_client(None, "127.0.0.1", server.port) if server else None
            index = Index(client or open_client(work / "store"), model, MiniLMEmbeddings.model_id)
            report = sync_folder(folder, index)
            noop = sync_folder(folder, index)
            changed = folder / "gen_00007.txt"
            changed.write_text(changed.read_text() + "\nA late correction was added.\n")
            one = sync_folder(folder, index)

    mode = "chroma server" if args.server else "embedded"
    print(f"store: {mode}; corpus: {args.articles} generated articles, {report.chunks} chunks")
    print(f"ingest:            {report.seconds:8.1f} s")
    print(f"  articles/s:      {args.articles / report.seconds:8.1f}")
    print(f"  chunks/s:        {report.chunks / report.seconds:8.2f}")
    print(f"raw embedder:      {sent_rate:8.1f} sentences/s, {chunk_rate:.2f} chunks/s")
    print(f"  ingest / raw chunks/s: {report.chunks / report.seconds / chunk_rate:.2f}")
    print(f"no-op re-ingest:   {noop.seconds:8.2f} s ({noop.unchanged} unchanged)")
    print(f"one changed file:  {one.seconds:8.2f} s ({one.updated} updated, {one.chunks} chunks)")


if __name__ == "__main__":
    main()
