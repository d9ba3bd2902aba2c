"""read_article / list_files on the seeds, on written HTML/Markdown/text files and on bad files."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

import ingest.load
from ingest.load import PIPELINE, file_hash, list_files, read_article
from ingest.models import Article, Skipped

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

PROSE = (
    "The town harbour reopened on Tuesday, three days after the storm tore through the breakwater."
)
QUOTE = "“We are back in business,” said harbour master Tom Reed."


def load(path: Path, root: Path) -> Article:
    result = read_article(path, root)
    assert isinstance(result, Article), result
    return result


def skipped(path: Path, root: Path, data: bytes | None = None) -> str:
    result = read_article(path, root, data)
    assert isinstance(result, Skipped), result
    assert result.file == path.relative_to(root).as_posix()
    assert "\n" not in result.reason
    return result.reason


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- files -----------------------------------------------------------------------------------


def test_list_files_recursive_sorted_without_hidden_or_other_suffixes(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.md",
        "sub/c.html",
        "sub/deeper/d.HTM",
        "notes.pdf",
        "image.png",
        ".hidden.txt",
        ".git/e.txt",
        "sub/.cache/f.md",
    ]:
        write(tmp_path, name, PROSE)
    (tmp_path / "folder.txt").mkdir()
    names = [p.relative_to(tmp_path).as_posix() for p in list_files(tmp_path)]
    assert names == ["a.md", "b.txt", "sub/c.html", "sub/deeper/d.HTM"]


def test_file_hash_is_sha256_of_the_pipeline_and_the_bytes() -> None:
    assert file_hash(b"abc") == hashlib.sha256(PIPELINE.encode() + b"\0abc").hexdigest()
    assert file_hash(b"abc") != file_hash(b"abd")


# --- the seeds -------------------------------------------------------------------------------


def test_seed_000_metadata_from_headline_and_byline() -> None:
    path = next(SEEDS.glob("000_*.txt"))
    article = load(path, SEEDS)
    assert article.article_id == article.file == path.name
    assert article.content_hash == file_hash(path.read_bytes())
    assert article.title == "Likelihood increases of Russia-Ukraine meeting"
    assert article.outlet == "chinadaily.com.cn"
    assert article.published == "2025-08-20"
    assert article.url == ""
    assert article.text.startswith("High-stakes diplomatic efforts")
    assert "无码" not in article.text


def test_seed_001_outlet_from_image_url_but_no_url_or_date() -> None:
    article = load(next(SEEDS.glob("001_*.txt")), SEEDS)
    assert article.outlet == "aljazeera.com"
    assert article.url == ""  # the only URL is an image
    assert article.published == ""  # /2025/08/ is not a full date
    assert "Kiir Starmer" in article.text
    assert "https://" not in article.text


def test_seed_002_title_is_first_sentence_cut_at_a_word() -> None:
    article = load(next(SEEDS.glob("002_*.txt")), SEEDS)
    assert article.title.startswith("The Kremlin has sought to temper expectations")
    assert len(article.title) <= 101
    assert article.title.endswith("…")
    assert article.text.startswith(article.title[:-1])
    assert article.text[len(article.title) - 1] == " "  # cut at a word boundary
    assert article.outlet == ""


def test_seed_004_outlet_from_reference_block() -> None:
    article = load(next(SEEDS.glob("004_*.txt")), SEEDS)
    assert article.outlet == "cgtn.com"
    assert "cgtn.com" not in article.text


def test_article_id_is_posix_path_relative_to_root(tmp_path: Path) -> None:
    path = write(tmp_path, "2024/june/story.txt", PROSE)
    article = load(path, tmp_path)
    assert article.article_id == article.file == "2024/june/story.txt"


def test_given_bytes_are_used_instead_of_reading(tmp_path: Path) -> None:
    path = tmp_path / "not-on-disk.txt"
    article = read_article(path, tmp_path, PROSE.encode())
    assert isinstance(article, Article)
    assert article.text == PROSE
    assert article.content_hash == file_hash(PROSE.encode())


def test_utf8_bom_is_dropped_but_hashed(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + PROSE.encode()
    article = load(write(tmp_path, "bom.txt", data), tmp_path)
    assert article.text == PROSE
    assert article.content_hash == file_hash(data)


# --- written articles ------------------------------------------------------------------------

PLAIN = f"""We use cookies to improve your experience. By continuing, you agree to this.
Politics > Local
Harbour reopens after storm

By Ann Lee | coastalherald.example | Published: March 5, 2024
Share on Facebook
Source: https://coastalherald.example/news/harbour-reopens

{PROSE}

Advertisement

{QUOTE}

