"""`newsbot eval` against a real news corpus: ingest a folder into a store of its own, ask a set.

    python -m benchmarks.eval_corpus --corpus DIR --set reuters [--split tune|heldout|all]
        [--embedder minilm|e5] [--store DIR] [--json OUT] [--kind K] [-v] [-k K]

The store (default .newsbot-eval/<set>-<embedder>/ under the repo, git-ignored) is laid out as a
NEWSBOT_DATA_DIR and kept between runs: ingest is a sync, so a re-run only re-reads the folder
(about a second) and re-embeds just what changed; the user's own .newsbot/ is never touched.
Answers come from the generator the environment configures (NEWSBOT_LLM, default auto). Prints
the tables of `newsbot eval` and writes the whole report, every answer included, as JSON to
benchmarks/out/eval-<set>-<embedder>-<split>.json (or --json OUT).

The Reuters folder is built from the user's own copy of the collection with
`python -m benchmarks.reuters SGM_DIR OUT_DIR`; the seeds and basic sets default to seeds/.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.eval.evaluate import EvalSet
    from bot.settings import Settings
    from ingest.store import Index

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
STORES = REPO / ".newsbot-eval"
SEEDS = REPO / "seeds"
SEEDS_SETS = ("seeds", "basic")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_corpus", description=__doc__)
    parser.add_argument("--corpus", type=Path, help="articles folder (seeds/ for seeds, basic)")
    parser.add_argument(
        "--set",
        dest="set_name",
        default="reuters",
        help="basic|seeds|reuters|reuters-fresh|reuters-more|reuters-blind|reuters-blind2|PATH",
    )
    parser.add_argument("--split", choices=("tune", "heldout", "all"), default="tune")
    parser.add_argument("--embedder", choices=("minilm", "e5"), default="minilm")
    parser.add_argument("--store", type=Path, help="data dir (default .newsbot-eval/<set>-<emb>)")
    parser.add_argument("--json", type=Path, dest="json_out", help="where to write the report")
    parser.add_argument("--kind", help="only questions of this kind")
    parser.add_argument("-v", dest="failures", action="store_true", help="list the failures")
    parser.add_argument("-k", type=int, help="passages to retrieve (default NEWSBOT_TOP_K)")
    return parser.parse_args(argv)


def settings_for(store: Path, embedder: str) -> Settings:
    """The user's settings (generator, top k) pointed at the eval store, always embedded."""
    from bot.settings import Settings

    return Settings(data_dir=store, embedder=embedder, chroma_path=None, chroma_host=None)


def ingest(corpus: Path, settings: Settings) -> Index:
    """Sync the corpus into the eval store and bring the BM25 cache up to date."""
    from bot.wiring import open_index, sync

    index = open_index(settings)
    report = sync(settings, corpus, index=index, progress=sys.stderr.isatty())
    print(
        f"ingest {corpus} -> {settings.data_dir}: {report.summary()} "
        f"({index.count()} chunks indexed)",
        file=sys.stderr,
    )
    return index


def corpus_for(args: argparse.Namespace, qa: EvalSet) -> Path:
    if args.corpus is not None:
        corpus: Path = args.corpus
    elif qa.name in SEEDS_SETS:
        corpus = SEEDS
    else:
        sys.exit(f"eval_corpus: --corpus is required for the {qa.name} set")
    if not corpus.is_dir():
        sys.exit(f"eval_corpus: articles folder not found: {corpus}")
    return corpus


def main(argv: Sequence[str] | None = None) -> int:
    from bot.eval.evaluate import EvalSetError, evaluate, load_set, select
    from bot.eval.report import EvalReport, format_report
    from bot.wiring import build_answerer

    args = parse_args(argv)
    try:
        qa = load_set(args.set_name)
    except EvalSetError as exc:
        sys.exit(f"eval_corpus: {exc}")
    cases = select(qa.cases, args.split, args.kind)
    if not cases:
        sys.exit(f"eval_corpus: the {qa.name} set has no {args.split} questions")
    corpus = corpus_for(args, qa)
    settings = settings_for(args.store or STORES / f"{qa.name}-{args.embedder}", args.embedder)
    answerer = build_answerer(settings, ingest(corpus, settings))
    k = args.k or settings.top_k
    results = evaluate(cases, answerer.retriever, answerer.generator, k)
    report = EvalReport(qa.name, qa.where, k, args.split, results, kind=args.kind)
    print(format_report(report, verbose=args.failures))
    out: Path = args.json_out or OUT / f"eval-{qa.name}-{args.embedder}-{args.split}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    data = report.to_json() | {"corpus": str(corpus), "embedder": args.embedder}
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
