"""The offline answerer: the sentences of the passages that answer the question, each cited.

It writes nothing of its own beyond "Sources differ:" and "<outlet> reports:" attributions, so it
cannot state a claim the articles do not make, and it cannot follow instructions found in an
article: it only ever quotes, and sentences addressed to an AI are never picked.
"""

from __future__ import annotations

from bot.compose import Claim, Quote, source_name
from bot.disagree import Conflict, find_conflict
from bot.evidence import Evidence, Sentence
from bot.generator import Draft

MAX_SENTENCES = 3
KEEP_RATIO = 0.6  # a further sentence must score at least this share of the best one
CANDIDATE_RATIO = 0.35  # sentences weighed for disagreement
NEAR_DUPLICATE = 0.6  # term Jaccard above which two sentences say the same thing


class ExtractiveGenerator:
    """Picks and cites; deterministic and instant."""

    name = "extractive"

    def draft(self, question: str, evidence: Evidence) -> Draft:
        return Draft(claims=extract(evidence))


def extract(evidence: Evidence) -> list[Claim]:
    """The answer as claims: the best sentences, or who says what when outlets differ."""
    ranked = [s for s in evidence.ranked() if s.score > 0 and s.coverage > 0]
    if not ranked:
        return []
    best = ranked[0].score
    candidates = [s for s in ranked if s.score >= CANDIDATE_RATIO * best][:8]
    conflict = find_conflict(evidence, candidates)
    if conflict:
        return _who_says_what(evidence, conflict)
    picks: list[Sentence] = []
    for s in ranked:
        if len(picks) == MAX_SENTENCES or s.score < KEEP_RATIO * best:
            break
        if not any(_jaccard(s, p) >= NEAR_DUPLICATE for p in picks):
            picks.append(s)
    return [_claim(s) for s in picks]


def _who_says_what(evidence: Evidence, conflict: Conflict) -> list[Claim]:
    sides = []
    for s in (conflict.first, conflict.second):
        name = source_name(evidence.passages[s.passage])
        sides.append(Claim(f"{name} reports: {s.text}", (Quote(s.passage, s.start, s.end),)))
    return [Claim("Sources differ."), *sides]


def _claim(s: Sentence) -> Claim:
    return Claim(s.text, (Quote(s.passage, s.start, s.end),))


def _jaccard(a: Sentence, b: Sentence) -> float:
    union = a.terms | b.terms
    return len(a.terms & b.terms) / len(union) if union else 1.0
