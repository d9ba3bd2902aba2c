"""Is this capitalised name a place? A gazetteer, so that "Iranians" answers no who-question
and "in Stockholm" is a surer where-answer than "in Kabivitrum".

`places.txt` (rebuilt by `python -m benchmarks.build_places`) holds countries, capitals,
cities of 100,000 people or more, US states and the wire's abbreviations of them, regions and
the peoples' names, folded; `regions.txt` the countries of each region. Each is read once, on
the first question that needs it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from ingest.text.words import fold


def fold_place(name: str) -> str:
    """`words.fold` (lower case, accents off), dots and the possessive dropped too:
    "São Paulo's" -> "sao paulo", "N.Y." -> "ny"."""
    plain = fold(name.replace("’", "'").removesuffix("'s")).replace(".", "")
    return " ".join(plain.split())


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    text = files("ingest.text").joinpath("places.txt").read_text(encoding="utf-8")
    return frozenset(text.split("\n")) - {""}


def is_place(name: str) -> bool:
    """Whether the name, as a whole, is a known place or people ("U.S.", "Haj Omran" is not)."""
    return fold_place(name) in _places()


@lru_cache(maxsize=1)
def _regions() -> dict[str, frozenset[str]]:
    text = files("ingest.text").joinpath("regions.txt").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if "\t" in line)
    return {region: frozenset(members.split(";")) for region, members in rows}


def regions_in(text: str) -> dict[str, frozenset[str]]:
    """The regions a text names ("Which Middle East producers ...?", "in south Asia"), each
    with the folded names of its countries: a story on India mentions south Asia."""
    folded = f" {fold_place(_PUNCTUATION.sub(' ', text))} "
    return {r: members for r, members in _regions().items() if f" {r} " in folded}


_PUNCTUATION = re.compile(r"[^\w\s'’.-]")
