"""Raw lines from a file, stdin, an X v2 HTTP stream or a Jetstream WebSocket.

The reader only moves bytes; `formats.map_line` maps them, so the network part stays thin.
Network sources are endless: a dropped, stalled or closed connection is reopened after an
exponential backoff (with jitter; at least a minute after HTTP 429), and resumes from the
cursor of the last line the consumer took (Jetstream `cursor=<time_us>`; X v2 has no resume,
so posts made while disconnected are missed, as the API documents). Errors a person must fix
(bad token, wrong URL) raise `SourceFatal` at once. Progress, with a rate, goes to stderr.
"""

from __future__ import annotations

import http.client
import os
import random
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO, Callable, Iterator, Mapping, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from streams.infra.formats import jetstream, x_v2

TOKEN_ENV = "MODSTREAM_X_BEARER_TOKEN"


class SourceDropped(Exception):
    """The connection ended or stalled; reconnecting may help. `min_delay` is the server's floor."""

    def __init__(self, reason: str, min_delay: float = 0.0):
        super().__init__(reason)
        self.reason, self.min_delay = reason, min_delay


class SourceFatal(Exception):
    """Reconnecting will not help until a person fixes something (token, URL, rules)."""


class Source(Protocol):
    name: str
    finite: bool  #: True: the end of the data ends the run; False: it is a dropped connection

    def connect(self, cursor: int | None) -> Iterator[bytes]:
        """One connection's lines, from `cursor` when the source can resume."""
        ...


@dataclass
class StreamSource:
    """A file or stdin: read once, no reconnect."""

    name: str
    opener: Callable[[], BinaryIO]
    close_after: bool = True  #: False for stdin, which is not ours to close
    finite: bool = True

    def connect(self, cursor: int | None) -> Iterator[bytes]:
        stream = self.opener()
        try:
            yield from stream
        finally:
            if self.close_after:
                stream.close()


@dataclass
class HttpStreamSource:
    """A long-lived HTTP(S) stream of lines (the X v2 filtered/sample stream), bearer-authenticated."""

    url: str
    token: str = field(repr=False)
    read_timeout: float = 90.0  #: X sends a keep-alive every 20 s: silence this long is a stall
    name: str = "x-v2 stream"
    finite: bool = False

    def connect(self, cursor: int | None) -> Iterator[bytes]:
        request = urllib.request.Request(self.url, headers={"Authorization": f"Bearer {self.token}",
                                                            "User-Agent": "modstream"})
        try:
            with urllib.request.urlopen(request, timeout=self.read_timeout) as response:
                while line := response.readline():
                    yield line
        except urllib.error.HTTPError as exc:
            raise _http_status(exc.code, exc.reason, self.url) from None
        except TimeoutError:
            raise SourceDropped(f"no data or keep-alive for {self.read_timeout:.0f}s (stalled)") from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            raise SourceDropped(f"connection failed: {getattr(exc, 'reason', exc)}") from None


@dataclass
class WebSocketSource:
    """A Jetstream subscription; resumes with `cursor` (minus `rewind_us`, for gapless replay across hosts)."""

    url: str
    read_timeout: float = 60.0
    rewind_us: int = 0
    name: str = "jetstream"
    finite: bool = False

    def connect(self, cursor: int | None) -> Iterator[bytes]:
        from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
        from websockets.sync.client import connect

        url = self.url if cursor is None else with_params(self.url, {"cursor": str(max(cursor - self.rewind_us, 0))},
                                                          override=True)
        try:
            with connect(url, open_timeout=self.read_timeout, max_size=2 ** 22) as ws:
                while True:
                    message = ws.recv(timeout=self.read_timeout)
                    yield message.encode() if isinstance(message, str) else message
        except InvalidStatus as exc:
            raise _http_status(exc.response.status_code, exc.response.reason_phrase, self.url) from None
        except InvalidURI as exc:
            raise SourceFatal(f"{self.url}: not a WebSocket URL ({exc}); use ws:// or wss://") from None
        except TimeoutError:
            raise SourceDropped(f"no event for {self.read_timeout:.0f}s (stalled)") from None
        except ConnectionClosed as exc:
            raise SourceDropped(f"connection closed ({exc})") from None
        except (InvalidHandshake, OSError) as exc:
            raise SourceDropped(f"connection failed: {exc}") from None


