"""Files -> `Article`s: read bytes, refuse bad files with a reason, read metadata, clean the body.

Metadata is read from the raw text (bylines, links and dates are exactly what cleaning removes);
the body is then cleaned with `ingest.clean.clean_text`. Encodings are never guessed: a file
that is not UTF-8 is skipped with a reason that says how to fix it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ingest.clean import clean_text, is_boilerplate, is_byline
from ingest.html_text import html_to_document
from ingest.models import Article, Skipped
from ingest.text.sentences import sentences

SUFFIXES = (".txt", ".md", ".html", ".htm")
MAX_BYTES = 5 * 1024 * 1024
# Bump when loading, cleaning or splitting changes what an article's chunks hold.
PIPELINE = "text-4"
TITLE_CHARS = 100

_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (.docx, .epub...)",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
_TEXT_CONTROLS = {9, 10, 12, 13}  # tab, newline, form feed, carriage return
_MAX_CONTROL_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class _Meta:
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""

    def fill(self, other: _Meta) -> _Meta:
        """This metadata, with blanks taken from `other`."""
        return _Meta(
            self.title or other.title,
            self.outlet or other.outlet,
            self.published or other.published,
            self.url or other.url,
        )


# --- files -----------------------------------------------------------------------------------


def list_files(folder: Path) -> list[Path]:
    """Article files under `folder`, recursively, sorted; hidden files and folders skipped.

    A broken symlink named like an article is listed too, so that it is reported as unreadable
    rather than passed over in silence; folders, pipes and devices are not article files.
    """
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() in SUFFIXES and (
            path.is_file() or (path.is_symlink() and not path.exists())
        ):
            found.append(path)
    return sorted(found, key=lambda p: _listing_order(p, folder))


def _listing_order(path: Path, folder: Path) -> tuple[str, bool, bytes]:
    """By id; of two files whose ids are the same (a latin-1 "caf\xe9.txt" and one really
    named with a backslash), the one named exactly so first, then by raw name: every run
    picks the same one to index (see `ingest.sync`)."""
    key = article_key(path, folder)
    return key, key != path.relative_to(folder).as_posix(), os.fsencode(path)


def file_hash(data: bytes) -> str:
    """sha256 of the raw bytes and the text pipeline's version: a file whose bytes did not
    change is not processed again, unless the way files are read, cleaned or split changed
    (then every article is redone once, so nothing stale stays in the index)."""
    return hashlib.sha256(PIPELINE.encode() + b"\0" + data).hexdigest()


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def size_problem(size: int) -> str:
    """Why a file of `size` bytes is refused, or "" (checked before the file is read)."""
    if size > MAX_BYTES:
        return f"too large ({_size(size)}; the limit is {_size(MAX_BYTES)})"
    return ""


def _binary_kind(data: bytes) -> str:
    """What a binary file is ("a PNG image"), or "" for text. NULs or many controls = binary."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    sample = data[:8192]
    if b"\x00" in sample:
        return "a binary file (it contains NUL bytes)"
    controls = sum(1 for b in sample if (b < 32 and b not in _TEXT_CONTROLS) or b == 127)
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        return "a binary file (it is mostly control characters)"
    return ""


