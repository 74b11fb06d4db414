"""One run of a source at a time on this machine: an exclusive, non-blocking file lock per source.

The lock dies with its process (kill -9 included), so a crashed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class AlreadyRunning(RuntimeError):
    pass


@contextmanager
def source_lock(directory: Path, source_id: str) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{source_id}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(f"a crawl of {source_id} is already running (lock {path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
