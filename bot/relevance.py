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

A paraphrase scores low on both ("How many people were killed?" against "eight deaths": no
shared word, and the passage's other sentences dilute its similarity). So a score between
BORDERLINE and THRESHOLD gets a second opinion: the question embedded against the best few
sentences, one by one; the sentences that pass are the ones the answer may quote. Measured
the same way: unanswerable questions reach 0.41 at most at this grain, the paraphrases 0.62;
SENTENCE_THRESHOLD sits between. It costs one small embedding batch (~100-150 ms here), paid
only in the borderline band.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.evidence import Evidence

SIMILARITY_WEIGHT = 0.8
THRESHOLD = 0.7
BORDERLINE = 0.45  # below it, refused without a second opinion
SENTENCE_THRESHOLD = 0.55
SECOND_OPINION_SENTENCES = 8


@dataclass(frozen=True, slots=True)
class Verdict:
    answerable: bool
    reason: str
    coverage: float
    similarity: float
    paraphrases: tuple[str, ...] = ()  # answerable only through these sentences' meaning

    @property
    def score(self) -> float:
        return self.coverage + SIMILARITY_WEIGHT * self.similarity


def judge(
    evidence: Evidence,
    best_similarity: float,
    compare: Callable[[list[str]], list[float]] | None = None,
    floor: float = 0.0,
) -> Verdict:
    """Answerable or not, with a short reason the refusal can show.

    `compare` scores sentences against the question (cosine each); given, it is the second
    opinion for borderline scores. `floor` is the embedding model's cosine for unrelated texts
    (`ingest.embed.similarity_floor`): similarities are read relative to it.
    """
    coverage = round(evidence.article_coverage, 3) if evidence.weights else 0.0
    similarity = round(_relative(best_similarity, floor), 3)

    def verdict(ok: bool, reason: str) -> Verdict:
        return Verdict(ok, reason, coverage, similarity)

    if not evidence.passages:
        return verdict(False, "no passages")
    missing = evidence.missing_names
    if missing:
        return verdict(False, "they never mention " + " or ".join(missing))
    score = verdict(True, "").score
    if score >= THRESHOLD:
        return verdict(True, "answerable")
    if score >= BORDERLINE and evidence.typed_answer is not None:
        # a clear answer of the asked type is evidence too: "more than 50 injuries" answers
        # "How many were hurt in the air raid?" though "air raid" is written "strikes"
        return verdict(True, "the asked-for answer is there")
    if score >= BORDERLINE and compare is not None:
        texts = [s.text for s in evidence.ranked()[:SECOND_OPINION_SENTENCES]]
        said = tuple(
            t
            for t, sim in zip(texts, compare(texts), strict=True)
            if _relative(sim, floor) >= SENTENCE_THRESHOLD
        )
        if said:
            return Verdict(True, "said in other words", coverage, similarity, said)
    return verdict(False, "nothing in them answers it")


def _relative(cosine: float, floor: float) -> float:
    """A cosine read against the model's floor for unrelated texts, 0..1."""
    return max(0.0, (cosine - floor) / (1.0 - floor)) if floor < 1.0 else 0.0
