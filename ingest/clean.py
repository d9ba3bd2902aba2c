"""Strip site chrome, legal footers, spam and teasers from an article body, keeping its prose.

Every rule is general (the shape of boilerplate, not a list of lines from known files) and works
on whole lines: news pages put chrome on lines of its own, and a line is also what the sentence
splitter treats as a hard boundary. Kept lines are never rewritten, only stripped of indentation,
so a citation still quotes the input exactly, misspellings included.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

# --- measuring lines -------------------------------------------------------------------------

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_BULLET = re.compile(r"^(?:[-*•·▪►–—]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]»」』]*$")
_PERIOD_END = re.compile(r"[.。][\"'”’)\]»」』]*$")
_TRAILING_SYMBOLS = {"So", "Sk", "Cf", "Mn", "Me", "Zs"}


def _word_count(line: str) -> int:
    """Words, counting each CJK character as one: those scripts put no spaces between words."""
    return len(line.split()) + len(_CJK_CHAR.findall(line))


def _strip_symbols(line: str) -> str:
    """The line without trailing emoji and symbols, which often follow a sentence's full stop."""
    end = len(line)
    while end and (
        line[end - 1].isspace() or unicodedata.category(line[end - 1]) in _TRAILING_SYMBOLS
    ):
        end -= 1
    return line[:end]


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(_strip_symbols(line)))


