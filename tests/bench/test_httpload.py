"""The load client: it must read responses right and count every request, good or bad."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import httpload


def reader(*chunks: bytes):
    parts = list(chunks)
    return lambda: parts.pop(0) if parts else b""


@pytest.mark.parametrize("chunks", [
    [b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"],
    [b"HTTP/1.1 200 OK\r\nCon", b"tent-Length: 5\r\n\r\nhe", b"llo"],
    [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n"],
    [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe", b"\r\n3\r\nllo\r\n0\r\n", b"\r\n"],
])
def test_responses_are_read_whole_however_they_arrive(chunks):
    status, _headers, body = httpload.parse_response(reader(*chunks))
    assert (status, body) == (200, b"hello")


def test_a_response_cut_short_is_an_error():
    with pytest.raises(httpload.HttpError):
        httpload.parse_response(reader(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhel"))


def test_request_bytes_carry_the_body_length():
    raw = httpload.request_bytes("POST", "/x", "h:1", {"A": "b"}, b"{}")
    assert raw == b"POST /x HTTP/1.1\r\nHost: h:1\r\nA: b\r\nContent-Length: 2\r\n\r\n{}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = 500 if body == b"fail" else 200
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if body == b"close":
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_every_request_is_timed_and_failures_are_counted(server):
    host = f"127.0.0.1:{server}"
    bodies = [[b"ok", b"fail", b"close", b"ok"], [b"ok", b"ok"]]
    requests = [[httpload.request_bytes("POST", "/", host, {}, body) for body in client]
                for client in bodies]
    run = httpload.run("127.0.0.1", server, requests, 10.0,
                       lambda status, body: status == 200 and body in (b"ok", b"close"))
    assert run.requests == 6
    assert run.errors == 1
    assert run.clients[0].acknowledged == [0, 2, 3]
    assert run.clients[1].acknowledged == [0, 1]
    assert run.exhausted
    assert all(latency > 0 for latency in run.latencies)
    assert "500" in run.error_samples[0]
