"""Content-addressed, gzip-compressed archive of every fetched body, so any document can be re-parsed later."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path


class RawArchive:
    """Stores bodies under ``<root>/<sha[:2]>/<sha>.gz``; writing the same body twice is a no-op."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def digest(body: bytes) -> str:
        return hashlib.sha256(body).hexdigest()

    def relpath(self, sha: str) -> str:
        return f"{sha[:2]}/{sha}.gz"

    def put(self, body: bytes) -> tuple[str, str, bool]:
        """Archive ``body``; returns (sha256, relative path, newly written)."""
        sha = self.digest(body)
        rel = self.relpath(sha)
        path = self.root / rel
        if path.exists():
            return sha, rel, False
        path.parent.mkdir(parents=True, exist_ok=True)
        # write to a temp file then rename: a crash never leaves a truncated archive entry behind
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
                gz.write(body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha, rel, True

    def get(self, sha: str) -> bytes:
        path = self.root / self.relpath(sha)
        if not path.exists():
            raise FileNotFoundError(f"raw payload {sha} not in archive {self.root}")
        return gzip.decompress(path.read_bytes())
