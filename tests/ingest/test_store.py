"""The Chroma index itself: cosine space, one collection per model, no default embedder."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.embed import MiniLMEmbeddings
from ingest.models import Article
from ingest.split import split_article
from ingest.store import Index, collection_name


def article(name: str, text: str) -> Article:
    return Article(name, name, name.title(), text, (name * 64)[:64], "outlet.example", "2025-08-19")


def test_collections_are_cosine_and_named_per_model(index: Index, chroma_client: Any) -> None:
    assert index.chunks.configuration_json["hnsw"]["space"] == "cosine"
    other = Index(chroma_client, index.embeddings, "multilingual-e5-small")
    assert other.name != index.name == collection_name(MiniLMEmbeddings.model_id)


def test_chroma_never_falls_back_to_its_default_embedder(index: Index) -> None:
    """Text-only queries must fail loudly: Chroma's default model would be downloaded."""
    with pytest.raises(ValueError, match="must provide an embedding function"):
        index.chunks.query(query_texts=["anything"], n_results=1)


def test_search_ranks_the_matching_article_first(index: Index) -> None:
    pairs = [
        (
            a := article("harbour", "The harbour in Bergen froze over during the cold snap."),
            split_article(a),
        ),
        (
            b := article(
                "budget", "Lawmakers in Quito passed the annual budget after a long night."
            ),
            split_article(b),
        ),
    ]
    index.write(pairs)
    hits = index.search("frozen port in Norway", k=2)
    assert [h.metadata["article_id"] for h in hits] == ["harbour", "budget"]
    assert 0.0 <= hits[0].distance < hits[1].distance <= 2.0
    assert hits[0].metadata["outlet"] == "outlet.example"
    assert index.search("budget", k=5, where={"article_id": "budget"})[0].chunk_id.startswith(
        "budget#"
    )


def test_remove_deletes_chunks_and_manifest(index: Index) -> None:
    a = article("gone", "A short story about a storm. It rained for three days straight.")
    index.write([(a, split_article(a))])
    assert index.count() == 1 and "gone" in index.manifest()
    index.remove(["gone"])
    assert index.count() == 0 and index.manifest() == {}


def test_generation_counts_syncs(index: Index) -> None:
    assert index.generation() == 0
    assert index.bump_generation() == 1 == index.generation()
    assert "__meta__" not in index.manifest()
