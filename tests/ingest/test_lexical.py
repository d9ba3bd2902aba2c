"""The BM25 cache: tokens, near-miss spellings, and a cache kept in step with the index."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from ingest.embed import MiniLMEmbeddings
from ingest.lexical import (
    FORMAT,
    STATE_FILE,
    CacheCorrupt,
    LexChunk,
    LexicalIndex,
    generation_dir,
    refresh,
)
from ingest.models import Article
from ingest.split import split_article
from ingest.store import Index, open_client
from ingest.text.names import FUZZY_MIN_RATIO
from tests.helpers import NEAR_MISS_PAIRS, OTHER_NAME_PAIRS, seeds_into

SEED_001 = "001_5990277709c17f71.txt"


def _names_index() -> LexicalIndex:
    """One chunk per name, so a search shows which names a query reaches."""
    names = [b for _, b in NEAR_MISS_PAIRS] + [b for _, b in OTHER_NAME_PAIRS]
    chunks = [
        LexChunk(f"{name}.txt#h#0", f"{name} spoke to reporters in the capital.", {})
        for name in dict.fromkeys(names)
    ]
    return LexicalIndex.from_chunks(chunks)


def test_expansion_reaches_near_misses_and_stops_at_other_names() -> None:
    index = _names_index()
    for typo, name in NEAR_MISS_PAIRS:
        found = [c.chunk_id for c, _ in index.search(typo, 3)]
        assert f"{name}.txt#h#0" in found, (typo, found)
    for asked, other in OTHER_NAME_PAIRS:
        found = [c.chunk_id for c, _ in index.search(asked, 3)]
        assert f"{other}.txt#h#0" not in found, (asked, found)


def test_expand_keeps_its_signature_and_weights_sound_alikes_lowest() -> None:
    variants = _names_index().expand("witkev")
    assert variants == {"witkoff": FUZZY_MIN_RATIO**2}


def test_cache_of_an_older_format_is_rebuilt(seeds_index: Index, tmp_path: Path) -> None:
    """Tokenisation changed with FORMAT: a cache written before must not be read."""
    LexicalIndex.load_or_build(seeds_index, tmp_path)
    folder = generation_dir(tmp_path, seeds_index, seeds_index.generation())
    state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    state["format"] = FORMAT - 1
    (folder / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(CacheCorrupt, match="format"):
        LexicalIndex.load(folder)
    assert len(LexicalIndex.load_or_build(seeds_index, tmp_path)) == seeds_index.count()
    assert LexicalIndex.load(folder).generation == seeds_index.generation()


@pytest.fixture(scope="module")
def seeds_lexical(seeds_index: Index) -> LexicalIndex:
    return LexicalIndex.build(seeds_index)


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("Zelinski", "Zelinski"),
        ("Zellinski", "Zellinski"),
        ("Kiir Starmer", "Kiir Starmer"),
        ("Fredchic Mirz", "Fredchic Mirz"),
        ("Friedrich Merz", "Fredchic Mirz"),  # the right spelling finds the garbled passage
        ("Zelenskii", "Zelinski"),  # a typo in the question finds both spellings
        ("Steve Witkoff", "Steve Witkev"),  # a sound-alike (ratio 0.62)
    ],
)
def test_garbled_names_find_their_passages(
    seeds_lexical: LexicalIndex, query: str, needle: str
) -> None:
    hits = seeds_lexical.search(query, 8)
    assert any(needle in chunk.text for chunk, _ in hits), [c.chunk_id for c, _ in hits]


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("How many were hurt?", "50 injuries"),
        ("Who was wounded?", "50 injuries"),
        ("How many people died?", "eight deaths"),
        ("Was there a truce?", "ceasefire"),
    ],
)
def test_synonyms_find_what_the_article_says_in_other_words(
    seeds_lexical: LexicalIndex, query: str, needle: str
) -> None:
    hits = seeds_lexical.search(query, 3)
    assert hits and needle in hits[0][0].text, [c.chunk_id for c, _ in hits]


def test_expansion_weights_exact_above_variants(seeds_lexical: LexicalIndex) -> None:
    variants = seeds_lexical.expand("zelinski")
    assert variants["zelinski"] == 1.0
    assert 0 < variants["zellinski"] < 1.0
    assert "zelenski" in variants  # "Zelensky" stemmed


def test_cache_is_loaded_not_rebuilt(
    seeds_index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = LexicalIndex.load_or_build(seeds_index, tmp_path)
    folder = generation_dir(tmp_path, seeds_index, seeds_index.generation())
    assert (folder / STATE_FILE).is_file()

    def no_build(index: Index) -> LexicalIndex:
        raise AssertionError("rebuilt although the cache was sound")

    monkeypatch.setattr(LexicalIndex, "build", classmethod(lambda cls, index: no_build(index)))
    loaded = LexicalIndex.load_or_build(seeds_index, tmp_path)
    assert [c.chunk_id for c in loaded.chunks] == [c.chunk_id for c in built.chunks]
    assert (
        loaded.search("Kiir Starmer", 3)[0][0].chunk_id
        == built.search("Kiir Starmer", 3)[0][0].chunk_id
    )


def _corrupt_array(folder: Path) -> None:
    target = next((folder / "words").glob("data*.npy"))
    data = bytearray(target.read_bytes())
    data[-8:] = b"\xff" * 8
    target.write_bytes(bytes(data))


def _truncate_chunks(folder: Path) -> None:
    path = folder / "chunks.jsonl"
    path.write_text(path.read_text(encoding="utf-8")[:100], encoding="utf-8")


def _garble_state(folder: Path) -> None:
    (folder / STATE_FILE).write_text("{not json", encoding="utf-8")


def _delete_vocab(folder: Path) -> None:
    (folder / "vocab.json").unlink()


def _add_stray_file(folder: Path) -> None:
    (folder / "words" / "extra.npy").write_bytes(b"junk")


@pytest.mark.parametrize(
    "damage", [_corrupt_array, _truncate_chunks, _garble_state, _delete_vocab, _add_stray_file]
)
def test_corrupt_cache_is_detected_and_rebuilt(
    seeds_index: Index, tmp_path: Path, damage: object
) -> None:
    LexicalIndex.load_or_build(seeds_index, tmp_path)
    folder = generation_dir(tmp_path, seeds_index, seeds_index.generation())
    damage(folder)  # type: ignore[operator]
    with pytest.raises(CacheCorrupt):
        LexicalIndex.load(folder)
    rebuilt = LexicalIndex.load_or_build(seeds_index, tmp_path)
    assert len(rebuilt) == seeds_index.count()
    assert LexicalIndex.load(folder).generation == seeds_index.generation()  # sound again


def test_new_generation_rebuilds_and_drops_the_old(
    tmp_path: Path, embeddings: MiniLMEmbeddings, own_articles: Path
) -> None:
    index = seeds_into(open_client(tmp_path / "chroma"), embeddings, own_articles)
    cache = tmp_path / "lexical"
    first = LexicalIndex.load_or_build(index, cache)
    assert not first.search("Quetzalcoatl", 3)

    article = Article(
        "extra.txt", "extra.txt", "Extra", "Quetzalcoatl visited Kyiv on Friday.", "h" * 64
    )
    index.write([(article, split_article(article))])
    index.bump_generation()
    second = LexicalIndex.load_or_build(index, cache)
    assert second.generation == first.generation + 1
    assert second.search("Quetzalcoatl", 3)[0][0].chunk_id.startswith("extra.txt#")
    assert not generation_dir(cache, index, first.generation).exists()


def test_refresh_is_what_readers_then_load(
    seeds_index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh(seeds_index, tmp_path)  # what `newsbot ingest` calls after a sync
    monkeypatch.setattr(
        LexicalIndex, "build", classmethod(lambda cls, index: pytest.fail("rebuilt"))
    )
    assert len(LexicalIndex.load_or_build(seeds_index, tmp_path)) == seeds_index.count()


def test_empty_index_searches_nothing(tmp_path: Path, embeddings: MiniLMEmbeddings) -> None:
    index = Index(open_client(tmp_path / "chroma"), embeddings, MiniLMEmbeddings.model_id)
    lexical = LexicalIndex.load_or_build(index, tmp_path / "lexical")
    assert len(lexical) == 0
    assert lexical.search("anything at all", 5) == []


def test_concurrent_builders_agree(seeds_index: Index, tmp_path: Path) -> None:
    results: list[int] = []
    errors: list[BaseException] = []

    def build() -> None:
        try:
            results.append(len(refresh(seeds_index, tmp_path)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == [seeds_index.count()] * 3
    folder = generation_dir(tmp_path, seeds_index, seeds_index.generation())
    state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    assert state["chunks"] == seeds_index.count()
    assert LexicalIndex.load(folder).generation == seeds_index.generation()
