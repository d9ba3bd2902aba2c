"""The terminal face of an `Answer`: the text with [n] markers, then each cited source.

Pure string functions: the CLI prints them, tests compare them.
"""

from __future__ import annotations

import json
import textwrap

from bot.core.compose import publisher
from bot.core.records import Answer, Citation

WIDTH = 100


def render_answer(answer: Answer, width: int = WIDTH) -> str:
    """Answer text, an optional note, then 'Sources:' with outlet, title, date, file, link,
    quote.

    Every source shows outlet, title and date; a missing one reads "outlet unknown", "untitled"
    or "date unknown" rather than vanishing. The outlet is the site's domain when only the URL
    names it. The file is listed under the source, so a claim can be checked in the folder,
    but an answer's text never names a source by its file."""
    lines = [textwrap.fill(answer.text, width) if answer.text else ""]
    if answer.note:
        lines += ["", textwrap.fill(f"Note: {answer.note}", width)]
    if answer.citations:
        lines += ["", "Sources:"]
        for citation in answer.citations:
            lines += _source_lines(citation, width)
    return "\n".join(lines)


def _source_lines(c: Citation, width: int) -> list[str]:
    """Outlet, title and date always shown: a missing one is said to be unknown, not hidden."""
    outlet = publisher(c.outlet, c.url) or "outlet unknown"
    title = f"“{c.title}”" if c.title else "untitled"
    date = c.published or "date unknown"
    lines = [f"  [{c.n}] {outlet} — {title} ({date})", f"      file: {c.file}"]
    if c.url:
        lines.append(f"      url: {c.url}")
    if c.also_in:
        names = dict.fromkeys(publisher(x.outlet, x.url) or x.title for x in c.also_in)
        lines.append(f"      also in: {', '.join(names)}")
    quote = textwrap.fill(
        f"“{c.quote}”", width, initial_indent="      ", subsequent_indent="       "
    )
    return [*lines, quote]


def render_json(answer: Answer) -> str:
    """The `--json` shape (see `Answer.to_json`), one line, UTF-8 kept readable."""
    return json.dumps(answer.to_json(), ensure_ascii=False)
