"""A stand-in for the web: news sites' feeds and article pages, served on 127.0.0.1.

The real sites cannot be reached from the tests (no internet, and they change), so this small
stdlib HTTP server plays them: an RSS 2.0 feed (with an ETag, answered 304 when it matches) and
an Atom feed (with Last-Modified, 304 on If-Modified-Since), shaped like real ones; article
pages with site chrome, meta tags and canonical links; a redirect, a 500, a page slower than
any timeout, a malformed feed, a 404, a PDF, a 50 MB page (with and without Content-Length),
and a syndicated copy of one story on another outlet's site. Every request is recorded (path,
headers, time), so tests assert what a site would have seen.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ETAG = '"rss-v1"'
LAST_MODIFIED = "Tue, 19 Aug 2025 10:00:00 GMT"
SLOW_SECONDS = 4.0
HUGE_BYTES = 50 * 1024 * 1024

BRIDGE = [
    "The Kestrel Bay council voted seven to two on Tuesday to build a new harbour bridge, "
    "ending a debate that has divided the town for twenty years.",
    "The bridge will carry two traffic lanes and a cycle path over the mouth of the harbour. "
    "Construction is due to start next spring and should take three years, the council said.",
    "Mayor Alison Reyes said the crossing would cost 240 million dollars, most of it paid by a "
    "regional infrastructure fund. Opponents said the money would be better spent on ferries.",
    "Fishing crews asked for a raised span so that trawlers can still reach the inner harbour "
    "at high tide, and the engineers agreed to a clearance of eighteen metres.",
]
FERRY = [
    "The Kestrel Bay port authority will move its ferry terminal to the north quay in March, "
    "freeing the old pier for a fish market and a public promenade.",
    "The new terminal has room for two vessels at once and a covered waiting hall for three "
    "hundred passengers, the authority said in a statement on Monday.",
    "Ferry timetables will not change, but passengers arriving by car are asked to use the new "
    "access road from the ring road, which opens a week before the move.",
]
LIBRARY = [
    "The Kestrel Bay public library reopened on Saturday after eight months of repairs to the "
    "damage left by last winter's flood, which ruined twelve thousand books.",
    "Volunteers catalogued the donated books that replaced them, and the children's room was "
    "moved upstairs so that a future flood cannot reach it, the head librarian said.",
    "The repairs cost 1.8 million dollars, of which the town's insurer paid two thirds.",
]


def page(
    title: str,
    paragraphs: list[str],
    *,
    outlet: str,
    canonical: str,
    author: str,
    published: str,
) -> bytes:
    """An article page as news sites write them: chrome around an <article>, meta tags."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{title} | {outlet}</title>
<link rel="canonical" href="{canonical}">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{outlet}">
<meta property="og:url" content="{canonical}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{published}T08:30:00+00:00">
<script>window.dataLayer = [{{"page": "article"}}];</script>
</head><body>
<header><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a>
| <a href="/subscribe">Subscribe</a></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By {author}</p>
<time datetime="{published}">{published}</time>
{body}
</article>
<aside><h3>Most read</h3><ul><li><a href="/x">Weather warning for the weekend</a></li>
<li><a href="/y">Local team wins the cup</a></li></ul></aside>
</main>
<footer><p>Copyright 2025 {outlet}. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> | <a href="/contact">Contact us</a></p></footer>
</body></html>""".encode()


def rss(base: str) -> bytes:
    """An RSS 2.0 feed of the Harbour Gazette: pages, a redirect, a 500, a slow page, a PDF,
    a 50 MB page, and an item with no link (its summary is all there is)."""
    items = [
        ("Council approves the Kestrel Bay harbour bridge", "/news/bridge.html", "gazette-1"),
        ("Ferry terminal moves to the north quay", "/old/ferry", "gazette-2"),
        ("Harbour dredging contract awarded", "/news/broken", "gazette-3"),
        ("Storm damage on the sea wall", "/news/slow", "gazette-4"),
        ("Harbour annual report published", "/files/report.pdf", "gazette-5"),
        ("Photo archive of the old harbour", "/news/huge", "gazette-6"),
        ("Tide tables for September", "/news/huge-streamed", "gazette-7"),
    ]
    xml = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        "<title>Harbour Gazette</title>",
        f"<link>{base}/</link>",
        "<description>News from Kestrel Bay</description>",
        "<language>en-gb</language>",
        f"<lastBuildDate>{LAST_MODIFIED}</lastBuildDate>",
        f'<atom:link href="{base}/rss.xml" rel="self" type="application/rss+xml"/>',
    ]
    for n, (title, path, guid) in enumerate(items):
        xml += [
            "<item>",
            f"<title>{title}</title>",
            f"<link>{base}{path}?utm_source=rss&amp;utm_medium=feed</link>",
            f'<guid isPermaLink="false">{guid}</guid>',
            f"<pubDate>Tue, {19 - n:02d} Aug 2025 08:00:00 GMT</pubDate>",
            "<dc:creator>Gazette staff</dc:creator>",
            f"<description><![CDATA[<p>{title}: the summary of the story, as the feed gives "
            "it, in one sentence.</p>]]></description>",
            "</item>",
        ]
    xml += [
        "<item>",
        "<title>Harbour webcam back online</title>",
        '<guid isPermaLink="false">gazette-8</guid>',
        "<pubDate>Mon, 11 Aug 2025 08:00:00 GMT</pubDate>",
        "<description>The harbour webcam is back online after the storm knocked out its power "
        "supply, the harbour master said.</description>",
        "</item>",
        "</channel></rss>",
    ]
    return "\n".join(xml).encode()


def atom(base: str) -> bytes:
    """An Atom feed of the Coastal Times: a new story, a copy of the Gazette's bridge story on
    its own site, and the Gazette's bridge page again under another id (already taken)."""
    entries = [
        ("tag:coastal,2025:library", "Library reopens after flood repairs", "/coastal/library"),
        ("tag:coastal,2025:bridge", "Harbour bridge gets the go-ahead", "/coastal/bridge"),
        ("tag:coastal,2025:gazette", "Gazette: bridge approved", "/news/bridge.html?ref=coastal"),
    ]
    xml = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>Coastal Times</title>",
        f'<link href="{base}/coastal/"/>',
        f'<link rel="self" href="{base}/atom.xml"/>',
        "<id>tag:coastal,2025:feed</id>",
        "<updated>2025-08-19T10:00:00Z</updated>",
    ]
    for entry_id, title, path in entries:
        xml += [
            "<entry>",
            f"<id>{entry_id}</id>",
            f"<title>{title}</title>",
            f'<link rel="alternate" type="text/html" href="{base}{path}"/>',
            "<published>2025-08-19T09:00:00Z</published>",
            "<updated>2025-08-19T09:30:00Z</updated>",
            "<author><name>Coastal Times reporters</name></author>",
            f'<summary type="html">{title}.</summary>',
            "</entry>",
        ]
    return "\n".join([*xml, "</feed>"]).encode()


