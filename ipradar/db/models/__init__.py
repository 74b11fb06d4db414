"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from .base import Base, UTCDateTime, utcnow
from .core import CrawlRun, Document, Fetch, RawPayload, Source, SourceCursor, Tag

__all__ = ["Base", "CrawlRun", "Document", "Fetch", "RawPayload", "Source", "SourceCursor", "Tag", "UTCDateTime",
           "utcnow"]
