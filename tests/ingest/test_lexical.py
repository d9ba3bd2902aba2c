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
from ingest.text.names import FUZZY_MIN_RATIO, similarity
from ingest.text.words import fold, question_terms, stem, terms, words
from tests.bot.conftest import seeds_into

SEED_001 = "001_5990277709c17f71.txt"


def test_fold_strips_accents_case_and_joins_initialisms() -> None:
    assert words("Zélensky met the U.S. envoy") == ["zelensky", "met", "the", "us", "envoy"]
    assert fold("ÉMMANUEL") == "emmanuel"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("rule", "ruled"),
        ("casualty", "casualties"),
        ("territory", "territorial"),
        ("discussed", "discussion"),
        ("Zelensky", "zelensky"),
        ("met", "meeting"),  # irregular past forms
        ("held", "holds"),
        ("fled", "fleeing"),
        ("struck", "strikes"),
    ],
)
def test_stem_merges_word_forms(a: str, b: str) -> None:
    assert stem(fold(a)) == stem(fold(b))


def test_question_terms_drop_asking_words() -> None:
    assert question_terms("What did Merz say about the ceasefire?") == ["merz", "ceasefir"]


@pytest.mark.parametrize(
    ("a", "b", "variant"),
    [
        ("zelenski", "zelinski", True),
        ("kiir", "keir", True),
        ("mirz", "merz", True),
        ("pope", "hope", False),  # first letters differ: not a misspelling
        ("trump", "truth", False),
    ],
)
def test_similarity_accepts_misspellings_only(a: str, b: str, variant: bool) -> None:
    assert (similarity(a, b) >= 0.7) is variant


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("$90bn", "90 billion"),
        ("$90 billion", "90 billion"),
        ("90bn", "90 billion"),
        ("US$90 billion", "90 billion"),
        ("600m", "600 million"),
        ("1.2m", "1.2 million"),
        ("5.93 mln", "5.93 million"),
        ("1.2 bln", "1.2 billion"),
        ("5%", "5 percent"),
        ("5 per cent", "5 percent"),
        ("5 pct", "5 percent"),
        ("1,500", "1500"),
        ("155,221 bags", "155221 bag"),
        ("1.50 million", "1.5 million"),
        ("August 18th", "August 18"),
    ],
)
def test_amounts_read_the_same_in_text_and_questions(a: str, b: str) -> None:
    """Both spellings give one set of terms, on the index side and the question side, except
    that a currency sign may add its currency ("usd")."""
    assert set(terms(a)) - {"usd"} == set(terms(b))
    assert set(question_terms(a)) - {"usd"} == set(question_terms(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("$90bn", "90 billion dollars"),
        ("$1.2 billion", "1.2 billion dlrs"),
        ("US$90 billion", "90 bln usd"),
        ("€5m", "5 million euros"),
    ],
)
def test_currency_signs_and_words_are_one_term(a: str, b: str) -> None:
    assert sorted(terms(a)) == sorted(terms(b))


def _stems(text: str) -> list[str]:
    """The expected terms written as words: "died august 18" -> ["kill", "august", "18"]."""
    return [stem(w) for w in text.split()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("600mph winds", "600mph winds"),  # a glued unit that is not one stays a word
        ("G7 and 5G", "g7 5g"),
        ("rose 3.5.", "rose 3.5"),  # a full stop after a number is not a decimal point
        ("a 10km march", "10km march"),
        ("2 billionaires", "2 billionaires"),  # "billion" must end where the word ends
    ],
)
def test_numbers_next_to_letters_stay_what_they_are(text: str, expected: str) -> None:
    assert terms(text) == _stems(expected)


@pytest.mark.parametrize(
    ("group", "words_"),
    [
        ("kill", "died killed dead deaths death fatalities killing dies lives"),
        ("injur", "wounded injured injuries hurt injury wounds"),
        ("ceasefir", "truce ceasefire cease-fire ceasefires"),
    ],
)
def test_synonyms_share_one_term(group: str, words_: str) -> None:
    assert {t for w in words_.split() for t in terms(w)} == {group}


@pytest.mark.parametrize("word", ["live", "living", "skill", "injustice", "hurtle", "talks"])
def test_synonym_groups_take_whole_words_only(word: str) -> None:
    assert terms(word)[0] not in {"kill", "injur", "ceasefir"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did Trump say? 1", "trump"),  # a stray key after the question
        ("What did Trump say 1", "trump"),  # a lone small number beside nothing
        ("What did Trump say?  12 ", "trump"),
        ("What did Trump say? 1500", "trump"),
        ("How many died on August 18?", "died august 18"),
        ("How many died on 18 August?", "died 18 august"),
        ("What's the $90bn about?", "usd 90 billion"),
        ("Who lost 1,500 homes?", "lost 1500 homes"),
        ("What was agreed in the last 24 hours?", "agreed last 24 hours"),
        ("What happened on 2025-08-18?", "2025 08 18"),
        ("What was 5% about? And the $2bn?", "5 percent usd 2 billion"),
        ("What's it about? $90bn", "usd 90 billion"),  # an amount is not stray
    ],
)
def test_stray_numbers_are_not_query_terms(question: str, expected: str) -> None:
    assert question_terms(question) == _stems(expected)


TRUE_PAIRS = [
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
]
FALSE_PAIRS = [
    ("Trump", "Truss"),
    ("Trump", "Truth"),
    ("Austria", "Australia"),
    ("Iran", "Iraq"),
    ("Witkoff", "Witness"),
    ("Russia", "Russell"),
    ("Merz", "Mercy"),
    ("Pope", "Hope"),
    ("Korea", "Kosovo"),
]


@pytest.mark.parametrize(("a", "b"), TRUE_PAIRS)
def test_near_miss_names_are_variants(a: str, b: str) -> None:
    x, y = stem(fold(a)), stem(fold(b))
    assert similarity(x, y) >= FUZZY_MIN_RATIO
    assert similarity(y, x) >= FUZZY_MIN_RATIO


@pytest.mark.parametrize(("a", "b"), FALSE_PAIRS)
def test_other_names_are_not_variants(a: str, b: str) -> None:
    x, y = stem(fold(a)), stem(fold(b))
    assert similarity(x, y) < FUZZY_MIN_RATIO
    assert similarity(y, x) < FUZZY_MIN_RATIO


def _names_index() -> LexicalIndex:
    """One chunk per name, so a search shows which names a query reaches."""
    names = [b for _, b in TRUE_PAIRS] + [b for _, b in FALSE_PAIRS]
    chunks = [
        LexChunk(f"{name}.txt#h#0", f"{name} spoke to reporters in the capital.", {})
        for name in dict.fromkeys(names)
    ]
    return LexicalIndex.from_chunks(chunks)


def test_expansion_reaches_near_misses_and_stops_at_other_names() -> None:
    index = _names_index()
    for typo, name in TRUE_PAIRS:
        found = [c.chunk_id for c, _ in index.search(typo, 3)]
        assert f"{name}.txt#h#0" in found, (typo, found)
    for asked, other in FALSE_PAIRS:
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
