"""A lean closed-loop HTTP/1.1 load client: one thread per simulated client.

It runs on the same two cores as the server it measures, so it does as little as it can:
request bytes are built before the clock starts, a connection is reused while the server
keeps it open (gunicorn's sync workers close it after every response, Kinto's too when
served the same way), and responses are parsed only as far as status, length and body.
Its own CPU time is measured and reported beside the figures.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


class HttpError(Exception):
    pass


def request_bytes(method: str, path: str, host: str, headers: dict[str, str],
                  body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _dechunk(data: bytes) -> bytes | None:
    """The body of a complete chunked message, or None if more bytes are needed."""
    out, position = bytearray(), 0
    while True:
        end = data.find(b"\r\n", position)
        if end < 0:
            return None
        size = int(data[position:end].split(b";")[0], 16)
        start = end + 2
        if size == 0:
            return bytes(out) if data.find(b"\r\n", start) >= 0 else None
        if len(data) < start + size + 2:
            return None
        out += data[start:start + size]
        position = start + size + 2


def parse_response(read: Callable[[], bytes]) -> tuple[int, dict[bytes, bytes], bytes]:
    """Read one response with `read` (returns b"" at end of stream)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = read()
        if not chunk:
            raise HttpError("connection closed before the response head")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        while (body := _dechunk(rest)) is None:
            chunk = read()
            if not chunk:
                raise HttpError("connection closed inside a chunked body")
            rest += chunk
        return status, headers, body
    length = int(headers.get(b"content-length", b"0"))
    while len(rest) < length:
        chunk = read()
        if not chunk:
            raise HttpError("connection closed inside the body")
        rest += chunk
    return status, headers, rest[:length]


class Connection:
    def __init__(self, host: str, port: int, timeout: float = 30.0):
        self.address = (host, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None

    def _open(self) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def exchange(self, raw: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        reused = self.sock is not None
        try:
            return self._exchange(raw)
        except (OSError, HttpError):
            self.close()
            if not reused:
                raise
        # A kept-alive connection the server had just closed: once more on a new one.
        return self._exchange(raw)

    def _exchange(self, raw: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        if self.sock is None:
            self.sock = self._open()
        sock = self.sock
        sock.sendall(raw)
        status, headers, body = parse_response(lambda: sock.recv(65536))
        if headers.get(b"connection", b"").lower() == b"close":
            self.close()
        return status, headers, body

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


@dataclass
class ClientResult:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)  # indexes of requests fully accepted


@dataclass
class Run:
    clients: list[ClientResult]
    wall: float
    client_cpu: float
    exhausted: bool

    @property
    def latencies(self) -> list[float]:
        return [s for c in self.clients for s in c.latencies]

    @property
    def requests(self) -> int:
        return sum(len(c.latencies) for c in self.clients)

    @property
    def errors(self) -> int:
        return sum(c.errors for c in self.clients)

    @property
    def error_samples(self) -> list[str]:
        return [s for c in self.clients for s in c.error_samples][:5]


def run(host: str, port: int, per_client: Sequence[Sequence[bytes]], duration: float,
        accepted: Callable[[int, bytes], bool]) -> Run:
    """Each client sends its requests one after another (closed loop) until `duration`
    seconds have passed or it has none left. `accepted(status, body)` says whether the
    server took the request whole."""
    results = [ClientResult() for _ in per_client]
    start = threading.Barrier(len(per_client) + 1)
    exhausted = threading.Event()
    deadline = [0.0]

    def client(requests: Sequence[bytes], result: ClientResult) -> None:
        connection = Connection(host, port)
        clock = time.perf_counter
        start.wait()
        end = deadline[0]
        try:
            for index, raw in enumerate(requests):
                began = clock()
                if began >= end:
                    return
                try:
                    status, _headers, body = connection.exchange(raw)
                    ok = accepted(status, body)
                    problem = None if ok else f"{status} {body[:200]!r}"
                except (OSError, HttpError, ValueError) as error:
                    ok, problem = False, f"{type(error).__name__}: {error}"
                result.latencies.append(clock() - began)
                if ok:
                    result.acknowledged.append(index)
                else:
                    result.errors += 1
                    if len(result.error_samples) < 3:
                        result.error_samples.append(problem)
            exhausted.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(reqs, res), daemon=True)
               for reqs, res in zip(per_client, results, strict=True)]
    for thread in threads:
        thread.start()
    cpu_before = time.process_time()
    began = time.perf_counter()
    deadline[0] = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return Run(results, wall, time.process_time() - cpu_before, exhausted.is_set())
