"""Outlets named in a question: "What did CGTN report?", "according to China Daily".

Why: an outlet's name is a wish about whose articles to read, not a word the answer must
contain. Left in the query, "CGTN" weighs as the rarest term, pulls whichever chunk happens to
print the name and, the articles never saying it, looks like a name the corpus lacks. Matched
here against the outlets the index holds, the name leaves the query and the retriever favours
that outlet's articles instead.

Matching is by the question's words joined without spaces, so "Al Jazeera", "al-jazeera" and
"AlJazeera" all read as "aljazeera", which is also what the stored domain "aljazeera.com" gives.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingest.text.words import QUESTION_NOISE, STOPWORDS, fold, words

MAX_WORDS = 4  # "the wall street journal"
MIN_ALIAS = 3  # "bbc", "cnn"; shorter names would match stray letters
# Labels below a registrable domain name: "chinadaily.com.cn" -> "chinadaily".
_SECOND_LEVEL = frozenset("com co org net gov edu ac ne or go info biz news".split())
# Words an outlet's name may carry or drop: "Al Jazeera English" is asked as "Al Jazeera".
_GENERIC = frozenset("the english news online com www".split())
_WORD = re.compile(r"[^\W_]+")
_JOINER = re.compile(r"[\s.\-]*")  # between the words of one name: "al-jazeera", "cgtn.com"
_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}")
_POSSESSIVE = re.compile(r"['’]s\b")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")


def _never(alias: str, outlet: str) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class OutletMention:
    """The stored outlets a question names, and the question without their names."""

    outlets: tuple[str, ...]
    rest: str  # the folded question with the names (and a possessive 's) cut out


class Outlets:
    """The outlets one index holds, with the spellings a question may use for each."""

    def __init__(self, stored: Iterable[str], common: Callable[[str, str], bool] = _never) -> None:
        """`common(alias, outlet)`: is the alias an everyday word of the articles ("time" for
        Time, "post")? Such a name counts only when the question capitalises it."""
        self.by_alias: dict[str, str] = {}
        self.common: set[str] = set()
        for outlet in sorted(set(stored)):
            for alias in aliases(outlet):
                self.by_alias.setdefault(alias, outlet)
                if common(alias, outlet):
                    self.common.add(alias)

    def find(self, question: str) -> OutletMention:
        """The outlets named in `question`, longest name first at each word."""
        folded = fold(question)
        capitalised = {w for m in _CAPITALISED.finditer(question) for w in words(m.group())}
        found: list[str] = []
        spans: list[tuple[int, int]] = []
        tokens = list(_WORD.finditer(folded))
        i = 0
        while i < len(tokens):
            hit = self._match_at(folded, tokens, i, capitalised)
            if hit is None:
                i += 1
                continue
            outlet, n = hit
            end = tokens[i + n - 1].end()
            possessive = _POSSESSIVE.match(folded, end)
            spans.append((tokens[i].start(), possessive.end() if possessive else end))
            if outlet not in found:
                found.append(outlet)
            i += n
        rest = folded
        for start, end in reversed(spans):
            rest = f"{rest[:start]} {rest[end:]}"
        return OutletMention(tuple(found), " ".join(rest.split()))

    def _match_at(
        self, folded: str, tokens: list[re.Match[str]], i: int, capitalised: set[str]
    ) -> tuple[str, int] | None:
        """The outlet whose name starts at token i, and how many tokens the name takes."""
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            span = tokens[i : i + n]
            if not all(
                _JOINER.fullmatch(folded, a.end(), b.start()) for a, b in itertools.pairwise(span)
            ):
                continue
            alias = "".join(t.group() for t in span)
            outlet = self.by_alias.get(alias)
            if outlet is None:
                continue
            if n == 1 and alias in self.common and alias not in capitalised:
                return None  # "what time did they meet" is not a question about Time
            return outlet, n
        return None


def site_label(name: str) -> str:
    """The name a domain registers: "chinadaily.com.cn" -> "chinadaily", "bbc.co.uk" -> "bbc";
    "" for a name that is no domain ("Al Jazeera")."""
    folded = fold(name).strip()
    if not _DOMAIN.fullmatch(folded):
        return ""
    labels = folded.split(".")[:-1]  # the top-level domain goes
    while len(labels) > 1 and (labels[-1] in _SECOND_LEVEL or len(labels[-1]) == 2):
        labels.pop()
    return labels[-1]


def aliases(outlet: str) -> set[str]:
    """Spellings of a stored outlet a question may use, each its words joined:
    "chinadaily.com.cn" -> {"chinadaily", "chinadailycomcn"}, "Al Jazeera English" ->
    {"aljazeeraenglish", "aljazeera"}. Too short ones and ordinary words are left out."""
    folded = fold(outlet).strip()
    names = [words(folded)]
    if site := site_label(folded):
        names.append(words(site))
    names.append([w for w in names[0] if w not in _GENERIC])
    joined = {"".join(n) for n in names if n}
    return {a for a in joined if len(a) >= MIN_ALIAS and a not in STOPWORDS | QUESTION_NOISE}
