"""Check a generated answer's citations against the passages before anyone sees it.

The text is cut into claims at its [n] markers (a sentence citing [1] and [2] for two clauses is
two claims). For each claim: markers outside 1..len(passages) are removed; the claim keeps a
cited passage only if a sentence there supports it; a claim no cited passage supports gets the
passage sentence that does, or is dropped. Support is lexical (see `bot.evidence`), so a claim
that adds names or figures the sources lack fails it whatever it cites.

What is not a claim: a question (a model echoing "Who hosted Zelensky? ..." shares every word
with the passage that answers it, which proves nothing), a bare number ("Passage 1:"), framing
that talks about the prompt and framing that leads to no supported claim are all dropped.
"""

from __future__ import annotations

import re

from bot.compose import Claim, Quote
from bot.evidence import Evidence
from ingest.lexical import QUESTION_NOISE, STOPWORDS, stem, words, wordset
from ingest.sentences import sentence_spans

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
    source_words = _source_words(evidence)
    for start, end in sentence_spans(text):
        for segment, marks in _segments(text[start:end]):
            if _is_question(segment):
                continue
            cited = sorted({m - 1 for m in marks if 1 <= m <= n})
            claim = _check(segment, cited, evidence, source_words)
            if claim is not None:
                claims.append(claim)
    while claims and not claims[-1].quotes:  # a lead-in that leads nowhere
        claims.pop()
    return claims


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


def _check(
    segment: str, cited: list[int], evidence: Evidence, source_words: frozenset[str]
) -> Claim | None:
    content = _content(segment, source_words)
    if not content:
        if _SCAFFOLD.search(segment):
            return None  # talk about the prompt ("Passage:"), which the reader never saw
        return Claim(segment)  # framing ("Sources differ:"), no fact to support
    if all(w.isdigit() for w in content):
        return None  # a bare number ("Passage 1:") states nothing; any "1" would "support" it
    claim_text = " ".join(content)
    quotes = []
    for p in cited:
        sentence, support = evidence.support(claim_text, [p])
        if support >= MIN_SUPPORT:
            quotes.append(Quote(p, sentence.start, sentence.end))
    if not quotes:
        sentence, support = evidence.support(claim_text)
        if support < MIN_SUPPORT:
            return None
        quotes.append(Quote(sentence.passage, sentence.start, sentence.end))
    return Claim(segment, tuple(quotes))


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
