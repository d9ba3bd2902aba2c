"""Sentence boundaries as character spans, shared by the splitter and the extractive answerer.

Rule-based on purpose: it is fast, needs no model, and every span maps back to exact text, which
is what a citation quotes. Line breaks are hard boundaries (paragraphs, list items, headings).
"""

from __future__ import annotations

import re

# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = set(
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt st jr sr inc ltd co corp no vs etc "
    "e.g i.e u.s u.k u.n e.u jan feb mar apr jun jul aug sep sept oct nov dec approx est dept "
    "fig mt ft".split()
)
# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
# It may start only where a run of punctuation starts, and never gives back what it took:
# tried at every dot of "....x" it would rescan the rest of the run each time (quadratic).
_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s)")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
_LETTERS = _WORD_CHARS - {"."}
_NON_SPACE = re.compile(r"\S")
_LINE = re.compile(r"[^\n]+")


def _word_before(text: str, stop: int) -> str:
    """The run of ASCII letters and periods ending at text[stop-1], from its first letter.

    Walks back from `stop` instead of searching an end-anchored pattern from the start of the
    text: that search costs the whole text at every sentence end, which made a 400 KB article
    take minutes. The walk costs the word's length, so splitting stays linear.
    """
    begin = stop
    while begin > 0 and text[begin - 1] in _WORD_CHARS:
        begin -= 1
    while begin < stop and text[begin] not in _LETTERS:
        begin += 1
    return text[begin:stop]


def is_abbreviation(text: str, end: int) -> bool:
    """True when the period at text[end-1] closes an abbreviation or initials ("J. Smith",
    "L.L. Bowman")."""
    word = _word_before(text, end - 1).lower().rstrip(".")
    if not word:
        return False
    return word in _ABBREVIATIONS or all(len(part) == 1 for part in word.split("."))


def _line_sentences(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _END.finditer(text, start, stop):
        end = match.end()
        if text[match.start()] == "." and match.group() == "." and is_abbreviation(text, end):
            continue
        nxt = _NON_SPACE.search(text, end, stop)  # no slice: a copy per end would be quadratic
        if nxt and nxt.group().islower():
            continue  # "e.g. this" or a lowercase continuation: not a new sentence
        spans.append((begin, end))
        begin = end
    spans.append((begin, stop))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of `text`, whitespace trimmed, empty ones dropped."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        for start, end in _line_sentences(text, line.start(), line.end()):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of `text` as strings (see `sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text)]
