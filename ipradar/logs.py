"""Logging to stderr through Rich, so stdout stays clean for JSON output."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

stderr = Console(stderr=True)

# Libraries that are chatty below WARNING. Filtering at the handler (not by logger level) keeps them quiet even
# after Scrapy's own logging set-up resets logger levels.
NOISY = ("scrapy", "twisted", "filelock", "urllib3", "asyncio", "alembic", "py.warnings")


class _QuietLibraries(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return not (record.name == "scrapy.core.scraper" and record.levelno < logging.ERROR)
        return not record.name.startswith(NOISY)


def setup_logging(level: str = "INFO") -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = RichHandler(console=stderr, show_path=False, rich_tracebacks=True, markup=False)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    handler.setLevel(level.upper())
    handler.addFilter(_QuietLibraries())
    root.addHandler(handler)
    root.setLevel(level.upper())
