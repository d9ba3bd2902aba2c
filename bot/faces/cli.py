"""`newsbot`: parse, call the core, print. Heavy modules are imported inside the commands so
`newsbot --help` and `newsbot ask` start fast."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.faces.cli_common import EXIT_BROKEN_PIPE, EXIT_USAGE, CliError
from ingest.errors import NewsbotError

if TYPE_CHECKING:
    from pydantic import ValidationError

    from bot.settings import Settings
    from ingest.models import Skipped
    from ingest.report import SyncReport


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot", description="Answer questions from a folder of news articles, with sources."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ing = sub.add_parser("ingest", help="sync the index with an articles folder")
    ing.add_argument("folder", nargs="?", type=Path, help="articles folder (default: seeds/)")
    ing.add_argument("--json", action="store_true", help="print the summary as JSON")
    ing.add_argument("--watch", action="store_true", help="keep syncing as files change")
    ing.add_argument("--interval", type=float, default=2.0, help="seconds between --watch polls")

    ask = sub.add_parser("ask", help="answer a question (no question: interactive prompt)")
    ask.add_argument("question", nargs="?", help="the question; omit for a prompt")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--source", help="only articles whose outlet or file contains this")
    ask.add_argument("--since", help="only articles published on/after YYYY-MM-DD")
    ask.add_argument("--until", help="only articles published on/before YYYY-MM-DD")
    ask.add_argument("-k", type=int, help="passages to retrieve (default NEWSBOT_TOP_K)")

    ev = sub.add_parser("eval", help="score retrieval and answers on a JSONL QA set")
    ev.add_argument("file", nargs="?", type=Path, help="a QA set file (same as --set PATH)")
    ev.add_argument(
        "--set",
        dest="set_name",
        metavar="basic|seeds|reuters|reuters-fresh|reuters-more|reuters-blind|reuters-blind2|PATH",
        help="bundled set or JSONL file (default: seeds when bundled, else basic)",
    )
    ev.add_argument(
        "--split",
        choices=("tune", "heldout", "all"),
        default="tune",
        help="which questions to ask (default tune; held-out ones only when asked)",
    )
    ev.add_argument("--kind", help="only questions of this kind (how_many, who, ...)")
    ev.add_argument("--json", action="store_true", help="print everything as JSON")
    ev.add_argument(
        "-v",
        dest="failures",
        action="store_true",
        help="also list the failed questions with the start of their answers",
    )
    ev.add_argument("-k", type=int, help="passages to retrieve (default NEWSBOT_TOP_K)")

    src = sub.add_parser("sources", help="list the indexed articles")
    src.add_argument("--json", action="store_true", help="print as JSON")

    sub.add_parser("discord", help="run the Discord bot (needs DISCORD_TOKEN)")
    from bot.faces.cli_feeds import add_commands

    add_commands(sub)
    return parser


def _print_skip(skipped: Skipped) -> None:
    from tqdm import tqdm

    tqdm.write(f"newsbot: warning: skipped {skipped.file}: {skipped.reason}", file=sys.stderr)


def _print_report(report: SyncReport, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.to_json()), flush=True)
    else:
        print(f"Synced: {report.summary()}", flush=True)


def _notice(message: str) -> None:
    print(f"newsbot: {message}", file=sys.stderr, flush=True)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    import bot
    from ingest.sync import FolderMissing

    folder: Path = args.folder or settings.articles_dir
    if not folder.is_dir():
        raise CliError(f"articles folder not found: {folder}", EXIT_USAGE)
    try:
        if args.watch:
            _schedule_fetch(settings)
            return _watch(args, settings, folder)
        report = bot.sync(
            folder, settings=settings, progress=True, on_skip=_print_skip, on_notice=_notice
        )
        _print_report(report, args.json)
    except FolderMissing as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    return 0


def _watch(args: argparse.Namespace, settings: Settings, folder: Path) -> int:
    """`ingest --watch`: sync on every change, each sync under the ingest lock."""
    import functools

    from bot.wiring import open_index, refresh_lexical
    from ingest.lock import ingest_lock
    from ingest.sync import watch_folder

    index = open_index(settings)

    def report_and_refresh(report: SyncReport) -> None:
        refresh_lexical(settings, index)
        _print_report(report, args.json)

    watch_folder(
        folder,
        index,
        report_and_refresh,
        interval=args.interval,
        on_skip=_print_skip,
        on_notice=_notice,
        progress=True,
        guard=functools.partial(ingest_lock, settings.data_dir, _notice),
    )
    return 0


def _schedule_fetch(settings: Settings) -> None:
    """Read the feeds every NEWSBOT_FETCH_EVERY in the background; the watch syncs the files."""
    import threading

    from bot.faces.cli_feeds import fetch_feeds
    from ingest.schedule import run_every

    def job() -> None:
        report = fetch_feeds(settings, _notice)
        if report is not None and report.stories:
            _notice(f"fetched {report.summary()}")

    if settings.fetch_every:
        run_every(settings.fetch_every, job, threading.Event(), "feed reader")


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import open_index

    records = open_index(settings).articles()
    if args.json:
        rows = [
            {
                "file": r.file,
                "outlet": r.outlet,
                "title": r.title,
                "published": r.published,
                "chunks": r.chunks,
                "state": r.state,
                "copy_of": r.copy_of,
            }
            for r in records
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for r in records:
        copy = f"  (copy of {r.copy_of})" if r.copy_of else ""
        print(f"{r.file}  {r.published or '----------'}  {r.outlet or '-'}  {r.title}{copy}")
    print(f"{len(records)} articles indexed")
    return 0


def cmd_discord(args: argparse.Namespace, settings: Settings) -> int:
    """Wire the real core into the Discord face: it gets its own settings section and
    callables, never the core's settings."""
    from pydantic import ValidationError

    from bot.faces.discord_bot import run_discord
    from bot.settings import DiscordSettings
    from bot.wiring import build_answerer, open_index, sync

    try:
        discord_settings = DiscordSettings()
    except ValidationError as exc:
        raise CliError(_bad_setting(exc), EXIT_USAGE) from exc
    if discord_settings.token is None:
        raise CliError("DISCORD_TOKEN is not set (in the environment or .env)", EXIT_USAGE)
    index = open_index(settings)
    answerer = build_answerer(settings, index)

    def reingest() -> SyncReport:
        # under the ingest lock, after any `newsbot ingest` running
        report = sync(settings, index=index, on_skip=_print_skip, on_notice=_notice, refresh=False)
        answerer.retriever.lexical()  # built once and kept for the next question
        return report

    def fetch() -> SyncReport | None:
        from bot.faces.cli_feeds import fetch_and_sync

        fetched, report = fetch_and_sync(settings, index, _notice)
        if fetched is not None:
            _notice(f"fetched {fetched.summary()}")
        if report is not None:
            answerer.retriever.lexical()
        return report

    return run_discord(
        discord_settings,
        answerer,
        reingest,
        index.articles,
        secrets=settings.secret_values(),
        fetch=fetch,
        fetch_every=settings.fetch_every,
    )