Related:
- Storm closes schools across the county
- https://coastalherald.example/2024/03/01/schools
Follow us on Twitter @coastalherald
Engineers will inspect the north wall next week.
Subscribe to our newsletter for daily updates
A new bakery has opened downtown and queues have formed since…
Police are searching for a man who escaped from custody after...
"""


def test_plain_text_metadata_and_body(tmp_path: Path) -> None:
    article = load(write(tmp_path, "harbour.txt", PLAIN), tmp_path)
    assert article.title == "Harbour reopens after storm"
    assert article.outlet == "coastalherald.example"
    assert article.published == "2024-03-05"
    assert article.url == "https://coastalherald.example/news/harbour-reopens"
    assert article.text == "\n\n".join(
        [PROSE, QUOTE, "Engineers will inspect the north wall next week."]
    )


MARKDOWN = f"""---
title: "Library extends opening hours"
source: www.townnews.example
date: 2024-05-17
url: https://townnews.example/library-hours
---
# Library extends opening hours

The central library will stay open until 9 pm on weekdays, the council said on **Friday**.

![A reading room](https://townnews.example/img/room.jpg)

Read more: [Council approves budget](https://townnews.example/budget)

Librarian Sam Ortiz said the change followed a [public survey](https://x.example/s) of 2,000 people.

{QUOTE}
"""


def test_markdown_front_matter_and_markup(tmp_path: Path) -> None:
    article = load(write(tmp_path, "library.md", MARKDOWN), tmp_path)
    assert article.title == "Library extends opening hours"
    assert article.outlet == "townnews.example"
    assert article.published == "2024-05-17"
    assert article.url == "https://townnews.example/library-hours"
    assert article.text == "\n\n".join(
        [
            "The central library will stay open until 9 pm on weekdays, the council said on "
            "Friday.",
            "Librarian Sam Ortiz said the change followed a public survey of 2,000 people.",
            QUOTE,
        ]
    )


def test_markdown_heading_is_the_title_without_front_matter(tmp_path: Path) -> None:
    article = load(write(tmp_path, "n.md", f"# Harbour reopens\n\n{PROSE}\n"), tmp_path)
    assert article.title == "Harbour reopens"
    assert article.text == PROSE


def front_matter(**fields: str) -> str:
    header = "\n".join(f"{key}: {value}" for key, value in fields.items())
    return f"---\n{header}\n---\n\n{PROSE}\n"


@pytest.mark.parametrize(
    ("outlet", "expected"),
    [
        ("Reuters", "Reuters"),
        ('"The Coastal Herald"', "The Coastal Herald"),
        ("AP/Reuters", "AP/Reuters"),
        ("https://www.reuters.com/world/", "reuters.com"),
        ("www.townnews.example", "townnews.example"),
        ("photo.jpg", ""),
        ("https://", ""),
        ("N/A", ""),
        ("{{ site.name }}", ""),
        ("2024", ""),
        ("Read the full story on our website today", ""),
    ],
)
def test_front_matter_outlet_is_a_domain_or_a_plain_name(
    tmp_path: Path, outlet: str, expected: str
) -> None:
    """A plain name is kept as written, a URL or domain as its host; junk is no outlet."""
    article = load(write(tmp_path, "n.md", front_matter(title="Harbour", outlet=outlet)), tmp_path)
    assert article.outlet == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ('"\'Tis the season for storms"', "'Tis the season for storms"),
        ("'\"Back in business\", says harbour master'", '"Back in business", says harbour master'),
        ("'Harbour''s north wall holds'", "Harbour's north wall holds"),
        ("Harbour reopens", "Harbour reopens"),
        ('"Unclosed quote', '"Unclosed quote'),
    ],
)
def test_front_matter_value_loses_one_pair_of_quotes(
    tmp_path: Path, title: str, expected: str
) -> None:
    article = load(write(tmp_path, "n.md", front_matter(title=title)), tmp_path)
    assert article.title == expected


HTML = f"""<!doctype html>
<html><head>
<title>Harbour reopens after storm - Coastal Herald</title>
<meta property="og:title" content="Harbour reopens after storm">
<meta property="og:site_name" content="Coastal Herald">
<meta property="article:published_time" content="2024-03-05T08:30:00Z">
<link rel="canonical" href="https://coastalherald.example/news/2024/03/05/harbour-reopens">
<style>body {{ color: red; }}</style>
<script>var banner = "Subscribe now";</script>
</head><body>
<nav><ul><li>Home</li><li>World</li></ul></nav>
<div role="navigation">Sections</div>
<article>
<header><h1>Harbour reopens after storm</h1><p>By Ann Lee</p></header>
<p>{PROSE}</p>
<figure><img src="quay.jpg"><figcaption>Boats return to the quay.</figcaption></figure>
<p>&ldquo;We are back in business,&rdquo; said harbour master <b>Tom Reed</b>.</p>
<h2>Repairs ahead</h2>
<ul><li>Engineers will inspect the north wall next week.</li>
<li>Fishing boats may land catches again from Friday.</li></ul>
<blockquote>The damage was worse than we feared.</blockquote>
<div>Share on Facebook</div>
<aside>Related: Storm closes schools</aside>
<form>Sign up for our newsletter</form>
</article>
<div>Trending now: celebrity wedding pictures everywhere</div>
<footer>Copyright 2024 Coastal Herald. All rights reserved.</footer>
</body></html>
"""


def test_html_text_and_meta_tags(tmp_path: Path) -> None:
    article = load(write(tmp_path, "harbour.html", HTML), tmp_path)
    assert article.title == "Harbour reopens after storm"
    assert article.outlet == "Coastal Herald"
    assert article.published == "2024-03-05"
    assert article.url == "https://coastalherald.example/news/2024/03/05/harbour-reopens"
    assert article.text == "\n".join(
        [
            PROSE,
            QUOTE,
            "Repairs ahead",
            "- Engineers will inspect the north wall next week.",
            "- Fishing boats may land catches again from Friday.",
            "The damage was worse than we feared.",
        ]
    )


def test_html_without_meta_uses_title_time_and_whole_body(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Dam plan approved</title></head><body>"
        '<p>Posted <time datetime="2023-11-02">2 Nov</time></p>'
        f"<p>{PROSE}</p><p>{QUOTE}</p><footer>About us</footer></body></html>"
    )
    article = load(write(tmp_path, "dam.htm", page), tmp_path)
    assert article.title == "Dam plan approved"
    assert article.published == "2023-11-02"
    assert article.text == f"{PROSE}\n{QUOTE}"


def test_long_first_sentence_title_is_truncated(tmp_path: Path) -> None:
    long = " ".join(["word"] * 40) + "."
    article = load(write(tmp_path, "long.txt", long), tmp_path)
    assert article.title == " ".join(["word"] * 20) + "…"


# --- bad files -------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in skipped(write(tmp_path, "empty.txt", b""), tmp_path)


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "whitespace" in skipped(write(tmp_path, "blank.txt", " \n\t\r\n  \n"), tmp_path)


def test_binary_png(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    assert "PNG image" in skipped(write(tmp_path, "pic.txt", png), tmp_path)


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    data = b"looks like text\x00\x00\x01\x02 but is not"
    assert "binary" in skipped(write(tmp_path, "blob.txt", data), tmp_path)


def test_cp1252_is_not_guessed(tmp_path: Path) -> None:
    reason = skipped(write(tmp_path, "cp.txt", b"Caf\xe9 \x93quoted\x94 text here."), tmp_path)
    assert reason == "not valid UTF-8 (byte 0xe9 at offset 3); save it as UTF-8"


def test_cp1252_offset_counts_the_bom(tmp_path: Path) -> None:
    reason = skipped(write(tmp_path, "cp.txt", b"\xef\xbb\xbfSmart \x93quotes\x94"), tmp_path)
    assert "byte 0x93 at offset 9" in reason


def test_utf16_is_named(tmp_path: Path) -> None:
    data = "Hello world".encode("utf-16")
    assert "UTF-16" in skipped(write(tmp_path, "u16.txt", data), tmp_path)


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest.load, "MAX_BYTES", 50)
    path = write(tmp_path, "big.txt", PROSE)
    assert skipped(path, tmp_path).startswith("too large (")
    assert skipped(path, tmp_path, path.read_bytes()).startswith("too large (")
    monkeypatch.setattr(ingest.load, "MAX_BYTES", len(PROSE.encode()))
    assert isinstance(read_article(path, tmp_path), Article)


def test_unreadable_directory_named_like_a_file(tmp_path: Path) -> None:
    path = tmp_path / "folder.txt"
    path.mkdir()
    assert skipped(path, tmp_path).startswith("unreadable (")


def test_unreadable_broken_symlink(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    path.symlink_to(tmp_path / "missing-target.txt")
    assert skipped(path, tmp_path).startswith("unreadable (")


def test_nothing_left_after_cleaning(tmp_path: Path) -> None:
    page = "Share\nHome / News\nCopyright 2024 Valley News. All rights reserved.\nTop\n"
    path = write(tmp_path, "chrome.txt", page)
    assert skipped(path, tmp_path) == "no article text left after cleaning"


def test_seeds_folder_loads_every_seed(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    write(folder, "bad/cp.txt", b"\x93x\x94")
    results = [read_article(p, folder) for p in list_files(folder)]
    assert [type(r).__name__ for r in results] == ["Article"] * 5 + ["Skipped"]
    assert all(isinstance(r, Skipped) or r.text for r in results)
