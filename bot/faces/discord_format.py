"""Answers as Discord messages: pure string functions, no discord import.

Kept apart from the adapter (bot/faces/discord_bot.py) so the rules that matter, Discord's length
limits, where a long answer may be cut, that nothing can ping anyone and that no secret leaks,
are tested with plain strings. Output is message content, not embeds: it needs no Embed Links
permission, stays copyable, and `<url>` in angle brackets shows a link without a preview.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from bot.core.compose import publisher

if TYPE_CHECKING:
    from bot.core.records import Answer, Citation
    from ingest.report import Added, SyncReport
    from ingest.store import Record

MESSAGE_LIMIT = 2000  # characters of content in one Discord message
MIN_LIMIT = 32  # below this a [n] marker plus a word may not fit; splitting is refused
ZWSP = "\u200b"
QUESTION_PREFIX = "> **Q:** "  # first line of every answer; how a reply finds its question
QUESTION_CAP = 300
QUOTE_CAP = 200
TITLE_CAP = 150
OUTLET_CAP = 60
URL_CAP = 500  # a longer URL is left out: cut short it would point nowhere

MARKER = re.compile(r"\[\d{1,9}\]")
_URL_IN_BRACKETS = re.compile(r"<https?://[^\s<>]+>")
_PING = re.compile(r"@(?:everyone|here)|<@[!&]?\d+>", re.IGNORECASE)
_NEUTRALISE = re.compile(r"<@(?!\u200b)|@(?=everyone|here)", re.IGNORECASE)
_MARKDOWN = re.compile(r"([\\*_~|`])")
_WS = re.compile(r"\s+")

# Cut positions by preference. Each pattern's `core` ends where a cut is good; cutting after the
# following whitespace (the end of the match) is just as good and keeps the next part tidy.
_LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?P<core>\n[^\S\n]*\n)\s*"),  # paragraph: a blank line
    re.compile(r"(?P<core>\n)\s*"),  # line
    # sentence: end punctuation, closing quotes/brackets, then any [n] markers that belong to it
    re.compile(r"(?P<core>[.!?…]+[\"'”’)\]]*(?:[^\S\n]*\[\d{1,9}\])*)(?:\s+|\Z)"),
    re.compile(r"(?P<core>)\s+"),  # word
)


def neutralise_mentions(text: str) -> str:
    """Break @everyone, @here and <@…> user/role mentions with a zero-width space.

    Belt and braces: the bot sends with AllowedMentions.none(), which is what really stops pings;
    this keeps a pasted answer or a log line harmless too. Idempotent.
    """
    return _NEUTRALISE.sub(lambda m: m.group(0) + ZWSP, text)


def has_ping(text: str) -> bool:
    """Whether `text` holds something Discord would treat as a mass, user or role mention."""
    return _PING.search(text) is not None


def split_message(
    text: str, limit: int = MESSAGE_LIMIT, *, keep: Sequence[tuple[int, int]] = ()
) -> list[str]:
    """Cut `text` into parts of at most `limit` characters, with `"".join(parts) == text`.

    Cuts go at the last paragraph break that fits, else the last line break, else a sentence end,
    else whitespace, else between protected spans; only a single run longer than `limit` is cut
    mid-run. A cut never falls inside a [n] citation marker, and not inside a `<url>` or a `keep`
    span (e.g. a source entry) unless that span alone is longer than `limit`. Separators stay on
    the part they end, so joining the parts with "" gives back the text exactly. Empty text
    gives no parts.
    """
    if limit < MIN_LIMIT:
        raise ValueError(f"limit must be at least {MIN_LIMIT}")
    markers = [m.span() for m in MARKER.finditer(text)]
    soft = _merge([*markers, *(m.span() for m in _URL_IN_BRACKETS.finditer(text)), *keep])
    strong = _merge(markers)
    # last resort before a hard cut: the edges of protected spans (e.g. between two <url>s)
    levels = [_candidates(pattern, text) for pattern in _LEVELS]
    levels.append(sorted({edge for span in soft for edge in span}))

    parts: list[str] = []
    pos = 0
    while len(text) - pos > limit:
        cut = _best_cut(levels, pos, pos + limit, soft) or _best_cut(
            levels, pos, pos + limit, strong
        )
        if cut is None:  # one unbroken run: cut hard, but step back out of a marker
            cut = pos + limit
            inside = _inside(cut, strong)
            if inside is not None and inside[0] > pos:
                cut = inside[0]
        parts.append(text[pos:cut])
        pos = cut
    if pos < len(text):
        parts.append(text[pos:])
    return parts


def _candidates(pattern: re.Pattern[str], text: str) -> list[int]:
    found: set[int] = set()
    for m in pattern.finditer(text):
        found.add(m.end("core") if m.group("core") else m.start())
        found.add(m.end())
    return sorted(found)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one: a cut strictly inside any of them is inside the union."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] - s[0] > 1):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _inside(cut: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    i = bisect_right(spans, (cut, cut)) - 1
    # spans are sorted and disjoint; only the last one starting before `cut` can hold it
    for j in (i, i + 1):
        if 0 <= j < len(spans) and spans[j][0] < cut < spans[j][1]:
            return spans[j]
    return None


def _best_cut(
    levels: list[list[int]], pos: int, end: int, blocked: list[tuple[int, int]]
) -> int | None:
    for cuts in levels:
        i = bisect_right(cuts, end) - 1
        while i >= 0 and cuts[i] > pos:
            if _inside(cuts[i], blocked) is None:
                return cuts[i]
            i -= 1
    return None


def _shorten(text: str, cap: int) -> str:
    """One line of at most `cap` characters, cut at a word when it can be, with an ellipsis."""
    text = _WS.sub(" ", text).strip()
    if len(text) <= cap:
        return text
    cut = text.rfind(" ", 0, cap)
    cut = cut if cut > cap // 2 else cap - 1
    return text[:cut].rstrip() + "…"


def _escape(text: str) -> str:
    """Article titles and quotes are data: keep their *, _ and ` from turning into markdown."""
    return _MARKDOWN.sub(r"\\\1", text)


def _code(text: str) -> str:
    """A file name or id as inline code; a backtick inside would end it early."""
    return "`" + _shorten(text, 120).replace("`", "'") + "`"


