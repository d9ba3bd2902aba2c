"""Strip site chrome, legal footers, spam and teasers from an article body, keeping its prose.

Every rule is general (the shape of boilerplate, not a list of lines from known files) and works
on whole lines: news pages put chrome on lines of its own, and a line is also what the sentence
splitter treats as a hard boundary. A hard-wrapped sentence (newswire, plain-text mail) is judged
as one line made of its pieces, which are kept or dropped together. Kept lines are never
rewritten, only stripped of indentation, so a citation still quotes the input exactly,
misspellings included.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from ingest.text.sentences import is_abbreviation

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
    """A line that reads as article text: long, a short complete sentence (bullets too), or a
    lead that opens with a dateline."""
    body = _BULLET.sub("", line)
    words = _word_count(body)
    return words >= 10 or (words >= 3 and _ends_sentence(body)) or _is_dateline(body)


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


_PLACE = r"[A-Z][\w.'’/-]*(?:\s+[A-Z][\w.'’/-]*){0,3}"  # "SALT LAKE CITY", "Fla."
_DAY = rf"(?:(?i:{_MONTH})\s+\d{{1,2}}|\d{{1,2}}\s+(?i:{_MONTH}))\b"  # "Feb 26", "2 March"
_AGENCY = r"\([A-Z][\w.&' -]{0,30}\)"  # "(Reuters)", "(AP)"
_PLACE_DATELINE = re.compile(
    rf"^{_PLACE}(?:(?:\s*,\s*{_PLACE}){{1,2}}\s*,?|\s*,)\s*{_DAY}(?:\s+{_AGENCY})?"
    rf"\s*[-–—]{{1,2}}\s+\S"
    rf"|^{_PLACE}(?:\s*,\s*{_PLACE}){{0,2}}\s+{_AGENCY}\s*[-–—]{{1,2}}\s+\S"
)


def _is_dateline(line: str) -> bool:
    """A wire lead opening with place and date ("SALVADOR, Feb 26 - Showers continued...",
    "KYIV (AP) — ..."): the first line of the story, however short, not a header."""
    return bool(_PLACE_DATELINE.match(line))


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


# Starts only where a run of address characters starts, and never gives any back: searched
# from every letter of a long word it would rescan the word each time (quadratic).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+")
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
        kind = _link_marker(lines[i].lstrip())
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
        while stop < len(lines) and lines[stop] and _is_link_item(lines[stop].lstrip()):
            stop += 1
        if stop > first:
            i = stop
    return out


_TRUNCATED = re.compile(r"(?:…|\.\.\.)[\"'”’]?$")


def _drop_teaser_runs(paragraphs: list[list[str]]) -> list[list[str]]:
    """Remove runs of two or more lines cut off with "…": teasers for other stories.

    One article paragraph may trail off in an ellipsis; a run of them is a headline list.
    Blank lines between the teasers do not break the run.
    """
    marks = [bool(p[-1]) and bool(_TRUNCATED.search(_strip_symbols(p[-1]))) for p in paragraphs]
    drop = [False] * len(paragraphs)
    run: list[int] = []
    for i, para in enumerate([*paragraphs, ["."]]):
        if i < len(paragraphs) and not para[0]:
            continue
        if i < len(paragraphs) and marks[i]:
            run.append(i)
            continue
        if len(run) >= 2:
            for j in range(run[0], run[-1] + 1):
                drop[j] = True
        run = []
    return [para for para, gone in zip(paragraphs, drop, strict=True) if not gone]


_FIGURE = re.compile(
    r"\d|^(?:-{2,}|n\.?a\.?|nil|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|twenty|thirty|hundred|thousand)\W*$",
    re.I,
)  # a digit, an empty cell ("--", "n.a."), or a spelled number ("Pay May One")
_NOTE = re.compile(r"^notes?\s*[:-]", re.I)
_MAX_ROW_WORDS = 15
_MAX_TABLE_GAP = 2  # label lines ("Year", "Nine mths") allowed between two rows of figures


def _is_figure_row(line: str) -> bool:
    """A short line where at least one word in five is a figure ("Revs 1.59 billion vs 997.1
    mln", "Pay May One"), or a note under one: a table, which is reporting, not chrome.

    A date on its own ("Aug 20, 2025") is page furniture, not a row.
    """
    if _NOTE.match(line):
        return True
    tokens = _DATEISH.sub("", line).split()
    figures = sum(1 for token in tokens if _FIGURE.search(token))
    return 0 < len(tokens) <= _MAX_ROW_WORDS and figures * 5 >= len(tokens)


def _table_end(paragraphs: list[list[str]], last: int) -> int:
    """Index of the last row of a table of figures that starts straight after (no blank line)
    the prose at `last`, or `last`. Only after the prose: above it, figures are dates and
    counters of the page ("Posted 2 Nov"), below it the tables of an earnings report.
    Once started, the table may go on past a blank line (a table in sections)."""
    end, gap = last, 0
    for i in range(last + 1, len(paragraphs)):
        text = " ".join(paragraphs[i])
        if not text and end == last:
            break
        if _is_figure_row(text):
            end, gap = i, 0
            continue
        gap += 1
        if gap > _MAX_TABLE_GAP:
            break
    return end


def _trim_edges(paragraphs: list[list[str]]) -> list[list[str]]:
    """Drop the short non-sentence lines before the first and after the last line of prose.

    That is where headers, section labels, the headline (kept as `Article.title`) and footer
    menus live; short lines inside the article, such as subheadings, are kept, and so is a
    table of figures that follows the prose (earnings reports are mostly tables).
    """
    prose = [i for i, para in enumerate(paragraphs) if para[0] and _is_prose(" ".join(para))]
    if not prose:
        return []
    return paragraphs[prose[0] : _table_end(paragraphs, prose[-1]) + 1]


# --- hard-wrapped text -----------------------------------------------------------------------

# Text is wrapped at 60-80 columns: a longer line is a paragraph of its own, and a narrower
# "width" comes from a column of figures or labels, not from wrapped prose.
_WRAP_WIDTHS = range(45, 121)
_WRAP_SLACK = 3  # columns a hand-wrapped line may stop short of the width
_WRAP_OVERRUN = 5  # ... or run past it: by a fifth of the width at most


_WORD = re.compile(r"[^\W\d_][\w'’-]*+[,;:.!?)\"'”’]*")


def _runs_on(line: str, nxt: str) -> bool:
    """`nxt` carries on the unfinished sentence of `line`: it starts with a lower-case word
    (not a link such as "https://..." or "cgtn.com")."""
    first = nxt.split(maxsplit=1)[0] if nxt else ""
    return bool(line) and first[:1].islower() and bool(_WORD.fullmatch(first)) and _open_ended(line)


def _open_ended(line: str) -> bool:
    """The line stops mid-sentence: no full stop, or one that closes an abbreviation or an
    initial ("the largest U.S." / "company ...", "chaired by Richard R." / "Shinn, ...")."""
    return not _ends_sentence(line) or (line.endswith(".") and is_abbreviation(line, len(line)))


def _wrap_width(lines: list[str]) -> int:
    """The column a hard-wrapped text was wrapped at (its longest line that runs on into the
    next), or 0 when the text does not look hard-wrapped."""
    widths = [
        len(line) for line, nxt in itertools.pairwise(lines) if _runs_on(line.strip(), nxt.strip())
    ]
    width = max(widths, default=0)
    return width if width in _WRAP_WIDTHS else 0


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _continues(line: str, nxt: str, width: int) -> bool:
    """`line` was wrapped into `nxt`: `nxt` starts in lower case, or `line` stops mid-sentence
    at the wrap width, where the first word of `nxt` would not have fitted.

    Not when `nxt` is indented deeper (an indent opens a paragraph, or a sign-off) or `line`
    is far longer than the width (a paragraph or caption of its own, never wrapped).
    """
    if not line or not nxt:
        return False
    if _runs_on(line.strip(), nxt.strip()):
        return True
    return (
        width > 0
        and (not _ends_sentence(line) or _initial_runs_on(line, nxt))
        and _indent(nxt) <= _indent(line)
        and width - _WRAP_SLACK < len(line) + 1 + len(nxt.split()[0])
        and len(line) <= width + width // _WRAP_OVERRUN
    )


def _initial_runs_on(line: str, nxt: str) -> bool:
    """ "... chaired by Richard R." / "Shinn, ...": a line ending in an initial or an
    abbreviation runs on where no paragraph opens: the next line is indented less (a wire
    opens each paragraph indented, "Brothers Inc." / "    The offer ..." is two), or neither
    line is indented."""
    flat = _indent(line) == _indent(nxt) == 0
    return _open_ended(line.rstrip()) and (_indent(nxt) < _indent(line) or flat)


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Lines grouped into the logical lines they were wrapped from, stripped of indentation; a
    blank line stays alone.

    Newswires and plain-text mail break sentences at a fixed width, and each piece on its own
    can look like a heading, a label or a button ("Share adjusted for..."); the rules judge the
    whole sentence instead.
    """
    width = _wrap_width(lines)
    paragraphs: list[list[str]] = []
    previous = ""
    for line in lines:
        if paragraphs and _continues(previous, line, width):
            paragraphs[-1].append(line.strip())
        else:
            paragraphs.append([line.strip()])
        previous = line
    return paragraphs


def _normalise(text: str) -> list[str]:
    """Lines without trailing space, tabs expanded; "\\r\\n" and "\\r" become "\\n".

    Indentation stays until the lines are grouped into paragraphs: it marks where a wrapped
    paragraph starts."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return [line.rstrip().expandtabs() for line in text.split("\n")]


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
    """The article body without boilerplate: prose kept verbatim, a hard-wrapped paragraph
    joined into one line (a sentence must not end at the wire's line width: answers quote
    sentences), one blank between paragraphs. Idempotent: cleaning clean text changes nothing."""
    lines = _drop_link_blocks(_normalise(text))
    script = main_script(lines)
    lines = [line for line in lines if not line or not _is_foreign(line, script)]
    paragraphs = [para for para in _paragraphs(lines) if not is_boilerplate(" ".join(para))]
    paragraphs = _trim_edges(_drop_teaser_runs(paragraphs))
    return _join([" ".join(para) for para in paragraphs])
