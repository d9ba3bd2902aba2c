"""Reuters-21578 SGML -> a folder of newsbot `.md` articles, rebuilt from the user's own copy.

    python -m benchmarks.reuters SGM_DIR_OR_TARGZ OUT_DIR [--files reut2-000.sgm,reut2-001.sgm]

The collection may be shared for research only and its copyright is Reuters Ltd's, so the
project ships the questions (bot/eval/evalsets/reuters.jsonl) and this script, never article text.
Text is kept as the wire had it (datelines, tables, the "Reuter" sign-off): cleaning is ingest's
job, and an eval corpus that was pre-cleaned would flatter the cleaner. See benchmarks/REUTERS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import sys
import tarfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DEFAULT_FILES = ("reut2-000.sgm", "reut2-001.sgm")
# sha256 of the Distribution 1.0 files the questions were written against.
SHA256 = {
    "reut2-000.sgm": "686f5cf549930e23184bcba2328c7d01348df20f7167ff25e6d3495090c3f822",
    "reut2-001.sgm": "b7fc3231dd9f95fb53518f8d5739d41524fa8dacdb21ddb7f612d9a475c14ea1",
}
# The loader keeps a front-matter outlet only when it is a domain, as the seeds' outlets are.
OUTLET = "reuters.com"
PREFIX = "reuters-"

_RECORD = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'\bNEWID="(\d+)"')
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_QUOTES = "\"'"
# A plain YAML scalar cannot hold these; quoting keeps the front matter valid YAML too.
_NEEDS_QUOTING = re.compile(r": |\s#|:$|^[-?:,\[\]{}#&*!|>%@`]")


class ReutersError(Exception):
    """A source that cannot be turned into articles; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Story:
    """One wire story: its NEWID, headline as printed, ISO date ("" if unreadable) and text."""

    newid: int
    title: str
    date: str
    text: str

    @property
    def filename(self) -> str:
        return f"{PREFIX}{self.newid:05d}.md"


# --- parsing ---------------------------------------------------------------------------------


def _tag(record: str, name: str) -> str | None:
    match = re.search(rf"<{name}>(.*?)</{name}>", record, re.S)
    return match.group(1) if match else None


def _unescape(text: str) -> str:
    """Entities decoded and control characters (the wire's &#2;, &#3;, DEL...) removed."""
    return _CONTROLS.sub("", html.unescape(text).replace("\t", " "))


def _iso(date: str) -> str:
    """'26-FEB-1987 15:01:01.79' -> '1987-02-26'; "" when the field is garbled."""
    match = _DATE.search(date)
    if not match:
        return ""
    try:
        return datetime.strptime(" ".join(match.groups()).title(), "%d %b %Y").date().isoformat()
    except ValueError:
        return ""


def parse(sgml: str) -> list[Story]:
    """The stories of one SGML file that have a <BODY>; briefs and unprocessed items have none."""
    stories = []
    for attrs, record in _RECORD.findall(sgml):
        body = _tag(record, "BODY")
        newid = _NEWID.search(attrs)
        if body is None or newid is None:
            continue
        dateline = _unescape(_tag(record, "DATELINE") or "").strip()
        text = _unescape(body).strip()
        stories.append(
            Story(
                newid=int(newid.group(1)),
                title=" ".join(_unescape(_tag(record, "TITLE") or "").split()),
                date=_iso(_tag(record, "DATE") or ""),
                text=f"{dateline} {text}" if dateline else text,
            )
        )
    return stories


def read_sgml(name: str, data: bytes) -> str:
    """The text of one SGML file. Latin-1 never fails and is what the 1987 wire bytes are."""
    text = data.decode("latin-1")
    if "<REUTERS" not in text:
        raise ReutersError(f"{name}: not Reuters-21578 SGML (no <REUTERS> record in it)")
    return text


# --- writing ---------------------------------------------------------------------------------


