"""newsbot at scale, against a plain LangChain + Chroma pipeline on the same embedding model.

    python -m benchmarks.suite [--sizes 1000,10000] [--sentences 6] [--out benchmarks/out]

For each size a synthetic corpus is written (`benchmarks.corpus`, plus the five seeds so a few
questions of bot/eval/evalset.jsonl have their answers in it), then measured in both store modes:
the embedded store and a `chroma run` server this script starts on 127.0.0.1 at a free port
(and stops by PID, on Ctrl-C and errors too). Every measurement runs in a fresh worker process
calling the core directly (`ingest.sync.sync_folder`, `bot.core.answer`), so each peak-RSS figure
belongs to one configuration; only the cold-start figure runs `newsbot ask` as a process.

newsbot: full ingest (sync + BM25 cache, as `newsbot ingest` does), no-op re-ingest, one changed
file, then ~20 questions timed per step (retrieval, extractive answer). Baseline: load files,
RecursiveCharacterTextSplitter(1000, 200), `langchain_chroma.Chroma.from_documents`; its
"re-ingest" re-adds everything (it keeps no record of what it stored, so its chunks double);
queries are `similarity_search(k=6)`. The raw embedder is timed alone on newsbot's chunk texts,
so "ingest / raw" says what the pipeline costs beyond embedding (1.0 would be nothing).

Memory is the peak resident set (resource.getrusage ru_maxrss) of each worker process, which
includes the Python runtime, chromadb and the model; for server runs the server's own peak
(VmHWM in /proc) is reported beside it. Prints a Markdown table and writes JSON to --out.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.corpus import PLACES, TOPICS, write_corpus
from bot.eval.evaluate import load_cases, percentile
from ingest.chroma_process import free_port, start_chroma, stop_process

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
TOP_K = 6
GENERATED_QUESTIONS = 16
EVAL_QUESTIONS = 4


# --- the Chroma server -----------------------------------------------------------------------


class ChromaServer:
    """A `chroma run` process on 127.0.0.1 at a free port; `stop()` ends it by its PID."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        self.proc = start_chroma(self.data, self.port)
        return self

    def peak_rss_mb(self) -> float:
        """The server's peak resident set so far (VmHWM), in MB."""
        if self.proc is None:
            return 0.0
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)


@contextlib.contextmanager
def store(mode: str, work: Path) -> Iterator[ChromaServer | None]:
    """Nothing for the embedded store; a running server (stopped on exit) for "server"."""
    if mode == "embedded":
        yield None
        return
    server = ChromaServer(work / "server-data")
    try:
        yield server.start()
    finally:
        server.stop()


# --- questions -------------------------------------------------------------------------------


