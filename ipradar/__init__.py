"""IP Radar: overseas IP risk early-warning pipeline."""

__version__ = "0.1.0"
