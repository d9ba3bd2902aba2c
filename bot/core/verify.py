"""Check a generated answer's citations against the passages before anyone sees it.

The text is cut into claims at its [n] markers (a sentence citing [1] and [2] for two clauses is
two claims). For each claim: markers outside 1..len(passages) are removed; the claim keeps a
cited passage only if a sentence there supports it; a claim no cited passage supports gets the
passage sentence that does, or is dropped. Support is lexical (see `bot.core.evidence`), so a claim
that adds names or figures the sources lack fails it whatever it cites.

Overlap is not agreement: "eight European leaders met" shares every word but one with "seven
European leaders met". So a sentence supports a claim only when the claim's figures, negations,
speaker, dates and places also match it (`bot.core.facts`); the best-supported sentence that matches
is quoted.

What is not a claim: a question (a model echoing "Who hosted Zelensky? ..." shares every word
with the passage that answers it, which proves nothing), a bare number ("Passage 1:"), framing
that talks about the prompt and framing that leads to no supported claim are all dropped.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from collections.abc import Sequence

from bot.core.compose import Claim, Quote
from bot.core.evidence import Evidence, Sentence, looks_like_instruction
from bot.core.facts import FactCheck
from bot.core.intent import Kind, intent_of
from ingest.text.sentences import sentence_spans
from ingest.text.words import QUESTION_NOISE, STOPWORDS, stem, terms, words, wordset

log = logging.getLogger(__name__)

# Answer types a draft is held to. A number, a time, a place or a name shows in a model's own
# words; what someone said (reported as "labeled", "called") or why (no "because" needed) often
# does not, and a draft is not thrown away on a guess.
CHECKED_KINDS = frozenset({Kind.HOW_MANY, Kind.WHEN, Kind.WHERE, Kind.WHO})

MIN_SUPPORT = 0.5  # share of the claim's idf-weighted terms found in the quoted sentence(s)
_MARKS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SCAFFOLD = re.compile(r"\bpassages?\b|\bquestion\s*:|<<<|>>>", re.IGNORECASE)
# Words that frame an answer rather than state a fact: a claim made only of these needs no source.
_FRAMING = wordset(
    """sources source differ disagree disagreement outlet outlets reports reported report
    according however while whereas meanwhile both other others also answer passages passage
    articles article question"""
)


def verify(text: str, evidence: Evidence) -> list[Claim]:
    """The supported claims of `text`, each tied to the sentence(s) that back it."""
    claims: list[Claim] = []
    n = len(evidence.passages)
    sources = _Sources(evidence)
    for start, end in sentence_spans(text):
        for segment, marks in _segments(text[start:end]):
            if _is_question(segment):
                continue
            cited = sorted({m - 1 for m in marks if 1 <= m <= n})
            claim = _check(segment, cited, sources)
            if claim is not None:
                claims.append(claim)
    while claims and not claims[-1].quotes:  # a lead-in that leads nowhere
        claims.pop()
    return claims


def gives_asked_type(question: str, claims: Sequence[Claim], earlier: str | None = None) -> bool:
    """Does the draft give the kind of answer asked: a number for "how many", a time for
    "when" ...? True when the question asks for no particular type. `earlier` is the question
    a follow-up refers to ("And injured?" asks how many of the earlier question)."""
    intent = intent_of(question, earlier)
    if intent.kind not in CHECKED_KINDS:
        return True
    return any(c.quotes and intent.carries(c.text) for c in claims)


def missing_type_note(generator_label: str, question: str, earlier: str | None = None) -> str:
    """The note for a draft that `gives_asked_type` rejected, naming what it did not say."""
    wanted = intent_of(question, earlier).describe()
    return f"{generator_label} did not say {wanted}; answered extractively instead."


def _is_question(segment: str) -> bool:
    return segment.rstrip(" \"'”’)]").endswith("?")


def _segments(sentence: str) -> list[tuple[str, list[int]]]:
    """'A [1] and B [2].' -> [('A', [1]), ('and B.', [2])]; text after the last marker joins it."""
    out: list[tuple[str, list[int]]] = []
    pos = 0
    for m in _MARKS.finditer(sentence):
        piece = sentence[pos : m.start()].strip()
        marks = [int(x) for x in re.split(r"\s*[,;]\s*", m.group(1))]
        if piece:
            out.append((piece, marks))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + marks)
        pos = m.end()
    tail = sentence[pos:].strip()
    if tail:
        if out and not _content(tail, frozenset()):
            out[-1] = (
                out[-1][0] + tail if tail[0] in ".,;:!?" else f"{out[-1][0]} {tail}",
                out[-1][1],
            )
        else:
            out.append((tail, []))
    return out


def _check(segment: str, cited: list[int], sources: _Sources) -> Claim | None:
    content = _content(segment, sources.names)
    if not content:
        if _SCAFFOLD.search(segment):
            return None  # talk about the prompt ("Passage:"), which the reader never saw
        return Claim(segment)  # framing ("Sources differ:"), no fact to support
    if all(w.isdigit() for w in content):
        return None  # a bare number ("Passage 1:") states nothing; any "1" would "support" it
    ranked = sources.ranked(" ".join(content))
    quotes = []
    for p in cited:
        sentence = sources.best(segment, ranked, p)
        if sentence is not None:
            quotes.append(Quote(p, sentence.start, sentence.end))
    if not quotes:
        sentence = sources.best(segment, ranked)
        if sentence is None:
            return None
        quotes.append(Quote(sentence.passage, sentence.start, sentence.end))
    return Claim(segment, tuple(quotes))


class _Sources:
    """The passages' sentences and adjacent pairs, ranked for each claim by support, and the
    fact check a supporting sentence must also pass."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.names = _source_words(evidence)
        self.facts = FactCheck((p.text for p in evidence.passages), self.names)
        every = evidence.sentences + _adjacent_pairs(evidence.sentences, evidence)
        self.candidates = [s for s in every if not looks_like_instruction(s.text)]
        self._starts: dict[int, list[int]] = {}
        self._spans: dict[int, list[tuple[int, int]]] = {}
        for s in sorted(evidence.sentences, key=lambda s: (s.passage, s.start)):
            self._spans.setdefault(s.passage, []).append((s.start, s.end))
        for p, spans in self._spans.items():
            self._starts[p] = [start for start, _ in spans]

    def ranked(self, claim_text: str) -> list[tuple[Sentence, float]]:
        """Candidates by support, best first; ties keep passage order (as `Evidence.support`)."""
        weights = {t: self.evidence.lexicon.idf(t) for t in terms(claim_text)}
        scored = [(s, self.evidence.coverage_of(s.terms, weights)) for s in self.candidates]
        return sorted(scored, key=lambda pair: -pair[1])

    def best(
        self, claim: str, ranked: list[tuple[Sentence, float]], within: int | None = None
    ) -> Sentence | None:
        """The best-supported sentence (of passage `within`) whose facts match the claim."""
        for s, support in ranked:
            if support < MIN_SUPPORT:
                return None
            if within is not None and s.passage != within:
                continue
            wrong = self.facts.mismatch(claim, s.text, self.around(s))
            if wrong is None:
                return s
            log.debug("claim %r does not match %r: %s", claim, s.text, wrong.detail)
        return None

    def around(self, s: Sentence) -> str:
        """The span with the sentence either side of it, and its article's title."""
        passage = self.evidence.passages[s.passage]
        spans = self._spans.get(s.passage, [])
        i = bisect.bisect_left(self._starts.get(s.passage, []), s.start)
        j = bisect.bisect_left(self._starts.get(s.passage, []), s.end)
        start = spans[i - 1][0] if i > 0 else s.start
        end = spans[j][1] if j < len(spans) else s.end
        return f"{passage.title}\n{passage.text[start:end]}"


def _adjacent_pairs(sentences: list[Sentence], evidence: Evidence) -> list[Sentence]:
    """Two neighbouring sentences as one span: a claim may merge what they say."""
    pairs = []
    for a, b in itertools.pairwise(sentences):
        if a.passage == b.passage:
            text = evidence.passages[a.passage].text[a.start : b.end]
            pairs.append(Sentence(a.passage, a.start, b.end, text, a.terms | b.terms))
    return pairs


def _content(text: str, source_words: frozenset[str]) -> list[str]:
    """The words of a claim that state something (not framing, not a source's own name)."""
    return [
        w
        for w in words(text)
        if w not in STOPWORDS
        and w not in QUESTION_NOISE
        and w not in _FRAMING
        and stem(w) not in source_words
    ]


def _source_words(evidence: Evidence) -> frozenset[str]:
    """Outlet and file names: "CGTN reports ..." is attribution, not a claim to support."""
    found = set()
    for p in evidence.passages:
        for w in words(f"{p.outlet} {p.file}"):
            found.add(stem(w))
    return frozenset(found)
