"""Long and oddly shaped articles: every stage (load, clean, split) is linear in the text's size.

Each odd shape in `benchmarks.odd_text` is a long run of what some text rule starts on and
never finishes ("....", "<a <a ...", "![![ ...", "**a **a ..."); each made a stage quadratic
before issue 10, so a 1 MB article of one took hours. Here they, and random mixes of them, go
through the real loader and splitter, and every chunk must still quote its exact span. Speed
figures are `python -m benchmarks.bench_ingest --long`'s; the only clock here is the property
test's generous deadline, a bound on "it finishes" (linear: well under a second an example;
quadratic: minutes).
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.odd_text import ODD_PIECES, ODD_UNITS, odd_body
from ingest.load import read_article
from ingest.models import Article
from ingest.split import split_article
from ingest.text.sentences import sentence_spans

SIZE = 200_000
FORMATS = ("txt", "md", "html")


def assert_spans_exact(folder: Path, name: str, body: str) -> None:
    """Load, clean and split `body` as file `name`: sentences and chunks quote exact text."""
    path = folder / name
    path.write_text(body, encoding="utf-8")
    article = read_article(path, folder)
    if not isinstance(article, Article):  # all chrome: skipped with a reason, also fine
        assert article.reason
        return
    text = article.text
    spans = sentence_spans(text)
    assert all(text[s:e] == text[s:e].strip() and s < e for s, e in spans)
    kept = "".join(text[s:e] for s, e in spans)
    assert "".join(kept.split()) == "".join(text.split())  # only whitespace between spans
    chunks = split_article(article)
    assert chunks
    assert all(text[c.start : c.end] == c.text for c in chunks)


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("shape", sorted(ODD_UNITS))
def test_each_odd_shape_loads_and_splits_with_exact_spans(
    shape: str, suffix: str, tmp_path: Path
) -> None:
    assert_spans_exact(tmp_path, f"odd.{suffix}", odd_body(shape, SIZE))


@settings(deadline=timedelta(seconds=30), max_examples=15)
@given(
    st.lists(st.sampled_from(ODD_PIECES), min_size=1, max_size=5),
    st.sampled_from(FORMATS),
)
def test_a_long_mix_of_odd_pieces_finishes_with_exact_spans(pieces: list[str], suffix: str) -> None:
    """About 200 KB of a random block of odd pieces, repeated: it finishes, spans exact."""
    block = "".join(pieces)
    body = "Officials met on Monday.\n\n" + block * (SIZE // len(block) + 1)
    with tempfile.TemporaryDirectory() as folder:
        assert_spans_exact(Path(folder), f"mix.{suffix}", body)
