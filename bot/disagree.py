"""Do the outlets say different things? Figures that differ, or one says no where another says yes.

Checked only between sentences that answer the question well and come from different outlets,
and only for the questions where a difference matters: quantities ("how many ...") for figures,
yes/no questions ("did ...", "was ...", "whether ...") for a denial against an assertion. A
wider net flags every pair of sentences that happen to contain "not".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from bot.compose import source_name
from bot.evidence import Evidence, Sentence
from ingest.lexical import fold, stem, words, wordset

MIN_COVERAGE = 0.15  # both sides must speak to the question
MIN_SHARED_TERMS = 2  # both sides must be about the same thing
MIN_SHARED_WEIGHT = 0.15  # ... and for a yes/no, what they share is a fair part of it
NEAR = 4  # words between a negation and the term it denies

_QUANTITY = re.compile(r"\bhow (many|much)\b|\bnumber of\b|\btoll\b|\bfigures?\b", re.I)
_YES_NO = re.compile(
    r"^\s*(did|does|do|is|are|was|were|will|would|can|could|has|have|had|should)\b|\bwhether\b",
    re.I,
)
_NEGATIONS = wordset(
    """not no never nor none neither cannot didn doesn don wasn weren isn aren won
    wouldn couldn hasn haven hadn shouldn excluded exclude excludes rejected rejects reject
    denied denies deny refused refuses dismissed"""
)
_NEGATING_PHRASES = re.compile(r"\brul(e|ed|es|ing) out\b|\boff the table\b|\bnon-starter\b")
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        re.findall(
            r"\w+",
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty",
        )
    )
}
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_LABEL = re.compile(r"\S\s+[A-Z][a-z]*\s$")  # "... Article " before a number, not sentence-initial


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str  # "figures" | "polarity"
    first: Sentence
    second: Sentence


def find_conflict(evidence: Evidence, candidates: Sequence[Sentence]) -> Conflict | None:
    """The pair of candidate sentences from different outlets that disagree on the most of
    what the question asks (shared question terms, weighted)."""
    quantity = bool(_QUANTITY.search(evidence.question))
    yes_no = bool(_YES_NO.search(evidence.question))
    if not (quantity or yes_no):
        return None
    usable = [s for s in candidates if s.coverage >= MIN_COVERAGE]
    total = sum(evidence.weights.values()) or 1.0
    best: tuple[float, Conflict] | None = None
    for a, b in combinations(usable, 2):
        if _source(evidence, a) == _source(evidence, b):
            continue
        shared = _shared(evidence, a, b)
        if len(shared) < (1 if quantity else MIN_SHARED_TERMS):
            continue
        weight = sum(evidence.weights[t] for t in shared) / total
        conflict = _conflict(evidence, a, b, quantity, yes_no)
        if conflict is None or (conflict.kind == "polarity" and weight < MIN_SHARED_WEIGHT):
            continue
        if best is None or weight > best[0]:
            best = (weight, conflict)
    return best[1] if best else None


def _conflict(
    evidence: Evidence, a: Sentence, b: Sentence, quantity: bool, yes_no: bool
) -> Conflict | None:
    if quantity and _counts_differ(a.text, b.text):
        return Conflict("figures", a, b)
    if yes_no:
        if denies(a.text, evidence) and not negated(b.text):
            return Conflict("polarity", a, b)
        if denies(b.text, evidence) and not negated(a.text):
            return Conflict("polarity", b, a)
    return None


def negated(text: str) -> bool:
    """Does the sentence deny or rule out anything at all?"""
    return bool(_NEGATIONS.intersection(words(text)) or _NEGATING_PHRASES.search(fold(text)))


def denies(text: str, evidence: Evidence) -> bool:
    """Does the sentence deny what the question asks about, not merely something nearby?

    The negation must stand within a few words of one of the question's terms other than its
    names: "concessions were not on the table" denies, "Putin was not at the White House"
    says nothing about whether territory was discussed.
    """
    tokens = words(text)
    folded = " ".join(tokens)
    cues = [i for i, w in enumerate(tokens) if w in _NEGATIONS]
    cues += [folded[: m.start()].count(" ") for m in _NEGATING_PHRASES.finditer(folded)]
    asked = [t for t in evidence.weights if t not in evidence.names]
    for i in cues:
        window = frozenset(stem(w) for w in tokens[max(0, i - NEAR) : i + NEAR + 1])
        if any(evidence.match(t, window) >= 0.5 for t in asked):
            return True
    return False


def counts(text: str) -> set[float]:
    """The quantities a sentence states, digits or words.

    Not counts: years, and a number right after a capitalised word inside the sentence, which
    names or dates something ("Article 5", "August 18", "Boeing 737").
    """
    found: set[float] = set()
    for m in _DIGITS.finditer(text):
        value = float(m.group().replace(",", ""))
        year = 1900 <= value <= 2100 and "." not in m.group()
        if not (year or _LABEL.search(text[: m.start()])):
            found.add(value)
    found.update(float(_NUMBER_WORDS[w]) for w in words(text) if w in _NUMBER_WORDS)
    return found


def _counts_differ(a: str, b: str) -> bool:
    ca, cb = counts(a), counts(b)
    return bool(ca and cb and not ca & cb)


def _source(evidence: Evidence, s: Sentence) -> str:
    return source_name(evidence.passages[s.passage]).casefold()


def _shared(evidence: Evidence, a: Sentence, b: Sentence) -> list[str]:
    """The question's terms both sentences contain."""
    return [
        t
        for t in evidence.weights
        if evidence.match(t, a.terms) >= 0.5 and evidence.match(t, b.terms) >= 0.5
    ]
