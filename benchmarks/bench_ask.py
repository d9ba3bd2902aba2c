"""Question latency: warm retrieval + extractive answer, and `newsbot ask` cold start.

    python -m benchmarks.bench_ask [--chunks 10000] [--rounds 3] [--cold 3]

Two indexes: (a) the seeds, (b) about --chunks chunks of generated articles plus the seeds (so
the eval questions still have real answers and the generated text is the haystack). Each one is
built once into benchmarks/out/ask-<name>/data, laid out as NEWSBOT_DATA_DIR (Chroma store and
BM25 cache), and reused by later runs: embedding 10k chunks takes minutes on a small machine.
A build that was interrupted resumes where it stopped (ingest is crash-safe); delete the folder
to rebuild from scratch.

Every question of bot/eval/evalsets/seeds.jsonl is asked --rounds times on a warm answerer
(model loaded, BM25 cache loaded); the table shows retrieval, answer and total milliseconds,
p50/p95 by nearest rank. Cold start is the wall time of a whole `python -m bot.faces.cli ask`
process, median of --cold runs. Prints figures next to the issue's targets; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.corpus import write_corpus
from bot.eval.evaluate import percentile

if TYPE_CHECKING:
    from bot.settings import Settings

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
SEEDS = REPO / "seeds"
SENTENCES = 14  # per generated article (corpus.article_text's default)
TARGET_SEEDS_MS = 100.0  # p50 of a warm question (retrieval + answer), from the issue
TARGET_10K_MS = 150.0  # issue 9: warm extractive answer at 10k chunks
COLD_QUESTION = "What did Macron call Putin?"


@dataclass(frozen=True, slots=True)
class Timings:
    name: str
    chunks: int
    questions: int
    retrieval: list[float]
    answer: list[float]
    total: list[float]


def settings_for(data_dir: Path) -> Settings:
    """The settings `newsbot` would read with NEWSBOT_DATA_DIR=data_dir, extractive answers."""
    from bot.settings import Settings

    return Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=data_dir, llm="extractive", embedder="minilm"
    )


def chunks_per_article(sample: int = 20) -> float:
    """Average chunks of a generated article, as ingest splits it."""
    import tempfile

    from ingest.load import read_article
    from ingest.models import Article
    from ingest.split import split_article

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        counts = []
        for path in write_corpus(folder, sample, start=0, sentences=SENTENCES):
            article = read_article(path, folder)
            if isinstance(article, Article):
                counts.append(len(split_article(article)))
    return sum(counts) / len(counts)


def build(name: str, generated: int) -> Path:
    """The data dir of index `name`: the seeds plus `generated` articles, synced once."""
    from bot.wiring import open_index, sync

    root = OUT / f"ask-{name}"
    data = root / "data"
    stamp = root / "stamp.json"
    wanted = {"generated": generated, "sentences": SENTENCES, "embedder": "minilm"}
    if generated and stamp.is_file() and json.loads(stamp.read_text())["spec"] == wanted:
        return data  # the seeds alone are re-synced every run: a no-op unless they changed
    articles = root / "articles"
    if generated:
        print(f"building {name}: {generated} generated articles + seeds (once) ...", flush=True)
        write_corpus(articles, generated, start=0, sentences=SENTENCES)
    articles.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.iterdir():
        shutil.copy2(seed, articles / seed.name)
    settings = settings_for(data)
    index = open_index(settings)
    report = sync(settings, articles, index=index, progress=sys.stderr.isatty())
    stamp.write_text(
        json.dumps({"spec": wanted, "chunks": index.count(), "sync": report.summary()})
    )
    return data


def warm_timings(name: str, data: Path, rounds: int) -> Timings:
    """Every eval question `rounds` times on a warm answerer, timed by stage."""
    from bot.core.answer import clean_question, evidence_k, respond
    from bot.eval.evaluate import load_set
    from bot.wiring import build_answerer, open_index

    settings = settings_for(data)
    index = open_index(settings)
    answerer = build_answerer(settings, index)
    # the questions people ask (issue 9's set, all of it: timing, not scoring)
    questions = [clean_question(c.question) for c in load_set("seeds").cases]
    for q in questions[:3]:  # warm-up: model, BM25 cache, Chroma's own caches
        answerer.ask(q)
    retrieval, answer, total = [], [], []
    for _ in range(rounds):
        for q in questions:
            started = time.perf_counter()
            found = answerer.retriever.retrieve(q, evidence_k(answerer.k))
            result = respond(q, found, answerer.generator)
            total.append((time.perf_counter() - started) * 1000.0)
            retrieval.append(found.ms)
            answer.append(result.answer_ms)
    return Timings(name, index.count(), len(questions), retrieval, answer, total)


def cold_start(data: Path, runs: int, *args: str) -> float:
    """Median wall seconds of a whole `newsbot ...` process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "OPENAI_"))}
    env.pop("CHROMA_HOST", None)
    env |= {"NEWSBOT_DATA_DIR": str(data), "NEWSBOT_LLM": "extractive", "PYTHONPATH": str(REPO)}
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "bot.faces.cli", *args],
            cwd=data.parent,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        walls.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"newsbot {' '.join(args)} failed: {result.stderr.strip()}")
    return statistics.median(walls)


def row(t: Timings, target: str) -> str:
    def pair(values: list[float]) -> str:
        return f"{percentile(values, 50):7.1f} / {percentile(values, 95):7.1f}"

    return (
        f"{t.name:<16} {t.chunks:>7} {len(t.total):>6}  "
        f"{pair(t.retrieval)}  {pair(t.answer)}  {pair(t.total)}  {target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000, help="size of the generated index")
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    parser.add_argument("--cold", type=int, default=3, help="cold-start runs (median)")
    args = parser.parse_args()

    per_article = chunks_per_article()
    generated = max(1, round(args.chunks / per_article))
    seeds_data = build("seeds", 0)
    big_data = build(f"{args.chunks}", generated)

    seeds = warm_timings("seeds", seeds_data, args.rounds)
    big = warm_timings("generated+seeds", big_data, args.rounds)
    cold_help = cold_start(seeds_data, args.cold, "--help")
    cold_seeds = cold_start(seeds_data, args.cold, "ask", COLD_QUESTION)
    cold_big = cold_start(big_data, args.cold, "ask", COLD_QUESTION)

    big_target = f"p50 < {TARGET_10K_MS:.0f} ms at 10k chunks"
    print()
    print(f"warm question latency, ms (p50 / p95), {args.rounds} rounds of the eval questions")
    print(
        f"{'index':<16} {'chunks':>7} {'asks':>6}  {'retrieval':^17}  {'answer':^17}  "
        f"{'total':^17}  target (issue)"
    )
    print(row(seeds, f"p50 < {TARGET_SEEDS_MS:.0f} ms"))
    print(row(big, big_target))
    print()
    print(f"cold start, wall s (median of {args.cold})")
    for label, wall in (
        ("newsbot --help", cold_help),
        (f"newsbot ask ({seeds.chunks} chunks)", cold_seeds),
        (f"newsbot ask ({big.chunks} chunks)", cold_big),
    ):
        print(f"  {label:<28} {wall:6.2f}")
    print()
    print(f"generated: {generated} articles x ~{per_article:.1f} chunks; cache: {OUT}")


if __name__ == "__main__":
    main()
