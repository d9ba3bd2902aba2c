"""The figures a sentence states: how large, what they count, and when the sentence says it was.

Two outlets disagree on a figure only when both count the same thing: "8 deaths" against
"10 drones" is no disagreement, nor is "$5 million" against "5%", nor "at least eight deaths"
against "ten people died" (ten is at least eight). So each figure keeps its bounds ("at least",
"nearly") and its measure: a group for the measures news questions ask about (deaths, injuries,
casualties, money, percentages), else the nouns that follow it ("270 drones"). Plain rules over a
token list, microseconds per sentence: the check runs on every pair of candidate sentences.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.text.words import STOPWORDS, fold, stem, wordset

_TOKEN = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<glued>[^\W\d_]+)?"  # "1,500", "1st", "5bn"
    r"|(?P<word>[^\W\d_]+(?:[.'’][^\W\d_]+)*\.?)"  # "killed", "U.S.", "didn't"
    r"|(?P<mark>[%$€£+])"
    r"|(?P<stop>[,;:()!?\"“”]|\.(?!\d)|\s[–—-]\s)"  # clause boundaries
)


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS: dict[str, float] = (
    {w: float(v) for w, v in _UNITS.items()}
    | {w: float(10 + i) for i, w in enumerate(_TEENS)}
    | {w: float(20 + 10 * i) for i, w in enumerate(_TENS)}
    | {"dozen": 12.0}
)
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER_STEMS = frozenset(stem(w) for w in NUMBER_WORDS)
_MULTIPLIERS = SCALES | {"dozen": 12.0}
_TENS_VALUES = frozenset(NUMBER_WORDS[w] for w in _TENS)
# Written joined to digits: "$90bn", "5m", "20k".
GLUED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}

# Measures a question asks about, by the words that name them near a figure.
GROUPS: dict[str, frozenset[str]] = {
    "death": wordset(
        """kill killed kills killing dead death deaths die died dies dying fatalities fatality
        toll lives perished slain bodies"""
    ),
    "injury": wordset("injured injuries injury injuring wounded wounding wounds hurt"),
    "casualty": wordset("casualties casualty"),
    "money": wordset("dollars dollar euros euro pounds yuan rupees rubles roubles yen usd eur"),
    "percent": wordset("percent percentage pct"),
}
# What a question's measure admits: a casualty count is deaths and injuries together.
ADMITS = {"casualty": frozenset({"casualty", "death", "injury"})}
_VAGUE = wordset("people persons person civilians residents others individuals victims total")
_CONJUNCTIONS = wordset("and or but while as with including plus whereas although though")
_LOWER = _phrases(
    "at least|more than|over|upwards of|in excess of|no fewer than|no less than|above|exceeding"
    "|exceeded|topped|surpassed|just over"
)
_UPPER = _phrases(
    "at most|fewer than|less than|under|up to|no more than|below|as many as|as much as"
)
_BELOW = _phrases("nearly|almost|just under|close to|approaching")
_ABOUT = _phrases("about|around|roughly|approximately|some|an estimated|estimated|circa|approx")
SLACK = 0.15  # "about 100" covers 85..115
_MONTHS = wordset(
    "january february march april may june july august september october november december"
)
_WEEKDAYS = wordset("monday tuesday wednesday thursday friday saturday sunday")
_TIME_PREPS = wordset("in on since by last this next early late until from of mid during")
_PERIODS = re.compile(
    r"\b(last|this|next|past|previous) (year|month|week|decade|summer|winter|spring|autumn)\b"
    r"|\b(a|one|two|three|\d+) (years?|months?) ago\b"
)
_DAYS = re.compile(r"\b(yesterday|today|tonight|last night)\b")


@dataclass(frozen=True, slots=True)
class Figure:
    """A stated quantity: the range it allows and what it counts."""

    value: float
    low: float
    high: float
    groups: frozenset[str]  # measure groups ("death"), empty when none is named
    nouns: frozenset[str]  # stems of the words after it ("drone"), for other measures

    def same_measure(self, other: Figure) -> bool:
        """Both count the same thing: one named group, or (neither naming one) a shared noun."""
        if self.groups or other.groups:
            return bool(self.groups & other.groups)
        return bool(self.nouns & other.nouns)

    def agrees(self, other: Figure) -> bool:
        """The two ranges overlap: "at least 8" and "10" can both be true."""
        tolerance = 1e-9 * max(abs(self.value), abs(other.value), 1.0)
        return self.low <= other.high + tolerance and other.low <= self.high + tolerance


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "num" | "word" | "mark" | "stop"
    text: str  # as written
    low: str  # folded lower case, "" for marks and stops
    glued: str = ""


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        if num := m.group("num"):
            out.append(_Tok("num", num, num, (m.group("glued") or "").lower()))
        elif word := m.group("word"):
            low = word.lower() if word.isascii() else fold(word)
            out.append(_Tok("word", word, low.replace(" ", "").replace(".", "")))
        elif mark := m.group("mark"):
            out.append(_Tok("mark", mark, mark))
        else:
            out.append(_Tok("stop", m.group(), ""))
    return out


@lru_cache(maxsize=4096)
def figures(text: str) -> tuple[Figure, ...]:
    """Every quantity the sentence states, with its bounds and measure.

    Not figures: years, times of day, ordinals ("1st"), dates ("18 August", "August 18") and a
    number right after a capitalised word inside the sentence, which names something
    ("Article 5", "Boeing 737").
    """
    toks = _tokens(text)
    found = []
    i = 0
    while i < len(toks):
        parsed = _number(toks, i)
        if parsed is None:
            i += 1
            continue
        value, end = parsed
        if not _names_or_dates(toks, i, end, value):
            found.append(_figure(toks, i, end, value))
        i = end
    return tuple(found)


def counts(text: str) -> set[float]:
    """The values of the sentence's figures."""
    return {f.value for f in figures(text)}


