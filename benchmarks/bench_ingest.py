"""Ingest throughput against the raw embedder, and the cost of a no-op re-ingest.

    python -m benchmarks.bench_ingest [--articles 2000] [--server]
    python -m benchmarks.bench_ingest --long [--embed]   # one long article, 100 KB vs 1 MB

Prints figures; asserts nothing. Embedding dominates: the interesting ratio is ingest chunks/s
over the raw embedder's chunks/s on the same texts (1.0 would mean zero overhead). `--long`
times each stage on one article of 100 KB and of 1 MB, as .txt, .md, .html and one single
line, then load+clean+split of the odd shapes in `benchmarks.odd_text` (runs of what a text
rule starts on and never finishes) in each format: every stage is linear when the 1 MB time
is about 10x the 100 KB time.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import article_text, write_corpus
from benchmarks.odd_text import ODD_UNITS, odd_body
from benchmarks.suite import store
from ingest.embed import MiniLMEmbeddings
from ingest.load import list_files, read_article
from ingest.models import Article, Chunk
from ingest.split import split_article
from ingest.store import Index, open_client
from ingest.sync import sync_folder
from ingest.text.sentences import sentences


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


LONG_SIZES = (100_000, 1_000_000)
LONG_KINDS = ("txt", "md", "html", "one line")


def long_body(size: int, one_line: bool = False) -> str:
    """About `size` characters of news prose (abbreviations, initials, quotes), in paragraphs
    or, with `one_line`, as a single line: the worst case for line-level rules."""
    parts: list[str] = []
    total, i = 0, 0
    while total < size:
        for para in article_text(i).split("\n\n")[2:-1]:
            para += ' Mr. J. Okafor met U.S. officials at 5 p.m. on Monday, e.g. "in Lisbon."'
            parts.append(para)
            total += len(para) + 2
        i += 1
    return (" " if one_line else "\n\n").join(parts)[:size].rsplit(" ", 1)[0] + "."


def long_file(folder: Path, kind: str, size: int) -> Path:
    """One long article of `kind` (see LONG_KINDS) holding about `size` characters of text."""
    body = long_body(size, one_line=kind == "one line")
    if kind == "md":
        body = body.replace("Lisbon", "**Lisbon** ([map](https://maps.example/lisbon))")
        raw, suffix = (
            f"---\ntitle: A long story\ndate: 2025-08-19\n---\n# A long story\n\n{body}",
            "md",
        )
    elif kind == "html":
        paras = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n"))
        raw = f"<html><head><title>A long story</title></head><body><article>{paras}</article>"
        raw, suffix = raw + "</body></html>", "html"
    else:
        raw, suffix = f"A long story\n\n{body}\n", "txt"
    path = folder / f"long-{kind.replace(' ', '-')}-{size}.{suffix}"
    path.write_text(raw, encoding="utf-8")
    return path


def _timed_stages(path: Path, index: Index | None) -> tuple[float, float, float, int]:
    """Seconds to load+clean, to split and (with an index) to embed and store; chunk count."""
    started = time.perf_counter()
    article = read_article(path, path.parent)
    loaded = time.perf_counter()
    assert isinstance(article, Article), article
    chunks: list[Chunk] = split_article(article)
    split = time.perf_counter()
    if index is not None:
        index.write([(article, chunks)])
    return loaded - started, split - loaded, time.perf_counter() - split, len(chunks)


def long_article(embed: bool) -> None:
    """Per-stage time of one long article at 100 KB and 1 MB, and the ratio of the two."""
    print("kind      size   load+clean s  split s  embed+store s  chunks   total s  1MB/100KB")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        model = MiniLMEmbeddings() if embed else None
        for kind in LONG_KINDS:
            totals: list[float] = []
            for size in LONG_SIZES:
                index = None
                if model is not None:
                    client = open_client(work / f"store-{kind}-{size}".replace(" ", "-"))
                    index = Index(client, model, MiniLMEmbeddings.model_id)
                load_s, split_s, store_s, n = _timed_stages(long_file(work, kind, size), index)
                totals.append(load_s + split_s + store_s)
                ratio = f"{totals[1] / totals[0]:9.1f}" if len(totals) == 2 else ""
                print(
                    f"{kind:8} {size // 1000:5d}KB {load_s:12.3f} {split_s:8.3f} "
                    f"{store_s:14.2f} {n:7d} {totals[-1]:9.2f} {ratio}"
                )


def odd_shapes() -> None:
    """Load+clean+split of each odd shape at 100 KB and 1 MB, per format, and the worst ratio."""
    print("\nodd shape           100KB s (txt/md/html)    1MB s (txt/md/html)   worst 1MB/100KB")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for shape in ODD_UNITS:
            times: dict[int, list[float]] = {}
            for size in LONG_SIZES:
                for suffix in ("txt", "md", "html"):
                    path = work / f"odd.{suffix}"
                    path.write_text(odd_body(shape, size), encoding="utf-8")
                    started = time.perf_counter()
                    article = read_article(path, work)
                    if isinstance(article, Article):
                        split_article(article)
                    times.setdefault(size, []).append(time.perf_counter() - started)
            small, large = times[LONG_SIZES[0]], times[LONG_SIZES[1]]
            worst = max(b / max(a, 1e-3) for a, b in zip(small, large, strict=True))
            print(
                f"{shape:18} {' / '.join(f'{t:.3f}' for t in small):>24} "
                f"{' / '.join(f'{t:.3f}' for t in large):>24} {worst:10.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--server", action="store_true", help="use a `chroma run` server")
    parser.add_argument("--long", action="store_true", help="time one long article instead")
    parser.add_argument("--embed", action="store_true", help="with --long: embed and store too")
    args = parser.parse_args()
    if args.long:
        long_article(args.embed)
        odd_shapes()
        return

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