def _front_title(title: str) -> str | None:
    """`title` as a front-matter value that newsbot's loader reads back unchanged, or None.

    The loader strips every quote character at both ends of a value, so a headline that starts
    or ends with a quote cannot travel in front matter: it goes in a `# heading` instead.
    """
    if title[:1] in _QUOTES or title[-1:] in _QUOTES:
        return None
    if not _NEEDS_QUOTING.search(title):
        return title
    for quote in '"', "'":
        if quote not in title and "\\" not in title:
            return f"{quote}{title}{quote}"
    return title  # both quote kinds inside: the loader still reads it right, strict YAML not


def render(story: Story) -> str:
    """The `.md` file for one story: front matter (title, outlet, date), a blank line, text."""
    lines = ["---"]
    heading = ""
    if story.title:
        value = _front_title(story.title)
        if value is None:
            heading = f"# {story.title}\n\n"
        else:
            lines.append(f"title: {value}")
    lines.append(f"outlet: {OUTLET}")
    if story.date:
        lines.append(f"date: {story.date}")
    lines.append("---")
    return "\n".join(lines) + f"\n\n{heading}{story.text}\n"


def write(stories: Iterable[Story], out: Path) -> list[Path]:
    """Write one file per story into `out` and delete `reuters-*.md` files not written now.

    A file whose bytes would not change is left alone, so a rebuild touches nothing and a
    re-ingest finds every article unchanged.
    """
    out.mkdir(parents=True, exist_ok=True)
    by_name = {story.filename: story for story in stories}
    written = []
    for name in sorted(by_name):
        path = out / name
        data = render(by_name[name]).encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    for stale in out.glob(f"{PREFIX}*.md"):
        if stale.name not in by_name:
            stale.unlink()
    return written


def build(sgm_files: Sequence[Path], out: Path) -> list[Path]:
    """Parse the SGML files and write their stories into `out`; the paths written, sorted."""
    stories: list[Story] = []
    for path in sgm_files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReutersError(f"{path}: {exc.strerror or exc}") from exc
        stories.extend(parse(read_sgml(str(path), data)))
    return write(stories, out)


# --- sources and the command line --------------------------------------------------------------


def read_sources(source: Path, names: Sequence[str]) -> list[tuple[str, bytes]]:
    """(name, bytes) of each named file, from a folder or the original reuters21578.tar.gz."""
    if source.is_dir():
        found = []
        for name in names:
            path = source / name
            if not path.is_file():
                raise ReutersError(f"{path}: no such file")
            found.append((name, path.read_bytes()))
        return found
    if not source.is_file():
        raise ReutersError(f"{source}: no such folder or file")
    if not tarfile.is_tarfile(source):
        raise ReutersError(f"{source}: neither a folder of .sgm files nor a .tar.gz archive")
    with tarfile.open(source) as archive:
        members = {Path(m.name).name: m for m in archive.getmembers() if m.isfile()}
        found = []
        for name in names:
            member = members.get(name)
            stream = archive.extractfile(member) if member else None
            if stream is None:
                raise ReutersError(f"{source}: has no {name}")
            found.append((name, stream.read()))
        return found


def hash_warning(name: str, data: bytes) -> str:
    """One line when a known file's bytes are not the ones the questions were written on."""
    expected = SHA256.get(name)
    actual = hashlib.sha256(data).hexdigest()
    if expected is None or actual == expected:
        return ""
    return (
        f"warning: {name} sha256 {actual[:12]}... is not the Distribution 1.0 file's "
        f"({expected[:12]}...); the questions may not match its articles"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder of reut2-*.sgm, or reuters21578.tar.gz")
    parser.add_argument("out", type=Path, help="folder to write reuters-NNNNN.md files into")
    parser.add_argument("--files", default=",".join(DEFAULT_FILES), help="comma-separated")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.files.split(",") if n.strip()]
    try:
        sources = read_sources(args.source, names)
        stories = []
        for name, data in sources:
            text = read_sgml(name, data)
            if warning := hash_warning(name, data):
                print(warning, file=sys.stderr)
            stories.extend(parse(text))
        written = write(stories, args.out)
    except (ReutersError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} articles to {args.out} from {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
