"""Folder `.html` files: newsbot's own extractor (`ingest/html_text.py` + the cleaner) against
trafilatura, which `newsbot fetch` uses for pages it downloads.

Quality: the five seed articles, each wrapped in the chrome news pages carry (navigation, a
byline, a share line, a "most read" box, a footer); the share of each article's paragraphs kept
word for word, and the chrome lines that leak into the text. Speed: the odd shapes of
`benchmarks/odd_text.py` as HTML at 100 KB and 1 MB (issue 10 asks every stage to stay linear).

    python -m benchmarks.bench_html [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import html
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.odd_text import ODD_UNITS, odd_body
from ingest.clean import clean_text
from ingest.html_text import html_to_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CHROME = [
    "Home",
    "Subscribe to our newsletter",
    "Most read",
    "Weather warning for the weekend",
    "Share on Facebook",
    "Copyright 2025 The Example Times. All rights reserved.",
    "By Staff Reporter",
]


def page(title: str, paragraphs: Sequence[str]) -> str:
    """An article page as news sites write them: chrome around an <article>."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><title>{html.escape(title)}</title>
<meta property="og:title" content="{html.escape(title)}"></head><body>
<header><nav><a href="/">{CHROME[0]}</a> <a href="/s">{CHROME[1]}</a></nav></header>
<main><article><h1>{html.escape(title)}</h1><p>{CHROME[6]}</p>
{body}
<div>{CHROME[4]}</div></article>
<aside><h3>{CHROME[2]}</h3><ul><li><a href="/w">{CHROME[3]}</a></li></ul></aside></main>
<footer><p>{CHROME[5]}</p></footer></body></html>"""


def ours(markup: str) -> str:
    return clean_text(html_to_document(markup).text)


def theirs(markup: str) -> str:
    import trafilatura

    doc = trafilatura.bare_extraction(markup, include_comments=False, include_tables=False)
    return (getattr(doc, "text", None) or "") if doc is not None else ""


EXTRACTORS: dict[str, Callable[[str], str]] = {"newsbot": ours, "trafilatura": theirs}


def quality() -> None:
    print("seed pages in chrome: paragraphs kept word for word, chrome lines leaked")
    for name, extract in EXTRACTORS.items():
        kept = total = leaked = 0
        for path in sorted(SEEDS.glob("*.txt")):
            paragraphs = [p for p in clean_text(path.read_text(encoding="utf-8")).split("\n") if p]
            title, paragraphs = paragraphs[0], paragraphs[1:]
            text = " ".join(extract(page(title, paragraphs)).split())
            kept += sum(" ".join(p.split()) in text for p in paragraphs)
            total += len(paragraphs)
            leaked += sum(line in text for line in CHROME)
        print(f"  {name:12s} kept {kept}/{total} ({kept / total:.1%}), chrome leaked {leaked}")


def speed(sizes: Sequence[int]) -> None:
    print("odd shapes as HTML, seconds (largest over smallest)")
    for shape in ODD_UNITS:
        cells = []
        for name, extract in EXTRACTORS.items():
            times = []
            for size in sizes:
                markup = f"<html><body><article><p>{odd_body(shape, size)}</p></article></body>"
                started = time.perf_counter()
                extract(markup)
                times.append(time.perf_counter() - started)
            ratio = times[-1] / times[0] if times[0] else float("inf")
            cells.append(f"{name} {' / '.join(f'{t:.2f}' for t in times)} ({ratio:.1f}x)")
        print(f"  {shape:18s} " + "   ".join(cells))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args(argv)
    quality()
    speed(args.sizes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