def questions(size: int) -> list[dict[str, str]]:
    """~20 questions: drawn from generated articles spread over the corpus (each with the
    topic and place its answer should come from), plus answerable ones of the eval set."""
    templates = [
        "What happened during the {topic} in {place}?",
        "How many {group} were affected by the {topic} in {place}?",
        "What emergency fund did {place} approve for {issue}?",
        "How long could {issue} take to resolve after the {topic} in {place}?",
    ]
    out = []
    for n, i in enumerate(range(0, size, max(1, size // GENERATED_QUESTIONS))):
        rng = random.Random(i)  # the first draws of benchmarks.corpus.article_text(i)
        place, _other = rng.sample(PLACES, 2)
        topic, group, issue = rng.choice(TOPICS)
        text = templates[n % len(templates)].format(
            topic=topic, place=place, group=group, issue=issue
        )
        out.append({"question": text, "topic": topic.title(), "place": place})
        if len(out) == GENERATED_QUESTIONS:
            break
    answerable = [c for c in load_cases() if not c.unanswerable][:EVAL_QUESTIONS]
    out.extend({"question": c.question, "topic": "", "place": ""} for c in answerable)
    return out


def on_topic(title: str, q: dict[str, str]) -> bool | None:
    """Whether a top passage's title matches the topic and place asked about (None: eval set
    question, which has no single right article)."""
    if not q["topic"]:
        return None
    return title.startswith(f"{q['topic']} hits {q['place']} ")


# --- measurements (each in a fresh worker process) -------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _pct(values: list[float], p: float) -> float:
    return round(percentile(values, p), 1)


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def _client(work: Path, host: str | None, port: int) -> Any:
    from ingest.store import open_client

    return open_client(None, host, port) if host else open_client(work / "data" / "chroma")


def raw_embedder(corpus: Path) -> dict[str, Any]:
    """The embedder alone on exactly the chunk texts newsbot's ingest embeds."""
    from ingest.embed import MiniLMEmbeddings
    from ingest.load import list_files, read_article
    from ingest.models import Article
    from ingest.split import split_article

    texts: list[str] = []
    for path in list_files(corpus):
        article = read_article(path, corpus)
        if isinstance(article, Article):
            texts.extend(c.text for c in split_article(article))
    model = MiniLMEmbeddings()
    model.embed_query("warm up")
    started = time.perf_counter()
    model.embed_documents(texts)
    seconds = time.perf_counter() - started
    return {
        "chunks": len(texts),
        "seconds": round(seconds, 2),
        "chunks_per_s": _rate(len(texts), seconds),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def newsbot_job(corpus: Path, work: Path, host: str | None, port: int) -> dict[str, Any]:
    """Ingest, re-ingest, one change, questions: what `newsbot ingest` and `ask` do."""
    from bot.core.answer import clean_question, respond
    from bot.settings import Settings
    from bot.wiring import build_answerer, open_index, refresh_lexical
    from ingest.sync import sync_folder

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=work / "data",
        chroma_host=host,
        chroma_port=port,
        embedder="minilm",
        llm="extractive",
    )
    index = open_index(settings)
    index.embeddings.embed_query("warm up")  # model load is start-up, not ingest
    client = index.client

    def ingest() -> tuple[Any, float, float]:
        started = time.perf_counter()
        report = sync_folder(corpus, index)
        synced = time.perf_counter()
        refresh_lexical(settings, index)  # as `newsbot ingest` does after every sync
        return report, synced - started, time.perf_counter() - synced

    full, full_sync, full_lex = ingest()
    noop, noop_sync, noop_lex = ingest()
    changed = corpus / "gen_00000.txt"
    original = changed.read_bytes()
    changed.write_bytes(original + b"\nA late correction was added to this report on Friday.\n")
    try:
        one, one_sync, one_lex = ingest()
    finally:
        changed.write_bytes(original)  # the corpus is shared with the next runs

    answerer = build_answerer(settings, index)
    retriever, generator = answerer.retriever, answerer.generator
    asked = questions(len(list(corpus.glob("gen_*.txt"))))
    started = time.perf_counter()
    retriever.retrieve(asked[0]["question"], TOP_K)  # first question: loads the BM25 cache
    first_ms = (time.perf_counter() - started) * 1000
    retrieval, answer, total, hits, refused = [], [], [], [], 0
    for q in asked:
        started = time.perf_counter()
        text = clean_question(q["question"])
        got = retriever.retrieve(text, TOP_K)
        reply = respond(text, got, generator)
        total.append((time.perf_counter() - started) * 1000)
        retrieval.append(got.ms)
        answer.append(reply.answer_ms)
        refused += reply.refused
        if (hit := on_topic(got.passages[0].title if got.passages else "", q)) is not None:
            hits.append(hit)
    chunks = index.count()
    if host is None:
        client.close()  # the cold-start process opens the embedded store next
    return {
        "chunks": chunks,
        "articles": full.added,
        "ingest_s": round(full_sync + full_lex, 2),
        "ingest_sync_s": round(full_sync, 2),
        "ingest_bm25_s": round(full_lex, 2),
        "articles_per_s": _rate(full.added, full_sync + full_lex),
        "chunks_per_s": _rate(full.chunks, full_sync + full_lex),
        "noop_s": round(noop_sync + noop_lex, 2),
        "noop_sync_s": round(noop_sync, 2),
        "noop_unchanged": noop.unchanged,
        "one_changed_s": round(one_sync + one_lex, 2),
        "one_changed_sync_s": round(one_sync, 2),
        "one_changed_updated": one.updated,
        "first_retrieval_ms": round(first_ms, 1),
        "questions": len(asked),
        "refused": refused,
        "retrieval_p50_ms": _pct(retrieval, 50),
        "retrieval_p95_ms": _pct(retrieval, 95),
        "answer_p50_ms": _pct(answer, 50),
        "answer_p95_ms": _pct(answer, 95),
        "ask_p50_ms": _pct(total, 50),
        "ask_p95_ms": _pct(total, 95),
        "on_topic_at_1": round(sum(hits) / len(hits), 2) if hits else None,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        **cold_start(work, host, port, asked[0]["question"]),
    }


def cold_start(work: Path, host: str | None, port: int, question: str) -> dict[str, Any]:
    """`newsbot ask` as a user runs it: process start, imports, model, cache, one answer."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "OPENAI_"))}
    env.pop("CHROMA_HOST", None)
    env |= {"NEWSBOT_DATA_DIR": str(work / "data"), "NEWSBOT_LLM": "extractive"}
    env["PYTHONPATH"] = str(REPO)
    if host:
        env |= {"CHROMA_HOST": host, "CHROMA_PORT": str(port)}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bot.faces.cli", "ask", question, "--json"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"newsbot ask failed: {result.stderr.strip()}")
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"cold_ask_s": round(seconds, 2), "cold_ask_peak_rss_mb": round(child_rss, 1)}


BASELINE_BATCH = 1000


def baseline_job(corpus: Path, work: Path, host: str | None, port: int) -> dict[str, Any]:
    """The plain pipeline: load, split, embed and add everything; re-ingest adds it all again.

    Its two LangChain packages are the `bench` extra: `pip install -e '.[bench]'`."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.embed import MiniLMEmbeddings
    from ingest.load import list_files

    model = MiniLMEmbeddings()
    model.embed_query("warm up")
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)

    def documents() -> list[Document]:
        docs = [
            Document(path.read_text(encoding="utf-8"), metadata={"source": path.name})
            for path in list_files(corpus)
        ]
        return splitter.split_documents(docs)

    where: dict[str, Any] = (
        {"client": _client(work, host, port)}
        if host
        else {"persist_directory": str(work / "baseline-chroma")}
    )
    db = Chroma(collection_name="baseline", embedding_function=model, **where)

    def add(docs: list[Document]) -> None:  # Chroma caps one call at ~5k records
        for i in range(0, len(docs), BASELINE_BATCH):
            db.add_documents(docs[i : i + BASELINE_BATCH])

    started = time.perf_counter()
    splits = documents()
    add(splits)
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    add(documents())
    readd_s = time.perf_counter() - started
    count_after = len(db.get(include=[])["ids"])

    asked = questions(len(list(corpus.glob("gen_*.txt"))))
    db.similarity_search(asked[0]["question"], k=TOP_K)
    times, hits = [], []
    for q in asked:
        started = time.perf_counter()
        found = db.similarity_search(q["question"], k=TOP_K)
        times.append((time.perf_counter() - started) * 1000)
        title = found[0].page_content.split("\n", 1)[0] if found else ""
        if (hit := on_topic(title, q)) is not None:
            hits.append(hit)
    return {
        "chunks": len(splits),
        "articles": len(list_files(corpus)),
        "ingest_s": round(ingest_s, 2),
        "articles_per_s": _rate(len(list_files(corpus)), ingest_s),
        "chunks_per_s": _rate(len(splits), ingest_s),
        "readd_s": round(readd_s, 2),
        "chunks_after_reingest": count_after,
        "questions": len(asked),
        "query_p50_ms": _pct(times, 50),
        "query_p95_ms": _pct(times, 95),
        "on_topic_at_1": round(sum(hits) / len(hits), 2) if hits else None,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def in_worker(job: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run `job` in a fresh process (its own peak RSS); terminated if we are interrupted."""
    with multiprocessing.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        return dict(pool.apply(job, args))


# --- the run ---------------------------------------------------------------------------------


def run_size(size: int, sentences: int, work: Path) -> dict[str, Any]:
    from benchmarks import suite  # jobs pickled by module name, not as __main__

    corpus = work / "corpus"
    write_corpus(corpus, size, sentences=sentences)
    for seed in SEEDS.iterdir():
        shutil.copy(seed, corpus / seed.name)
    print(f"\n## {size:,} generated articles (+5 seeds), {sentences} sentences each", flush=True)
    out: dict[str, Any] = {"size": size, "sentences": sentences}
    out["raw"] = in_worker(suite.raw_embedder, corpus)
    print(f"raw embedder: {out['raw']['chunks']:,} chunks", flush=True)
    for mode in ("embedded", "server"):
        for name, job in (("newsbot", suite.newsbot_job), ("baseline", suite.baseline_job)):
            place = work / f"{mode}-{name}"
            place.mkdir()
            with store(mode, place) as server:
                host, port = ("127.0.0.1", server.port) if server else (None, 0)
                started = time.perf_counter()
                result = in_worker(job, corpus, place, host, port)
                if server:
                    result["server_peak_rss_mb"] = round(server.peak_rss_mb(), 1)
            out[f"{mode}/{name}"] = result
            print(f"{mode:8} {name:8} done in {time.perf_counter() - started:.0f} s", flush=True)
    return out


def _ratio(a: Any, b: Any) -> str:
    return f"{a / b:.2f}" if isinstance(a, int | float) and isinstance(b, int | float) and b else ""


def table(result: dict[str, Any]) -> str:
    """One Markdown table per size: newsbot beside the baseline, for both store modes."""
    raw = result["raw"]
    lines = [
        f"### {result['size']:,} generated articles + 5 seeds, {result['sentences']} sentences "
        f"each: newsbot {raw['chunks']:,} chunks; raw embedder {raw['chunks_per_s']} chunks/s",
        "",
        "| metric | store | newsbot | baseline | newsbot / baseline |",
        "|---|---|---:|---:|---:|",
    ]
    for mode in ("embedded", "server"):
        n, b = result[f"{mode}/newsbot"], result[f"{mode}/baseline"]
        rows: list[tuple[str, Any, Any, str]] = [
            ("chunks", n["chunks"], b["chunks"], ""),
            ("full ingest, s", n["ingest_s"], b["ingest_s"], "ratio"),
            ("- of which the BM25 cache, s", n["ingest_bm25_s"], "—", ""),
            ("articles/s", n["articles_per_s"], b["articles_per_s"], "ratio"),
            ("chunks/s", n["chunks_per_s"], b["chunks_per_s"], "ratio"),
            (
                "ingest chunks/s / raw embedder chunks/s",
                _ratio(n["chunks_per_s"], raw["chunks_per_s"]),
                _ratio(b["chunks_per_s"], raw["chunks_per_s"]) + " \\*",
                "",
            ),
            ("re-ingest, nothing changed, s", n["noop_s"], b["readd_s"], "ratio"),
            ("re-ingest, one file changed, s", n["one_changed_s"], b["readd_s"], "ratio"),
            ("chunks after re-ingest", n["chunks"], b["chunks_after_reingest"], ""),
            ("retrieval p50, ms", n["retrieval_p50_ms"], b["query_p50_ms"], "ratio"),
            ("retrieval p95, ms", n["retrieval_p95_ms"], b["query_p95_ms"], "ratio"),
            (
                "answer (extractive) p50 / p95, ms",
                f"{n['answer_p50_ms']} / {n['answer_p95_ms']}",
                "—",
                "",
            ),
            ("whole ask p50 / p95, ms", f"{n['ask_p50_ms']} / {n['ask_p95_ms']}", "—", ""),
            ("top passage on the asked topic", n["on_topic_at_1"], b["on_topic_at_1"], ""),
            ("questions refused", f"{n['refused']} of {n['questions']}", "—", ""),
            ("cold `newsbot ask` (process), s", n["cold_ask_s"], "—", ""),
            ("peak RSS, MB", n["peak_rss_mb"], b["peak_rss_mb"], "ratio"),
        ]
        if mode == "server":
            rows.append(
                (
                    "server peak RSS (VmHWM), MB",
                    n["server_peak_rss_mb"],
                    b["server_peak_rss_mb"],
                    "ratio",
                )
            )
        for label, nv, bv, ratio in rows:
            shown = _ratio(nv, bv) if ratio else ""
            lines.append(f"| {label} | {mode} | {nv} | {bv} | {shown} |")
    lines += [
        "",
        "\\* the baseline's chunks are other texts (1,000-character splits): indicative only. "
        "The baseline's re-ingest re-adds everything (it cannot tell what changed), so its "
        "chunks double. Peak RSS is ru_maxrss of the worker process running each pipeline.",
    ]
    return "\n".join(lines)


def _interrupt(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through every `finally`: servers get stopped


def _save(out: Path, stamp: str, meta: dict[str, Any], results: list[dict[str, Any]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"suite-{stamp}.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=1), encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--sentences", type=int, default=6, help="sentences per article")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in re.split(r"[,\s]+", args.sizes.strip()) if s]
    signal.signal(signal.SIGTERM, _interrupt)

    results: list[dict[str, Any]] = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    meta = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "memory": "peak RSS per worker process: resource.getrusage(RUSAGE_SELF).ru_maxrss",
    }
    try:
        with tempfile.TemporaryDirectory(prefix="newsbot-suite-") as tmp:
            for size in sizes:
                work = Path(tmp) / f"size-{size}"
                work.mkdir()
                results.append(run_size(size, args.sentences, work))
                shutil.rmtree(work, ignore_errors=True)
                _save(args.out, stamp, meta, results)  # a later size failing loses nothing
    except KeyboardInterrupt:  # servers and workers are stopped by now (context managers)
        print("\ninterrupted: servers stopped, nothing written", file=sys.stderr)
        return 130
    report = "\n\n".join(table(r) for r in results)
    print("\n" + report)
    (args.out / f"suite-{stamp}.md").write_text(report + "\n", encoding="utf-8")
    print(f"\nwrote {args.out / f'suite-{stamp}.json'} and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
