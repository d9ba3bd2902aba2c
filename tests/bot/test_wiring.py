"""The one place settings become resources (bot/wiring.py): which generator a setting names,
a missing or empty index said in one line, and a sync that leaves the BM25 cache ready."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.generators.base import GeneratorUnavailable
from bot.generators.chat import ChatModelGenerator
from bot.settings import Settings
from bot.wiring import IndexMissing, build_answerer, open_answerer, sync
from ingest.errors import NewsbotError
from ingest.store import Index
from ingest.sync import FolderMissing
from tests.helpers import SEEDS


def settings_at(tmp_path: Path, **kw: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **kw)  # type: ignore[call-arg]


def test_build_answerer_picks_the_generator(seeds_index: Index, tmp_path: Path) -> None:
    def settings(**kw: object) -> Settings:
        return settings_at(tmp_path, **kw)

    assert build_answerer(settings(llm="extractive"), seeds_index).generator.name == "extractive"
    auto = build_answerer(
        settings(llm="auto", openai_base_url="http://127.0.0.1:9/v1"), seeds_index
    )
    assert auto.generator.name == "openai"
    with pytest.raises(GeneratorUnavailable):
        build_answerer(settings(llm="local"), seeds_index)
    keyless = settings(llm="openai", openai_api_key=None, openai_base_url=None)
    with pytest.raises(GeneratorUnavailable, match="OPENAI_API_KEY"):
        build_answerer(keyless, seeds_index)  # rather than sending a dummy key to the cloud


def test_a_chat_model_is_named_provider_colon_model(seeds_index: Index, tmp_path: Path) -> None:
    chosen = settings_at(tmp_path, llm="openai:gpt-4o", openai_base_url="http://127.0.0.1:9/v1")
    generator = build_answerer(chosen, seeds_index).generator
    assert isinstance(generator, ChatModelGenerator)
    assert (generator.name, generator.model, generator.local) == ("openai", "gpt-4o", True)
    plain = settings_at(tmp_path, llm="openai", openai_api_key="sk-x", openai_model="gpt-4.1")
    assert plain.generator_name() == "openai:gpt-4.1"


@pytest.mark.parametrize(
    ("llm", "says"),
    [
        ("anthropic:claude-sonnet-4-5", "langchain-anthropic"),  # the extra is not installed
        ("nosuchprovider:model", "nosuchprovider"),
    ],
)
def test_a_chat_model_that_cannot_run_here_is_one_line(
    seeds_index: Index, tmp_path: Path, llm: str, says: str
) -> None:
    with pytest.raises(GeneratorUnavailable, match=says) as caught:
        build_answerer(settings_at(tmp_path, llm=llm), seeds_index)
    assert isinstance(caught.value, NewsbotError) and "\n" not in str(caught.value)


def test_a_malformed_llm_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="provider:model"):
        settings_at(tmp_path, llm="gpt")


def test_no_index_and_an_empty_index_say_where_they_looked(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="run `newsbot ingest` here first"):
        open_answerer(settings_at(tmp_path / "nowhere"))
    (tmp_path / "empty").mkdir()
    empty = settings_at(tmp_path / "empty")
    sync(empty, tmp_path / "empty")  # an empty folder: the store exists and holds nothing
    with pytest.raises(IndexMissing, match="is empty"):
        open_answerer(empty)


def test_sync_indexes_the_folder_and_leaves_the_word_index_ready(tmp_path: Path) -> None:
    chosen = settings_at(tmp_path / "data")
    report = sync(chosen, SEEDS)
    assert report.added == len(list(SEEDS.iterdir())) and not report.skipped
    assert any((tmp_path / "data" / "lexical").glob("*/gen-*"))
    assert sync(chosen, SEEDS).unchanged == report.added  # a second sync changes nothing
    answer = open_answerer(chosen).ask("What did Macron call Putin?")
    assert "predator" in answer.text
    with pytest.raises(FolderMissing):
        sync(chosen, tmp_path / "missing")
