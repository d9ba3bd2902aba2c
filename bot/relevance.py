"""The refusal gate: do the retrieved passages answer the question at all?

Two signals, each weak alone: the dense similarity of the best passage (topical closeness, fooled
by a question on the right topic about the wrong person) and the idf-weighted coverage of the
question's content words by the passages (fooled by paraphrase). They are added, the similarity
weighted by SIMILARITY_WEIGHT, and compared with THRESHOLD. Names the corpus never mentions,
not even misspelt ("the Pope", "Elon Musk"), settle it on their own.

Calibration, on the bundled eval set over the seeds (`newsbot eval --json` prints both signals
per question): answerable questions score 0.79 and up (paraphrases such as "What protection will
Ukraine get after a peace deal?" lowest), unanswerable ones 0.59 and below ("What did the Pope say
about the war in Ukraine?" highest, before the name rule). THRESHOLD sits between the two.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.evidence import Evidence

SIMILARITY_WEIGHT = 0.8
THRESHOLD = 0.7


@dataclass(frozen=True, slots=True)
class Verdict:
    answerable: bool
    reason: str
    coverage: float
    similarity: float

    @property
    def score(self) -> float:
        return self.coverage + SIMILARITY_WEIGHT * self.similarity


def judge(evidence: Evidence, best_similarity: float) -> Verdict:
    """Answerable or not, with a short reason the refusal can show."""
    coverage = round(evidence.coverage, 3) if evidence.weights else 0.0
    similarity = round(best_similarity, 3)

    def verdict(ok: bool, reason: str) -> Verdict:
        return Verdict(ok, reason, coverage, similarity)

    if not evidence.passages:
        return verdict(False, "no passages")
    missing = evidence.missing_names
    if missing:
        return verdict(False, "they never mention " + " or ".join(missing))
    if verdict(True, "").score >= THRESHOLD:
        return verdict(True, "answerable")
    return verdict(False, "nothing in them answers it")
