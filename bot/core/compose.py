"""Claims tied to exact passage sentences -> the answer text with [n] and its citations.

Numbering is done here, once, for every generator: sources are numbered in order of first use,
and the same sentence of the same article (it can sit in two overlapping chunks) gets one number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.core.records import Citation, Passage

TITLE_CAP = 60  # characters of a title used as a source's name in answer text
_MARKER = re.compile(r"\[(\d+)\]")
_DATELINE = re.compile(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2} ?[:—–] +")  # "Washington: "
# Words a shortened title should not end on: "... over a…" reads as broken.
_DANGLING = frozenset(
    "a an the of to in on at for and or but with by from over between about as into than that "
    "his her its their our is are was were be has have had will would can could".split()
)


@dataclass(frozen=True, slots=True)
class Quote:
    """A span of one retrieved passage's text: what a citation shows, verbatim."""

    passage: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement of the answer and the quotes that support it (none for a lead-in)."""

    text: str
    quotes: tuple[Quote, ...] = ()


def source_name(passage: Passage) -> str:
    """How an answer names a source to a reader: "<name> reports: ...".

    Its outlet, else its site's domain, else its title, shortened and in quotes. Never its file
    name: "002_17d30bda0ffc9e3b reports" tells a reader nothing.
    """
    return source_label(passage.outlet, passage.url, passage.title)


def source_label(outlet: str, url: str, title: str) -> str:
    """`source_name` for any record with an outlet, a URL and a title (a passage, a citation)."""
    if name := publisher(outlet, url):
        return name
    if short := short_title(title):
        return f"“{short}”"
    return "An untitled article"


def publisher(outlet: str, url: str) -> str:
    """The outlet, else the domain of the article's URL ("aljazeera.com"), else ""."""
    return _one_line(outlet) or site(url)


def site(url: str) -> str:
    """An http(s) URL's host, "www." dropped: "https://www.aljazeera.com/x" -> "aljazeera.com"."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed URL ("http://[x") names no site
        return ""
    return host.removeprefix("www.") if "." in host else ""


def short_title(title: str, cap: int = TITLE_CAP) -> str:
    """A title short enough to name a source inline: no dateline ("Washington: "), cut at a
    word and not after "of" or "the", an ellipsis where it was cut."""
    text = _one_line(title)
    cut_before = text.endswith("…")
    text = text.rstrip("…").rstrip()
    dateline = _DATELINE.match(text)
    if dateline and len(text) - dateline.end() >= 20:
        text = text[dateline.end() :]
    if len(text) <= cap:
        return text + ("…" if cut_before else "")
    space = text.rfind(" ", 0, cap + 1)
    kept = text[:space].split() if space > cap // 2 else [text[:cap]]
    while len(kept) > 1 and kept[-1].lower().strip(",;:-–—") in _DANGLING:
        kept.pop()
    return " ".join(kept).rstrip(",;:-–—") + "…"


def _one_line(text: str) -> str:
    """One line; "[2]" inside a name would read as a citation marker, so it becomes "(2)"."""
    return _MARKER.sub(r"(\1)", " ".join(text.split()))


def compose(claims: Sequence[Claim], passages: Sequence[Passage]) -> tuple[str, list[Citation]]:
    """The answer text with [n] markers and the citations they point to."""
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for claim in claims:
        marks = []
        for quote in claim.quotes:
            p = passages[quote.passage]
            key = (p.article_id, p.start + quote.start, p.start + quote.end)
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(_citation(numbers[key], p, quote))
            if numbers[key] not in marks:
                marks.append(numbers[key])
        parts.append(_with_marks(claim.text, marks))
    return " ".join(part for part in parts if part), citations


def _with_marks(text: str, marks: list[int]) -> str:
    """'It rained.' + [1] -> 'It rained [1].' (the marker inside the sentence it supports)."""
    text = text.strip()
    if not marks:
        return text
    tag = "".join(f"[{n}]" for n in marks)
    if text and text[-1] in ".!?" and not text.endswith(".."):
        return f"{text[:-1].rstrip()} {tag}{text[-1]}"
    return f"{text} {tag}"


def _citation(n: int, passage: Passage, quote: Quote) -> Citation:
    return Citation(
        n=n,
        article_id=passage.article_id,
        file=passage.file,
        outlet=passage.outlet,
        title=passage.title,
        published=passage.published,
        quote=passage.text[quote.start : quote.end],
        score=passage.score,
        url=passage.url,
        start=passage.start + quote.start,
        end=passage.start + quote.end,
    )