def _is_prose(line: str) -> bool:
    """A line that reads as article text: long, or a short complete sentence (bullets too)."""
    body = _BULLET.sub("", line)
    words = _word_count(body)
    return words >= 10 or (words >= 3 and _ends_sentence(body))


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The Unicode script of a letter, with Chinese, Japanese kana and fullwidth forms merged."""
    if char < "\u0250":
        return "LATIN"
    name = unicodedata.name(char, "").split()
    if not name:
        return ""
    if name[0] in {"FULLWIDTH", "HALFWIDTH"} and len(name) > 1:
        return name[1]
    if name[0] in {"CJK", "HIRAGANA", "KATAKANA", "BOPOMOFO", "IDEOGRAPHIC"}:
        return "CJK"
    return name[0]


_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _script_counts(line: str) -> Counter[str]:
    """Letters per script; ASCII letters are counted in C, as they are most of most text."""
    counts = Counter(_script(ch) for ch in _NON_ASCII.findall(line) if ch.isalpha())
    ascii_letters = len(line.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS))
    if ascii_letters:
        counts["LATIN"] += ascii_letters
    return counts


# --- single-line rules -----------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.I)
_URL_LINE = re.compile(
    r"^<?(?:https?://|www\.)\S+>?$"  # a bare link
    r"|^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?$"  # a bare domain ("cgtn.com") or file name
    r"|^!\[[^\]]*\]\([^)]*\)$",  # a markdown image
    re.I,
)


def _is_url_line(line: str) -> bool:
    """A link, domain or image on its own line is a pointer, not prose (the loader reads it)."""
    return bool(_URL_LINE.match(_BULLET.sub("", line)))


_CAPTION_END = re.compile(
    r"[\[(](?:photos?|images?|pictures?|videos?|graphics?|file photo|photo credit|credit)\b"
    r"[^\])]{0,80}[\])]$",
    re.I,
)
_CAPTION_START = re.compile(
    r"^(?:\((?:combo|file|photo|pictured|inset)\)"
    r"|file photo\b"
    r"|(?:photo|image|picture|photograph|caption|credit|photo credit)s?\s*:)",
    re.I,
)
_CREDIT_LINE = re.compile(
    r"^[\w .,'&-]{0,60}/\s*(?:getty images|afp|reuters|ap|ap photo|epa|xinhua|anadolu"
    r"|shutterstock|alamy|bloomberg)\b[^.]{0,40}$",
    re.I,
)


def _is_caption(line: str) -> bool:
    """Photo captions and credits ("... [Photo/Agencies]", "(COMBO) ...") describe a picture
    the reader cannot see; they often repeat prose out of order."""
    return bool(_CAPTION_END.search(line) or _CAPTION_START.match(line) or _CREDIT_LINE.match(line))


_BY = re.compile(r"^(?:By|BY)\s+(?P<names>.*)")
_DATE_WORD = re.compile(r"\b(?:updated|published|posted|last modified)\b", re.I)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DATEISH = re.compile(
    rf"\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\b\d{{1,2}}:\d{{2}}\b"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}",
    re.I,
)
_DATELINE = re.compile(
    r"^(?:last\s+updated|first\s+published|updated|published|posted|date)\b\s*(?P<colon>:)?",
    re.I,
)


def is_byline(line: str) -> bool:
    """True for author/date metadata lines ("By A in B | site.com | Updated: 2025-08-20 00:17").

    Public because the loader reads the same lines for title, outlet and date before cleaning.
    """
    line = line.strip()
    words = _word_count(line)
    by = _BY.match(line)
    if by:
        # The author's name follows "By": "By March 3, 2025, the army..." is prose.
        names = re.split(r"\s+[-|–—,]|,|\s", by.group("names"))[:2]
        if not all(name[:1].isupper() for name in names if name):
            return False
        if "|" in line or _DATE_WORD.search(line) or _DATEISH.search(line):
            return words <= 40
        return words <= 10 and not _ends_sentence(line)
    dateline = _DATELINE.match(line)
    if dateline and words <= 12:
        return bool(_DATEISH.search(line)) or (
            bool(dateline.group("colon")) and any(ch.isdigit() for ch in line)
        )
    return "|" in line and bool(_DATE_WORD.search(line)) and words <= 30


_LEGAL = re.compile(
    r"^(?:copyright\s*(?:©|\(c\)|\d{4})|©|\(c\)\s*\d{4})"
    r"|\ball rights reserved\b"
    r"|^(?:licen[cs]e|registration|permit|record|filing)\b[^.]{0,80}?\d{4,}\W*$"
    r"|\bICP\s*备"
    r"|\bbrowsers? with\b.{0,60}\b(?:resolution|suggested|recommended)\b"
    r"|\bbest viewed (?:in|with|at)\b"
    r"|^(?:no part of|reproduction|republication|redistribution)\b.{0,200}"
    r"\b(?:prohibited|permission|authori[sz]ation)\b",
    re.I,
)


def _is_legal(line: str) -> bool:
    """Copyright, licence and registration notices belong to the site, not the story."""
    return bool(_LEGAL.search(line))


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CONTACT_START = re.compile(r"^(?:contact|e-?mail|write to|reach|send)\b", re.I)


def _is_contact(line: str) -> bool:
    """An address line ("Contact the writer at x@y.com") is not reporting."""
    return bool(_EMAIL.search(line)) and (
        _word_count(line) <= 12 or bool(_CONTACT_START.match(line))
    )


_SPAM_SEPARATOR = re.compile(r"[|｜]")


def _is_keyword_list(line: str) -> bool:
    """Many short `|`-separated fragments: SEO keyword spam or a menu, never a sentence."""
    parts = [p.strip() for p in _SPAM_SEPARATOR.split(line) if p.strip()]
    if len(parts) < 5:
        return False
    short = sum(1 for p in parts if len(p) <= 40 and not _ends_sentence(p))
    return short >= 0.8 * len(parts)


_CHROME = re.compile(
    r"""^(?:
    share\b.*
    | (?:back|return|go|scroll|jump)\s+to\s+(?:the\s+)?top\b.* | top
    | home | menu | search | print | e-?mail | comments? | \d+\s+comments? | tweet | like
    | advertisement | advertising | ad | sponsored(?:\s+content)? | promoted
    | paid\s+(?:content|post)
    | (?:most|top)\s+(?:viewed|read|popular|shared|commented|watched)\b.*
    | trending(?:\s+now|\s+stories)? | (?:editor'?s?\s+)?picks? | recommended(?:\s+for\s+you)?
    | you\s+(?:may|might)\s+(?:also\s+)?like\b.*
    | (?:more|latest|top)\s+(?:stories|news|videos|headlines)\b.*
    | follow\s+us\b.* | (?:like|find|join)\s+us\s+on\b.*
    | source\s+link | original\s+(?:article|link|story) | view\s+(?:comments|gallery|all)
    | open\s+in\s+app | skip\s+to\s+(?:main\s+)?content | loading | listen\b.*
    | \d+\s+min(?:ute)?s?\s+read
    | (?:sign|log)\s*-?\s*(?:in|up|out)\b.* | register | subscribe\b.*
    | (?:privacy\s+policy|terms\s+(?:of\s+(?:use|service))?|contact\s+us|about\s+us
       |cookie\s+(?:policy|settings))(?:\s*[|·•]\s*.*)?
    )$""",
    re.I | re.X,
)
_LANGUAGES = {
    "english", "français", "francais", "español", "espanol", "deutsch", "italiano", "português",
    "portugues", "русский", "українська", "العربية", "فارسی", "中文", "简体中文", "繁體中文",
    "繁体中文", "日本語", "한국어", "türkçe", "हिन्दी", "polski", "nederlands",
}  # fmt: skip
_BREADCRUMB = re.compile(r"^[^/>»›|]{1,40}(?:\s+[/>»›]\s+[^/>»›|]{1,40})+$")


def _is_chrome(line: str) -> bool:
    """Short navigation and widget labels ("Share", "Top", "Home / World / Europe", "English").

    Only short lines that are not sentences qualify, so "Share prices fell." stays.
    """
    if _word_count(line) > 8 or _ends_sentence(line):
        return False
    label = line.strip(" :>»›-–—|•·")
    tokens = [t for t in re.split(r"[\s|/·•]+", label.lower()) if t]
    return bool(
        _CHROME.match(label)
        or _BREADCRUMB.match(label)
        or (tokens and all(t in _LANGUAGES for t in tokens))
    )


_BOILERPLATE = re.compile(
    r"""^(?:
    (?:we|this\s+(?:web)?site|our\s+(?:web)?site|this\s+page)\s+
        (?:use|uses|is\s+using|are\s+using)\s+cookies\b
    | by\s+(?:continuing|using|clicking|browsing)\b.{0,100}\b(?:agree|accept|consent)
    | (?:accept|reject|manage|allow)(?:\s+all)?\s+cookies\b
    | cookies?\s+(?:settings|policy|preferences|consent|notice)\b
    | (?:subscribe|sign\s*-?\s*up|register|join)\b.{0,80}
        \b(?:newsletters?|updates|alerts|briefings?|inbox|digest|e-?mails?)\b
    | get\s+(?:the|our)\b.{0,60}\b(?:newsletters?|inbox|app)\b
    | (?:click|tap)\s+(?:here|the\s+link|to)\b
    | follow\s+(?:us|\S+)\s+on\s+(?:twitter|x|facebook|instagram|linkedin|tiktok|youtube
        |telegram|threads|bluesky|weibo|wechat|social)\b
    | (?:story|article)\s+continues\s+(?:below|after) | continue\s+reading\b
    | (?:download|get)\s+(?:our|the)\s+(?:\S+\s+)?app\b
    | advertisement\b | share\s+(?:this|on|via)\b
    )""",
    re.I | re.X,
)


def _is_boilerplate_phrase(line: str) -> bool:
    """Cookie banners, newsletter and app pitches, "Click here", "Follow us on X", ad labels."""
    return _word_count(line) <= 40 and bool(_BOILERPLATE.match(_BULLET.sub("", line)))


_LINE_RULES: tuple[Callable[[str], bool], ...] = (
    _is_url_line,
    _is_caption,
    is_byline,
    _is_legal,
    _is_contact,
    _is_keyword_list,
    _is_chrome,
    _is_boilerplate_phrase,
)


def is_boilerplate(line: str) -> bool:
    """True when one line on its own is site furniture (any single-line rule matches)."""
    line = line.strip()
    return bool(line) and any(rule(line) for rule in _LINE_RULES)


def main_script(lines: list[str]) -> str:
    """The script most of the text is written in ("LATIN", "CJK", "CYRILLIC"...).

    Each line votes with the square root of its letter count, so one giant spam line cannot
    outvote many paragraphs; keyword lists do not vote at all.
    """
    votes: dict[str, float] = {}
    for line in lines:
        if _is_keyword_list(line):
            continue
        counts = _script_counts(line)
        if counts:
            script, _ = counts.most_common(1)[0]
            votes[script] = votes.get(script, 0.0) + math.sqrt(sum(counts.values()))
    return max(votes, key=lambda s: votes[s]) if votes else ""


def _is_foreign(line: str, script: str) -> bool:
    """A line mostly in another script than the article is injected spam or a language menu."""
    counts = _script_counts(line)
    letters = sum(counts.values())
    return bool(script) and letters >= 3 and counts[script] < 0.4 * letters


# --- multi-line rules ------------------------------------------------------------------------

_MARKER = re.compile(
    r"""^(?:read\s+(?:also|more|next)|also\s+read|see\s+also|related(?:\s+\w+){0,2}
    | more\s+on\s+this(?:\s+\w+)?|further\s+reading|reference\(s\)|references?|source\(s\)
    | sources?|recommended(?:\s+\w+)?|you\s+(?:may|might)\s+also\s+like
    | more\s+from\s+[\w .&'-]{1,30}|also\s+on\s+[\w .&'-]{1,30})
    \s*(?P<colon>[:：»>])?\s*(?P<rest>.*)$""",
    re.I | re.X,
)
_MD_LINK_LINE = re.compile(r"^\[[^\]]+\]\([^)]+\)$")


def _link_marker(line: str) -> str:
    """Kind of link marker: "block" for a bare "Read also:", "line" for "Related: Story"."""
    match = _MARKER.match(line)
    if not match:
        return ""
    if not match.group("rest"):
        return "block"
    return "line" if match.group("colon") else ""


def _is_link_item(line: str) -> bool:
    """A line of a related-links list: a URL, a domain, or a headline (no closing full stop)."""
    body = _BULLET.sub("", line)
    if _is_url_line(body) or _MD_LINK_LINE.match(body):
        return True
    if _URL.search(body) and _word_count(body) <= 25:
        return True
    return _word_count(body) <= 20 and not _PERIOD_END.search(_strip_symbols(body))


def _drop_link_blocks(lines: list[str]) -> list[str]:
    """Remove "Read also:" / "Related:" / "Reference(s):" markers and the link list after them.

    The list ends at the first line of prose or the first blank line after an item, so real
    text right after a marker (a sentence ending in a full stop) survives.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        kind = _link_marker(lines[i])
        if not kind:
            out.append(lines[i])
            i += 1
            continue
        i += 1
        if kind == "line":
            continue
        first = i
        while first < len(lines) and not lines[first]:
            first += 1
        stop = first
        while stop < len(lines) and lines[stop] and _is_link_item(lines[stop]):
            stop += 1
        if stop > first:
            i = stop
    return out


_TRUNCATED = re.compile(r"(?:…|\.\.\.)[\"'”’]?$")


def _drop_teaser_runs(lines: list[str]) -> list[str]:
    """Remove runs of two or more lines cut off with "…": teasers for other stories.

    One article paragraph may trail off in an ellipsis; a run of them is a headline list.
    Blank lines between the teasers do not break the run.
    """
    marks = [bool(line) and bool(_TRUNCATED.search(_strip_symbols(line))) for line in lines]
    drop = [False] * len(lines)
    run: list[int] = []
    for i, line in enumerate([*lines, "."]):
        if i < len(lines) and not line:
            continue
        if i < len(lines) and marks[i]:
            run.append(i)
            continue
        if len(run) >= 2:
            for j in range(run[0], run[-1] + 1):
                drop[j] = True
        run = []
    return [line for line, gone in zip(lines, drop, strict=True) if not gone]


def _trim_edges(lines: list[str]) -> list[str]:
    """Drop the short non-sentence lines before the first and after the last line of prose.

    That is where headers, section labels, the headline (kept as `Article.title`) and footer
    menus live; short lines inside the article, such as subheadings, are kept.
    """
    prose = [i for i, line in enumerate(lines) if line and _is_prose(line)]
    if not prose:
        return []
    return lines[prose[0] : prose[-1] + 1]


def _normalise(text: str) -> list[str]:
    """Lines stripped of indentation and trailing space; "\\r\\n" and "\\r" become "\\n"."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return [line.strip() for line in text.split("\n")]


def _join(lines: list[str]) -> str:
    """Lines joined with "\\n", blank runs collapsed to one blank line, no blank ends."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def clean_text(text: str) -> str:
    """The article body without boilerplate: prose lines kept verbatim, one blank between
    paragraphs. Idempotent: cleaning clean text changes nothing."""
    lines = _drop_link_blocks(_normalise(text))
    script = main_script(lines)
    lines = [
        line
        for line in lines
        if not line or not (is_boilerplate(line) or _is_foreign(line, script))
    ]
    lines = _drop_teaser_runs(lines)
    return _join(_trim_edges(lines))
