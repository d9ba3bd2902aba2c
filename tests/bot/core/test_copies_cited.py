"""Answers over a story carried by several outlets: one source cited, the others named beside it."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.core.answer import Answerer
from bot.core.extractive import ExtractiveGenerator
from bot.core.records import Answer
from bot.core.retrieve import Retriever
from bot.faces.cli_render import render_answer, render_json
from bot.faces.discord_format import render_answer as discord_answer
from ingest.embed import MiniLMEmbeddings
from ingest.store import Index, open_client
from ingest.sync import sync_folder
from tests.helpers import SEEDS
from tests.ingest.syndicated import SOURCE, seed_text, syndicate

QUESTION = "When did Putin and Zelensky last meet in person?"


@pytest.fixture(scope="module")
def answer(tmp_path_factory: pytest.TempPathFactory, embeddings: MiniLMEmbeddings) -> Answer:
    work = tmp_path_factory.mktemp("copies")
    folder = work / "articles"
    shutil.copytree(SEEDS, folder)
    for outlet in ("Coastal Times", "Bay Herald"):
        name = outlet.lower().replace(" ", "_") + ".md"
        (folder / name).write_text(syndicate(seed_text(), outlet), encoding="utf-8")
    index = Index(open_client(work / "chroma"), embeddings, MiniLMEmbeddings.model_id)
    assert sync_folder(folder, index).copies == 2
    answerer = Answerer(Retriever(index, work / "lexical"), ExtractiveGenerator())
    return answerer.ask(QUESTION)


def test_the_story_is_cited_once_with_its_copies_beside_it(answer: Answer) -> None:
    assert not answer.refused
    files = [c.file for c in answer.citations]
    assert SOURCE in files
    assert not {"coastal_times.md", "bay_herald.md"} & set(files)  # never cited apart
    cited = next(c for c in answer.citations if c.file == SOURCE)
    assert [c.outlet for c in cited.also_in] == ["Bay Herald", "Coastal Times"]
    others = [c for c in answer.citations if c.file != SOURCE]
    assert all(not c.also_in for c in others)


def test_every_face_lists_the_copies(answer: Answer) -> None:
    assert "also in: Bay Herald, Coastal Times" in render_answer(answer)
    assert "also in: Bay Herald, Coastal Times" in "".join(discord_answer(answer))
    data = json.loads(render_json(answer))
    cited = next(c for c in data["citations"] if c["file"] == SOURCE)
    assert [(c["outlet"], c["file"]) for c in cited["also_in"]] == [
        ("Bay Herald", "bay_herald.md"),
        ("Coastal Times", "coastal_times.md"),
    ]
    assert cited["also_in"][0]["url"] == "https://bayherald.example/story"


def test_an_answer_without_copies_lists_none(answerer: Answerer) -> None:
    plain = answerer.ask(QUESTION)
    assert plain.citations and all(c.also_in == () for c in plain.citations)
    assert "also in" not in render_answer(plain)
