"""The seam between the answering core and whatever writes the answer text.

A generator drafts an answer from the evidence. The extractive one returns claims already tied
to exact sentences; a language model returns text with [n] markers, which the core verifies
(`bot.core.verify`) before anyone sees it. Either way the core, not the generator, decides what is
cited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ingest.errors import NewsbotError

if TYPE_CHECKING:
    from bot.core.compose import Claim
    from bot.core.evidence import Evidence

REFUSAL_TOKEN = "NOT_IN_ARTICLES"  # what a model is told to reply when the passages lack it


class GeneratorUnavailable(NewsbotError, ValueError):
    """The configured generator cannot run here (missing package or model file): a setup
    error with one line for the user, raised when the answerer is built."""


class GeneratorFailed(RuntimeError):
    """The generator failed on this question (server down, rate limited, unreadable reply);
    the core falls back to the extractive answer and says so."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A generator's answer: free text with [n] markers, or claims already verified."""

    text: str = ""
    claims: list[Claim] | None = None
    refused: bool = False  # the model said the passages do not answer the question


def draft_from_reply(text: str, empty: str) -> Draft:
    """A language model's reply as a draft: the refusal token, text, or `empty` as a failure."""
    text = text.strip()
    if REFUSAL_TOKEN in text:
        return Draft(refused=True)
    if not text:
        raise GeneratorFailed(empty)
    return Draft(text=text)


class Generator(Protocol):
    """Drafts an answer to `question` from `evidence.passages` (numbered from 1)."""

    name: str

    def draft(self, question: str, evidence: Evidence) -> Draft: ...
