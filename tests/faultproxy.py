"""A fault-injecting HTTP proxy on 127.0.0.1, in front of a local SWF endpoint (tests only).

It forwards each request to the upstream endpoint, except for a share of them, chosen by a
seeded random generator, per operation (the ``X-Amz-Target`` header), which it answers with:

- ``throttle``: 400 ``ThrottlingException``, as SWF does when a rate limit is hit;
- ``500`` / ``503``: a server error;
- ``drop``: the connection closed before the request reaches SWF;
- ``lost``: the request is forwarded and applied, then the connection is closed before the
  answer: the hard case, where a retry repeats a call that already happened.

Every fault is counted in :attr:`FaultProxy.injected`. Traffic goes to loopback only, and the
server thread stops with the context manager.
"""

from __future__ import annotations

import collections
import http.client
import json
import random
import threading
import urllib.parse
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KINDS = ("throttle", "500", "503", "drop", "lost")
_JSON = "application/x-amz-json-1.0"


class FaultProxy:
    """Forward to ``upstream`` (an http://127.0.0.1 URL), injecting faults by operation.

    Args:
        upstream: the endpoint URL of the real (moto) server; must be on loopback.
        seed: seed of the random choice of faulted requests, for repeatable runs.
    """

    def __init__(self, upstream: str, *, seed: int = 0) -> None:
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError(f"the upstream must be on loopback, got {upstream!r}")
        self._upstream = (parsed.hostname, parsed.port or 80)
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._rules: dict[str, list[Any]] = {}  # operation -> [rate, kinds, faults left]
        self.injected: collections.Counter[tuple[str, str]] = collections.Counter()
        self.forwarded: collections.Counter[str] = collections.Counter()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint_url(self) -> str:
        """The URL clients use instead of the upstream's."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def set_faults(
        self,
        rate: float,
        kinds: Iterable[str] = KINDS,
        operations: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> None:
        """Fault ``rate`` (0..1) of the requests of ``operations`` (all if None) with ``kinds``.

        With ``limit``, the rule stops after injecting that many faults.
        """
        kinds = tuple(kinds)
        unknown = set(kinds) - set(KINDS)
        if unknown or not 0 <= rate <= 1:
            raise ValueError(f"bad fault rule: rate={rate!r}, unknown kinds={sorted(unknown)}")
        with self._lock:
            for operation in operations or ("*",):
                self._rules[operation] = [rate, kinds, limit]

    def clear(self) -> None:
        """Stop injecting faults."""
        with self._lock:
            self._rules.clear()

    @property
    def total_injected(self) -> int:
        """How many faults were injected, of every kind."""
        return sum(self.injected.values())

    def _choose(self, operation: str) -> str | None:
        with self._lock:
            rule = self._rules.get(operation) or self._rules.get("*")
            if rule is None or rule[2] == 0 or self._random.random() >= rule[0]:
                return None
            if rule[2] is not None:
                rule[2] -= 1
            kind: str = self._random.choice(rule[1])
            self.injected[(operation, kind)] += 1
            return kind

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        connection = http.client.HTTPConnection(*self._upstream, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

            def _answer(self, status: int, body: bytes, headers: Iterable[tuple[str, str]]) -> None:
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _drop(self) -> None:
                self.close_connection = True
                self.connection.close()

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                target = self.headers.get("X-Amz-Target", "")
                operation = target.rpartition(".")[2] or "?"
                kind = proxy._choose(operation)
                if kind == "drop":
                    return self._drop()
                if kind in ("throttle", "500", "503"):
                    status, code = {
                        "throttle": (400, "ThrottlingException"),
                        "500": (500, "InternalFailure"),
                        "503": (503, "ServiceUnavailable"),
                    }[kind]
                    payload = json.dumps({"__type": f"com.amazon.coral#{code}", "message": kind})
                    return self._answer(status, payload.encode(), [("Content-Type", _JSON)])
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                status, response_headers, response_body = proxy._forward(
                    "POST", self.path, headers, body
                )
                with proxy._lock:
                    proxy.forwarded[operation] += 1
                if kind == "lost":
                    return self._drop()
                return self._answer(status, response_body, response_headers)

            do_GET = do_POST

        return Handler

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