def _http_status(status: int, reason: str, url: str) -> Exception:
    if status == 429:
        return SourceDropped("HTTP 429 too many requests/connections", min_delay=60.0)
    if status in (401, 403):
        return SourceFatal(f"{url}: HTTP {status} {reason}: check the token in {TOKEN_ENV} and the app's access")
    if 400 <= status < 500:
        return SourceFatal(f"{url}: HTTP {status} {reason}: check the URL and its query parameters")
    return SourceDropped(f"HTTP {status} {reason}", min_delay=5.0)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: failure n waits initial * factor**(n-1), at most `maximum`."""

    initial: float = 1.0
    factor: float = 2.0
    maximum: float = 120.0
    jitter: float = 0.2  #: up to this fraction is taken off at random, so clients do not reconnect in step

    def delay(self, failures: int, rng: Callable[[], float] = random.random) -> float:
        base = min(self.maximum, self.initial * self.factor ** max(failures - 1, 0))
        return base * (1.0 - self.jitter * rng())


@dataclass
class ReaderStats:
    lines: int = 0
    bytes: int = 0
    reconnects: int = 0
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        """Lines per second since the start."""
        return self.lines / self.elapsed if self.elapsed > 0 else 0.0

    def summary(self) -> str:
        return (f"{self.lines:,} lines, {self.bytes:,} bytes in {self.elapsed:.1f}s ({self.rate:,.0f} lines/s), "
                f"{self.reconnects} reconnects")


class Reader:
    """Iterate raw lines from `source`, reconnecting with backoff; `cursor` is the resume position."""

    def __init__(self, source: Source, *, cursor: int | None = None,
                 cursor_of: Callable[[bytes], int | None] | None = None, backoff: Backoff = Backoff(),
                 max_failures: int | None = None, progress: IO[str] | None = sys.stderr, progress_every: float = 10.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 rng: Callable[[], float] = random.random):
        self.source, self.cursor, self.cursor_of = source, cursor, cursor_of
        self.backoff, self.max_failures = backoff, max_failures
        self.progress, self.progress_every = progress, progress_every
        self.sleep, self.clock, self.rng = sleep, clock, rng
        self.stats = ReaderStats()

    def __iter__(self) -> Iterator[bytes]:
        started = last_report = self.clock()
        failures = 0
        while True:
            try:
                with closing(self.source.connect(self.cursor)) as lines:
                    for raw in lines:
                        failures = 0  # data flowed: the next drop starts the backoff afresh
                        yield raw
                        self._took(raw)  # after the consumer handled it: resume never skips a line
                        now = self.clock()
                        self.stats.elapsed = now - started
                        if now - last_report >= self.progress_every:
                            last_report = now
                            self._say(self.stats.summary() + (f", cursor {self.cursor}" if self.cursor else ""))
                if self.source.finite:
                    self.stats.elapsed = self.clock() - started
                    self._say(f"done: {self.stats.summary()}")
                    return
                raise SourceDropped("the server closed the stream")
            except SourceDropped as drop:
                failures += 1
                if self.max_failures is not None and failures > self.max_failures:
                    raise SourceFatal(f"{self.source.name}: gave up after {failures} failed connections in a row; "
                                      f"last: {drop.reason}") from None
                delay = max(drop.min_delay, self.backoff.delay(failures, self.rng))
                resume = f", resuming at cursor {self.cursor}" if self.cursor is not None else ""
                self._say(f"{drop.reason}; reconnect {failures} in {delay:.1f}s{resume}")
                self.stats.reconnects += 1
                self.sleep(delay)

    def _took(self, raw: bytes) -> None:
        self.stats.lines += 1
        self.stats.bytes += len(raw)
        if self.cursor_of is not None and (cursor := self.cursor_of(raw)) is not None:
            self.cursor = cursor

    def _say(self, message: str) -> None:
        if self.progress is not None:
            print(f"reader {self.source.name}: {message}", file=self.progress, flush=True)


# --- building a reader from a --format and a target ----------------------------------------

def with_params(url: str, params: Mapping[str, str | list[str]], override: bool = False) -> str:
    """`url` with `params` added to its query; ones already there are kept unless `override`."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {k for k, _ in query}
    if override:
        query = [(k, v) for k, v in query if k not in params]
    for key, value in params.items():
        if override or key not in present:
            query += [(key, v) for v in (value if isinstance(value, list) else [value])]
    return urlunsplit(parts._replace(query=urlencode(query, safe=",:")))


def open_source(target: str, fmt: str, env: Mapping[str, str] = os.environ) -> Source:
    """`-` is stdin, http(s):// an X v2 stream, ws(s):// a Jetstream subscription, anything else a file."""
    scheme = urlsplit(target).scheme
    if target == "-":
        return StreamSource("stdin", lambda: sys.stdin.buffer, close_after=False)
    if scheme in ("http", "https"):
        token = env.get(TOKEN_ENV, "")
        if not token:
            raise SourceFatal(f"{target}: set {TOKEN_ENV} to the app's bearer token to read the X stream")
        return HttpStreamSource(with_params(target, x_v2.STREAM_PARAMS) if fmt == x_v2.FORMAT else target, token)
    if scheme in ("ws", "wss"):
        return WebSocketSource(with_params(target, jetstream.STREAM_PARAMS) if fmt == jetstream.FORMAT else target)
    return StreamSource(target, lambda: open(target, "rb"))


def reader_for(target: str, fmt: str, *, cursor: int | None = None, **options: Any) -> Reader:
    """A Reader for `modstream ingest --format FMT TARGET`, resuming by the format's cursor when it has one."""
    cursor_of = jetstream.cursor_of if fmt == jetstream.FORMAT else None
    return Reader(open_source(target, fmt), cursor=cursor, cursor_of=cursor_of, **options)
