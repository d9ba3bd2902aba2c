"""Article bodies shaped to make text rules rescan: long runs of what a pattern starts on and
never finishes ("....", "<a <a ...", "![![ ...", "**a **a ...", a 1 MB word).

Each was quadratic in some stage before issue 10 (a rule searched from every character of the
run to its end). Shared by `bench_ingest --long`, which times them at 100 KB and 1 MB, and by
the test that every shape finishes and keeps its character spans exact.
"""

from __future__ import annotations

# One repeated unit per shape; `odd_body` repeats it to the size asked for.
ODD_UNITS: dict[str, str] = {
    "dots": ".",
    "bangs": "!",
    "one word": "a",
    "initials": "A.",
    "address run": "a.",
    "underscores": "_",
    "digits": "1.",
    "dashes": "-",
    "unclosed tags": "<a ",
    "unclosed comments": "<!-- > ",
    "quoted attributes": "<a b='x> ",
    "unclosed images": "![",
    "unclosed links": "[a](",
    "unclosed bold": "**a ",
    "heading hashes": "# ",
    "link definitions": "[a\n",
    "www": "www.",
}
ODD_PIECES = [*ODD_UNITS.values(), " ", "\n", "Mr. ", "x@y.com ", "”", "…", "|", "A"]


def odd_body(shape: str, size: int) -> str:
    """About `size` characters of `shape`'s unit, repeated, after a line of prose."""
    unit = ODD_UNITS[shape]
    return "Officials met on Monday to discuss the port strike.\n\n" + unit * (size // len(unit))
