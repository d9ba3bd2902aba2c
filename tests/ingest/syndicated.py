"""Syndicated copies of a seed story, as other outlets would run it (shared by the tests)."""

from __future__ import annotations

from ingest.load import read_article
from ingest.models import Article
from tests.helpers import SEEDS

SOURCE = "002_17d30bda0ffc9e3b.txt"


def seed_text(name: str = SOURCE) -> str:
    article = read_article(SEEDS / name, SEEDS)
    assert isinstance(article, Article)
    return article.text


def syndicate(text: str, outlet: str = "Coastal Times", every: int = 50) -> str:
    """The story as another outlet runs it: its own front matter and dateline, a word changed
    every `every` words, a trailer."""
    words = text.split(" ")
    edited = " ".join("reportedly" if i % every == every - 1 else w for i, w in enumerate(words))
    return (
        f"---\ntitle: The same story, retitled\noutlet: {outlet}\n"
        f"url: https://{outlet.lower().replace(' ', '')}.example/story\n---\n\n"
        f"WASHINGTON ({outlet}) - {edited}\n\nReporting by {outlet} staff; editing by the desk.\n"
    )
