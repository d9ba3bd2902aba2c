"""Lexical index build and query-expansion cost, for comparing tokenisers and fuzzy matchers.

    python -m benchmarks.bench_lexical DATA_DIR [--rounds 3]

DATA_DIR is laid out as NEWSBOT_DATA_DIR (e.g. benchmarks/out/ask-10000/data, built by
bench_ask). Reads the chunks once, then times `LexicalIndex.from_chunks` (tokenise, stem, BM25,
near-miss vocabulary) and the near-miss expansion of every term of the seeds questions on a
cold stem cache. Prints the median of --rounds; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from ingest.lexical import LexChunk, LexicalIndex, question_terms, stem

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = REPO / "bot" / "evalsets" / "seeds.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_lexical")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from bot.settings import Settings
    from bot.wiring import open_index

    index = open_index(Settings(data_dir=args.data_dir, chroma_path=None, chroma_host=None))
    chunks = [LexChunk(c.chunk_id, c.text, c.metadata) for c in index.all_chunks()]
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    asked = [
        t for line in lines if line.strip() for t in question_terms(json.loads(line)["question"])
    ]
    build, expand = [], []
    for _ in range(args.rounds):
        stem.cache_clear()  # as in a fresh `newsbot ingest` process
        start = time.perf_counter()
        lexical = LexicalIndex.from_chunks(chunks)
        build.append(time.perf_counter() - start)
        start = time.perf_counter()
        variants = sum(len(lexical.expand(t)) for t in asked)
        expand.append((time.perf_counter() - start) * 1000 / len(asked))
    print(
        f"{len(chunks)} chunks: build {statistics.median(build):.2f} s, "
        f"expand {statistics.median(expand):.3f} ms/term ({len(asked)} terms, {variants} variants)"
    )


if __name__ == "__main__":
    main()
