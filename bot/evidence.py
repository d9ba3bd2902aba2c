"""What the retrieved passages say about a question, sentence by sentence.

Every later stage works from this: the relevance gate (does anything here answer it?), the
extractive answerer (which sentences answer it?), the disagreement check (do the outlets say
different things?) and the citation verifier (which sentence supports this generated claim?).
Scoring is lexical on purpose: embedding each candidate sentence would cost ~15 ms apiece on this
hardware, while idf-weighted term overlap, with stems and near-miss spellings from the lexical
index, costs microseconds and maps back to exact text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from ingest.lexical import (
    FUZZY_MIN_RATIO,
    QUESTION_NOISE,
    STOPWORDS,
    question_terms,
    similarity,
    stem,
    terms,
    words,
)
from ingest.sentences import sentence_spans

if TYPE_CHECKING:
    from bot.models import Passage
    from ingest.lexical import LexicalIndex

CONTEXT_WEIGHT = 0.5  # terms of the earlier question in a follow-up count half
NAME_WEIGHT = 1.5  # a name in the question is its focus: "What did Macron call Putin?"
COMMON_FUZZ = 0.4  # a near-miss counts less for a common word ("stock"~"stick") than a name
_BULLET = re.compile(r"[-–—•*]\s+")
_NAME = re.compile(r"\b[A-Z][\w'’.-]*")
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|above)\b"
    r"|\b(system prompt|you are now|as an ai|new instructions)\b"
    r"|\byou (must|should) (now )?(say|reply|respond|answer|output)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a retrieved passage, located so a citation can quote it exactly."""

    passage: int  # index into the passages list
    start: int  # offsets into Passage.text
    end: int
    text: str
    terms: frozenset[str]
    score: float = 0.0  # relevance to the question, 0..1
    coverage: float = 0.0  # idf-weighted share of the question's terms it contains


def looks_like_instruction(text: str) -> bool:
    """Text addressed to an AI ("ignore previous instructions ..."): data, never a claim.

    A narrow pattern on purpose: it only keeps such sentences out of answers; the structural
    defences are that the extractive path quotes and never executes, and the prompt fences
    article text as data.
    """
    return bool(_INSTRUCTION.search(text))


class Evidence:
    """The question's weighted terms and the passages' sentences scored against them."""

    def __init__(
        self,
        question: str,
        passages: Sequence[Passage],
        lexicon: LexicalIndex,
        *,
        context: str | None = None,
    ) -> None:
        self.question = question
        self.passages = list(passages)
        self.lexicon = lexicon
        self.names = _question_names(question)
        self.weights = _term_weights(question, context, lexicon, set(self.names))
        split = [s for i, p in enumerate(self.passages) for s in _split(i, p.text)]
        self.focus = self._focus(split)
        self.sentences = self._score(split)

    # -- the question's terms ----------------------------------------------------------------

    def match(self, term: str, bag: frozenset[str]) -> float:
        """How well `bag` holds `term`: 1 when exact, less for a near-miss spelling.

        Names get misspelt ("Zelinski"), common words rarely are: "stock" is not "stick".
        """
        if term in bag:
            return 1.0
        best = 0.0
        for variant, weight in self.lexicon.expand(term).items():
            if variant in bag:
                strict = term not in self.names and not _same_root(term, variant)
                best = max(best, weight * COMMON_FUZZ if strict else weight)
        return best

    def coverage_of(self, bag: frozenset[str], weights: dict[str, float] | None = None) -> float:
        """Idf-weighted share of the question's terms that `bag` holds."""
        weights = self.weights if weights is None else weights
        total = sum(weights.values())
        if total <= 0:
            return 0.0
        return sum(w * self.match(t, bag) for t, w in weights.items()) / total

    def _focus(self, sentences: list[Sentence]) -> dict[str, float]:
        """Term weights for ranking sentences: a term every passage shares ("White House" in
        a question about the White House talks) tells the passages' sentences apart less."""
        if not self.passages:
            return dict(self.weights)
        bags = [
            frozenset(t for s in sentences if s.passage == i for t in s.terms)
            for i in range(len(self.passages))
        ]
        focus = {}
        for t, w in self.weights.items():
            share = sum(self.match(t, bag) >= 0.5 for bag in bags) / len(bags)
            focus[t] = w * (1.0 - 0.5 * share)
        return focus

    @cached_property
    def coverage(self) -> float:
        """How much of the question the retrieved passages speak to at all."""
        bag = frozenset(t for s in self.sentences for t in s.terms)
        return self.coverage_of(bag)

    @cached_property
    def missing_names(self) -> list[str]:
        """Names in the question the corpus never mentions, not even misspelt ("the Pope").

        A name counts as present when the index has the word, or when a capitalised word of the
        retrieved passages is a near-miss spelling of it ("Zelenski" for "Zelinski").
        """
        unknown = {n: w for n, w in self.names.items() if self.lexicon.df(n) == 0 and len(n) > 1}
        if not unknown:
            return []
        present = {stem(w) for p in self.passages for w in _capitalised(p.text)}
        missing = (
            word
            for n, word in unknown.items()
            if not any(similarity(n, p) >= FUZZY_MIN_RATIO for p in present)
        )
        return list(dict.fromkeys(missing))

    # -- sentences ---------------------------------------------------------------------------

    def _score(self, sentences: list[Sentence]) -> list[Sentence]:
        scored = []
        for s in sentences:
            coverage = self.coverage_of(s.terms)
            prior = self.passages[s.passage].score
            focus = self.coverage_of(s.terms, self.focus)
            score = focus * (0.75 + 0.25 * prior) * _length_factor(s.text)
            if looks_like_instruction(s.text):
                score = 0.0
            scored.append(
                Sentence(s.passage, s.start, s.end, s.text, s.terms, round(score, 4), coverage)
            )
        return scored

    def keep_only(self, texts: Iterable[str]) -> None:
        """Zero every sentence's score but these: the gate found the answer in their meaning,
        and the other sentences only matched the question's words."""
        keep = set(texts)
        self.sentences = [s if s.text in keep else replace(s, score=0.0) for s in self.sentences]

    def ranked(self) -> list[Sentence]:
        """Sentences by score, the same sentence of overlapping chunks listed once."""
        seen: set[tuple[str, int]] = set()
        out = []
        for s in sorted(self.sentences, key=lambda s: (-s.score, s.passage, s.start)):
            key = (self.passages[s.passage].article_id, self.passages[s.passage].start + s.start)
            if key not in seen:
                seen.add(key)
                out.append(s)
        return out

    def support(self, text: str, within: Iterable[int] | None = None) -> tuple[Sentence, float]:
        """The sentence (or adjacent pair) of the passages that best supports a claim.

        Support is the idf-weighted share of the claim's own terms found in the sentence, so a
        claim adding facts the source lacks scores low whatever it cites.
        """
        claim = {t: self.lexicon.idf(t) for t in terms(text)}
        allowed = set(within) if within is not None else None
        best: tuple[Sentence, float] | None = None
        candidates = [s for s in self.sentences if allowed is None or s.passage in allowed]
        for s in candidates + _adjacent_pairs(candidates, self.passages):
            if looks_like_instruction(s.text):
                continue
            got = self.coverage_of(s.terms, claim)
            if best is None or got > best[1] + 1e-9:
                best = (s, got)
        if best is None:
            return Sentence(-1, 0, 0, "", frozenset()), 0.0
        return best


