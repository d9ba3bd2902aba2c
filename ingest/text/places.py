"""Is this capitalised name a place? A gazetteer, so that "Iranians" answers no who-question
and "in Stockholm" is a surer where-answer than "in Kabivitrum".

`places.txt` (rebuilt by `python -m benchmarks.build_places`) holds countries, capitals,
cities of 100,000 people or more, US states and the wire's abbreviations of them, regions and
the peoples' names, folded. It is read once, on the first question that needs it.
"""

from __future__ import annotations

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
