"""The streaming reader: files and stdin, reconnect with backoff and resume, against fake sources and
servers started here on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import io
import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from streams.infra.formats import jetstream, x_v2
from streams.infra.formats.reader import (TOKEN_ENV, Backoff, HttpStreamSource, Reader, SourceDropped, SourceFatal,
                                    StreamSource, WebSocketSource, open_source, reader_for, with_params)

ROOT = Path(__file__).resolve().parents[3]
JETSTREAM = ROOT / "tests" / "fixtures" / "jetstream" / "commits.jsonl"
X_STREAM = ROOT / "tests" / "fixtures" / "x-v2" / "filtered_stream.jsonl"
T0 = 1725911162329308


def event(time_us: int) -> bytes:
    return b'{"did":"did:plc:alice0example0fictional","time_us":%d,"kind":"identity","identity":{}}' % time_us


def quiet(source, **options) -> Reader:  # type: ignore[no-untyped-def]
    sleeps: list[float] = []
    options.setdefault("sleep", sleeps.append)
    reader = Reader(source, progress=None, rng=lambda: 0.0, **options)
    reader.sleeps = sleeps  # type: ignore[attr-defined]
    return reader


# --- files and stdin -------------------------------------------------------------------------

def test_file_lines_come_through_unchanged_keep_alives_included() -> None:
    reader = reader_for(str(X_STREAM), "x-v2", progress=None)
    assert list(reader) == X_STREAM.read_bytes().splitlines(keepends=True)
    assert reader.stats.lines == 6 and reader.stats.reconnects == 0


def test_stdin_like_stream_is_read_once_and_not_closed() -> None:
    stdin = io.BytesIO(b'{"a": 1}\n\n{"b": 2}\n')
    reader = quiet(StreamSource("stdin", lambda: stdin, close_after=False))
    assert list(reader) == [b'{"a": 1}\n', b"\n", b'{"b": 2}\n']
    assert not stdin.closed and reader.sleeps == []  # type: ignore[attr-defined]


def test_dash_is_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO(b"one\ntwo\n")))
    source = open_source("-", "jetstream")
    assert source.name == "stdin" and list(quiet(source)) == [b"one\n", b"two\n"]


def test_file_reader_tracks_the_jetstream_cursor() -> None:
    reader = reader_for(str(JETSTREAM), "jetstream", progress=None)
    for _ in reader:
        pass
    assert reader.cursor == T0 + 7000  # the last event's time_us


def test_progress_reports_lines_and_a_rate() -> None:
    out = io.StringIO()
    ticks = itertools.count(0.0, 0.5)
    reader = Reader(StreamSource("f", lambda: io.BytesIO(b"a\n" * 10)), progress=out, progress_every=1.0,
                    clock=lambda: next(ticks))
    assert len(list(reader)) == 10
    text = out.getvalue()
    assert "reader f: 2 lines" in text and "lines/s" in text and "reader f: done: 10 lines" in text
    assert reader.stats.rate == pytest.approx(10 / 5.5)  # ten lines, clock read 11 times at 0.5 s


# --- reconnect, backoff, resume (fake source) ------------------------------------------------

@dataclass
class FakeSource:
    """Scripted connections: each a list of lines, optionally ending in an exception."""

    script: list[list[bytes | Exception]]
    name: str = "fake"
    finite: bool = False
    cursors: list[int | None] = field(default_factory=list)

    def connect(self, cursor: int | None) -> Iterator[bytes]:
        self.cursors.append(cursor)
        if not self.script:
            raise SourceFatal("script exhausted")
        for item in self.script.pop(0):
            if isinstance(item, Exception):
                raise item
            yield item


def test_reconnects_with_exponential_backoff_and_resumes_from_the_last_taken_cursor() -> None:
    source = FakeSource([[event(T0), event(T0 + 1), SourceDropped("reset")], [SourceDropped("refused")],
                         [SourceDropped("refused")], [event(T0 + 2)]])
    reader = quiet(source, cursor_of=jetstream.cursor_of, backoff=Backoff(initial=1.0, factor=2.0, maximum=3.0))
    taken = []
    with pytest.raises(SourceFatal, match="script exhausted"):
        for raw in reader:
            taken.append(raw)
    assert taken == [event(T0), event(T0 + 1), event(T0 + 2)]
    assert source.cursors == [None, T0 + 1, T0 + 1, T0 + 1, T0 + 2]
    assert reader.sleeps == [1.0, 2.0, 3.0, 1.0]  # type: ignore[attr-defined]  # capped; reset after data
    assert reader.stats.reconnects == 4


def test_a_line_the_consumer_has_not_finished_is_not_skipped_on_resume() -> None:
    reader = quiet(FakeSource([[event(T0), event(T0 + 1)]]), cursor=T0 - 5, cursor_of=jetstream.cursor_of)
    lines = iter(reader)
    next(lines)
    next(lines)  # the consumer took the first and is working on the second
    assert reader.cursor == T0


def test_server_floor_on_the_delay_is_honoured() -> None:
    reader = quiet(FakeSource([[SourceDropped("HTTP 429", min_delay=60.0)]]))
    with pytest.raises(SourceFatal):
        list(reader)
    assert reader.sleeps == [60.0]  # type: ignore[attr-defined]


def test_gives_up_after_max_failures_in_a_row() -> None:
    reader = quiet(FakeSource([[SourceDropped("refused")]] * 5), max_failures=2)
    with pytest.raises(SourceFatal, match="gave up after 3 failed connections in a row; last: refused"):
        list(reader)
    assert len(reader.sleeps) == 2  # type: ignore[attr-defined]


def test_fatal_errors_stop_at_once() -> None:
    reader = quiet(FakeSource([[SourceFatal("HTTP 401")]]))
    with pytest.raises(SourceFatal, match="401"):
        list(reader)
    assert reader.sleeps == []  # type: ignore[attr-defined]


def test_a_clean_close_of_an_endless_stream_is_a_drop() -> None:
    source = FakeSource([[b"a\n"], [b"b\n"]])
    with pytest.raises(SourceFatal):
        assert list(quiet(source)) == [b"a\n", b"b\n"]
    assert len(source.cursors) == 3


def test_backoff_jitter_only_shortens() -> None:
    b = Backoff(initial=2.0, factor=3.0, maximum=100.0, jitter=0.5)
    assert [b.delay(n, lambda: 0.0) for n in (1, 2, 3, 4, 5)] == [2.0, 6.0, 18.0, 54.0, 100.0]
    assert b.delay(2, lambda: 1.0) == 3.0


# --- URLs and tokens -----------------------------------------------------------------------

def test_with_params_adds_missing_keeps_given_and_overrides_on_request() -> None:
    url = with_params("wss://js.example.invalid/subscribe?cursor=1", {"cursor": "2", "wantedCollections": ["a", "b"]})
    assert parse_qs(urlsplit(url).query) == {"cursor": ["1"], "wantedCollections": ["a", "b"]}
    assert parse_qs(urlsplit(with_params(url, {"cursor": "9"}, override=True)).query)["cursor"] == ["9"]


def test_x_stream_needs_the_bearer_token_and_gets_the_fields_it_maps() -> None:
    with pytest.raises(SourceFatal, match=TOKEN_ENV):
        open_source("https://api.example.invalid/2/tweets/search/stream", "x-v2", env={})
    source = open_source("https://api.example.invalid/2/tweets/search/stream?expansions=author_id", "x-v2",
                         env={TOKEN_ENV: "secret-token"})
    assert isinstance(source, HttpStreamSource) and source.token == "secret-token"
    query = parse_qs(urlsplit(source.url).query)
    assert query["expansions"] == ["author_id"]  # the operator's choice is kept
    assert query["tweet.fields"] == [x_v2.STREAM_PARAMS["tweet.fields"]]
    assert "secret-token" not in repr(source)


def test_jetstream_url_asks_for_the_collections_it_maps() -> None:
    source = open_source("wss://js.example.invalid/subscribe", "jetstream")
    assert isinstance(source, WebSocketSource)
    assert parse_qs(urlsplit(source.url).query)["wantedCollections"] == jetstream.STREAM_PARAMS["wantedCollections"]


# --- a real HTTP stream on 127.0.0.1 ----------------------------------------------------------

class ScriptedHandler(BaseHTTPRequestHandler):
    """Each connection takes the next (status, chunks, pause) from the server's script."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        server = self.server
        server.seen.append((self.path, self.headers.get("Authorization")))  # type: ignore[attr-defined]
        status, chunks, pause = server.script.pop(0)  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        if status != 200:
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
        time.sleep(pause)  # a stall: no data, no keep-alive
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server():  # type: ignore[no-untyped-def]
    server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedHandler)
    server.daemon_threads = True
    server.script, server.seen = [], []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_http_stream_reconnects_after_close_and_429_then_stops_on_401(http_server) -> None:  # type: ignore[no-untyped-def]
    a, b, c = b'{"data":{"id":"1"}}\r\n', b'{"data":{"id":"2"}}\r\n', b'{"data":{"id":"3"}}\r\n'
    http_server.script += [(200, [a, b"\r\n", b], 0), (429, [], 0), (200, [c], 0), (401, [], 0)]
    url = f"http://127.0.0.1:{http_server.server_address[1]}/2/tweets/search/stream"
    reader = quiet(HttpStreamSource(url, "t0ken", read_timeout=5.0), backoff=Backoff(initial=0.5))
    taken = []
    with pytest.raises(SourceFatal, match=f"HTTP 401 .*{TOKEN_ENV}"):
        for raw in reader:
            taken.append(raw)
    assert taken == [a, b"\r\n", b, c]
    assert reader.sleeps == [0.5, 60.0, 0.5]  # type: ignore[attr-defined]
    assert {auth for _, auth in http_server.seen} == {"Bearer t0ken"}