def _number(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """The value starting at token i and the index after it (scale words included)."""
    tok = toks[i]
    if tok.kind == "num":
        if tok.glued and tok.glued not in GLUED_SCALES:
            return None  # "1st", "5G", "737s": an ordinal or a name
        value = float(tok.text.replace(",", "")) * GLUED_SCALES.get(tok.glued, 1.0)
    elif tok.kind == "word" and tok.low in NUMBER_WORDS:
        value = NUMBER_WORDS[tok.low]
        prev = toks[i - 1].low if i else ""
        if tok.low == "dozen" and prev not in {"a", "one"}:
            return None  # "dozens of" states no number
        if tok.low == "one" and (prev in _NOT_ONE or _next_is(toks, i, "of")):
            return None  # "no one", "one of the dead": not a count of one
    else:
        return None
    end = i + 1
    if end < len(toks) and toks[end].low in _UNITS and value in _TENS_VALUES:
        value += NUMBER_WORDS[toks[end].low]  # "twenty-five"
        end += 1
    while end < len(toks) and toks[end].low in _MULTIPLIERS:
        value *= _MULTIPLIERS[toks[end].low]
        end += 1
    return value, end


def _names_or_dates(toks: list[_Tok], i: int, end: int, value: float) -> bool:
    tok = toks[i]
    after = toks[end] if end < len(toks) else None
    if tok.kind == "num" and _is_year(tok, value) and not (after and _counted(after)):
        return True
    if after and (after.low in _MONTHS or after.low in {"am", "pm", "a.m", "p.m", "gmt"}):
        return True
    if after and after.text == ":" and end + 1 < len(toks) and toks[end + 1].kind == "num":
        return True  # 10:30
    if i >= 2 and toks[i - 1].text == ":" and toks[i - 2].kind == "num":
        return True
    if i < 2:
        return False
    before = toks[i - 1]
    return before.kind == "word" and before.text[:1].isupper() and before.low not in _BOUND_WORDS


_NOT_ONE = wordset("no the every any each this that which someone anyone")
_BOUND_WORDS = wordset("over under about around nearly almost some roughly approximately")


def _is_year(tok: _Tok, value: float) -> bool:
    return "," not in tok.text and "." not in tok.text and 1900 <= value <= 2100


def _counted(tok: _Tok) -> bool:
    """'2000 people died': a year-like number followed by what it counts is a count."""
    return tok.low in _VAGUE or any(tok.low in words for words in GROUPS.values())


def _figure(toks: list[_Tok], i: int, end: int, value: float) -> Figure:
    before = _window(toks, i - 1, -1)
    after = _window(toks, end, 1)
    groups = _marked(toks, i, end) or _groups(after) or _groups(before)
    nouns = {stem(w) for w in after if w not in STOPWORDS and w not in _VAGUE}
    low, high = _bounds(toks, i, end, value)
    return Figure(value, low, high, groups, frozenset(nouns - _NUMBER_STEMS))


def _marked(toks: list[_Tok], i: int, end: int) -> frozenset[str]:
    """Money or a percentage by its sign: "$5 million", "5%", "5 per cent"."""
    if i and toks[i - 1].text in {"$", "€", "£"}:
        return frozenset({"money"})
    following = " ".join(t.low for t in toks[end : end + 2])
    if following.startswith(("%", "per cent")):
        return frozenset({"percent"})
    return frozenset()


def _next_is(toks: list[_Tok], i: int, word: str) -> bool:
    return i + 1 < len(toks) and toks[i + 1].low == word


def _window(toks: list[_Tok], start: int, step: int, size: int = 4) -> list[str]:
    """Up to `size` words from `start` in direction `step`, within the figure's own phrase."""
    out: list[str] = []
    j = start
    while 0 <= j < len(toks) and len(out) < size:
        tok = toks[j]
        if tok.kind in {"stop", "num"} or tok.low in _CONJUNCTIONS or tok.low in NUMBER_WORDS:
            break
        if tok.kind == "word":
            out.append(tok.low)
        j += step
    return out


def _groups(words: list[str]) -> frozenset[str]:
    return frozenset(g for g, members in GROUPS.items() if any(w in members for w in words))


def _bounds(toks: list[_Tok], i: int, end: int, value: float) -> tuple[float, float]:
    """The range a figure allows, from the words before it ("at least") or after ("or more")."""
    lead = " ".join(t.low for t in toks[max(0, i - 3) : i] if t.kind == "word")
    trail = " ".join(t.low or t.text for t in toks[end : end + 2])
    if lead.endswith(_LOWER) or trail.startswith(("+", "or more", "plus")):
        return value, math.inf
    if lead.endswith(_UPPER) or trail.startswith("or fewer"):
        return -math.inf, value
    if lead.endswith(_BELOW):
        return value * (1 - SLACK), value
    if lead.endswith(_ABOUT):
        return value * (1 - SLACK), value * (1 + SLACK)
    return value, value


def measure_asked(question: str) -> tuple[frozenset[str], frozenset[str]]:
    """The measure a question asks for: its groups ("killed" -> death), else the nouns after
    "how many" / "number of" ("how many drones" -> drone)."""
    toks = _tokens(question)
    groups = _groups([t.low for t in toks if t.kind == "word"])
    if groups:
        return frozenset().union(*(ADMITS.get(g, {g}) for g in groups)), frozenset()
    lows = [t.low for t in toks]
    nouns: set[str] = set()
    for k, w in enumerate(lows):
        if (w in {"many", "much"} and k and lows[k - 1] == "how") or (
            w == "of" and k and lows[k - 1] == "number"
        ):
            nouns.update(stem(x) for x in _window(toks, k + 1, 1) if x not in STOPWORDS)
    return frozenset(), frozenset(nouns) - {stem(w) for w in _VAGUE}


def answers_measure(figure: Figure, groups: frozenset[str], nouns: frozenset[str]) -> bool:
    """Does the figure count what the question asks? A question naming a group takes figures
    of that group; "how many drones" takes drones, and "how much" takes money or a share too."""
    if groups:
        return bool(figure.groups & groups)
    if figure.groups:
        return figure.groups <= _MARKED
    return not nouns or bool(figure.nouns & nouns)


_MARKED = frozenset({"money", "percent"})


@lru_cache(maxsize=4096)
def when(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The times a sentence names: periods (years, months, "last year") and days ("Monday",
    "yesterday"). Figures said of different times are not a disagreement."""
    toks = _tokens(text)
    periods: set[str] = set()
    days: set[str] = set()
    for k, tok in enumerate(toks):
        if tok.kind == "num" and not tok.glued and _is_year(tok, float(tok.text.replace(",", ""))):
            if not (k + 1 < len(toks) and _counted(toks[k + 1])):
                periods.add(tok.text)
        elif tok.kind == "word" and tok.text[:1].isupper() and tok.low in _MONTHS:
            if _month(toks, k):
                periods.add(tok.low)
        elif tok.kind == "word" and tok.low in _WEEKDAYS:
            days.add(tok.low)
    folded = fold(text)
    periods.update(m.group() for m in _PERIODS.finditer(folded))
    days.update(m.group() for m in _DAYS.finditer(folded))
    return frozenset(periods), frozenset(days)


def _month(toks: list[_Tok], k: int) -> bool:
    """'May' and 'March' are months only next to a number or after a time preposition."""
    if toks[k].low not in {"may", "march"}:
        return True
    near_number = any(0 <= j < len(toks) and toks[j].kind == "num" for j in (k - 1, k + 1))
    return near_number or (k > 0 and toks[k - 1].low in _TIME_PREPS)
