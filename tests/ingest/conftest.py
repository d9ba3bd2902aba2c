"""Fixtures of the ingest tests: an index whose real model counts what it embeds."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.embed import MiniLMEmbeddings
from ingest.store import Index
from tests.helpers import CountingEmbeddings


@pytest.fixture
def counting(embeddings: MiniLMEmbeddings) -> CountingEmbeddings:
    return CountingEmbeddings(embeddings)


@pytest.fixture
def counted_index(chroma_client: Any, counting: CountingEmbeddings) -> Index:
    """An index in the parametrized store mode whose model counts what it embeds."""
    return Index(chroma_client, counting, MiniLMEmbeddings.model_id)
