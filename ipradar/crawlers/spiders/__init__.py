"""One module per source; each spider is mostly metadata over a base spider from ``base``."""
