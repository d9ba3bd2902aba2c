"""Near-miss names: misspellings and sound-alikes are variants, other names are not."""

from __future__ import annotations

import pytest

from ingest.text.names import FUZZY_MIN_RATIO, similarity
from ingest.text.words import fold, stem
from tests.helpers import NEAR_MISS_PAIRS, OTHER_NAME_PAIRS


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


@pytest.mark.parametrize(("a", "b"), NEAR_MISS_PAIRS)
def test_near_miss_names_are_variants(a: str, b: str) -> None:
    x, y = stem(fold(a)), stem(fold(b))
    assert similarity(x, y) >= FUZZY_MIN_RATIO
    assert similarity(y, x) >= FUZZY_MIN_RATIO


@pytest.mark.parametrize(("a", "b"), OTHER_NAME_PAIRS)
def test_other_names_are_not_variants(a: str, b: str) -> None:
    x, y = stem(fold(a)), stem(fold(b))
    assert similarity(x, y) < FUZZY_MIN_RATIO
    assert similarity(y, x) < FUZZY_MIN_RATIO