def _names(outlet: str, url: str, title: str) -> list[str]:
    """How a source is named: its outlet (else its site's domain) and its title, whichever it
    has. Never its file name, which means nothing to a reader in Discord."""
    fields = []
    if name := publisher(outlet, url):
        fields.append(_escape(_shorten(name, OUTLET_CAP)))
    if title.strip():
        fields.append(f"*{_escape(_shorten(title, TITLE_CAP))}*")
    return fields or ["untitled article"]


def format_citation(citation: Citation) -> str:
    """One source entry, two lines: `[n] outlet · title · date · <url>` and the short quote."""
    fields = _names(citation.outlet, citation.url, citation.title)
    if citation.published:
        fields.append(_escape(_shorten(citation.published, 40)))
    url = citation.url.strip()
    if url and len(url) <= URL_CAP and not _WS.search(url) and not {"<", ">"} & set(url):
        fields.append(f"<{url}>")
    entry = f"**[{citation.n}]** " + " · ".join(fields)
    if citation.also_in:
        entry += "\nalso in: " + ", ".join(also_in_names(citation))
    if citation.quote.strip():
        entry += f"\n> “{_escape(_shorten(citation.quote, QUOTE_CAP))}”"
    return neutralise_mentions(entry)


def also_in_names(citation: Citation) -> list[str]:
    """The copies of a cited article by outlet (else domain, else title), each named once."""
    names: list[str] = []
    for copy in citation.also_in:
        name = _escape(_shorten(publisher(copy.outlet, copy.url) or copy.title, OUTLET_CAP))
        if name and name not in names:
            names.append(name)
    return names


def format_announcement(added: Sequence[Added], limit: int = MESSAGE_LIMIT) -> list[str]:
    """The message(s) after a sync that added articles: one line per new title, with its outlet
    and link, split within Discord's limit; nothing in it can ping."""
    if not added:
        return []
    count = f"{len(added)} new article{'s' if len(added) != 1 else ''}"
    lines = [f"**{count} indexed**"]
    for item in added:
        line = "- " + " · ".join(_names(item.outlet, item.url, item.title))
        url = item.url.strip()
        if url and len(url) <= URL_CAP and not _WS.search(url) and not {"<", ">"} & set(url):
            line += f" <{url}>"
        lines.append(neutralise_mentions(line))
    return split_message("\n".join(lines), limit)


def question_line(question: str) -> str:
    """The echo of the question that heads an answer: one line, capped, mentions broken."""
    return QUESTION_PREFIX + neutralise_mentions(_shorten(question, QUESTION_CAP))


def parse_question(content: str) -> str | None:
    """The question an answer of this bot was for, read back from its first line."""
    first = content.split("\n", 1)[0]
    if not first.startswith(QUESTION_PREFIX):
        return None
    question = first[len(QUESTION_PREFIX) :].replace(ZWSP, "").strip()
    return question or None


