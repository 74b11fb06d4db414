"""Logging to stderr through Rich, so stdout stays clean for JSON output."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

stderr = Console(stderr=True)

# Libraries that are chatty below WARNING. Filtering at the handler (not by logger level) keeps them quiet even
# after Scrapy's own logging set-up resets logger levels.
NOISY = ("scrapy", "twisted", "filelock", "urllib3", "asyncio", "alembic", "py.warnings", "weasyprint", "fontTools")


class _QuietLibraries(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return not (record.name == "scrapy.core.scraper" and record.levelno < logging.ERROR)
        return not record.name.startswith(NOISY)


def setup_logging(level: str = "INFO") -> None:
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler: logging.Handler
    if stderr.is_terminal:
        handler = RichHandler(console=stderr, show_path=False, rich_tracebacks=True, markup=False)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    else:  # cron, CI, a pipe: one unwrapped line per record, so URLs and messages stay greppable
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(level.upper())
    handler.addFilter(_QuietLibraries())
    root.addHandler(handler)
    root.setLevel(level.upper())