def _command(name: str) -> Callable[[argparse.Namespace, Settings], int]:
    if name == "ingest":
        return cmd_ingest
    if name == "sources":
        return cmd_sources
    if name in ("feeds", "fetch"):
        from bot.faces import cli_feeds

        return cli_feeds.run_feeds if name == "feeds" else cli_feeds.run_fetch
    if name in ("ask", "eval"):
        from bot.faces import cli_ask

        return cli_ask.run_ask if name == "ask" else cli_ask.run_eval
    return cmd_discord


def _bad_setting(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"bad setting {err['loc'][0]}: {err['msg']}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsbot` console script; returns the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("chromadb", "httpx", "onnxruntime"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        from pydantic import ValidationError

        from bot.settings import Settings

        try:
            settings = Settings()
        except ValidationError as exc:
            raise CliError(_bad_setting(exc), EXIT_USAGE) from exc
        return int(_command(args.command)(args, settings))
    except CliError as exc:
        print(f"newsbot: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`newsbot ask ... | head -3`): stop quietly, as `cat` does; and
        # point stdout at /dev/null so Python's flush at exit does not raise again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except NewsbotError as exc:  # what users may see: one line; anything else keeps its traceback
        print(f"newsbot: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    # `python -m bot.faces.cli` runs this file as __main__; the handlers import `bot.faces.cli`,
    # a second copy whose CliError this copy's `except` would not catch: run that copy's main.
    from bot.faces.cli import main as package_main

    sys.exit(package_main())
