"""HTTP for feeds and article pages: polite, bounded, and failing in one line.

Every request names the project in its User-Agent, waits its turn per host (`delay` seconds
between two requests to one host), gives up after `timeout` seconds in all (a server that
trickles bytes is cut off too, not only one that never answers) and stops reading at `max_bytes`
(a 50 MB page costs at most that much memory and bandwidth). Feeds are asked conditionally
(ETag / Last-Modified), so an unchanged feed costs a 304 and no body. Any failure (DNS, refused
connection, timeout, a 4xx/5xx status, a body over the cap) is a `FetchError` whose message is
one line naming the URL: the caller logs it and goes on with the next feed or page.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from ingest.errors import NewsbotError

USER_AGENT = "newsbot/0.1 (news question-answering bot; feed reader)"
TIMEOUT = 20.0  # seconds for a whole request, headers and body
MAX_BYTES = 5 * 1024 * 1024  # the loader refuses larger article files anyway
HOST_DELAY = 1.0  # seconds between two requests to the same host
MAX_REDIRECTS = 5


class FetchError(NewsbotError):
    """A feed or page that could not be fetched; the message is one line for the user.

    `transient`: worth trying again later (a timeout, a refused connection, a 5xx); a 404, a
    body over the cap or a bad address will not get better."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response that arrived whole: status 200 with its body, or 304 without."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(slots=True)
class _Politeness:
    """When each host was last asked: one request per host per `delay` seconds."""

    delay: float
    last: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_turn(self, host: str) -> None:
        with self.lock:
            now = time.monotonic()
            turn = max(now, self.last.get(host, -self.delay) + self.delay)
            self.last[host] = turn
        if turn > now:
            time.sleep(turn - now)


class Fetcher:
    """One HTTP client for a fetch run; close it (or use `with`) when done."""

    def __init__(
        self,
        *,
        timeout: float = TIMEOUT,
        max_bytes: int = MAX_BYTES,
        delay: float = HOST_DELAY,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._polite = _Politeness(delay)
        self._client = httpx.Client(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            trust_env=True,  # HTTPS_PROXY, NO_PROXY, SSL_CERT_FILE as curl and pip read them
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        """GET `url` (conditionally when a validator is given); FetchError on any failure."""
        host = urlsplit(url).hostname or ""
        if urlsplit(url).scheme not in ("http", "https") or not host:
            raise FetchError(f"{url}: not an http(s) URL")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._polite.wait_turn(host)
        try:
            return self._get(url, headers)
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: no answer within {self.timeout:g} s", transient=True) from exc
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {_reason(exc)}", transient=True) from exc

    def _get(self, url: str, headers: dict[str, str]) -> Fetched:
        deadline = time.monotonic() + self.timeout
        with self._client.stream("GET", url, headers=headers) as response:
            final = str(response.url)
            if response.status_code == 304:
                return Fetched(final, 304, etag=response.headers.get("etag", ""))
            if response.status_code >= 400:
                raise FetchError(
                    f"{url}: HTTP {response.status_code} {response.reason_phrase}",
                    transient=response.status_code >= 500 or response.status_code == 429,
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"{url}: {_too_large(int(declared), self.max_bytes, False)}")
            body = bytearray()
            for piece in response.iter_bytes():
                body += piece
                if len(body) > self.max_bytes:
                    raise FetchError(f"{url}: {_too_large(len(body), self.max_bytes, True)}")
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"{url}: not read whole within {self.timeout:g} s", transient=True
                    )
            return Fetched(
                final,
                response.status_code,
                bytes(body),
                response.headers.get("content-type", ""),
                response.headers.get("etag", ""),
                response.headers.get("last-modified", ""),
            )


def _too_large(size: int, limit: int, stopped: bool) -> str:
    """Declared sizes are said as such; a body with no declared size was cut at the cap."""
    mb = 1024 * 1024
    if stopped:
        return f"too large (more than {limit / mb:.1f} MB came; stopped reading at the limit)"
    return f"too large ({size / mb:.1f} MB; the limit is {limit / mb:.1f} MB)"


def _reason(exc: httpx.HTTPError) -> str:
    """The failure in a few words: "cannot connect ([Errno -2] Name or service not known)"."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({text[:200]})"
    return f"{type(exc).__name__}: {text[:200]}"
