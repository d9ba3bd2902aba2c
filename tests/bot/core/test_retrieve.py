"""Hybrid retrieval on the seeds, in a real Chroma store (embedded and server) with the real
packaged model: known source articles, garbled names, diversity and filters."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.core.retrieve import FilterError, Filters, Retriever
from ingest.embed import MiniLMEmbeddings
from ingest.models import Article
from ingest.split import split_article
from ingest.store import Index, open_client

S000 = "000_21712fcd5c52477c.txt"
S001 = "001_5990277709c17f71.txt"
S002 = "002_17d30bda0ffc9e3b.txt"
S003 = "003_94ac584e2d0b5b00.txt"
S004 = "004_c21a65f38bb3e5fc.txt"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did Macron call Putin?", S002),
        ("How much will Ukraine spend on US weapons?", S003),
        ("Which regions does Moscow want to trade in a land swap?", S004),
        ("What did Mao Ning say about the Ukraine crisis?", S000),
        ("What did Constantine Sonin say about security guarantees?", S001),
        ("When was the last face-to-face meeting between Putin and Zelensky?", S002),
    ],
)
def test_known_source_is_retrieved(
    seeds_retriever: Retriever, question: str, expected: str
) -> None:
    files = [p.file for p in seeds_retriever.search(question, 6)]
    assert expected in files[:3], files


GARBLED = [
    ("What did Zelinski say about land?", "Zelinski"),
    ("Who is Volodimir Zellinski?", "Zellinski"),
    ("What did Kiir Starmer do at the White House?", "Kiir Starmer"),
    ("What did Fredchic Mirz confirm?", "Fredchic Mirz"),
]


def test_garbled_names_in_both_store_modes(seeds_index_any: Index, tmp_path: Path) -> None:
    retriever = Retriever(seeds_index_any, tmp_path / "lexical")
    for question, needle in GARBLED:
        passages = retriever.search(question, 6)
        assert any(needle in p.text for p in passages), (question, [p.chunk_id for p in passages])
        assert S001 in [p.file for p in passages[:3]], question


def test_correct_spelling_also_finds_the_garbled_article(seeds_retriever: Retriever) -> None:
    passages = seeds_retriever.search("What did Friedrich Merz confirm about Putin?", 6)
    assert any("Fredchic Mirz" in p.text for p in passages)
    assert any("Friedrich Merz" in p.text for p in passages)


def test_passages_carry_citable_metadata_and_scores(seeds_retriever: Retriever) -> None:
    passages = seeds_retriever.search("Who hosted the talks at the White House?", 6)
    assert len(passages) == 6
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert scores[0] == 1.0
    for p in passages:
        assert p.file and p.article_id and p.title
        assert p.end - p.start == len(p.text)


def test_one_article_cannot_take_every_slot(tmp_path: Path, embeddings: MiniLMEmbeddings) -> None:
    index = Index(open_client(tmp_path / "chroma"), embeddings, MiniLMEmbeddings.model_id)
    long_text = "\n".join(
        f"Ceasefire talk number {i}: negotiators discussed the ceasefire line in detail again."
        for i in range(120)
    )
    big = Article("big.txt", "big.txt", "Ceasefire", long_text, "a" * 64, outlet="big.example")
    small = [
        Article(
            f"s{i}.txt",
            f"s{i}.txt",
            "Talks",
            f"The ceasefire was discussed by side {i}.",
            f"{i}" * 64,
            outlet=f"small{i}.example",
        )
        for i in range(3)
    ]
    index.write([(a, split_article(a)) for a in [big, *small]])
    index.bump_generation()
    assert len(split_article(big)) > 6
    retriever = Retriever(index, tmp_path / "lexical")
    per_article = Counter(p.article_id for p in retriever.search("ceasefire discussed", 5))
    assert per_article == {"big.txt": 2, "s0.txt": 1, "s1.txt": 1, "s2.txt": 1}
    # a sixth slot has no other article left to take it: the long article fills it
    per_article = Counter(p.article_id for p in retriever.search("ceasefire discussed", 6))
    assert per_article["big.txt"] == 3 and len(per_article) == 4


def test_diversity_fills_slots_when_one_article_is_all_there_is(
    tmp_path: Path, embeddings: MiniLMEmbeddings
) -> None:
    index = Index(open_client(tmp_path / "chroma"), embeddings, MiniLMEmbeddings.model_id)
    text = "\n".join(f"Paragraph {i} says the summit was postponed again." for i in range(150))
    article = Article("only.txt", "only.txt", "Only", text, "b" * 64)
    index.write([(article, split_article(article))])
    index.bump_generation()
    assert len(Retriever(index, tmp_path / "lexical").search("summit postponed", 4)) == 4


def test_source_filter_matches_outlet_or_file(seeds_retriever: Retriever) -> None:
    by_outlet = seeds_retriever.search("What happened?", 6, Filters.parse(source="CGTN"))
    assert by_outlet and {p.file for p in by_outlet} == {S004}
    by_file = seeds_retriever.search("What happened?", 6, Filters.parse(source="003_"))
    assert by_file and {p.file for p in by_file} == {S003}


def test_date_filters_leave_out_undated_articles(seeds_retriever: Retriever) -> None:
    dated = {p.file: p.published for p in seeds_retriever.search("Trump Putin talks", 10)}
    assert dated[S000] == "2025-08-20"
    since = seeds_retriever.retrieve("Trump Putin talks", 6, Filters.parse(since="2025-08-20"))
    assert since.passages and {p.file for p in since.passages} == {S000}
    assert since.matched_articles == 1
    until = seeds_retriever.retrieve("Trump Putin talks", 6, Filters.parse(until="2025-08-19"))
    assert until.passages == [] and until.matched_articles == 0


def test_filters_parse_and_reject_bad_dates() -> None:
    f = Filters.parse(" cgtn ", "2025-08-01", "2025-08-31")
    assert f == Filters("cgtn", date(2025, 8, 1), date(2025, 8, 31))
    assert Filters.parse("", "", None) == Filters()
    with pytest.raises(FilterError, match="--since"):
        Filters.parse(since="19/08/2025")
    with pytest.raises(FilterError, match="after"):
        Filters.parse(since="2025-09-01", until="2025-08-01")


def test_retriever_follows_a_new_generation(
    tmp_path: Path, embeddings: MiniLMEmbeddings, own_articles: Path
) -> None:
    from tests.helpers import seeds_into

    index = seeds_into(open_client(tmp_path / "chroma"), embeddings, own_articles)
    retriever = Retriever(index, tmp_path / "lexical")
    assert not any("Quetzalcoatl" in p.text for p in retriever.search("Quetzalcoatl", 6))
    article = Article("new.txt", "new.txt", "New", "Quetzalcoatl addressed the summit.", "c" * 64)
    index.write([(article, split_article(article))])
    index.bump_generation()
    assert retriever.search("Quetzalcoatl", 6)[0].file == "new.txt"


@pytest.mark.parametrize(
    "question",
    ["What's the $90bn about?", "What's the $90 billion about?", "What is the 90bn for?"],
)
def test_amount_spellings_find_the_same_passage(seeds_retriever: Retriever, question: str) -> None:
    top = seeds_retriever.search(question, 6)[0]
    assert top.file == S003 and "$90 billion" in top.text, question


@pytest.mark.parametrize(
    ("question", "outlet", "file"),
    [
        ("What did CGTN report about the meeting?", "cgtn.com", S004),
        ("what did cgtn say?", "cgtn.com", S004),
        ("According to China Daily, what are the chances of a meeting?", "chinadaily.com.cn", S000),
        ("What is Al Jazeera's take on the summit?", "aljazeera.com", S001),
    ],
)
def test_outlet_named_in_the_question_leads(
    seeds_retriever: Retriever, question: str, outlet: str, file: str
) -> None:
    result = seeds_retriever.retrieve(question, 6)
    assert result.outlets_asked == (outlet,)
    assert [p.outlet for p in result.passages[:2]] == [outlet, outlet]
    assert result.passages[0].file == file
    # a boost, not a filter: the other outlets still fill the remaining slots
    assert len({p.file for p in result.passages}) > 1


def test_outlet_words_are_not_content_words(seeds_retriever: Retriever) -> None:
    """Without the boost, "CGTN" would pull whichever chunk prints the name; with it, the
    question reads as "what did they report about the meeting", asked of CGTN's article."""
    asked = seeds_retriever.retrieve("What did CGTN report about the meeting?", 6)
    plain = seeds_retriever.retrieve("What was reported about the meeting?", 6)
    assert plain.outlets_asked == ()
    assert asked.passages[0].outlet == "cgtn.com" != plain.passages[0].outlet


def test_outlet_boost_respects_filters(seeds_retriever: Retriever) -> None:
    result = seeds_retriever.retrieve(
        "What did CGTN report about the meeting?", 6, Filters.parse(source="003_")
    )
    assert result.outlets_asked == ("cgtn.com",)
    assert result.passages and {p.file for p in result.passages} == {S003}


@pytest.mark.parametrize("noise", [" 1", " 12", "  3 ", " 1500"])
def test_stray_number_after_the_question_changes_nothing(
    seeds_retriever: Retriever, noise: str
) -> None:
    clean = seeds_retriever.retrieve("What did Trump say?", 6)
    stray = seeds_retriever.retrieve("What did Trump say?" + noise, 6)
    assert [p.chunk_id for p in stray.passages] == [p.chunk_id for p in clean.passages]
    assert stray.best_similarity == pytest.approx(clean.best_similarity)
