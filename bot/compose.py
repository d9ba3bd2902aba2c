"""Claims tied to exact passage sentences -> the answer text with [n] and its citations.

Numbering is done here, once, for every generator: sources are numbered in order of first use,
and the same sentence of the same article (it can sit in two overlapping chunks) gets one number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot.models import Citation, Passage


@dataclass(frozen=True, slots=True)
class Quote:
    """A span of one retrieved passage's text: what a citation shows, verbatim."""

    passage: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement of the answer and the quotes that support it (none for a lead-in)."""

    text: str
    quotes: tuple[Quote, ...] = ()


def source_name(passage: Passage) -> str:
    """How an answer names a source: its outlet, else its file name."""
    return passage.outlet or PurePosixPath(passage.file or passage.article_id).stem


def compose(claims: Sequence[Claim], passages: Sequence[Passage]) -> tuple[str, list[Citation]]:
    """The answer text with [n] markers and the citations they point to."""
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for claim in claims:
        marks = []
        for quote in claim.quotes:
            p = passages[quote.passage]
            key = (p.article_id, p.start + quote.start, p.start + quote.end)
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(_citation(numbers[key], p, quote))
            if numbers[key] not in marks:
                marks.append(numbers[key])
        parts.append(_with_marks(claim.text, marks))
    return " ".join(part for part in parts if part), citations


def _with_marks(text: str, marks: list[int]) -> str:
    """'It rained.' + [1] -> 'It rained [1].' (the marker inside the sentence it supports)."""
    text = text.strip()
    if not marks:
        return text
    tag = "".join(f"[{n}]" for n in marks)
    if text and text[-1] in ".!?" and not text.endswith(".."):
        return f"{text[:-1].rstrip()} {tag}{text[-1]}"
    return f"{text} {tag}"


def _citation(n: int, passage: Passage, quote: Quote) -> Citation:
    return Citation(
        n=n,
        article_id=passage.article_id,
        file=passage.file,
        outlet=passage.outlet,
        title=passage.title,
        published=passage.published,
        quote=passage.text[quote.start : quote.end],
        score=passage.score,
        url=passage.url,
    )