def _decode(data: bytes) -> tuple[str, str]:
    """(text, "") for UTF-8 bytes (a BOM is dropped), else ("", a one-line reason)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "", "UTF-16 text, not UTF-8; save it as UTF-8"
    kind = _binary_kind(data)
    if kind:
        return "", f"not text: {kind}"
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[offset:].decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        at = offset + exc.start
        return "", f"not valid UTF-8 (byte 0x{data[at]:02x} at offset {at}); save it as UTF-8"


def article_key(path: Path, root: Path) -> str:
    """The article's id: its path relative to `root`, printable and storable whatever the OS
    allowed in the name. Bytes that are not UTF-8 (a latin-1 "caf\xe9.txt") become "\\xe9" and
    control characters their escapes, so Chroma can store the id and a warning can show it,
    and the same file gets the same id on every run."""
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    readable = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in readable)


def _escape(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii")


def read_article(path: Path, root: Path, data: bytes | None = None) -> Article | Skipped:
    """The cleaned article in `path`, or why it was skipped. `data` saves a second read.

    The id is the path relative to `root` (stable across runs); the hash is over the raw bytes.
    """
    rel = article_key(path, root)
    if data is None:
        try:
            if problem := size_problem(path.stat().st_size):
                return Skipped(rel, problem)
            data = path.read_bytes()
        except OSError as exc:
            return Skipped(rel, _one_line(f"unreadable ({exc.strerror or exc})"))
    if problem := size_problem(len(data)):
        return Skipped(rel, problem)
    if not data:
        return Skipped(rel, "empty file")
    raw, problem = _decode(data)
    if problem:
        return Skipped(rel, problem)
    if not raw.strip():
        return Skipped(rel, "only whitespace, no text")
    body, meta = _parse(raw, path.suffix.lower())
    text = clean_text(body)
    if not text:
        return Skipped(rel, "no article text left after cleaning")
    return Article(
        article_id=rel,
        file=rel,
        title=meta.title or _title_from_text(text),
        text=text,
        content_hash=file_hash(data),
        outlet=meta.outlet,
        published=meta.published,
        url=meta.url,
    )


def _one_line(reason: str) -> str:
    return " ".join(reason.split())


def _parse(raw: str, suffix: str) -> tuple[str, _Meta]:
    """(body to clean, metadata) for one file's text, by its format."""
    if suffix in {".html", ".htm"}:
        doc = html_to_document(raw)
        url = _article_url(doc.url)
        meta = _Meta(doc.title, doc.outlet or _host(url), _iso_date(doc.published), url)
        return doc.text, meta.fill(_text_metadata(doc.text))
    if suffix == ".md":
        front, body = _front_matter(raw)
        heading = _MD_TITLE.search(body)
        meta = _Meta(
            _first(front, "title") or (heading.group(1).rstrip(" \t#") if heading else ""),
            _outlet_name(_first(front, "outlet", "source", "site", "site_name", "publisher")),
            _iso_date(_first(front, "date", "published", "published_at", "pubdate")),
            _article_url(_first(front, "url", "link", "canonical", "canonical_url")),
        )
        body = _markdown_to_text(body)
        return body, meta.fill(_text_metadata(body))
    return raw, _text_metadata(raw)


# --- markdown --------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def _front_matter(raw: str) -> tuple[dict[str, str], str]:
    """YAML-style `key: value` front matter between `---` lines (flat keys only), and the rest."""
    match = _FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-", "#")):
            fields[key.strip().lower()] = _unquote(value.strip())
    return fields, raw[match.end() :]


def _unquote(value: str) -> str:
    """`value` without one pair of matching YAML quotes: "'Tis" and 'x"' keep their own."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner
    return value


def _first(fields: dict[str, str], *keys: str) -> str:
    return next((fields[k] for k in keys if fields.get(k)), "")


# Markdown patterns stop at the next "[" (or "**"), a new line, or the next pattern's start:
# an unclosed "![" or "**" would otherwise be rescanned to the end of the text from every
# later one, which is quadratic in the article's size. Trailing "#"s are stripped in Python
# for the same reason (a lazy group before `[ \t#]*$` rescans a run of them at every step).
_MD_TITLE = re.compile(r"^#[ \t]+(.+)$", re.M)
_MD_LINK_DEFINITION = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.M)
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^)\[\n]*\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\([^)\[\n]*\)")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(.*)$", re.M)
_MD_RULE = re.compile(r"^[ \t]*(?:[-*_=][ \t]*){3,}$", re.M)
_MD_BOLD = re.compile(r"(\*\*|__)(\S(?:(?:(?!\1).)*?\S)?)\1")


def _markdown_to_text(body: str) -> str:
    """Markdown syntax -> plain lines: headings unmarked, links to their text, images and rules
    dropped, `**bold**` unwrapped. Quotes and bullets stay, they read fine as text."""
    body = _MD_LINK_DEFINITION.sub("", body)
    body = _MD_IMAGE.sub("", body)
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_HEADING.sub(lambda m: m.group(1).rstrip(" \t#"), body)
    body = _MD_RULE.sub("", body)
    return _MD_BOLD.sub(r"\2", body)


# --- metadata from text ----------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.I)
_DOMAIN = re.compile(r"(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}", re.I)
_NOT_TLDS = {"jpg", "jpeg", "png", "gif", "webp", "svg", "html", "htm", "php", "pdf", "txt", "md"}
_IMAGE_PATH = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|avif|bmp)$|/wp-content/uploads/", re.I)
_SOURCE_LINE = re.compile(r"^(?:source|sources|source\(s\)|via)\s*[:：]\s*(?P<name>.+)$", re.I)
_URL_LABEL = re.compile(
    r"^(?:url|link|source|canonical|original(?:ly)?(?:\s+published)?(?:\s+at)?|read\s+more\s+at)"
    r"\s*[:：]?\s*(?P<url>https?://\S+)$",
    re.I,
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b", re.I)
_URL_DATE = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/")


def _iso_date(value: str) -> str:
    """The first full calendar date in `value` as YYYY-MM-DD, or "" (a month alone is not one)."""
    candidates: list[tuple[int, int, int, int]] = []  # (position, year, month, day)
    for m in _NUMERIC_DATE.finditer(value):
        candidates.append((m.start(), int(m[1]), int(m[2]), int(m[3])))
    for m in _MONTH_FIRST.finditer(value):
        candidates.append((m.start(), int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2])))
    for m in _DAY_FIRST.finditer(value):
        candidates.append((m.start(), int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1])))
    for _, year, month, day in sorted(candidates):
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return ""


def _host(value: str) -> str:
    """The bare domain of a URL or domain name ("www.x.com/a" -> "x.com"), else ""."""
    value = value.strip()
    host = urlsplit(value).hostname if "://" in value else value.split("/")[0]
    host = (host or "").lower()
    if not _DOMAIN.fullmatch(host) or host.rsplit(".", 1)[-1] in _NOT_TLDS:
        return ""
    return host.removeprefix("www.")


_MAX_NAME_WORDS = 4  # "The New York Times"; more words read as a sentence, not a name
# Markup, links, paths and file names; one slash may join two names ("AP/Reuters").
_NOT_A_NAME = re.compile(r"[\[\]{}<>|\\@=]|://|^/|/.*/|^\S+\.[a-z0-9]{2,5}$", re.I)
_PLACEHOLDERS = {"none", "null", "nil", "n/a", "na", "unknown", "tbd", "-", "--"}


def _outlet_name(value: str) -> str:
    """The outlet `value` names: its domain when it is a URL or domain ("www.x.com/a" ->
    "x.com"), else a plain name as written ("Reuters", "Coastal Herald"); "" for junk (a link
    or file name that is no domain, a placeholder, a sentence)."""
    value = " ".join(value.split())
    if host := _host(value):
        return host
    if (
        len(value.split()) > _MAX_NAME_WORDS
        or value.lower() in _PLACEHOLDERS
        or not any(ch.isalpha() for ch in value)
        or _NOT_A_NAME.search(value)
    ):
        return ""
    return value


def _article_url(url: str) -> str:
    """`url` when it can be the article's own address: http(s) and not an image file."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return ""
    return "" if _IMAGE_PATH.search(urlsplit(url).path) else url


