"""Sentence boundaries and chunking: offsets exact, budget kept, every sentence covered."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.models import Article
from ingest.split import TARGET_TOKENS, estimate_tokens, split_article
from ingest.text.sentences import sentence_spans, sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def make_article(text: str) -> Article:
    return Article("a.txt", "a.txt", "Title", text, "f" * 64)


def test_abbreviations_initials_and_quotes_do_not_end_sentences() -> None:
    text = (
        'U.S. President Donald Trump said "no." Then he left. Mr. Smith met J. Doe at 5 p.m. '
        "on Monday. Prices rose 3.5 percent! Did they? Yes."
    )
    assert sentences(text) == [
        'U.S. President Donald Trump said "no."',
        "Then he left.",
        "Mr. Smith met J. Doe at 5 p.m. on Monday.",
        "Prices rose 3.5 percent!",
        "Did they?",
        "Yes.",
    ]


def test_line_breaks_are_hard_boundaries() -> None:
    assert sentences("Key Takeaways\n- Talks with Putin?: maybe\nDone") == [
        "Key Takeaways",
        "- Talks with Putin?: maybe",
        "Done",
    ]


def test_seed_chunks_quote_the_text_exactly_and_keep_the_budget() -> None:
    for path in sorted(SEEDS.iterdir()):
        article = make_article(path.read_text(encoding="utf-8"))
        chunks = split_article(article)
        assert chunks, path.name
        for chunk in chunks:
            assert article.text[chunk.start : chunk.end] == chunk.text
            assert chunk.metadata["start"] == chunk.start
            assert chunk.metadata["n_chunks"] == len(chunks)
            spans = sentence_spans(chunk.text)
            assert len(spans) == 1 or estimate_tokens(chunk.text) <= TARGET_TOKENS + len(spans)


def test_consecutive_chunks_overlap_by_a_sentence() -> None:
    text = " ".join(
        f"Sentence number {i} talks about the harbour and the ships." for i in range(80)
    )
    chunks = split_article(make_article(text))
    assert len(chunks) > 2
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end, "no overlap between neighbouring chunks"


words = st.text(alphabet="abcdefghij ", min_size=1, max_size=12)
sentence = st.builds(lambda w, p: w.strip().capitalize() + p, words, st.sampled_from(".!?"))
paragraph = st.lists(sentence, min_size=1, max_size=30).map(" ".join)


@given(st.lists(paragraph, min_size=1, max_size=5).map("\n\n".join))
def test_every_sentence_lands_in_some_chunk(text: str) -> None:
    article = make_article(text)
    chunks = split_article(article)
    covered = set()
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        covered.update(s for s in sentence_spans(text) if chunk.start <= s[0] and s[1] <= chunk.end)
    assert covered == set(sentence_spans(text))


def test_initials_of_several_letters_do_not_end_sentences() -> None:
    text = "It was endorsed by Commissioner L.L. Bowman and the league. Then it passed."
    assert sentences(text) == [
        "It was endorsed by Commissioner L.L. Bowman and the league.",
        "Then it passed.",
    ]


# Wire prose with what makes sentence ends hard (abbreviations, initials, quotes, decimals),
# for articles far longer than any test above: splitting must stay linear in the text's size.
PROSE = [
    "Mr. J. Okafor met U.S. officials at 5 p.m. on Monday.",
    'He said "the deal is off." Prices rose 3.5 pct!',
    "Commissioner L.L. Bowman, e.g. a regulator, agreed.",
    "Did they? Yes. The Co. said so in Jan. and Feb.",
]


@settings(deadline=None, max_examples=5)
@given(
    st.lists(st.sampled_from(PROSE), min_size=20, max_size=40),
    st.sampled_from([" ", "\n", "\n\n"]),
)
def test_a_long_article_splits_with_every_span_exact(pieces: list[str], glue: str) -> None:
    """About 300 KB in one article (one line or many): it finishes, and every span is exact."""
    block = glue.join(pieces)
    text = glue.join([block] * (300_000 // len(block) + 1))
    spans = sentence_spans(text)
    assert spans and spans == sorted(spans)
    for (_, end), (next_start, _) in itertools.pairwise(spans):
        assert end <= next_start
    for start, end in spans:
        piece = text[start:end]
        assert piece == piece.strip() and piece
    # nothing but whitespace falls between the spans
    kept = "".join(text[s:e] for s, e in spans)
    assert "".join(kept.split()) == "".join(text.split())
    chunks = split_article(make_article(text))
    assert all(text[c.start : c.end] == c.text for c in chunks)