def compose_answer(answer: Answer) -> tuple[str, list[tuple[int, int]]]:
    """The whole reply as one text, and the spans of its source entries (never to be cut)."""
    body = neutralise_mentions(answer.text.strip()) or "(no answer)"
    text = question_line(answer.question) + "\n" + body
    if answer.note:
        text += f"\n\n*{_escape(neutralise_mentions(_shorten(answer.note, 300)))}*"
    spans: list[tuple[int, int]] = []
    if answer.citations:  # a refusal may quote the story that says the detail was not given
        text += "\n\n**Sources**"
        for citation in answer.citations:
            entry = format_citation(citation)
            text += "\n"
            spans.append((len(text), len(text) + len(entry)))
            text += entry
    return text, spans


def render_answer(answer: Answer, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The messages to send for an answer: text with [n] markers, then its numbered sources.

    A refusal is its text alone, plainly, with the source it quotes when it says the articles
    withheld the detail ("No names were given." [1]). The first message starts with the
    question so that a reply to it can be read back as a follow-up even after a restart.
    """
    text, spans = compose_answer(answer)
    return split_message(text, limit, keep=spans)


def format_sources(records: Sequence[Record], limit: int = MESSAGE_LIMIT) -> list[str]:
    """What /sources shows: one line per indexed article, split across messages as needed."""
    done = [r for r in records if r.state == "done"]
    if not records:
        return ["Nothing is indexed yet. An admin can run `/reingest`."]
    lines = [f"**{len(done)} article{'s' if len(done) != 1 else ''} indexed**"]
    for record in sorted(records, key=lambda r: r.article_id):
        fields = _names(record.outlet, record.url, record.title)
        if record.published:
            fields.append(_escape(_shorten(record.published, 40)))
        if record.copy_of:
            fields.append("a copy of another article, not embedded again")
        else:
            fields.append(f"{record.chunks} chunk{'s' if record.chunks != 1 else ''}")
        line = " · ".join(fields)
        if record.state != "done":
            line += " (not finished: the next sync redoes it)"
        lines.append(neutralise_mentions(line))
    return split_message("\n".join(lines), limit)


def format_report(report: SyncReport, limit: int = MESSAGE_LIMIT) -> list[str]:
    """What /reingest reports: the one-line summary, then each skipped file and why."""
    lines = [f"Re-ingest finished: {report.summary()}."]
    shown = report.skipped[:20]
    lines += [f"- skipped {_code(s.file)}: {_escape(_shorten(s.reason, 200))}" for s in shown]
    if len(report.skipped) > len(shown):
        lines.append(f"- … and {len(report.skipped) - len(shown)} more skipped")
    return split_message(neutralise_mentions("\n".join(lines)), limit)


# Discord's JSON error codes worded for users (Discord's docs: "Opcodes and Status Codes")
UNKNOWN_MESSAGE = 10008
AUTOMOD_BLOCKED = (200000, 200001)  # message content / title blocked by the server's AutoMod


def rejection_line(status: int, code: int, text: str) -> str:
    """The one line a user sees when Discord refused to post an answer, by Discord's error.

    Fixed wording, nothing quoted back: the refused text may be what AutoMod objected to.
    A reply to a deleted message fails with 10008, or with 50035 whose detail says
    "Unknown message".
    """
    if code in AUTOMOD_BLOCKED:
        return "Sorry, this server's AutoMod blocked my answer."
    if code == UNKNOWN_MESSAGE or "unknown message" in text.lower():
        return "Sorry, the message I was answering was deleted before I could reply."
    return f"Sorry, Discord refused my answer (error {code or status}). Please ask again."


def one_line(text: str, cap: int = 300) -> str:
    """A message for the user as one short line with no pings (e.g. a ValueError's message)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return neutralise_mentions(_shorten(first, cap))


# Secrets. Messages and logs pass through `redact`, which knows the configured values and the
# shapes of common keys, so a token quoted in an upstream error never reaches either.
_SECRET_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"), "[redacted]"),  # OpenAI-style keys, sk-proj-…
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}"), "[redacted]"),
    # Discord bot token: base64 user id . timestamp . HMAC
    (re.compile(r"[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{5,7}\.[A-Za-z0-9_\-]{25,}"), "[redacted]"),
    (
        re.compile(
            r"(?i)\b((?:bearer|bot|token|api[_-]?key|authorization|password)\b[\"']?\s*[:=]?\s*"
            r"[\"']?)[A-Za-z0-9._~+/\-]{16,}=*"
        ),
        r"\1[redacted]",
    ),
    (
        re.compile(r"(?i)([?&](?:key|api_key|apikey|token|access_token)=)[^&\s]+"),
        r"\1[redacted]",
    ),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with the given secret values and anything shaped like a key or token replaced."""
    for secret in sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    for pattern, replacement in _SECRET_SHAPES:
        text = pattern.sub(replacement, text)
    return text