def test_http_stream_stall_is_a_drop(http_server) -> None:  # type: ignore[no-untyped-def]
    http_server.script += [(200, [b'{"data":{"id":"1"}}\r\n'], 1.0)]
    url = f"http://127.0.0.1:{http_server.server_address[1]}/stream"
    reader = quiet(HttpStreamSource(url, "t", read_timeout=0.2), max_failures=0)
    taken = []
    with pytest.raises(SourceFatal, match="stalled"):
        for raw in reader:
            taken.append(raw)
    assert taken == [b'{"data":{"id":"1"}}\r\n']


def test_http_connection_refused_is_a_drop() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: refused
        reader = quiet(HttpStreamSource(f"http://127.0.0.1:{port}/", "t", read_timeout=1.0), max_failures=1)
        with pytest.raises(SourceFatal, match="connection failed"):
            list(reader)
    assert len(reader.sleeps) == 1  # type: ignore[attr-defined]


# --- a real WebSocket on 127.0.0.1 ------------------------------------------------------------

def test_websocket_resumes_with_the_cursor_of_the_last_event() -> None:
    pytest.importorskip("websockets")
    from websockets.sync.server import serve

    paths: list[str] = []
    script = [[event(T0), event(T0 + 1000)], [event(T0 + 2000)]]

    def handler(ws) -> None:  # type: ignore[no-untyped-def]
        paths.append(ws.request.path)
        for message in script.pop(0) if script else []:
            ws.send(message.decode())
        ws.close()

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        source = WebSocketSource(f"ws://127.0.0.1:{port}/subscribe?wantedCollections=app.bsky.feed.post",
                                 read_timeout=5.0)
        reader = quiet(source, cursor_of=jetstream.cursor_of)
        lines = iter(reader)
        taken = [next(lines) for _ in range(3)]
        lines.close()  # type: ignore[attr-defined]
        server.shutdown()
    assert taken == [event(T0), event(T0 + 1000), event(T0 + 2000)]
    assert "cursor" not in parse_qs(urlsplit(paths[0]).query)
    assert parse_qs(urlsplit(paths[1]).query) == {"wantedCollections": ["app.bsky.feed.post"],
                                                  "cursor": [str(T0 + 1000)]}
    assert reader.sleeps == [1.0]  # type: ignore[attr-defined]


def test_websocket_rewind_moves_the_cursor_back() -> None:
    pytest.importorskip("websockets")
    from websockets.sync.server import serve

    paths: list[str] = []

    def handler(ws) -> None:  # type: ignore[no-untyped-def]
        paths.append(ws.request.path)
        ws.close()

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        source = WebSocketSource(f"ws://127.0.0.1:{server.socket.getsockname()[1]}/subscribe", rewind_us=5_000_000)
        with pytest.raises(SourceFatal):
            list(quiet(source, cursor=T0, max_failures=0))
        server.shutdown()
    assert parse_qs(urlsplit(paths[0]).query) == {"cursor": [str(T0 - 5_000_000)]}
