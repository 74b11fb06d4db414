"""Item pipelines, one responsibility each: validate → normalise → dedupe → store."""

from .dedupe import DedupePipeline
from .normalise import NormalisePipeline
from .store import StorePipeline
from .validate import ValidatePipeline

__all__ = ["DedupePipeline", "NormalisePipeline", "StorePipeline", "ValidatePipeline"]