def _same_root(a: str, b: str) -> bool:
    """'discuss'/'discussion', 'russia'/'russian': one word extends the other."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 5 and long.startswith(short)


def _adjacent_pairs(sentences: list[Sentence], passages: Sequence[Passage]) -> list[Sentence]:
    """Two neighbouring sentences as one span: a claim may merge what they say."""
    pairs = []
    for a, b in itertools.pairwise(sentences):
        if a.passage == b.passage:
            text = passages[a.passage].text[a.start : b.end]
            pairs.append(Sentence(a.passage, a.start, b.end, text, a.terms | b.terms))
    return pairs


def _term_weights(
    question: str, context: str | None, lexicon: LexicalIndex, names: set[str]
) -> dict[str, float]:
    """Question terms by idf, names counting double; a follow-up's earlier question adds its
    terms at half weight."""
    weights: dict[str, float] = {}
    for t in question_terms(question):
        weights[t] = lexicon.idf(t) * (NAME_WEIGHT if t in names else 1.0)
    for t in question_terms(context or ""):
        weights.setdefault(t, CONTEXT_WEIGHT * lexicon.idf(t))
    return weights


def _split(passage: int, text: str) -> list[Sentence]:
    """The passage's sentences, list bullets ("- ", "• ") left out of the quoted span."""
    out = []
    for start, end in sentence_spans(text):
        bullet = _BULLET.match(text, start, end)
        if bullet:
            start = bullet.end()
        piece = text[start:end]
        out.append(Sentence(passage, start, end, piece, frozenset(terms(piece))))
    return out


def _length_factor(text: str) -> float:
    """Fragments and run-ons make poor answers: a heading is not a claim."""
    n = len(text.split())
    if n < 5:
        return 0.4
    if n > 70:
        return 0.8
    return 1.0


def _capitalised(text: str) -> list[str]:
    return [w for m in _NAME.finditer(text) for w in words(m.group())]


def _question_names(question: str) -> dict[str, str]:
    """Capitalised words of a question by stem, bar its first word and asking words.

    An all-caps question carries no such signal and yields none.
    """
    letters = [c for c in question if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return {}
    names: dict[str, str] = {}
    for m in _NAME.finditer(question):
        before = question[: m.start()].rstrip()
        if not before or before[-1] in '.!?:"“':
            continue
        original = m.group().strip(".'’-")
        for w in words(original):
            if w not in STOPWORDS and w not in QUESTION_NOISE and not w.isdigit():
                names.setdefault(stem(w), original)
    return names
