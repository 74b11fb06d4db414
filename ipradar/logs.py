"""Logging to stderr through Rich, so stdout stays clean for JSON output."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

stderr = Console(stderr=True)


def setup_logging(level: str = "INFO") -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = RichHandler(console=stderr, show_path=False, rich_tracebacks=True, markup=False)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Scrapy and Twisted are chatty at INFO; their warnings and errors still come through
    for noisy in ("scrapy", "twisted", "filelock", "urllib3", "asyncio", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    logging.getLogger("scrapy.core.scraper").setLevel(logging.ERROR)  # our recorder reports dropped items itself
