"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from . import cases as cases  # registers the case tables (ipradar.cases) on Base.metadata
from . import reports as reports  # registers the report archive table (ipradar.reports)
from . import warnings as warnings  # registers subscriptions, alerts and the delivery outbox (ipradar.warnings)
from .base import Base, UTCDateTime, utcnow
from .core import CrawlRun, Document, Fetch, RawPayload, Source, SourceCursor, Tag
from .stories import Story

__all__ = ["Base", "CrawlRun", "Document", "Fetch", "RawPayload", "Source", "SourceCursor", "Story", "Tag", "UTCDateTime",
           "utcnow"]
