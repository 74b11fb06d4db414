"""A local HTTP server that answers a source's requests from a recorded snapshot (``routes.json`` + files).

Used by ``ipradar demo``, ``ipradar mirror`` and the tests: the real spider runs unchanged against it through
``--base-url``. Only loopback addresses are served.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

SNAPSHOTS = Path(__file__).resolve().parent.parent / "data" / "snapshots"


class SnapshotError(ValueError):
    """A snapshot's routes.json is missing or malformed."""


@dataclass
class Route:
    method: str
    path: str
    query: dict[str, str] | None = None
    form: dict[str, str] | None = None
    file: str | None = None
    body: str | None = None
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # fault injection for tests: the first ``fail_first`` hits answer ``fail_status`` with ``fail_headers``
    fail_first: int = 0
    fail_status: int = 503
    fail_headers: dict[str, str] = field(default_factory=dict)
    hits: int = 0

    def matches(self, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> bool:
        if method != self.method or path != self.path:
            return False
        if self.query is not None and query != self.query:
            return False
        return self.form is None or form == self.form


def load_routes(directory: Path) -> list[Route]:
    """Read ``directory/routes.json``; every referenced file must exist."""
    spec = directory / "routes.json"
    if not spec.is_file():
        raise SnapshotError(f"{spec} not found")
    try:
        data = json.loads(spec.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{spec}: invalid JSON: {exc}") from exc
    routes = []
    for i, raw in enumerate(data.get("routes", [])):
        try:
            route = Route(**{"method": "GET", **raw})
        except TypeError as exc:
            raise SnapshotError(f"{spec}: route {i}: {exc}") from exc
        route.method = route.method.upper()
        if route.file and not (directory / route.file).is_file():
            raise SnapshotError(f"{spec}: route {i}: file {route.file} missing")
        routes.append(route)
    return routes


def snapshot_dir(source_id: str) -> Path:
    path = SNAPSHOTS / source_id
    if not (path / "routes.json").is_file():
        raise SnapshotError(f"no bundled snapshot for source {source_id!r} (looked in {path})")
    return path


class _Handler(BaseHTTPRequestHandler):
    server: MirrorHTTPServer
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes; with Nagle on, keep-alive clients wait ~40 ms per response
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("mirror %s " + format, self.address_string(), *args)

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)) if body else {}
        self.server.requests.append((self.command, self.path))
        for route in self.server.routes:
            if route.matches(self.command, parts.path, query, form):
                self._send(route)
                return
        self._send_bytes(404, b"not in snapshot", "text/plain; charset=utf-8", {})

    def _send(self, route: Route) -> None:
        route.hits += 1
        if route.delay:
            time.sleep(route.delay)
        if route.hits <= route.fail_first:
            self._send_bytes(route.fail_status, b"injected failure", "text/plain", route.fail_headers)
            return
        etag = route.headers.get("ETag")
        if etag and self.headers.get("If-None-Match") == etag:
            self._send_bytes(304, b"", route.content_type, route.headers)
            return
        if route.file:
            payload = (self.server.directory / route.file).read_bytes()
        else:
            payload = (route.body or "").encode("utf-8")
        self._send_bytes(route.status, payload, route.content_type, route.headers)

    def _send_bytes(self, status: int, payload: bytes, ctype: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_HEAD = _answer


class MirrorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, directory: Path, routes: list[Route], host: str, port: int) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the mirror only listens on loopback addresses")
        self.directory = directory
        self.routes = routes
        self.requests: list[tuple[str, str]] = []
        super().__init__((host, port), _Handler)


class Mirror:
    """Serve one snapshot directory in a background thread; use as a context manager."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0,
                 routes: list[Route] | None = None) -> None:
        self.directory = directory
        self.server = MirrorHTTPServer(directory, routes if routes is not None else load_routes(directory), host,
                                       port)
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[tuple[str, str]]:
        return self.server.requests

    def start(self) -> Mirror:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Mirror:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
