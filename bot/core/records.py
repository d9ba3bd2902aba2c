"""Typed records of the read path: retrieved passages and cited answers.

The answering core returns an `Answer`; the CLI and Discord only render it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

_NOT_IN_JSON = frozenset({"url", "start", "end", "also_in"})  # `--json` keeps its shape


@dataclass(frozen=True, slots=True)
class Passage:
    """A chunk returned by retrieval, with everything needed to cite it."""

    chunk_id: str
    article_id: str
    file: str
    text: str
    start: int
    end: int
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Copy:
    """Another article carrying the same story as a cited one (a syndicated copy)."""

    outlet: str
    title: str
    file: str
    url: str = ""
    published: str = ""


@dataclass(frozen=True, slots=True)
class Citation:
    """Source [n] of an answer: the passage it came from and the exact sentence(s) quoted.

    `start`/`end`: where `quote` stands in the article's cleaned text (character offsets), so
    a caller can show it in context; -1 when unknown."""

    n: int
    article_id: str
    file: str
    outlet: str
    title: str
    published: str
    quote: str
    score: float
    url: str = ""
    start: int = -1
    end: int = -1
    also_in: tuple[Copy, ...] = ()  # copies of the cited article, not indexed apart


@dataclass(frozen=True, slots=True)
class Answer:
    """What every face renders: the text with [n] markers and the citations they point to."""

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    generator: str = "extractive"
    note: str = ""  # e.g. "OpenAI unavailable, answered extractively"
    retrieval_ms: float = 0.0
    answer_ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The stable `--json` shape documented in the README."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "generator": self.generator,
            "note": self.note,
            "citations": [
                {k: v for k, v in asdict(c).items() if k not in _NOT_IN_JSON}
                | {"url": c.url, "also_in": [asdict(copy) for copy in c.also_in]}
                for c in self.citations
            ],
            "retrieval_ms": round(self.retrieval_ms, 2),
            "answer_ms": round(self.answer_ms, 2),
        }