MALFORMED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>
<item><title>Unclosed <link>http://example.invalid/a</item></chnnel>"""


@dataclass
class Seen:
    """One request as the site saw it."""

    path: str
    headers: dict[str, str]
    at: float


@dataclass
class FakeWeb:
    """The stand-in sites; `start()` serves them on a free port of 127.0.0.1."""

    requests: list[Seen] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeWeb:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                web.requests.append(Seen(self.path, dict(self.headers.items()), time.monotonic()))
                web.serve(self)

            def log_message(self, *_: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path.split("?")[0] == path]

    # -- the sites --------------------------------------------------------------------------

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        base = self.base
        if path == "/rss.xml":
            if h.headers.get("If-None-Match") == ETAG:
                return _send(h, 304, b"", {"ETag": ETAG})
            return _send(h, 200, rss(base), {"ETag": ETAG}, "application/rss+xml")
        if path == "/atom.xml":
            if h.headers.get("If-Modified-Since") == LAST_MODIFIED:
                return _send(h, 304, b"")
            headers = {"Last-Modified": LAST_MODIFIED}
            return _send(h, 200, atom(base), headers, "application/atom+xml")
        if path == "/broken.xml":
            return _send(h, 200, MALFORMED, {}, "application/rss+xml")
        if path == "/news/bridge.html":
            canonical = f"{base}/news/bridge.html"
            body = page(
                "Council approves the Kestrel Bay harbour bridge",
                BRIDGE,
                outlet="Harbour Gazette",
                canonical=canonical,
                author="Maria Lopez",
                published="2025-08-19",
            )
            return _send(h, 200, body)
        if path == "/old/ferry":
            return _send(h, 301, b"", {"Location": f"{base}/news/ferry.html"})
        if path == "/news/ferry.html":
            body = page(
                "Ferry terminal moves to the north quay",
                FERRY,
                outlet="Harbour Gazette",
                canonical=f"{base}/news/ferry.html",
                author="Tom Baker",
                published="2025-08-18",
            )
            return _send(h, 200, body)
        if path == "/news/broken":
            return _send(h, 500, b"<h1>Internal Server Error</h1>")
        if path == "/news/slow":
            time.sleep(SLOW_SECONDS)
            return _send(
                h, 200, page("Late", BRIDGE, outlet="x", canonical="", author="", published="")
            )
        if path == "/files/report.pdf":
            return _send(h, 200, b"%PDF-1.7\n% annual report\n", {}, "application/pdf")
        if path in ("/news/huge", "/news/huge-streamed"):
            return _huge(h, declared=path == "/news/huge")
        if path == "/coastal/library":
            body = page(
                "Library reopens after flood repairs",
                LIBRARY,
                outlet="Coastal Times",
                canonical=f"{base}/coastal/library",
                author="Sam Okafor",
                published="2025-08-19",
            )
            return _send(h, 200, body)
        if path == "/coastal/bridge":
            copy = [
                "KESTREL BAY (Coastal Times) - " + BRIDGE[0],
                *BRIDGE[1:],
                "Reporting by Coastal Times staff.",
            ]
            body = page(
                "Harbour bridge gets the go-ahead",
                copy,
                outlet="Coastal Times",
                canonical=f"{base}/coastal/bridge",
                author="Coastal Times reporters",
                published="2025-08-19",
            )
            return _send(h, 200, body)
        return _send(h, 404, b"<h1>Not Found</h1>")


def _send(
    h: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    headers: dict[str, str] | None = None,
    content_type: str = "text/html; charset=utf-8",
) -> None:
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    h.send_header("Date", formatdate(usegmt=True))
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.end_headers()
    if body and h.command != "HEAD":
        try:
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up (its timeout): what a real site would see


def _huge(h: BaseHTTPRequestHandler, *, declared: bool) -> None:
    """50 MB of page, said up front or only streamed (no length: read until it ends)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    if declared:
        h.send_header("Content-Length", str(HUGE_BYTES))
    h.end_headers()
    block = b"<p>" + b"photo " * 10_000 + b"</p>\n"
    try:
        for _ in range(HUGE_BYTES // len(block)):
            h.wfile.write(block)
    except (BrokenPipeError, ConnectionResetError):
        return  # the client stopped reading at its cap: what a real site would see