def _looks_like_headline(line: str) -> bool:
    words = len(line.split())
    return 3 <= words <= 25 and not line.endswith((".", ":", ",", ";", "|")) and "://" not in line


def _headline(lines: list[str]) -> str:
    """The line above the byline when it reads as a headline; else a headline-like first line
    followed by prose. Chrome between them ("Share", breadcrumbs) is passed over."""
    for i, line in enumerate(lines[:40]):
        if not is_byline(line):
            continue
        for candidate in reversed(lines[:i]):
            if not is_boilerplate(candidate):
                return candidate if _looks_like_headline(candidate) else ""
        return ""
    if len(lines) > 1 and _looks_like_headline(lines[0]) and len(lines[1].split()) >= 10:
        return "" if is_boilerplate(lines[0]) else lines[0]
    return ""


def _outlet(lines: list[str], urls: list[str]) -> str:
    """A domain named in a byline, a "Source:" line, a bare domain line, else a URL's domain."""
    for line in lines:
        if is_byline(line):
            for part in re.split(r"\s*[|•·]\s*", line):
                if host := _host(part):
                    return host
    for line in lines:
        source = _SOURCE_LINE.match(line)
        if source and (name := _outlet_name(source.group("name"))):
            return name
    for line in lines:
        if " " not in line and (host := _host(line)):
            return host
    for url in urls:
        if host := _host(url):
            return host
    return ""


def _published(lines: list[str], urls: list[str]) -> str:
    """The date on a byline or "Updated:/Published:" line, else a /YYYY/MM/DD/ article URL."""
    for line in lines:
        if is_byline(line) and (date := _iso_date(line)):
            return date
    for url in urls:
        match = _URL_DATE.search(urlsplit(url).path) if _article_url(url) else None
        if match and (date := _iso_date(f"{match[1]}-{match[2]}-{match[3]}")):
            return date
    return ""


def _url(lines: list[str]) -> str:
    """A labelled ("Source: https://...") or standalone article URL; never an image."""
    for line in lines:
        labelled = _URL_LABEL.match(line)
        if labelled and (url := _article_url(labelled.group("url"))):
            return url
    for line in lines:
        if _URL.fullmatch(line) and (url := _article_url(line)):
            return url
    return ""


def _text_metadata(raw: str) -> _Meta:
    """Title, outlet, date and URL read from plain text by general rules (see each helper)."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    urls = _URL.findall(raw)
    return _Meta(_headline(lines), _outlet(lines, urls), _published(lines, urls), _url(lines))


def _title_from_text(text: str) -> str:
    """The first sentence, cut at a word boundary near TITLE_CHARS characters."""
    first = next(iter(sentences(text)), "")
    if len(first) <= TITLE_CHARS:
        return first
    cut = first[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"
