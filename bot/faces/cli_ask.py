"""`newsbot ask` and `newsbot eval`: parse what the user typed, call the core, print.

Heavy modules (chromadb, onnxruntime, bm25s, openai) are imported inside the handlers, so
`newsbot --help` never pays for them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from bot.faces.cli_common import EXIT_USAGE, CliError

if TYPE_CHECKING:
    from bot.core.answer import Answerer
    from bot.core.retrieve import Filters
    from bot.settings import Settings

EXIT_WORDS = {"exit", "quit", ":q"}
MAX_K = 50


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer the question given, or each question typed at the prompt."""
    from bot.core.answer import QuestionError, clean_question
    from bot.core.retrieve import FilterError, Filters

    try:
        filters = Filters.parse(args.source, args.since, args.until)
        k = _k(args.k, settings)
        if args.question is not None:
            clean_question(args.question)  # a bad question is told before the index loads
    except (FilterError, QuestionError) as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    answerer = _answerer(settings)
    if args.question is not None:
        try:
            _print_answer(answerer, args.question, filters, k, args.json)
        except QuestionError as exc:
            raise CliError(str(exc), EXIT_USAGE) from exc
        return 0
    return _interactive(answerer, filters, k, args.json)


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Score a QA set (`--set` or the file given) per question kind and print the tables."""
    from bot.eval.evaluate import EvalSetError, evaluate, load_set, select
    from bot.eval.report import EvalReport, format_report

    if args.file is not None and args.set_name is not None:
        raise CliError("give the QA set as a FILE or with --set, not both", EXIT_USAGE)
    try:
        qa = load_set(args.file if args.file is not None else args.set_name)
        k = _k(args.k, settings)
    except EvalSetError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    cases = select(qa.cases, args.split, args.kind)
    if not cases:
        kind = f" of kind {args.kind}" if args.kind else ""
        raise CliError(f"the {qa.name} set has no {args.split} questions{kind}", EXIT_USAGE)
    answerer = _answerer(settings)
    results = evaluate(cases, answerer.retriever, answerer.generator, k)
    report = EvalReport(qa.name, qa.where, k, args.split, results, kind=args.kind)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(format_report(report, verbose=args.failures))
    return 0


def _answerer(settings: Settings) -> Answerer:
    """The answerer over the configured index; a missing or empty index is one line that says
    where it looked (bot.wiring.IndexMissing, a NewsbotError)."""
    import bot

    return bot.open_answerer(settings)


def _k(value: int | None, settings: Settings) -> int:
    k = settings.top_k if value is None else value
    if not 1 <= k <= MAX_K:
        raise CliError(f"-k must be between 1 and {MAX_K}, not {k}", EXIT_USAGE)
    return k


def _print_answer(
    answerer: Answerer,
    question: str,
    filters: Filters,
    k: int,
    as_json: bool,
    follow_up_of: str | None = None,
) -> None:
    from bot.faces.cli_render import render_answer, render_json

    answer = answerer.ask(question, follow_up_of, filters=filters, k=k)
    print(render_json(answer) if as_json else render_answer(answer), flush=True)


def _interactive(answerer: Answerer, filters: Filters, k: int, as_json: bool) -> int:
    """Ask line by line until EOF or "exit" (blank lines are skipped, so piped questions all
    get answers). A bad question or a store that stops answering costs one line; the prompt
    stays. A short question that goes on from the last ("and Starmer?", "where?") is asked
    as its follow-up."""
    from bot.core.answer import QuestionError
    from ingest.store import StoreUnavailable

    earlier: str | None = None
    for question in _questions(sys.stdin, prompt=sys.stdin.isatty() and not as_json):
        context = earlier if earlier and _goes_on(question) else None
        try:
            _print_answer(answerer, question, filters, k, as_json, context)
            earlier = f"{context}\n{question}" if context else question
        except QuestionError as exc:
            print(f"newsbot: {exc}", file=sys.stderr)
        except StoreUnavailable as exc:
            print(f"newsbot: error: {exc} (ask again when it is back)", file=sys.stderr)
        if not as_json:
            print(flush=True)
    return 0


FOLLOW_UP_WORDS = 3  # a question this short, or one opening like "and ...", goes on from the last
_GOES_ON = ("and ", "what about", "how about", "what of ", "also ", "but ")


def _goes_on(question: str) -> bool:
    """Does a question lean on the one before it ("and Starmer?", "where?", "why?")?"""
    text = question.strip().lower()
    return len(text.split()) <= FOLLOW_UP_WORDS or text.startswith(_GOES_ON)


def _questions(stream: TextIO, prompt: bool) -> Iterator[str]:
    while True:
        if prompt:
            print("question> ", end="", file=sys.stderr, flush=True)
        line = stream.readline()
        if not line or line.strip().lower() in EXIT_WORDS:
            return
        if line.strip():
            yield line.rstrip("\n")
