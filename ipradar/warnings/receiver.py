"""A small local webhook receiver (tests and the offline demo): verifies the HMAC signature and timestamp, keeps
one JSON file per idempotency key, and counts duplicates, the way a real receiver should treat redeliveries."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from .channels import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify_signature


class WebhookReceiver:
    """``with WebhookReceiver(secret, out_dir) as r: r.url``; ``r.accepted`` holds the bodies received once."""

    def __init__(self, secret: str, out_dir: Path | None = None, *, port: int = 0, path: str = "/hooks/ipradar",
                 status: int = 200) -> None:
        self.secret, self.out_dir, self.path, self.status = secret, out_dir, path, status
        self.accepted: dict[str, Any] = {}
        self.duplicates = 0
        self.rejected = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                code = receiver.handle(self.path, dict(self.headers.items()), body)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and demo read the counters
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> int:
        if path != self.path:
            return 404
        if self.status != 200:
            return self.status  # a receiver that is down or broken (tests)
        lower = {k.lower(): v for k, v in headers.items()}  # urllib sends "X-ipradar-signature": names are case-free
        signature = lower.get(SIGNATURE_HEADER.lower(), "")
        key = lower.get(IDEMPOTENCY_HEADER.lower(), "")
        with self.lock:
            if not key or not verify_signature(self.secret, signature, body, now=time.time()):
                self.rejected += 1
                return 401
            if key in self.accepted:
                self.duplicates += 1
                return 200  # already processed: acknowledge again, do nothing
            self.accepted[key] = json.loads(body)
            if self.out_dir is not None:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                (self.out_dir / f"{key}.json").write_bytes(body)
        return 200

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
