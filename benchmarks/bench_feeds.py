"""Feed reading throughput, and the embedding that copy detection saves.

    python -m benchmarks.bench_feeds fetch [--items 100]
    python -m benchmarks.bench_feeds copies [--corpus data/reuters-corpus] [--articles 400]

`fetch`: a local HTTP server on 127.0.0.1 serves an RSS 2.0 feed of N items (at most 100 are
read per feed and run) and their article
pages (real-shaped: site chrome around an <article>); `newsbot fetch`'s reader takes them all
(HTTP, trafilatura extraction, file writes) with no per-host delay. Prints items/s, then the
same against an unchanged feed (one 304).

`copies`: a corpus (the given folder's articles, else synthetic ones) plus syndicated copies of
a third of them, each run by one to three other outlets with their own headline, dateline,
trailer and a word changed every 40; synced into a fresh embedded index with the real model.
Prints chunks embedded against chunks a copy-blind ingest would embed, the share saved, and
how many planted copies were found (and originals wrongly taken for copies). Asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchmarks.corpus import write_corpus
from ingest.embed import MiniLMEmbeddings
from ingest.feed_reader import fetch_all
from ingest.feeds import add_feed
from ingest.fetch import Fetcher
from ingest.load import list_files, read_article
from ingest.models import Article
from ingest.split import split_article
from ingest.store import Index, open_client
from ingest.sync import sync_folder

OUTLETS = ("Coastal Times", "Bay Herald", "Harbour Gazette")

# --- fetch -----------------------------------------------------------------------------------


def _page(i: int, text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n") if p.strip())
    return (
        f"<!DOCTYPE html><html><head><title>Story {i} | Bench News</title>"
        f'<meta property="og:site_name" content="Bench News">'
        f'<meta name="author" content="Reporter {i % 7}">'
        f'<meta property="article:published_time" content="2025-08-{1 + i % 28:02d}T08:00:00Z">'
        f"</head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>Story number {i}</h1>{paragraphs}</article>"
        f"<footer>Copyright Bench News</footer></body></html>"
    ).encode()


def _feed(base: str, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Story number {i}</title><link>{base}/a/{i}.html</link>"
        f"<guid>bench-{i}</guid><pubDate>Tue, 19 Aug 2025 08:00:00 GMT</pubDate>"
        f"<description>Summary {i}.</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench News</title>'
        f"<link>{base}/</link><description>bench</description>{entries}</channel></rss>"
    ).encode()


@contextmanager
def _site(items: int, texts: list[str]) -> Iterator[str]:
    """A stand-in news site on 127.0.0.1: the feed (ETag "v1") and its pages."""
    holder: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real sites answer

        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                if self.headers.get("If-None-Match") == '"v1"':
                    return self._send(304, b"")
                return self._send(200, _feed(holder["base"], items), "application/rss+xml")
            i = int(self.path.rsplit("/", 1)[1].split(".")[0])
            return self._send(200, _page(i, texts[i % len(texts)]))

        def _send(self, status: int, body: bytes, kind: str = "text/html") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", '"v1"')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["base"] = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield holder["base"]
    finally:
        server.shutdown()
        server.server_close()


def bench_fetch(items: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = write_corpus(work / "texts", min(items, 200))
        texts = [p.read_text(encoding="utf-8") for p in paths]
        with _site(items, texts) as base:
            add_feed(work / "data", f"{base}/feed.xml")
            with Fetcher(delay=0) as fetcher:
                started = time.perf_counter()
                report = fetch_all(work / "data", work / "articles", fetcher)
                first = time.perf_counter() - started
                started = time.perf_counter()
                again = fetch_all(work / "data", work / "articles", fetcher)
                second = time.perf_counter() - started
        print(f"items: {items}, written: {len(report.stories)}, problems: {len(report.problems)}")
        print(f"first read: {first:.2f} s, {len(report.stories) / first:.1f} items/s")
        print(f"unchanged feed (304): {second * 1000:.1f} ms, {len(again.stories)} new")


# --- copies ----------------------------------------------------------------------------------


def syndicate(text: str, outlet: str, rng: random.Random) -> str:
    """Another outlet's run of the story: own headline, dateline, a word changed every 40,
    a trailer."""
    words = text.split(" ")
    start = rng.randrange(40)
    edited = " ".join("reportedly" if i % 40 == start else w for i, w in enumerate(words))
    return (
        f"---\ntitle: {outlet} runs the story\noutlet: {outlet}\n---\n\n"
        f"({outlet}) - {edited}\n\nReporting by {outlet} staff.\n"
    )


class _Counting(MiniLMEmbeddings):
    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def _story_of(article_id: str) -> str:
    """The story a file tells: a planted copy's source file, else the file itself."""
    if article_id.startswith("copy-"):
        return article_id.split("-", 2)[2].removesuffix(".md")
    return article_id.rsplit(".", 1)[0]


def bench_copies(corpus: Path | None, articles: int) -> None:
    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "articles"
        folder.mkdir()
        if corpus is not None:
            for path in list_files(corpus)[:articles]:
                shutil.copy(path, folder / path.name)
        else:
            write_corpus(folder, articles)
        sources = [p for p in list_files(folder)]
        planted = 0
        for path in sources[: len(sources) // 3]:
            original = read_article(path, folder)
            if not isinstance(original, Article):
                continue
            for outlet in rng.sample(OUTLETS, rng.randint(1, 3)):
                name = f"copy-{outlet.split()[0].lower()}-{path.stem}.md"
                (folder / name).write_text(syndicate(original.text, outlet, rng), "utf-8")
                planted += 1
        blind = sum(
            len(split_article(a))
            for p in list_files(folder)
            if isinstance(a := read_article(p, folder), Article)
        )
        model = _Counting()
        index = Index(open_client(work / "chroma"), model, MiniLMEmbeddings.model_id)
        started = time.perf_counter()
        report = sync_folder(folder, index)
        seconds = time.perf_counter() - started
        copies = {r.article_id: r.copy_of for r in index.manifest().values() if r.copy_of}
        # a planted copy is found when it and its source end up as one story (either may be
        # the one embedded: the first in the folder's order is); a copy link between two
        # different stories is a false merge (Reuters itself holds some real near-repeats)
        story = {c: _story_of(c) for c in (*copies, *copies.values())}
        merged = {frozenset((c, o)) for c, o in copies.items() if story[c] == story[o]}
        found = sum(1 for c, o in copies.items() if story[c] == story[o])
        false = len(copies) - found
        print(f"articles: {len(sources)} + {planted} planted copies ({report.added} indexed)")
        print(f"copy links within a planted story: {found} of {planted} ({len(merged)} pairs)")
        print(f"copy links between different stories: {false}")
        print(f"chunks embedded: {model.embedded} (copy-blind ingest: {blind})")
        print(f"embedding saved: {1 - model.embedded / blind:.1%}; sync {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    fetch = sub.add_parser("fetch")
    fetch.add_argument("--items", type=int, default=100)
    copies = sub.add_parser("copies")
    copies.add_argument("--corpus", type=Path)
    copies.add_argument("--articles", type=int, default=400)
    args = parser.parse_args()
    if args.what == "fetch":
        bench_fetch(args.items)
    else:
        bench_copies(args.corpus, args.articles)


if __name__ == "__main__":
    main()
